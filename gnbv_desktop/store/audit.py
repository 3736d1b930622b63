"""Audit trail: who changed what, when — written by SQLite triggers, so every write path is covered.

Triggers on the audited tables copy each changed field (old and new value) into ``audit_log``
together with the user and source found in the one-row ``audit_session`` table, which each
program sets when it opens the file (the GUI: "giao diện", the CLI: "dòng lệnh"). Bulk jobs
(imports, demo, carry-forward) switch the row triggers off inside their own transaction and
write one entry naming the file and the counts instead; the switch is part of the transaction,
so a kill or an error turns it back on with the rollback.

The trigger text is generated from the tables' current columns and recreated when it differs
(after any migration), so a column another migration adds is audited too.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gnbv_desktop.store.accounts import READ_ONLY_MESSAGE, VIEWER
from gnbv_desktop.store.accounts import SCHEMA as ACCOUNTS_SCHEMA
from gnbv_desktop.store.read_only import is_read_only
from gnbv_desktop.store.tables import table_exists

if TYPE_CHECKING:
    from sqlite_utils import Database

SOURCE_GUI = "giao diện"
SOURCE_CLI = "dòng lệnh"

# table → SQL giving the household a row belongs to (None: not tied to one household)
AUDITED = {
    "households": "id",
    "members": "household_id",
    "assessments": "household_id",
    "household_plans": "household_id",
    "plan_items": "household_id",
    "helper_assignments": "household_id",
    "helpers": None,
    "commune_plans": None,
    "villages": None,
    "resident_households": None,
    "reviews": None,
    "transitions": "household_id",
    "accounts": None,
}
# Bookkeeping columns that change on every save and say nothing to a reader.
SKIPPED = {"id", "uuid", "created_at", "updated_at", "change_counter", "rev", "search_key", "sort_key",
           "password_hash", "failed_attempts", "locked_until"}
# Tables a "chỉ xem" session may not write (accounts stay writable: a login records failures).
GUARDED = [t for t in AUDITED if t != "accounts"] + ["settings"]
TABLE_LABELS = {
    "households": "Hộ gia đình",
    "members": "Thành viên",
    "assessments": "Kết quả rà soát",
    "household_plans": "Kế hoạch của hộ",
    "plan_items": "Giải pháp hỗ trợ",
    "helper_assignments": "Phân công giúp đỡ",
    "helpers": "Người giúp đỡ",
    "commune_plans": "Kế hoạch của xã",
    "villages": "Thôn",
    "resident_households": "Hộ dân cư",
    "reviews": "Kết thúc rà soát",
    "transitions": "Biến động hộ nghèo, cận nghèo",
    "settings": "Cài đặt",
    "job": "Công việc",
    "accounts": "Tài khoản",
}
FIELD_LABELS = {
    "code": "Mã hộ", "head_name": "Họ tên chủ hộ", "head_cccd": "Số CCCD chủ hộ", "head_birth_year": "Năm sinh chủ hộ",
    "head_birth_date": "Ngày sinh chủ hộ", "head_sex": "Giới tính chủ hộ", "ethnicity_name": "Dân tộc",
    "ethnicity_code": "Mã dân tộc", "ethnicity_list": "Danh mục dân tộc", "village_id": "Thôn", "address": "Địa chỉ",
    "phone": "Điện thoại", "categories": "Nhóm đối tượng", "note": "Ghi chú", "deleted": "Đã xóa",
    "household_id": "Hộ", "full_name": "Họ tên", "relation": "Quan hệ với chủ hộ", "birth_year": "Năm sinh",
    "sex": "Giới tính", "cccd": "Số CCCD", "sort_order": "Thứ tự", "year": "Năm", "standard_id": "Chuẩn nghèo",
    "area": "Khu vực", "income": "Thu nhập bình quân", "deprived": "Chỉ số thiếu hụt", "classification": "Phân loại",
    "causes": "Nguyên nhân nghèo", "needs": "Nhu cầu hỗ trợ", "expected_result": "Kết quả dự kiến",
    "measure_code": "Giải pháp", "content": "Nội dung", "expected_amount": "Kinh phí dự kiến",
    "funding_source": "Nguồn vốn", "lead_organisation": "Đơn vị chủ trì", "planned_time": "Thời gian dự kiến",
    "status": "Tình trạng", "actual_amount": "Kinh phí thực hiện", "actual_date": "Ngày thực hiện", "result": "Kết quả",
    "helper_id": "Người giúp đỡ", "kind": "Loại", "name": "Tên", "position": "Chức vụ", "organisation": "Cơ quan",
    "document_number": "Số văn bản", "document_date": "Ngày văn bản", "signer_name": "Người ký",
    "signer_title": "Chức danh người ký", "preparer_name": "Người lập", "total_households": "Tổng số hộ",
    "total_dtts_households": "Tổng số hộ DTTS", "target_poverty_reduction": "Chỉ tiêu giảm tỷ lệ hộ nghèo",
    "target_escape_households": "Chỉ tiêu số hộ thoát nghèo", "target_near_poor_reduction": "Chỉ tiêu giảm hộ cận nghèo",
    "target_dtts_reduction": "Chỉ tiêu giảm nghèo DTTS", "commune_name": "Tên xã", "commune_code": "Mã xã",
    "province_name": "Tỉnh", "province_code": "Mã tỉnh", "upper_level": "Cấp trên", "mode": "Chế độ",
    "username": "Tên đăng nhập", "role": "Vai trò",
    "target_groups": "Nhóm đối tượng trong năm", "review_status": "Tình trạng rà soát", "households": "Số hộ dân cư",
    "people": "Số nhân khẩu dân cư", "decision_number": "Số quyết định công nhận",
    "decision_date": "Ngày quyết định công nhận", "closed_at": "Thời điểm kết thúc rà soát",
    "from_classification": "Phân loại năm trước", "to_classification": "Phân loại năm nay",
    "declared_size": "Số nhân khẩu",
}
# Settings keys that are bookkeeping (the revision counter moves on every save).
SKIPPED_SETTINGS = ("last_rev",)
ACTION_LABELS = {"insert": "Thêm", "update": "Sửa", "delete": "Xóa", "job": "Công việc"}

SCHEMA = """
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    user TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id INTEGER,
    household_id INTEGER,
    field TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX audit_log_household ON audit_log(household_id, id);
CREATE TABLE audit_session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    user TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    bulk INTEGER NOT NULL DEFAULT 0
);
INSERT INTO audit_session (id) VALUES (1);
"""

_ON = "(SELECT bulk FROM audit_session WHERE id = 1) = 0"
_KEPT = "NEW.key NOT IN (" + ", ".join(f"'{k}'" for k in SKIPPED_SETTINGS) + ")"
_WHO = "(SELECT user FROM audit_session WHERE id = 1), (SELECT source FROM audit_session WHERE id = 1)"


def _columns(db: Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall() if r[1] not in SKIPPED]


def _record(prefix: str, cols: list[str]) -> str:
    pairs = ", ".join(f"'{c}', {prefix}.\"{c}\"" for c in cols)
    return f"json_object({pairs})"


def trigger_sql(db: Database) -> dict[str, str]:
    """Trigger name → CREATE statement for the current columns of every audited table."""
    out = {}
    for table, hh in AUDITED.items():
        if not db[table].exists():
            continue
        cols = _columns(db, table)
        new_hh = f"NEW.{hh}" if hh else "NULL"
        old_hh = f"OLD.{hh}" if hh else "NULL"
        out[f"audit_{table}_insert"] = (
            f"CREATE TRIGGER audit_{table}_insert AFTER INSERT ON {table} WHEN {_ON} BEGIN "
            f"INSERT INTO audit_log (user, source, action, table_name, row_id, household_id, new_value) "
            f"VALUES ({_WHO}, 'insert', '{table}', NEW.id, {new_hh}, {_record('NEW', cols)}); END"
        )
        changes = " UNION ALL ".join(
            f"SELECT '{c}' AS f, OLD.\"{c}\" AS o, NEW.\"{c}\" AS n WHERE OLD.\"{c}\" IS NOT NEW.\"{c}\"" for c in cols
        )
        out[f"audit_{table}_update"] = (
            f"CREATE TRIGGER audit_{table}_update AFTER UPDATE ON {table} WHEN {_ON} BEGIN "
            f"INSERT INTO audit_log (user, source, action, table_name, row_id, household_id, field, old_value, new_value) "
            f"SELECT {_WHO}, 'update', '{table}', NEW.id, {new_hh}, f, o, n FROM ({changes}); END"
        )
        out[f"audit_{table}_delete"] = (
            f"CREATE TRIGGER audit_{table}_delete AFTER DELETE ON {table} WHEN {_ON} BEGIN "
            f"INSERT INTO audit_log (user, source, action, table_name, row_id, household_id, old_value) "
            f"VALUES ({_WHO}, 'delete', '{table}', OLD.id, {old_hh}, {_record('OLD', cols)}); END"
        )
    out["audit_settings_insert"] = (
        f"CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings WHEN {_ON} AND {_KEPT} BEGIN "
        f"INSERT INTO audit_log (user, source, action, table_name, field, new_value) "
        f"VALUES ({_WHO}, 'insert', 'settings', NEW.key, NEW.value); END"
    )
    out["audit_settings_update"] = (
        f"CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings WHEN {_ON} AND {_KEPT} AND OLD.value IS NOT NEW.value "
        "BEGIN "
        f"INSERT INTO audit_log (user, source, action, table_name, field, old_value, new_value) "
        f"VALUES ({_WHO}, 'update', 'settings', NEW.key, OLD.value, NEW.value); END"
    )
    for table in GUARDED:
        if not db[table].exists():
            continue
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"audit_{table}_guard_{event.lower()}"
            out[name] = (
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"WHEN (SELECT role FROM audit_session WHERE id = 1) = '{VIEWER}' "
                f"BEGIN SELECT RAISE(ABORT, '{READ_ONLY_MESSAGE}'); END"
            )
    return out


def install_triggers(db: Database) -> int:
    """Create or recreate the triggers whose text differs from the current columns; returns how many."""
    existing = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"))
    changed = 0
    with db.atomic():
        for name, sql in trigger_sql(db).items():
            if existing.get(name) == sql:
                continue
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute(sql)
            changed += 1
    return changed


def create_schema(db: Database) -> None:
    """The migration's work: tables, then the triggers."""
    db.executescript(SCHEMA + ACCOUNTS_SCHEMA)
    install_triggers(db)


def is_audited(db: Database) -> bool:
    return table_exists(db, "audit_session")


def start_session(db: Database, source: str, user: str | None = None, role: str = "") -> None:
    """Name who writes through this program from now on (the OS login when there are no accounts)
    and the role whose limits the triggers enforce."""
    if not is_audited(db) or is_read_only(db):  # a read-only file records no session: nothing is written
        return
    if user is None:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = ""
    db.execute("UPDATE audit_session SET user = ?, source = ?, role = ?, bulk = 0 WHERE id = 1", [user, source, role])


def current_user(db: Database) -> str:
    if not is_audited(db):
        return ""
    return db.execute("SELECT user FROM audit_session WHERE id = 1").fetchone()[0]


def current_role(db: Database) -> str:
    """The role of the session working on the file ('' without accounts)."""
    if not is_audited(db):
        return ""
    return db.execute("SELECT role FROM audit_session WHERE id = 1").fetchone()[0]


def clear_role(db: Database) -> None:
    db.execute("UPDATE audit_session SET role = '' WHERE id = 1")


def suspend_row_audit(db: Database) -> None:
    """Inside a bulk job's transaction: no per-row entries (the job writes one with ``record_job``)."""
    if not db.conn.in_transaction:
        raise RuntimeError("suspend_row_audit must run inside the job's transaction")
    if is_audited(db):
        db.execute("UPDATE audit_session SET bulk = 1 WHERE id = 1")


def pause_insert_triggers(db: Database, tables: list[str]) -> list[str]:
    """Inside a bulk job's transaction, after :func:`suspend_row_audit`: drop the per-row INSERT
    triggers of ``tables`` (returns their names for :func:`restore_triggers`).

    With row audit suspended those triggers only test two conditions per row and do nothing, yet
    that test was half of SQLite's time for 40,000 new rows. Dropping them changes nothing that is
    recorded; it is part of the transaction, so an error or a kill brings them back with the
    rollback. The read-only role keeps them (its guard trigger must refuse the first row as always).
    """
    if not is_audited(db) or current_role(db) == VIEWER:
        return []
    if db.execute("SELECT bulk FROM audit_session WHERE id = 1").fetchone()[0] != 1:
        raise RuntimeError("pause_insert_triggers needs the row audit suspended first")
    wanted = [f"audit_{t}_{kind}" for t in tables for kind in ("insert", "guard_insert")]
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    names = [n for n in wanted if n in present]
    for name in names:
        db.execute(f"DROP TRIGGER {name}")
    return names


def restore_triggers(db: Database, names: list[str]) -> None:
    """Create again, inside the same transaction, the triggers :func:`pause_insert_triggers` dropped."""
    if names:
        sql = trigger_sql(db)
        for name in names:
            db.execute(sql[name])


def resume_row_audit(db: Database) -> None:
    """Row auditing back on after a bulk job that changed nothing (so it records no entry)."""
    if is_audited(db):
        db.execute("UPDATE audit_session SET bulk = 0 WHERE id = 1")


def record_job(db: Database, kind: str, description: str, counts: dict[str, int]) -> None:
    """One entry for a whole job (file name and counts), and row auditing back on."""
    if not is_audited(db):
        return
    db.execute("UPDATE audit_session SET bulk = 0 WHERE id = 1")
    db.execute(
        f"INSERT INTO audit_log (user, source, action, table_name, field, new_value) VALUES ({_WHO}, 'job', 'job', ?, ?)",
        [kind, json.dumps({"mô tả": description, **counts}, ensure_ascii=False)],
    )

# The columns an audit entry is shown in, on screen and in the exported sheet.
ENTRY_HEADER = ["Thời điểm", "Người dùng", "Nguồn", "Thay đổi", "Trường", "Giá trị cũ", "Giá trị mới"]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    source: str
    action: str
    table: str
    row_id: int | None
    household_id: int | None
    field: str
    old_value: str | None
    new_value: str | None

    @property
    def what(self) -> str:
        if self.action == "job":
            return self.field
        return f"{ACTION_LABELS.get(self.action, self.action)} {TABLE_LABELS.get(self.table, self.table).lower()}"

    @property
    def field_label(self) -> str:
        return "" if self.action == "job" else FIELD_LABELS.get(self.field, self.field)

    @property
    def when(self) -> str:
        """``2026-12-01T09:05:06`` → ``01/12/2026 09:05:06``."""
        date, _, time = self.at.partition("T")
        y, m, d = (date.split("-") + ["", "", ""])[:3]
        return f"{d}/{m}/{y} {time}".strip()


def readable(value: str | None) -> str:
    """A stored value for people: a whole record (insert/delete) as ``Trường: giá trị`` pairs."""
    if value is None:
        return ""
    if value.startswith("{"):
        try:
            record = json.loads(value)
        except ValueError:
            return value
        if isinstance(record, dict):
            return "; ".join(f"{FIELD_LABELS.get(k, k)}: {v}" for k, v in record.items() if v not in (None, "", "[]"))
    return value


def entries(db: Database, household_id: int | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Newest first; one household's entries, or all."""
    sql = ("SELECT id, at, user, source, action, table_name, row_id, household_id, field, old_value, new_value "
           "FROM audit_log")
    params: list = []
    if household_id is not None:
        sql += " WHERE household_id = ?"
        params.append(household_id)
    sql += " ORDER BY id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [AuditEntry(*row) for row in db.execute(sql, params).fetchall()]
