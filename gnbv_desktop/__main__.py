"""``python -m gnbv_desktop`` runs the command-line interface."""

import sys

from gnbv_desktop.cli import main

sys.exit(main())
