"""``python -m gnbv_desktop`` runs the command-line interface."""

import sys

from gnbv_desktop.cli import main

# The guard matters: a large sync import parses packages in a spawned worker process, which
# re-imports the main module.
if __name__ == "__main__":
    sys.exit(main())
