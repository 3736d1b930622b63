"""Importing an official's Excel list: preview first, then one all-or-nothing transaction.

``preview_import`` reads and checks the file and matches each household with the database
(mã hộ, else the head's CCCD, else head name + village + birth year), writing nothing.
``run_import`` writes the preview inside one transaction and yields progress between chunks;
closing the generator (the user pressed Hủy) rolls everything back. When the workbook also has
the plan item and helper sheets of an export (:mod:`..io.excel_plans`), the households' plans
for the year are written in the same transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress
from operator import attrgetter, not_
from pathlib import Path

from sqlite_utils import Database

from gnbv_desktop.core.excel_columns import Catalogs
from gnbv_desktop.core.excel_values import text_of
from gnbv_desktop.core.household import Assessment, Household, Member, same_head
from gnbv_desktop.core.plans import Helper
from gnbv_desktop.core.standard_set import StandardSet
from gnbv_desktop.core.standards import Standard
from gnbv_desktop.core.text import clean, fold, format_number, is_digits
from gnbv_desktop.io.excel_legacy import LegacyColumn, convert_columns, convert_head, legacy_columns
from gnbv_desktop.io.excel_mapping import apply_template, load_template
from gnbv_desktop.io.excel_parser import (
    HouseholdIndex,
    ParseContext,
    ParsedHousehold,
    Problem,
    SkippedRow,
    household_keys,
    parse_rows,
)
from gnbv_desktop.io.excel_plans import PlanCatalogs, attach_plans, helper_key, read_plan_sheets
from gnbv_desktop.io.excel_reader import (
    HEADER_SCAN_ROWS,
    Header,
    WorkbookError,
    detect_header,
    list_sheets,
    read_sheet,
)
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.audit import (
    pause_insert_triggers,
    record_job,
    restore_triggers,
    resume_row_audit,
    suspend_row_audit,
)
from gnbv_desktop.store.backup import backup_before_job
from gnbv_desktop.store.catalog_store import catalog_names
from gnbv_desktop.store.database import immediate_transaction
from gnbv_desktop.store.household_import import (
    NewHouseholds,
    Recorded,
    load_recorded,
    match_members,
    recorded_assessment,
    write_households,
    write_new_households,
)
from gnbv_desktop.store.households import HOUSEHOLD_FIELDS, next_code
from gnbv_desktop.store.index_rebuild import indexes_suspended, page_cache_widened
from gnbv_desktop.store.plan_import import HouseholdPlanImport, write_helpers, write_household_plans
from gnbv_desktop.store.plans import funding_sources, support_measures
from gnbv_desktop.store.records import SYNCED_TABLES, next_rev
from gnbv_desktop.store.standard_store import standards_in_force
from gnbv_desktop.store.sync_outbox import current_rev
from gnbv_desktop.store.villages import Village, add_village, find_village, list_villages

CHUNK = 500
BULK_ROWS = 1000  # new households from which the per-row insert triggers are set aside (see run_import)
_BULK_TABLES = ["households", "members", "assessments", "household_plans", "plan_items", "helper_assignments"]
_PROBLEMS, _ERROR, _ROW, _SHEET = attrgetter("problems"), attrgetter("error"), attrgetter("row"), attrgetter("sheet")
_CLASSIFICATION, _CODE, _VALID = attrgetter("classification"), attrgetter("household.code"), attrgetter("valid")
_new_household = object.__new__
# Partial indexes no row an import inserts enters: its households are live and its new assessments
# are not under review (store/migrations.py). Kept through the import rather than rebuilt.
_NOT_ENTERED = ("households_deleted", "assessments_under_review")


class ImportRefused(Exception):
    """The import cannot go ahead as asked; nothing was written. The message is for the user."""


@dataclass
class ImportPreview:
    """Everything the wizard shows and the import writes."""

    path: Path
    sheet: str
    sheets: list[str]
    year: int
    header: Header
    mapping: dict[int, str]
    layout: str
    households: list[ParsedHousehold]
    skipped: list[SkippedRow]
    rows_read: int
    new_villages: list[tuple[str, str]] = field(default_factory=list)  # (name, area)
    match_ids: dict[int, int] = field(default_factory=dict)  # source row → existing household id
    samples: dict[int, str] = field(default_factory=dict)  # column → first value under the header
    default_village: str = ""
    helpers: list[Helper] = field(default_factory=list)  # the plan sheets' helpers, each once
    sheet_problems: list[Problem] = field(default_factory=list)  # plan sheet rows naming no household
    plan_sheets: list[str] = field(default_factory=list)
    plan_item_count: int = 0
    assignment_count: int = 0
    matched_at_rev: int | None = None  # the database revision the matching was done against
    legacy: list[LegacyColumn] = field(default_factory=list)  # columns typed with TCVN3/VNI fonts
    legacy_converted: bool = True

    @property
    def notices(self) -> list[str]:
        """What the whole file needs said before importing (legacy encodings found)."""
        return [c.message(self.legacy_converted) for c in self.legacy]

    @property
    def valid(self) -> list[ParsedHousehold]:
        return [h for h in self.households if h.valid]

    @property
    def invalid(self) -> list[ParsedHousehold]:
        return [h for h in self.households if not h.valid]

    @property
    def problems(self) -> list[Problem]:
        found = [*chain.from_iterable(map(_PROBLEMS, self.households)), *self.sheet_problems]
        # by (sheet, row, errors first), each key read in C and none made a tuple: a stable sort on
        # each key, from the least to the greatest
        found.sort(key=_ERROR, reverse=True)  # reverse keeps equal keys in their order too
        found.sort(key=_ROW)
        found.sort(key=_SHEET)
        return found

    def counts(self) -> dict[str, int]:
        valid = self.valid
        updates = sum(1 for h in valid if h.row in self.match_ids)
        return {
            "rows_read": self.rows_read,
            "households": len(self.households),
            "valid": len(valid),
            "invalid": len(self.households) - len(valid),
            "new": len(valid) - updates,
            "update": updates,
            "skipped_rows": len(self.skipped),
            "plan_items": self.plan_item_count,
            "helpers": len(self.helpers),
            "assignments": self.assignment_count,
        }


@dataclass
class ImportSummary:
    rows_read: int
    imported: int
    updated: int  # matched households where something changed
    skipped: int  # invalid households left out
    villages_created: list[str]
    problems: list[Problem]
    plan_items: int = 0
    helpers_created: list[str] = field(default_factory=list)
    plans_read: bool = False
    unchanged: int = 0  # matched households the file did not change
    skipped_rows: list[int] = field(default_factory=list)  # Excel rows of the households left out

    def lines(self) -> list[str]:
        out = [
            f"Số dòng dữ liệu đã đọc: {format_number(self.rows_read)}",
            f"Hộ nhập mới: {format_number(self.imported)}",
            f"{format_number(self.updated)} hộ thay đổi (cập nhật), {format_number(self.unchanged)} hộ không đổi",
            f"Hộ bỏ qua (dòng lỗi): {format_number(self.skipped)}" + (
                f" — {skipped_rows_text(self.skipped_rows)}" if self.skipped_rows else ""),
        ]
        if self.villages_created:
            out.append(f"Thôn mới đã tạo: {', '.join(self.villages_created)}")
        if self.plans_read:
            out.append(f"Giải pháp hỗ trợ đã ghi: {format_number(self.plan_items)}")
            out.append(f"Người/tổ chức giúp đỡ mới: {format_number(len(self.helpers_created))}")
        return out


def skipped_rows_text(rows: list[int], most: int = 30) -> str:
    """``dòng 7, 12, 15`` (the first ``most``, then how many more)."""
    text = "dòng " + ", ".join(str(r) for r in rows[:most])
    return text + (f" và {format_number(len(rows) - most)} dòng khác" if len(rows) > most else "")


def load_catalogs(db: Database, year: int) -> Catalogs:
    return Catalogs(
        standard=standards_in_force(db).for_year(year),
        causes=catalog_names(db, "causes"),
        needs=catalog_names(db, "needs"),
        categories=catalog_names(db, "household_categories"),
    )


def load_plan_catalogs(db: Database) -> PlanCatalogs:
    return PlanCatalogs(
        measures={m.code: (m.name, m.short) for m in support_measures(db)},
        funding={f["code"]: (f["name"], f.get("short", "")) for f in funding_sources(db)},
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a list is read, checked and written.

    An import creates a few objects per cell and keeps them all (rows, households, problems);
    the collector, triggered by the allocations, walks every live object again and again, a
    quarter of the CPU time, and finds nothing: these objects hold no reference cycles. It is
    back on when the job ends, is cancelled or fails.

    Switched back on as it was, it would walk them all at once at the next allocation (they are
    all "young"), and again when they move up a generation: 0.1–0.2 s each time for a list of
    20,000 households. ``freeze`` + ``unfreeze`` moves every tracked object straight to the
    oldest generation instead, without a walk; only a full collection looks at them again, as it
    does at any long-lived data, and would still free a cycle among them.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def workbook_sheets(path: str | Path) -> Job[list[str]]:
    """The workbook's visible sheets, once the workbook guard has let it through: a job, because the
    guard may have the reader measure the workbook in a child process (an .xls, .xlsb or .ods, or a
    sheet written in a form it does not measure), seconds for a large one."""
    yield Progress(0, 1, "Đang kiểm tra tệp Excel…")
    return list_sheets(path)


def preview_import(db: Database, path: str | Path, *, year: int, **options) -> Job[ImportPreview]:
    """:func:`read_preview` with the cycle collector paused (see :func:`collector_paused`)."""
    with collector_paused():
        return (yield from read_preview(db, path, year=year, **options))


def read_preview(
    db: Database,
    path: str | Path,
    *,
    year: int,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    template: str | Path | None = None,
    require_name: bool = True,
    default_village: str = "",
    convert_legacy: bool = True,
) -> Job[ImportPreview]:
    """Read, map, check and match the file; writes nothing. ``mapping`` overrides the automatic one.

    Without a name column the CLI stops (``require_name``); the wizard goes on to its mapping
    table, where the user points at the right column. Rows with no village of their own (no
    village column, no village group row above) go to ``default_village`` when it is given.
    Columns typed with a legacy font (TCVN3, VNI) are converted to Unicode unless ``convert_legacy``
    is off; either way the preview names them.
    """
    path = Path(path)
    yield Progress(0, 4, "Đang mở tệp Excel…")
    sheets = list_sheets(path)
    data = read_sheet(path, sheet)
    cats = load_catalogs(db, year)
    yield Progress(1, 4, "Đang tìm dòng tiêu đề và các cột…")
    try:
        header = detect_header(data, cats)
    except WorkbookError:
        if not (convert_legacy and convert_head(data, HEADER_SCAN_ROWS)):
            raise
        header = detect_header(data, cats)  # the header itself was typed with a legacy font
    if mapping is None:
        mapping = {c.index: c.field for c in header.columns}
        if template is not None:
            mapping = apply_template(header.columns, load_template(template, cats))
    if require_name and not {"head_name", "name"} & set(mapping.values()):
        raise WorkbookError("Chưa có cột nào được gán là họ tên chủ hộ; hãy chọn cột họ tên trong bảng ánh xạ cột.")
    distinct: dict[int, dict[object, None]] = {}  # column → its distinct cells, found once for both readings
    legacy = legacy_columns(data, header, mapping, distinct)
    if convert_legacy:
        convert_columns(data, header.data_start, legacy)
        for col in legacy:  # their cells changed
            distinct.pop(col.index, None)
    villages = [(v.name, v.area) for v in list_villages(db)]
    ctx = ParseContext(year=year, cats=cats, villages=villages, default_village=clean(default_village))
    yield Progress(2, 4, "Đang đọc từng dòng…")
    result = parse_rows(data, header, mapping, ctx, distinct)
    plan_sheets = read_plan_sheets(path, sheets, data.name, load_plan_catalogs(db))
    attached = attach_plans(result.households, plan_sheets)
    preview = ImportPreview(
        path=path,
        sheet=data.name,
        sheets=sheets,
        year=year,
        header=header,
        mapping=mapping,
        layout=result.layout,
        households=result.households,
        skipped=result.skipped,
        rows_read=result.rows_read,
        samples=_samples([data.rows[h.row - 1] for h in result.households[:50]], header),
        default_village=ctx.default_village,
        helpers=attached.helpers,
        sheet_problems=attached.problems,
        legacy=legacy,
        legacy_converted=convert_legacy,
        plan_sheets=[n for n in (plan_sheets.item_sheet, plan_sheets.helper_sheet) if n],
        plan_item_count=attached.item_count,
        assignment_count=attached.assignment_count,
    )
    yield Progress(3, 4, "Đang đối chiếu với dữ liệu đã có…")
    match_existing(db, preview)
    if not preview.households and require_name:
        raise WorkbookError(f"Trang '{data.name}' không có dòng hộ gia đình nào dưới dòng tiêu đề.")
    return preview


def _samples(rows: list[list[object]], header: Header) -> dict[int, str]:
    """First value of each column among household rows (not group or subtotal rows), for the mapping table."""
    out: dict[int, str] = {}
    for col in header.columns:
        for row in rows:
            value = row[col.index] if col.index < len(row) else None
            if text_of(value):
                out[col.index] = text_of(value)
                break
    return out


def match_existing(db: Database, preview: ImportPreview) -> None:
    """Find the household each row updates, and flag CCCDs that belong to other households."""
    again = preview.matched_at_rev is not None  # only a matching done before left problems of its own
    preview.matched_at_rev = current_rev(db)
    village_names = dict(db.execute("SELECT id, name FROM villages").fetchall())
    index = HouseholdIndex()
    names: dict[int, str] = {}
    heads: dict[int, tuple[str, str]] = {}  # household id → (head's name, head's CCCD)
    person_owner: dict[str, int] = {}
    for hid, code, cccd, name, year, vid in db.execute(
        "SELECT id, code, head_cccd, head_name, head_birth_year, village_id FROM households WHERE deleted = 0"
    ):
        h = Household(head_name=name, code=code, head_cccd=cccd, head_birth_year=year)
        names[hid] = f"{name} (mã hộ {code})"
        heads[hid] = (name, cccd)
        index.add(hid, household_keys(h, village_names.get(vid, "")))
        if cccd:
            person_owner.setdefault(cccd, hid)
    for cccd, hid in db.execute(
        "SELECT m.cccd, m.household_id FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE m.cccd != '' AND m.deleted = 0 AND h.deleted = 0"
    ):
        person_owner.setdefault(cccd, hid)
    existing_villages = {fold(v.name) for v in list_villages(db)}
    preview.match_ids.clear()
    claimed: dict[int, int] = {}
    new_villages: dict[str, tuple[str, str]] = {}
    recorded = bool(heads)  # a first import into an empty commune has nothing to match
    folded: dict[str, str] = {}  # village → fold(village): a list names the same few villages on every row
    for ph in preview.households:
        if again and any(p.from_database for p in ph.problems):  # found by the earlier matching: found again below
            ph.problems = [p for p in ph.problems if not p.from_database]
        match, kind = index.find(household_keys(ph.household, ph.village)) if recorded else (None, None)
        if match is not None and kind == "code" and not same_head(ph.household.head_name, ph.household.head_cccd,
                                                                  *heads[match]):
            _db_problem(ph, _other_family(ph.household, *heads[match]))
            continue
        if match is not None:
            if match in claimed:
                _db_problem(ph, f"Cùng khớp với hộ {names[match]} như dòng {claimed[match]}.")
                continue
            claimed[match] = ph.row
            preview.match_ids[ph.row] = match
        for cccd in [ph.household.head_cccd] + [m.cccd for m in ph.household.members] if person_owner else ():
            owner = person_owner.get(cccd)
            if cccd and owner is not None and owner != match:
                _db_problem(ph, f"Số CCCD {cccd} đã thuộc về hộ {names[owner]} trong cơ sở dữ liệu.")
        if ph.village:
            key = folded.get(ph.village)
            if key is None:
                key = folded[ph.village] = fold(ph.village)
            if key not in existing_villages and ph.valid:
                new_villages.setdefault(key, (clean(ph.village), ph.area or "rural"))
    preview.new_villages = list(new_villages.values())


def _other_family(h: Household, name: str, cccd: str) -> str:
    """A row whose mã hộ is a different family's in the database (two lists numbered separately)."""
    def who(n: str, c: str) -> str:
        return f"'{n}'" + (f" (CCCD {c})" if c else "")

    return (f"Mã hộ {h.code} trong tệp là {who(h.head_name, h.head_cccd)}, nhưng trong dữ liệu là hộ "
            f"{who(name, cccd)} — không phải cùng một hộ nên không cập nhật. Sửa mã hộ trong tệp "
            "(hoặc để trống để thêm thành hộ mới).")


def _db_problem(ph: ParsedHousehold, message: str) -> None:
    ph.problems.append(Problem(ph.row, "", message, True, from_database=True))


def invalid_message(preview: ImportPreview) -> str:
    bad = preview.invalid
    lines = [f"Có {format_number(len(bad))} hộ không hợp lệ; chưa nhập gì. Sửa tệp, hoặc chỉ nhập các dòng hợp lệ."]
    lines += [str(p) for h in bad for p in h.problems if p.error]
    return "\n".join(lines)


def run_import(db: Database, preview: ImportPreview, **options) -> Job[ImportSummary]:
    """:func:`write_preview` with the cycle collector paused (see :func:`collector_paused`)."""
    with collector_paused():
        return (yield from write_preview(db, preview, **options))


def write_preview(
    db: Database, preview: ImportPreview, *, skip_invalid: bool = False, create_villages: bool = True
) -> Job[ImportSummary]:
    """Write the preview in one transaction: all households or none.

    The write lock is taken first and the matching checked again under it: another program may
    have written (a household with a CCCD of the file, a village) since the preview, or while the
    backup was made."""
    checked = _check_still_matching(db, preview, skip_invalid, create_villages)  # refused before the backup
    yield Progress(0, len(checked[0]), "Đang sao lưu rồi nhập…")
    backup_before_job(db, "truoc-nhap-excel")
    updated = unchanged = items_written = 0
    created: list[str] = []
    with page_cache_widened(db), immediate_transaction(db):
        rows, invalid = _check_still_matching(db, preview, skip_invalid, create_villages, checked)
        total = len(rows)
        new_rows = [ph for ph in rows if ph.row not in preview.match_ids] if preview.match_ids else rows
        imported = len(new_rows)
        suspend_row_audit(db)
        paused = []
        if imported >= BULK_ROWS:
            paused = pause_insert_triggers(db, _BULK_TABLES)  # back before the commit, or with the rollback
        rev = next_rev(db)
        for name, area in preview.new_villages:
            add_village(db, name, area)
            created.append(name)
        merge = _Merge.start(db, preview, rows)
        helpers = write_helpers(db, preview.helpers, [helper_key(h) for h in preview.helpers], rev)
        with indexes_suspended(db, _incoming_rows(new_rows, imported < total), _NOT_ENTERED):
            for start in range(0, total, CHUNK):
                chunk = rows[start:start + CHUNK]
                matched = [m for ph in chunk if (m := preview.match_ids.get(ph.row)) is not None] if preview.match_ids else []
                if matched:
                    recorded = load_recorded(db, matched, preview.year)
                    batch = merge.households(db, chunk, recorded, preview.match_ids)
                    changed = write_households(db, batch, rev, recorded)
                    ids = [h.id for h, _a in batch]
                else:  # none of them recorded: written from the file's columns, no household made
                    ids, changed = write_new_households(db, merge.new_households(db, chunk), rev), set()
                plans = _plans(ids, chunk, helpers.ids)
                replanned = write_household_plans(db, preview.year, plans, rev)
                # the items of the plans written, not of every plan in the file: an unchanged one writes nothing
                items_written += sum(len(p.items or []) for p in plans if p.household_id in replanned)
                changed |= replanned
                for hid, ph in zip(ids, chunk, strict=True) if matched else ():
                    if ph.row in preview.match_ids:
                        updated += hid in changed
                        unchanged += hid not in changed
                done = min(start + CHUNK, total)
                yield Progress(done, total, f"Đã ghi {format_number(done)} hộ…")
        restore_triggers(db, paused)
        if not any(db.execute(f"SELECT 1 FROM [{t}] WHERE rev = ? LIMIT 1", [rev]).fetchone() for t in SYNCED_TABLES):
            release_rev(db, rev)  # nothing changed: the database stays byte for byte as it was
            resume_row_audit(db)
        else:  # one audit entry per import that changed something, with its file and counts
            record_job(db, "Nhập Excel", f"{preview.path.name}, trang '{preview.sheet}', năm {preview.year}",
                       {"hộ mới": imported, "hộ cập nhật": updated, "hộ bỏ qua": len(invalid),
                        "giải pháp": items_written, "thôn mới": len(created)})
    return ImportSummary(
        rows_read=preview.rows_read,
        imported=imported,
        updated=updated,
        unchanged=unchanged,
        skipped=len(invalid),
        skipped_rows=[h.row for h in invalid],
        villages_created=created,
        problems=preview.problems,
        plan_items=items_written,
        helpers_created=helpers.created,
        plans_read=bool(preview.plan_sheets),
    )


def _check_still_matching(
    db: Database, preview: ImportPreview, skip_invalid: bool, create_villages: bool,
    checked: tuple[list[ParsedHousehold], list[ParsedHousehold]] | None = None,
) -> tuple[list[ParsedHousehold], list[ParsedHousehold]]:
    """Match the rows again if anything was written since they were matched, and refuse what the
    user did not agree to; returns the rows to write and the rows left out. ``checked``: what an
    earlier call returned, given back as it is when nothing was written since (the same rows)."""
    if preview.matched_at_rev != current_rev(db):
        match_existing(db, preview)
    elif checked is not None:
        return checked
    valid = list(map(_VALID, preview.households))  # asked once of each, no Python step between them
    rows = list(compress(preview.households, valid))
    invalid = list(compress(preview.households, map(not_, valid)))
    if invalid and not skip_invalid:
        raise ImportRefused(invalid_message(preview))
    if preview.new_villages and not create_villages:
        names = ", ".join(n for n, _ in preview.new_villages)
        raise ImportRefused(f"Tệp có thôn chưa có trong xã ({names}); chưa nhập gì.")
    return rows, invalid


def _plans(ids: Sequence[int], chunk: list[ParsedHousehold],
           helper_ids: dict[tuple[str, str], int]) -> list[HouseholdPlanImport]:
    """The plan of each written household (``ids``: their ids, row for row) whose row brings one; a
    row with nothing of the plan leaves the recorded plan as it is."""
    plans = []
    for hid, ph in zip(ids, chunk, strict=True):
        if ph.expected_result is None and ph.plan_items is None and ph.helper_keys is None:
            continue
        helpers = None if ph.helper_keys is None else [helper_ids[k] for k in ph.helper_keys]
        plans.append(HouseholdPlanImport(hid, ph.expected_result, ph.plan_items, helpers))
    return plans


def _incoming_rows(new: list[ParsedHousehold], matched: bool) -> dict[str, int]:
    """Rows the import inserts per table (``new``: the households it adds), for :func:`indexes_suspended`.
    Members only when no household of the file is recorded (``matched``): updating one reads its
    members through their indexes."""
    return {"households": len(new), "assessments": len(new) - list(map(_CLASSIFICATION, new)).count(None),
            "members": 0 if matched else sum(len(ph.household.members) for ph in new)}


def release_rev(db: Database, rev: int) -> None:
    """Give back a revision reserved by a write that changed nothing (inside its transaction)."""
    db.execute("UPDATE settings SET value = ? WHERE key = 'last_rev' AND value = ?", [str(rev - 1), str(rev)])


@dataclass
class _Merge:
    """What every household of an import is completed with before it is written, looked up once per
    import: the commune's villages by folded name, the next free mã hộ, the standard in force."""

    year: int
    villages: dict[str, Village]
    next_code: int
    standards: StandardSet
    std: Standard
    by_name: dict[str, Village] = field(default_factory=dict)  # the village of each name as the file writes it

    @classmethod
    def start(cls, db: Database, preview: ImportPreview, rows: list[ParsedHousehold]) -> _Merge:
        """After the file's new villages are created, so that every row finds its village."""
        standards = standards_in_force(db)
        return cls(preview.year, {fold(v.name): v for v in list_villages(db)}, _first_free_code(db, rows),
                   standards, standards.for_year(preview.year))

    def households(self, db: Database, chunk: list[ParsedHousehold], recorded: Recorded,
                   match_ids: dict[int, int]) -> list[tuple[Household, Assessment | None]]:
        """The household to write for each row of ``chunk`` and its assessment of the year: the file's,
        or the recorded ones (matched through ``match_ids``) with the file's values over them; a new
        code when it has none."""
        out = []
        for ph in chunk:
            match = match_ids.get(ph.row)
            village = self.village(db, ph.village)
            if match is None:
                h, old = _merged_household(ph, None), None
            else:
                h = _merged_household(ph, recorded.households.get(match))
                old = recorded_assessment(recorded.assessments.get(match))
            h.village_id = village.id
            h.code = self.code(h.code)
            out.append((h, _merged_assessment(ph, old, self.year, self.std, village.area, self.standards)))
        return out

    def new_households(self, db: Database, chunk: list[ParsedHousehold]) -> NewHouseholds:
        """What :meth:`households` gives rows none of which is recorded, as columns (the file's household
        with its village and code; the assessment the file's values make), read in one pass."""
        (codes, names, cccds, birth_years, birth_dates, sexes, ethnicity_names, ethnicity_codes, ethnicity_lists,
         addresses, phones, categories, notes, sizes, members, village_names) = zip(*[
            (h.code, h.head_name, h.head_cccd, h.head_birth_year, h.head_birth_date, h.head_sex, h.ethnicity_name,
             h.ethnicity_code, h.ethnicity_list, h.address, h.phone, h.categories, h.note, h.declared_size, h.members,
             ph.village) for ph in chunk for h in (ph.household,)], strict=True)
        villages = list(map(partial(self.village, db), village_names))
        fields = dict(zip(HOUSEHOLD_FIELDS, (
            list(map(self.code, codes)), names, cccds, birth_years, birth_dates, sexes, ethnicity_names, ethnicity_codes,
            ethnicity_lists, [v.id for v in villages], addresses, phones, categories, notes, sizes), strict=True))
        fields["members"] = members
        assessed, assessments = [], []
        for i, (ph, village) in enumerate(zip(chunk, villages, strict=True)):
            # a file's classification is the household's; else the standard's (an Assessment made only then)
            classification = ph.file_classification or (
                ph.classification is not None
                and (a := _merged_assessment(ph, None, self.year, self.std, village.area, self.standards)) is not None
                and a.classification)
            if classification:
                assessed.append(i)
                assessments.append((village.area, ph.income, [] if ph.deprived is None else ph.deprived, classification,
                                    [] if ph.causes is None else ph.causes, [] if ph.needs is None else ph.needs))
        k = len(assessed)
        areas, incomes, deprived, classifications, causes, needs = zip(*assessments, strict=True) if k else ([],) * 6
        return NewHouseholds(fields, assessed, {
            "year": [self.year] * k, "standard_id": [self.std.id] * k, "area": areas, "income": incomes,
            "deprived": deprived, "classification": classifications, "causes": causes, "needs": needs,
            "note": [""] * k, "review_status": [""] * k})

    def village(self, db: Database, name: str) -> Village:
        """The commune's village a row of the file names (looked up once per name the file writes)."""
        village = self.by_name.get(name)
        if village is None:
            village = self.by_name[name] = self.villages.get(fold(name)) or find_village(db, name)
        return village

    def code(self, code: str) -> str:
        """The household's mã hộ: the file's, else the next free one."""
        if code:
            return code
        self.next_code += 1
        return f"{self.next_code - 1:05d}"


def _first_free_code(db: Database, rows: list[ParsedHousehold]) -> int:
    """The next mã hộ for a new household without one: above every one in the database and in the file."""
    codes = list(map(_CODE, rows))
    joined = "".join(codes)
    # a column of numbers (or blanks) read in C; any other code is tested on its own
    in_file = map(int, filter(None, codes)) if is_digits(joined) or not joined else (
        int(c) for c in codes if is_digits(c))
    return max(int(next_code(db)), max(in_file, default=0) + 1)


def _merged_household(ph: ParsedHousehold, recorded: Household | None) -> Household:
    """The file's household, or the recorded one with what the file gives written over it.

    On an update a blank cell never erases a recorded value; lists (categories) and the members of
    a one-row-per-member list are taken as the file gives them, each member keeping the identity of
    the recorded person it matches (:func:`match_members`).
    """
    src = ph.household
    if recorded is None:  # a copy without identity (the preview's own stays as read, for a new attempt)
        # what dataclasses.replace gives, each field set as an attribute without calling __init__
        # again (a class call costs several times as much in Python 3.11) nor copying __dict__ (which
        # materialises a dict on both households and slows every later read of them)
        h = _new_household(Household)
        h.head_name, h.village_id, h.code, h.head_cccd = src.head_name, src.village_id, src.code, src.head_cccd
        h.head_birth_year, h.head_birth_date, h.head_sex = src.head_birth_year, src.head_birth_date, src.head_sex
        h.ethnicity_name, h.ethnicity_code, h.ethnicity_list = src.ethnicity_name, src.ethnicity_code, src.ethnicity_list
        h.address, h.phone, h.categories, h.note = src.address, src.phone, src.categories, src.note
        h.members, h.id, h.uuid, h.declared_size = src.members, None, "", src.declared_size
        return h
    h = recorded
    h.head_name = src.head_name
    for attr in ("code", "head_cccd", "head_birth_year", "head_birth_date", "head_sex", "ethnicity_name",
                 "ethnicity_code", "ethnicity_list", "address", "phone", "note", "declared_size"):
        value = getattr(src, attr)
        if value not in ("", None):
            setattr(h, attr, value)
    if "categories" in ph.present:
        h.categories = list(src.categories)
    if ph.members_present:
        members = [Member(**{k: getattr(m, k) for k in Member.__dataclass_fields__}) for m in src.members]
        match_members(h.members, members)
        h.members = members
    return h


def _merged_assessment(ph: ParsedHousehold, old: Assessment | None, year: int, std: Standard, area: str,
                       standards: StandardSet) -> Assessment | None:
    """``std``: the standard in force for ``year`` (looked up once per import, not per household)."""
    if old is None:
        if ph.classification is None:
            return None
        # made with the file's values at once (a new household's: most of an import), the fields
        # given in order (no keyword dict per assessment)
        a = Assessment(year, std.id, area, ph.income, [] if ph.deprived is None else list(ph.deprived), "",
                       [] if ph.causes is None else list(ph.causes), [] if ph.needs is None else list(ph.needs))
    else:
        a = old
        a.standard_id, a.area = std.id, area
        if ph.income is not None:
            a.income = ph.income
        if ph.deprived is not None:
            a.deprived = list(ph.deprived)
        if ph.causes is not None:
            a.causes = list(ph.causes)
        if ph.needs is not None:
            a.needs = list(ph.needs)
    if ph.file_classification:
        a.classification = ph.file_classification
    elif ph.income is not None or ph.deprived is not None:
        a.classification = a.compute(standards).classification if a.income is not None else a.classification
    if not a.classification:
        return None
    if ph.income is not None or ph.deprived is not None or ph.file_classification:
        a.review_status = ""  # the file brings this year's review result for the household
    return a

