"""Start GNBV Desktop: ``python3 main.py [--db PATH]``.

On a fresh machine the first start creates ``.venv`` and installs what the app needs (not the
test tools), then restarts itself inside it.
"""

import sys

from gnbv_desktop import bootstrap

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the sync import's worker processes start here
    bootstrap.run_in_project_venv([__file__, *sys.argv[1:]], (*bootstrap.CLI_MODULES, "PySide6"))
    from gnbv_desktop.app import main

    sys.exit(main())
