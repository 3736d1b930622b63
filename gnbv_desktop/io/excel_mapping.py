"""Mapping templates: the column → field choices a user corrected, saved as JSON for next year.

Entries are keyed by the column's header text (compared like headers are: no diacritics, case or
spacing), so next year's list maps the same even when its columns moved.
"""

from __future__ import annotations

import json
from pathlib import Path

from gnbv_desktop.core.excel_columns import Catalogs, all_fields, header_key
from gnbv_desktop.io.excel_reader import Column, WorkbookError

FORMAT = "gnbv-excel-mapping"
VERSION = 1


def save_template(path: str | Path, columns: list[Column], mapping: dict[int, str]) -> None:
    entries = [
        {"column": c.letter, "header": c.header, "field": mapping.get(c.index, c.field)}
        for c in columns
    ]
    data = {"format": FORMAT, "version": VERSION, "columns": entries}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load_template(path: str | Path, cats: Catalogs) -> dict[str, str]:
    """Header key → field; a file that is not a template, or names unknown fields, is refused."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkbookError(f"Không tìm thấy mẫu ánh xạ cột '{path}'.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkbookError(f"Tệp '{path.name}' không phải mẫu ánh xạ cột hợp lệ ({exc}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("columns"), list):
        raise WorkbookError(f"Tệp '{path.name}' không phải mẫu ánh xạ cột của GNBV Desktop.")
    known = set(all_fields(cats))
    out: dict[str, str] = {}
    for entry in data["columns"]:
        field = entry.get("field", "") if isinstance(entry, dict) else None
        if field is None or field not in known:
            raise WorkbookError(
                f"Mẫu '{path.name}' gán cột '{entry.get('header', '') if isinstance(entry, dict) else entry}' "
                f"cho trường '{field}' không có trong chuẩn/danh mục của năm đang nhập."
            )
        out[header_key(entry.get("header", ""))] = field
    return out


def apply_template(columns: list[Column], template: dict[str, str]) -> dict[int, str]:
    """Column index → field: the template's choice where it knows the header, else the automatic one."""
    return {c.index: template.get(header_key(c.header), c.field) for c in columns}
