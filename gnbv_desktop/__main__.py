"""``python -m gnbv_desktop`` runs the command-line interface.

Started with a Python that lacks the libraries (the system Python in a fresh clone), it re-runs
itself inside the project's ``.venv`` (creating it) or says what to run.
"""

import sys

from gnbv_desktop import bootstrap

# The guard matters: a large sync import parses packages in a spawned worker process, which
# re-imports the main module.
if __name__ == "__main__":
    bootstrap.run_in_project_venv(["-m", "gnbv_desktop", *sys.argv[1:]])
    from gnbv_desktop.cli import main

    sys.exit(main())
