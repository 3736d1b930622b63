"""Where the app finds its shipped files and keeps the user's data.

``resources/`` and ``ui/`` live next to the package in a source checkout, inside the package
(``gnbv_desktop/resources``, ``gnbv_desktop/ui``: setup.py ships them there) once installed from a
wheel, and under ``sys._MEIPASS`` inside a PyInstaller bundle; all three are handled here so no
other module guesses paths.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "GNBV Desktop"
APP_AUTHOR = "GNBV"
DB_FILE_NAME = "gnbv.sqlite3"


def project_root() -> Path:
    """The folder holding ``resources/`` and ``ui/`` (source tree or bundle)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    package = Path(__file__).resolve().parent
    if (package / "resources").is_dir():
        return package
    return package.parent


def resource_path(*parts: str) -> Path:
    return project_root().joinpath("resources", *parts)


def ui_path(name: str) -> Path:
    return project_root() / "ui" / name


def user_data_dir() -> Path:
    """Per-user data folder; ``GNBV_DATA_DIR`` redirects it (tests, portable installs)."""
    override = os.environ.get("GNBV_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir as _user_data_dir

    return Path(_user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """``GNBV_DB`` wins over the per-user default, so a shortcut can point at another file."""
    env = os.environ.get("GNBV_DB")
    if env:
        return Path(env)
    return user_data_dir() / DB_FILE_NAME
