"""Entry point of the PyInstaller bundle: the window, ``--version``, ``--self-check``, ``--open``.

A separate script (not main.py) because the bundle must never try to create a ``.venv``.
"""

import sys

if __name__ == "__main__":
    from gnbv_desktop.app import main

    sys.exit(main())
