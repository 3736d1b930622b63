"""Start GNBV Desktop: ``python3 main.py [--db PATH]``.

On a fresh machine the first start creates ``.venv`` and installs what the app needs, then
restarts itself inside it.
"""

import os
import sys

from gnbv_desktop import bootstrap

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a bundled app's worker processes (sync import) start here
    if not bootstrap.in_project_venv() and os.environ.get("GNBV_NO_BOOTSTRAP") != "1":
        python = bootstrap.ensure_venv("test")
        sys.exit(os.spawnv(os.P_WAIT, str(python), [str(python), *sys.argv]) if os.name == "nt"
                 else os.execv(str(python), [str(python), *sys.argv]))
    from gnbv_desktop.app import main

    sys.exit(main())
