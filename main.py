"""Start GNBV Desktop: ``python3 main.py [--db PATH]``.

On a fresh machine the first start creates ``.venv`` and installs what the app needs (not the
test tools), then restarts itself inside it.
"""

import sys

from gnbv_desktop import bootstrap

if __name__ == "__main__":
    bootstrap.run_in_project_venv([__file__, *sys.argv[1:]], (*bootstrap.CLI_MODULES, "PySide6"))
    missing = bootstrap.missing_qt_system_packages()
    if missing:
        print("Lỗi: máy còn thiếu thư viện hệ thống mà Qt cần để mở cửa sổ. Cài bằng lệnh:\n"
              f"  sudo apt install {' '.join(missing)}", file=sys.stderr)
        sys.exit(1)
    from gnbv_desktop.app import main

    sys.exit(main())
