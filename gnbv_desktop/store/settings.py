"""Commune settings (name, codes, upper level, mode) as key/value pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.core.limits import MAX_NAME_CHARS, text_problem

if TYPE_CHECKING:
    from sqlite_utils import Database

MODE_COMMUNE = "commune"
MODE_AGGREGATE = "aggregate"
DEFAULT_UPPER_LEVEL_TEMPLATE = "Sở Nông nghiệp và Môi trường {province}"


@dataclass
class CommuneSettings:
    commune_name: str = ""
    commune_code: str = ""
    province_name: str = ""
    province_code: str = ""
    upper_level: str = ""
    mode: str = MODE_COMMUNE

    @property
    def is_configured(self) -> bool:
        return bool(self.commune_name)


_FIELDS = ("commune_name", "commune_code", "province_name", "province_code", "upper_level", "mode")


def get_value(db: Database, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def is_aggregate(db: Database) -> bool:
    """An upper level's database, holding the communes' packages (``store/aggregate.py``)."""
    return get_value(db, "mode") == MODE_AGGREGATE


def set_value(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def load_settings(db: Database) -> CommuneSettings:
    values = dict(db.execute("SELECT key, value FROM settings").fetchall())
    s = CommuneSettings(**{k: values[k] for k in _FIELDS if k in values})
    return s


class SettingsError(ValueError):
    """A commune setting that cannot be saved; the message names the field (Vietnamese)."""


_LABELS = {"commune_name": "Tên xã", "province_name": "Tên tỉnh/thành phố", "upper_level": "Tên cơ quan cấp trên"}


def save_settings(db: Database, s: CommuneSettings) -> None:
    """Save every setting, or raise SettingsError (nothing written) when a name is too long for the
    sync package's manifest or holds control characters."""
    for key, label in _LABELS.items():
        problem = text_problem(label, getattr(s, key) or "", MAX_NAME_CHARS)
        if problem:
            raise SettingsError(problem)
    with db.atomic():
        for k in _FIELDS:
            set_value(db, k, getattr(s, k))
