"""The upper level's summary forms: the same forms, with communes as rows, from the merged data.

Each commune's merged records are laid out, in memory, in the commune's own schema (the local
integer references rebuilt from the UUIDs the package carried), and the commune form is built by
the very code a commune runs — so a figure never differs between the two levels. The upper
form then takes each commune's total row (results, changes, deprivations), adds up the rows of
the same name (ethnic groups, target groups, measures) or lists every commune's households.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from gnbv_desktop.core.document import roman
from gnbv_desktop.core.forms import DATA, GROUP, TOTAL, Row, Section, SummaryForm
from gnbv_desktop.store import migrations
from gnbv_desktop.store.records import FOREIGN_KEYS, SYNCED_TABLES
from gnbv_desktop.store.settings import CommuneSettings, save_settings
from gnbv_desktop.store.sync_outbox import reference_field
from gnbv_desktop.store.year_forms import FormError, build_form

BY_COMMUNE = ("ket-qua", "dien-bien", "thieu-hut")
LISTED = ("thoat-ngheo",)


def commune_database(agg: Database, code: str, name: str) -> Database:
    """An in-memory database in the commune schema holding one commune's merged records."""
    db = Database(memory=True)
    migrations.apply(db)
    save_settings(db, CommuneSettings(commune_name=name, commune_code=code))
    columns = {t: {c.name for c in db[t].columns} for t in SYNCED_TABLES}
    ids: dict[str, dict[str, int]] = {}
    with db.atomic():
        for table in SYNCED_TABLES:
            ids[table] = {}
            rows = []
            records = agg.execute(
                "SELECT uuid, data FROM sync_records WHERE table_name = ? AND commune_code = ?", [table, code]
            ).fetchall()
            for i, (uuid, data) in enumerate(records, 1):
                rec = json.loads(data)
                for col, target in FOREIGN_KEYS.get(table, {}).items():
                    rec[col] = ids[target].get(rec.pop(reference_field(col), None) or "")
                row = {k: v for k, v in rec.items() if k in columns[table]}
                row["id"], row["uuid"], row["rev"] = i, uuid, 0
                ids[table][uuid] = i
                rows.append(row)
            if rows:
                db[table].insert_all(rows, batch_size=1000)
    return db


def build_upper_form(agg: Database, key: str, year: int, period: str | None = None) -> SummaryForm:
    communes = agg.execute("SELECT commune_code, commune_name FROM sync_communes ORDER BY commune_name").fetchall()
    if not communes:
        raise FormError("Chưa nhận gói dữ liệu của xã nào.")
    forms: list[tuple[str, SummaryForm]] = []
    skipped = []
    for code, name in communes:
        db = commune_database(agg, code, name)
        try:
            forms.append((name, build_form(db, key, year, period)))
        except FormError as exc:
            skipped.append(f"{name}: {exc}")
        finally:
            db.close()
    if not forms:
        raise FormError("Không xã nào có số liệu cho biểu này. " + " ".join(skipped))
    first = forms[0][1]
    sections = []
    for s, section in enumerate(first.sections):
        parts = [(name, f.sections[s]) for name, f in forms]
        if key in BY_COMMUNE:
            sections.append(_by_commune(section, parts))
        elif key in LISTED:
            sections.append(_listed(section, parts))
        else:
            sections.append(_summed(section, parts))
    upper = SummaryForm(first.key, first.number, first.title, first.subtitle, sections,
                        unit_label="Xã", notes=[n for n in first.notes if "Kèm theo" not in n],
                        landscape=first.landscape)
    upper.notes += [f"Không tổng hợp: {s}" for s in skipped]
    return upper


def _by_commune(template: Section, parts: list[tuple[str, Section]]) -> Section:
    cols = list(template.columns)
    cols[1] = type(cols[1])("Xã", cols[1].width, numeric=False)
    out = Section(template.title, cols, note=template.note)
    for i, (name, section) in enumerate(parts, 1):
        out.add([str(i), name, *_last_total(section).cells[2:]])
    out.add_total("Tổng cộng")
    if any(r.cells[2] is None for r in out.rows if r.kind == DATA):
        out.rows[-1].cells[2] = None  # a commune without resident households: no total either
    return out


def _summed(template: Section, parts: list[tuple[str, Section]]) -> Section:
    out = Section(template.title, list(template.columns), note=template.note)
    order: list[str] = []
    sums: dict[str, list] = {}
    unnumbered: set[str] = set()  # rows the commune form prints without a number ("Toàn bộ danh sách")
    for _name, section in parts:
        for row in section.rows:
            if row.kind != DATA:
                continue
            label = row.cells[1]
            if label not in sums:
                order.append(label)
                sums[label] = [None] * len(row.cells)
                if not row.cells[0]:
                    unnumbered.add(label)
            acc = sums[label]
            for k, v in enumerate(row.cells[2:], 2):
                if isinstance(v, int):
                    acc[k] = (acc[k] or 0) + v
    n = 0
    for label in order:
        number = ""
        if label not in unnumbered:
            n += 1
            number = str(n)
        out.add([number, label, *sums[label][2:]])
    if any(r.kind == TOTAL for r in template.rows):
        # the communes' own totals added up: a household counted once in its commune stays counted once
        total = out.add_total("Tổng cộng")
        for k in range(2, len(total.cells)):
            if template.columns[k].numeric and template.columns[k].rate_of is None:
                total.cells[k] = sum(_last_total(section).cells[k] or 0 for _name, section in parts)
    return out


def _last_total(section: Section) -> Row:
    return next(r for r in reversed(section.rows) if r.kind == TOTAL)


def _listed(template: Section, parts: list[tuple[str, Section]]) -> Section:
    out = Section(template.title, list(template.columns), note=template.note)
    for i, (name, section) in enumerate(parts, 1):
        out.rows.append(Row([roman(i), name] + [None] * (len(template.columns) - 2), GROUP))
        out.rows += [r for r in section.rows if r.kind in (DATA, GROUP) and r.cells[0] and not _is_roman(r.cells[0])]
        out.add_total(f"Cộng {name}")
    out.add_total("Tổng cộng", grand=True)
    return out


def _is_roman(text: str) -> bool:
    return bool(text) and set(text) <= set("IVXLCDM")
