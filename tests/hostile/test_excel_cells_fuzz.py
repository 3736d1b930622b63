"""Any cell values in a list: the import either refuses them with Vietnamese messages or stores
values inside the app's ranges — never a traceback, never a half-written database."""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from gnbv_desktop.io.excel_reader import WorkbookError
from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import ImportRefused, preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.database import open_database
from tests.io.workbooks import simple_list

HEADER = ["STT", "Họ tên chủ hộ", "Năm sinh", "Số CCCD", "Dân tộc", "Thôn", "Số nhân khẩu", "Thu nhập",
          "Các chỉ số thiếu hụt", "Số chỉ số thiếu hụt", "Phân loại", "Ghi chú"]

texts = st.text(max_size=60).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t))
cells = st.one_of(
    st.none(), texts, st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(min_value=_dt.date(1900, 1, 1), max_value=_dt.date(2100, 1, 1)),
    st.sampled_from(["1.500.000", "1,5 triệu", "HN", "Cận nghèo", "x", "Jrai", "NguyÔn V¨n A", "=1+1", "4.0"]),
)
rows = st.lists(st.lists(cells, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=6)


def _dump(db) -> str:
    return "\n".join(db.conn.iterdump())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_any_cells_are_refused_or_stored_within_range(data):
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "x.sqlite3")
        ensure_demo_commune(db)
        named = [[i, f"Hộ {i}", *r[2:]] for i, r in enumerate(data, start=1)]  # a name column so rows are read
        path = simple_list(Path(tmp) / "f.xlsx", [*data, *named], header=HEADER)
        before = _dump(db)
        try:
            preview = run_to_end(preview_import(db, path, year=2026))
            run_to_end(run_import(db, preview, skip_invalid=True))
        except (WorkbookError, ImportRefused) as exc:
            assert str(exc) and _dump(db) == before
        else:
            for income, in db.execute("SELECT income FROM assessments WHERE income IS NOT NULL"):
                assert 0 <= income <= 1_000_000_000
            for name, size in db.execute("SELECT head_name, declared_size FROM households"):
                assert len(name) <= 300 and (size is None or 1 <= size <= 50)
        db.close()
