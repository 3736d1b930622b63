"""Resident households from a workbook into ``year``: every village named in the file gets its
figures, all in one transaction or none (a village the commune does not have, a village twice, a
figure the store refuses — each is reported with its row and nothing is written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.core.text import shorten
from gnbv_desktop.io.residents_xlsx import ResidentsFileError, problem_text, read_residents
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.residents import ResidentsError, set_residents
from gnbv_desktop.store.villages import find_village, list_villages


@dataclass(frozen=True)
class ResidentsImport:
    sheet: str
    villages: int
    households: int
    missing: list[str]  # the commune's villages the file did not name (their figures are unchanged)


def import_residents(db: Database, path: str | Path, year: int, sheet: str | None = None) -> Job[ResidentsImport]:
    yield Progress(0, 2, "Đang đọc tệp số hộ dân cư…")
    rows = read_residents(path, sheet)
    problems, resolved, seen = [], [], {}
    for row in rows:
        at = f"Trang '{row.sheet}', dòng {row.row}"
        village = find_village(db, row.village)
        if village is None:
            known = ", ".join(v.name for v in list_villages(db)) or "chưa có thôn nào"
            problems.append(f"{at}: xã không có thôn '{shorten(row.village)}' (các thôn: {known}).")
        elif village.id in seen:
            problems.append(f"{at}: thôn '{village.name}' đã có ở dòng {seen[village.id]}.")
        else:
            seen[village.id] = row.row
            resolved.append((row, village))
    if problems:
        raise ResidentsFileError(problem_text(problems))
    yield Progress(1, 2, f"Đang ghi số hộ dân cư của {len(resolved)} thôn…")
    current = None
    try:
        with db.atomic():
            for current, village in resolved:
                set_residents(db, year, village.id, current.households, current.people)
    except ResidentsError as exc:
        where = f"Trang '{current.sheet}', dòng {current.row} ({shorten(current.village)})"
        raise ResidentsFileError(problem_text([f"{where}: {exc}"])) from None
    yield Progress(2, 2, "Đã nhập số hộ dân cư.")
    missing = [v.name for v in list_villages(db) if v.id not in seen]
    return ResidentsImport(rows[0].sheet, len(resolved), sum(r.households for r, _v in resolved), missing)
