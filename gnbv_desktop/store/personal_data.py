"""Personal data requests (Luật Bảo vệ dữ liệu cá nhân): everything stored about one household,
and the permanent erase of a household already deleted.

The tables that hold a household's data are found from the schema (every table with a foreign
key to ``households``), so a table another feature adds is exported and erased too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from gnbv_desktop.store import audit
from gnbv_desktop.store.accounts import Account, AccountError, has_accounts, require_admin


class EraseError(Exception):
    """The erase was refused; nothing was changed. The message is for the user."""


@dataclass
class HouseholdData:
    household_id: int
    code: str
    head_name: str
    tables: dict[str, list[dict]]  # table → rows (the households row first), audit trail included


def child_tables(db: Database) -> list[tuple[str, str]]:
    """(table, column) pairs that point at ``households.id``."""
    found = []
    for table in db.table_names():
        for fk in db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            if fk[2] == "households":
                found.append((table, fk[3]))
    return sorted(found)


def find_household(db: Database, code: str) -> tuple[int, str, str, int]:
    row = db.execute("SELECT id, code, head_name, deleted FROM households WHERE code = ?", [code.strip()]).fetchone()
    if row is None:
        raise EraseError(f"Không có hộ mã '{code}'.")
    return row


def household_data(db: Database, code: str) -> HouseholdData:
    hid, code, head_name, _deleted = find_household(db, code)

    def rows(sql: str, params: list) -> list[dict]:
        cur = db.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    tables = {"households": rows("SELECT * FROM households WHERE id = ?", [hid])}
    for table, column in child_tables(db):
        tables[table] = rows(f'SELECT * FROM "{table}" WHERE "{column}" = ? ORDER BY id', [hid])
    if audit.is_audited(db):
        tables["audit_log"] = rows("SELECT * FROM audit_log WHERE household_id = ? ORDER BY id", [hid])
    return HouseholdData(hid, code, head_name, tables)


def erase_household(db: Database, code: str, by: Account | None) -> dict[str, int]:
    """Remove a deleted household with every row that refers to it and its audit values.

    Only a household already deleted (Xóa) can be erased, and with accounts only by a quản trị.
    One audit entry remains: that household code X was erased, by whom, when — no personal data.
    Backups taken earlier still hold the household until rotation removes them.
    """
    if has_accounts(db):
        try:
            require_admin(by)
        except AccountError as exc:
            raise EraseError(str(exc)) from exc
    hid, code, _name, deleted = find_household(db, code)
    if not deleted:
        raise EraseError(f"Hộ mã '{code}' chưa bị xóa; hãy xóa hộ trước, rồi mới xóa vĩnh viễn.")
    counts: dict[str, int] = {}
    with db.atomic():
        audit.suspend_row_audit(db)
        for table, column in child_tables(db):
            counts[table] = db.execute(f'DELETE FROM "{table}" WHERE "{column}" = ?', [hid]).rowcount
        if audit.is_audited(db):
            counts["audit_log"] = db.execute("DELETE FROM audit_log WHERE household_id = ?", [hid]).rowcount
        counts["households"] = db.execute("DELETE FROM households WHERE id = ?", [hid]).rowcount
        labels = {**audit.TABLE_LABELS, "audit_log": "Lịch sử thay đổi"}
        audit.record_job(db, "Xóa vĩnh viễn hộ", f"mã hộ {code}",
                         {labels.get(k, k): v for k, v in counts.items() if v})
    return counts


def deleted_households(db: Database) -> list[tuple[str, str, str]]:
    """(code, head name, deleted at) of the households deleted but not yet erased, newest first."""
    return [tuple(r) for r in db.execute(
        "SELECT code, head_name, updated_at FROM households WHERE deleted = 1 ORDER BY updated_at DESC, code").fetchall()]
