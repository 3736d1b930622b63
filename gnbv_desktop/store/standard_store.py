"""The standards in force in one database: shipped files plus what the upper level sent.

Received standards are stored in ``catalog_entries`` under the catalogue name ``standards`` (one
entry per standard, code = id, data ``{"document": …}``); :mod:`store.reference` writes them
after checking them. Reading them is here, apart from the reference import, so that any store
module that classifies can ask for the standards without importing the reference machinery.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from gnbv_desktop.core.standard_set import StandardSet, shipped_standards
from gnbv_desktop.core.standards import StandardError

if TYPE_CHECKING:
    from sqlite_utils import Database

STANDARDS_CATALOG = "standards"


def standards_in_force(db: Database) -> StandardSet:
    """The standards that classify in this database: shipped, with the received ones installed.

    Read from the database on every call (a reference import by a worker is seen at once by the
    UI's connection); the parsing is remembered per stored content. Stored documents that cannot
    be used (a damaged or hand-edited database) never stop the app: the shipped standards are
    returned with a ``warning`` saying why.
    """
    rows = tuple(data for (data,) in db.execute(
        "SELECT data FROM catalog_entries WHERE catalog = ? AND deleted = 0 ORDER BY sort_order, id",
        [STANDARDS_CATALOG]))
    return _received_set(rows) if rows else shipped_standards()


@lru_cache(maxsize=8)
def _received_set(rows: tuple[str, ...]) -> StandardSet:
    try:
        docs = [json.loads(data)["document"] for data in rows]
        return shipped_standards().with_received(docs)
    except (StandardError, ValueError, KeyError, TypeError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, StandardError) else "dữ liệu đã lưu bị hỏng"
        return StandardSet(shipped_standards().all(), warning=(
            f"Chuẩn nghèo nhận từ cấp trên không dùng được ({reason}); phần mềm đang dùng chuẩn nghèo có sẵn. "
            "Hãy nhập lại gói tham chiếu mới nhất của cấp trên."))


def received_standard_documents(db: Database) -> list[dict]:
    """Standards received from the upper level (empty when none were received, or when what is
    stored cannot be used — see :func:`standards_in_force`)."""
    if standards_in_force(db).warning:
        return []
    return [json.loads(data)["document"] for (data,) in db.execute(
        "SELECT data FROM catalog_entries WHERE catalog = ? AND deleted = 0 ORDER BY sort_order, id",
        [STANDARDS_CATALOG])]
