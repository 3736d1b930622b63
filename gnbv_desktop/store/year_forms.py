"""The figures of the review cycle's summary forms, read from the commune's database.

Layouts follow the summary annexes of Thông tư 07/2021/TT-BLĐTBXH (amended by Thông tư
02/2022/TT-BLĐTBXH) as far as their structure is known: results of the review by village and
area, changes over the year, deprivations, ethnic groups, target groups, the households leaving
poverty, and the periodic (6/9/12-month) report. Each builder returns a :class:`SummaryForm`;
the PDF and XLSX writers only lay it out.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from gnbv_desktop.core.catalogs import ethnic_groups
from gnbv_desktop.core.classifications import AVERAGE, CLASSIFICATION_LABELS, NEAR_POOR, POOR
from gnbv_desktop.core.document import roman, split_commune_name
from gnbv_desktop.core.forms import GROUP, PERIODS, Column, Section, SummaryForm
from gnbv_desktop.core.plans import CANCELLED, DONE
from gnbv_desktop.core.review import ESCAPED_NEAR_POOR, ESCAPED_POOR, TRANSITION_LABELS
from gnbv_desktop.core.standards import AREA_LABELS, StandardError
from gnbv_desktop.core.target_groups import DTTS, YEARLY_GROUPS
from gnbv_desktop.core.text import format_date
from gnbv_desktop.store.catalog_store import catalog_names
from gnbv_desktop.store.household_list import SIZE_SQL
from gnbv_desktop.store.plans import get_commune_plan, households_with_helper
from gnbv_desktop.store.residents import residents
from gnbv_desktop.store.review import get_review, transition_counts
from gnbv_desktop.store.settings import load_settings
from gnbv_desktop.store.standard_store import standards_in_force
from gnbv_desktop.store.villages import list_villages


class FormError(ValueError):
    """The form cannot be made for this year (message for the user)."""


@dataclass
class _Household:
    id: int
    village_id: int | None
    classification: str
    deprived: list[str]
    ethnicity: str
    categories: list[str]
    groups: list[str]
    size: int
    head_name: str
    head_birth_year: int | None


_LIST_SQL = """
SELECT h.id, h.village_id, a.classification, a.deprived, h.ethnicity_name, h.categories, a.target_groups,
       MAX(1 + COALESCE(mc.n, 0), COALESCE(h.declared_size, 0)), h.head_name, h.head_birth_year
FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
LEFT JOIN (SELECT household_id, COUNT(*) AS n FROM members WHERE deleted = 0 GROUP BY household_id) mc
       ON mc.household_id = h.id
WHERE a.year = ? AND a.deleted = 0
"""


def _households(db: Database, year: int) -> list[_Household]:
    loads = json.loads
    return [_Household(r[0], r[1], r[2], loads(r[3]), r[4], loads(r[5]), loads(r[6]), r[7], r[8], r[9])
            for r in db.execute(_LIST_SQL, [year])]


def _standard(db: Database, year: int):
    try:
        return standards_in_force(db).for_year(year)
    except StandardError as exc:
        raise FormError(str(exc)) from exc


def _label_columns(unit: str) -> list[Column]:
    return [Column("TT", 5, numeric=False), Column(unit, 26, numeric=False)]


def _check_list(db: Database, year: int) -> list[_Household]:
    rows = _households(db, year)
    if not rows:
        raise FormError(f"Danh sách năm {year} chưa có hộ nào.")
    pending = sum(1 for r in rows if r.classification == "")
    if pending:
        raise FormError(f"Năm {year} còn {pending} hộ chưa xếp loại (đang rà soát theo chuẩn mới).")
    return rows


def _closed_review(db: Database, year: int):
    """The year's closed review; the forms about movements need one."""
    review = get_review(db, year)
    if review is None:
        raise FormError(f"Năm {year} chưa kết thúc rà soát (lệnh 'gnbv review close --year {year}').")
    return review


def form_results(db: Database, year: int) -> SummaryForm:
    """Tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo: by area and village, rates over residents."""
    rows = _check_list(db, year)
    res = residents(db, year)
    cols = [
        *_label_columns("Thôn"),
        Column("Tổng số hộ dân cư", 11),
        Column("Số hộ", 9, group="Hộ nghèo"), Column("Tỷ lệ (%)", 9, rate_of=(3, 2), group="Hộ nghèo"),
        Column("Số hộ", 9, group="Hộ cận nghèo"), Column("Tỷ lệ (%)", 9, rate_of=(5, 2), group="Hộ cận nghèo"),
        Column("Hộ có mức sống trung bình", 11),
        Column("Hộ nghèo DTTS", 9), Column("Hộ cận nghèo DTTS", 9),
        Column("Nhân khẩu hộ nghèo", 10), Column("Nhân khẩu hộ cận nghèo", 10),
    ]
    sec = Section("", cols)
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for h in rows:
        c = counts[h.village_id]
        c[h.classification] += 1
        dtts = DTTS in h.categories
        if h.classification in (POOR, NEAR_POOR):
            c[f"{h.classification}_dtts"] += dtts
            c[f"{h.classification}_people"] += h.size
    villages = list_villages(db)
    n = 0
    for gi, area in enumerate(("urban", "rural"), 1):
        in_area = [v for v in villages if v.area == area]
        if not in_area:
            continue
        sec.add([roman(gi), f"Khu vực {AREA_LABELS[area].lower()}"] + [None] * (len(cols) - 2), GROUP)
        for v in in_area:
            n += 1
            c = counts.get(v.id, {})
            resident = res.by_village.get(v.id, (None, None))[0]
            sec.add([str(n), v.name, resident, c.get(POOR, 0), None, c.get(NEAR_POOR, 0), None, c.get(AVERAGE, 0),
                     c.get("poor_dtts", 0), c.get("near_poor_dtts", 0), c.get("poor_people", 0),
                     c.get("near_poor_people", 0)])
    total = sec.add_total(f"Tổng cộng {_unit_word(db)}")
    if res.households is None or res.source == "plan" or res.missing_villages:
        total.cells[2] = res.households
    form = SummaryForm("ket-qua", "Biểu số 01", f"TỔNG HỢP KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
                       _standard_line(db, year), [sec])
    form.notes.append(_resident_note(res.households, res.source))
    return form


def form_changes(db: Database, year: int) -> SummaryForm:
    """Diễn biến hộ nghèo, hộ cận nghèo trong năm: start, movements, end; households and people."""
    _check_list(db, year)
    _closed_review(db, year)
    moves = transition_counts(db, year)
    sections = []
    for title, people in (("Số hộ", False), ("Số nhân khẩu", True)):
        sections.append(_changes_section(db, year, title, people))
    form = SummaryForm("dien-bien", "Biểu số 02",
                       f"DIỄN BIẾN HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}", _standard_line(db, year), sections)
    if moves["new_baseline"]:
        form.notes.append(f"Năm {year} áp dụng chuẩn nghèo mới: số đầu kỳ theo chuẩn cũ, không tính biến động "
                          "thoát nghèo, phát sinh giữa hai chuẩn.")
    review = get_review(db, year)
    if review and review.decision_number:
        form.notes.append(f"Theo Quyết định công nhận số {review.decision_number}"
                          + (f" ngày {format_date(review.decision_date)}." if review.decision_date else "."))
    return form


_CHANGE_COLUMNS = [
    ("Đầu kỳ", "Hộ nghèo"), ("Thoát nghèo", "Hộ nghèo"), ("Phát sinh", "Hộ nghèo"), ("Tái nghèo", "Hộ nghèo"),
    ("Từ cận nghèo", "Hộ nghèo"), ("Cuối kỳ", "Hộ nghèo"),
    ("Đầu kỳ", "Hộ cận nghèo"), ("Thoát cận nghèo", "Hộ cận nghèo"), ("Thành hộ nghèo", "Hộ cận nghèo"),
    ("Phát sinh", "Hộ cận nghèo"), ("Tái cận nghèo", "Hộ cận nghèo"), ("Từ hộ nghèo", "Hộ cận nghèo"),
    ("Cuối kỳ", "Hộ cận nghèo"),
]
_CHANGE_KINDS = [None, ESCAPED_POOR, ("new_poor",), ("re_poor",), ("near_to_poor",), None,
                 None, (ESCAPED_NEAR_POOR,), ("near_to_poor",), ("new_near_poor",), ("re_near_poor",),
                 ("escaped_poor_to_near_poor",), None]


def _changes_section(db: Database, year: int, title: str, people: bool) -> Section:
    cols = _label_columns("Thôn") + [Column(label, 8, group=group) for label, group in _CHANGE_COLUMNS]
    sec = Section(title, cols)
    size = SIZE_SQL if people else "1"
    level: dict[tuple[int, int | None, str], int] = defaultdict(int)
    for y, vid, cls, n in db.execute(
        f"""SELECT a.year, h.village_id, a.classification, SUM({size})
            FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
            WHERE a.year IN (?, ?) AND a.deleted = 0 GROUP BY 1, 2, 3""",
        [year - 1, year],
    ):
        level[(y, vid, cls)] = n
    moved: dict[tuple[int | None, str], int] = defaultdict(int)
    for vid, kind, n in db.execute(
        f"""SELECT h.village_id, t.kind, SUM({size}) FROM transitions t
            JOIN households h ON h.id = t.household_id AND h.deleted = 0
            WHERE t.year = ? AND t.deleted = 0 GROUP BY 1, 2""",
        [year],
    ):
        moved[(vid, kind)] = n
    for i, v in enumerate(list_villages(db), 1):
        values = []
        for c, kinds in enumerate(_CHANGE_KINDS):
            if kinds is None:
                y = year - 1 if _CHANGE_COLUMNS[c][0] == "Đầu kỳ" else year
                cls = POOR if c < 6 else NEAR_POOR
                values.append(level.get((y, v.id, cls), 0))
            else:
                values.append(sum(moved.get((v.id, k), 0) for k in kinds))
        sec.add([str(i), v.name, *values])
    sec.add_total(f"Tổng cộng {_unit_word(db)}")
    return sec


def form_deprivations(db: Database, year: int) -> SummaryForm:
    """Phân tích thiếu hụt: poor and near-poor households deprived on each indicator, by village."""
    rows = _check_list(db, year)
    std = _standard(db, year)
    cols = [*_label_columns("Thôn"), Column("Số hộ nghèo, cận nghèo", 9)]
    cols += [Column(f"{i.code}. {i.name}", 8, group=i.dimension_name) for i in std.indicators]
    sec = Section("", cols)
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for h in rows:
        if h.classification in (POOR, NEAR_POOR):
            c = counts[h.village_id]
            c["base"] += 1
            for code in h.deprived:
                c[code] += 1
    for i, v in enumerate(list_villages(db), 1):
        c = counts.get(v.id, {})
        sec.add([str(i), v.name, c.get("base", 0), *[c.get(ind.code, 0) for ind in std.indicators]])
    sec.add_total(f"Tổng cộng {_unit_word(db)}")
    return SummaryForm("thieu-hut", "Biểu số 03",
                       f"PHÂN TÍCH MỨC ĐỘ THIẾU HỤT DỊCH VỤ XÃ HỘI CƠ BẢN CỦA HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
                       f"Theo {std.short_name} — số hộ thiếu hụt từng chỉ số", [sec])


def _class_columns() -> list[Column]:
    return [Column("Số hộ", 9, group="Hộ nghèo"), Column("Nhân khẩu", 9, group="Hộ nghèo"),
            Column("Số hộ", 9, group="Hộ cận nghèo"), Column("Nhân khẩu", 9, group="Hộ cận nghèo"),
            Column("Số hộ", 9, group="Hộ có mức sống trung bình"),
            Column("Nhân khẩu", 9, group="Hộ có mức sống trung bình")]


def _class_values(households: list[_Household]) -> list[int]:
    out = []
    for cls in (POOR, NEAR_POOR, AVERAGE):
        chosen = [h for h in households if h.classification == cls]
        out += [len(chosen), sum(h.size for h in chosen)]
    return out


def form_ethnic(db: Database, year: int) -> SummaryForm:
    """Hộ nghèo, hộ cận nghèo theo dân tộc (of the head of household)."""
    rows = _check_list(db, year)
    order = {g.name: i for i, g in enumerate(ethnic_groups())}
    by_group: dict[str, list[_Household]] = defaultdict(list)
    for h in rows:
        by_group[h.ethnicity or "Chưa ghi dân tộc"].append(h)
    sec = Section("", [*_label_columns("Dân tộc"), *_class_columns()])
    for i, name in enumerate(sorted(by_group, key=lambda n: (order.get(n, 999), n)), 1):
        sec.add([str(i), name, *_class_values(by_group[name])])
    sec.add_total("Tổng cộng")
    return SummaryForm("dan-toc", "Biểu số 04", f"HỘ NGHÈO, HỘ CẬN NGHÈO THEO DÂN TỘC NĂM {year}",
                       "Theo dân tộc của chủ hộ", [sec], unit_label="Dân tộc")


def form_target_groups(db: Database, year: int) -> SummaryForm:
    """Hộ nghèo, hộ cận nghèo theo nhóm đối tượng; per-year flags from the year's assessment."""
    rows = _check_list(db, year)
    names = catalog_names(db, "household_categories")
    sec = Section("", [*_label_columns("Nhóm đối tượng"), *_class_columns()])
    sec.add(["", "Toàn bộ danh sách", *_class_values(rows)])
    order = [DTTS, *YEARLY_GROUPS, *[c for c in names if c != DTTS and c not in YEARLY_GROUPS]]
    for i, code in enumerate(order, 1):
        members = [h for h in rows if code in (h.groups if code in YEARLY_GROUPS else h.categories)]
        sec.add([str(i), names.get(code, code), *_class_values(members)])
    form = SummaryForm("doi-tuong", "Biểu số 05", f"HỘ NGHÈO, HỘ CẬN NGHÈO THEO NHÓM ĐỐI TƯỢNG NĂM {year}",
                       _standard_line(db, year), [sec], unit_label="Nhóm đối tượng")
    form.notes.append("Một hộ có thể thuộc nhiều nhóm nên các dòng không cộng dồn. Nhóm người có công, bảo trợ xã hội, "
                      "không có khả năng lao động, hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình tính theo năm rà soát.")
    return form


def form_leaving(db: Database, year: int) -> SummaryForm:
    """Danh sách hộ thoát nghèo, thoát cận nghèo (with the recognition date)."""
    _check_list(db, year)
    review = _closed_review(db, year)
    villages = {v.id: v.name for v in list_villages(db)}
    cols = [Column("TT", 5, numeric=False), Column("Họ và tên chủ hộ", 26, numeric=False),
            Column("Năm sinh", 8, numeric=False), Column("Thôn", 18, numeric=False), Column("Số nhân khẩu", 9),
            Column("Năm trước", 14, numeric=False), Column("Năm nay", 14, numeric=False),
            Column("Ngày công nhận", 15, numeric=False)]
    sec = Section("", cols)
    groups = (*ESCAPED_POOR, ESCAPED_NEAR_POOR)
    rows = db.execute(
        f"""SELECT t.kind, h.head_name, h.head_birth_year, h.village_id, t.from_classification, t.to_classification,
                   t.decision_date, {SIZE_SQL}
            FROM transitions t JOIN households h ON h.id = t.household_id AND h.deleted = 0
            WHERE t.year = ? AND t.deleted = 0 AND t.kind IN ({','.join('?' * len(groups))})
            ORDER BY h.sort_key, h.id""",
        [year, *groups],
    ).fetchall()
    for gi, kind in enumerate(groups, 1):
        sec.add([roman(gi), TRANSITION_LABELS[kind], None, None, None, None, None, None], GROUP)
        n = 0
        for k, name, born, vid, before, after, day, size in rows:
            if k == kind:
                n += 1
                sec.add([str(n), name, str(born or ""), villages.get(vid, ""), size,
                         CLASSIFICATION_LABELS.get(before, ""), CLASSIFICATION_LABELS.get(after, ""), format_date(day)])
        sec.add_total(f"Cộng: {n} hộ")
    sec.add_total("Tổng cộng", grand=True)
    form = SummaryForm("thoat-ngheo", "Biểu số 06", f"DANH SÁCH HỘ THOÁT NGHÈO, THOÁT CẬN NGHÈO NĂM {year}",
                       _standard_line(db, year), [sec], landscape=False)
    if review.decision_number:
        form.notes.append(f"Kèm theo Quyết định công nhận số {review.decision_number}"
                          + (f" ngày {format_date(review.decision_date)}." if review.decision_date else "."))
    return form


def form_periodic(db: Database, year: int, period: str) -> SummaryForm:
    """Báo cáo định kỳ 6/9/12 tháng: support delivered by measure and funding source up to the
    period's end (by the items' dates), helper coverage, progress against the plan's targets."""
    if period not in PERIODS:
        raise FormError(f"Kỳ báo cáo '{period}' không hợp lệ (6m, 9m hoặc 12m).")
    months, words = PERIODS[period]
    end = _dt.date(year, months, 30 if months in (6, 9) else 31).isoformat()
    items = db.execute(
        """SELECT p.household_id, p.measure_code, p.funding_source, p.status, p.expected_amount, p.actual_amount,
                  p.actual_date
           FROM plan_items p JOIN households h ON h.id = p.household_id AND h.deleted = 0
           WHERE p.year = ? AND p.deleted = 0 AND p.status != ?""",
        [year, CANCELLED],
    ).fetchall()
    measures = catalog_names(db, "support_measures")
    sources = catalog_names(db, "funding_sources")
    sections = [_delivery_section("A. Kết quả hỗ trợ theo giải pháp", "Giải pháp hỗ trợ", measures, items, 1, end),
                _delivery_section("B. Kết quả hỗ trợ theo nguồn kinh phí", "Nguồn kinh phí", sources, items, 2, end)]
    sections.append(_progress_section(db, year, items, end, period))
    return SummaryForm("dinh-ky", "Biểu số 07",
                       f"BÁO CÁO KẾT QUẢ THỰC HIỆN GIẢM NGHÈO {words.upper()} {year}",
                       f"Số liệu tính đến ngày {format_date(end)}", sections, unit_label="Giải pháp")


def _delivery_section(title: str, unit: str, names: dict[str, str], items: list, key: int, end: str) -> Section:
    cols = [*_label_columns(unit), Column("Số hộ được hỗ trợ", 9), Column("Số lượt đã thực hiện", 9),
            Column("Kinh phí dự kiến (đồng)", 14), Column("Kinh phí đã thực hiện (đồng)", 14),
            Column("Tỷ lệ giải ngân (%)", 9, rate_of=(5, 4))]
    sec = Section(title, cols)
    agg: dict[str, dict] = defaultdict(lambda: {"households": set(), "done": 0, "expected": 0, "actual": 0})
    for hid, measure, source, status, expected, actual, day in items:
        a = agg[(measure, source)[key - 1] or ""]
        a["expected"] += expected or 0
        if status == DONE and day and day <= end:
            a["households"].add(hid)
            a["done"] += 1
            a["actual"] += actual or 0
    codes = [c for c in names if c in agg] + sorted(c for c in agg if c not in names)
    for i, code in enumerate(codes, 1):
        a = agg[code]
        sec.add([str(i), names.get(code, code or "Chưa ghi"), len(a["households"]), a["done"], a["expected"], a["actual"],
                 None])
    total = sec.add_total("Tổng cộng")
    total.cells[2] = len(set().union(*[a["households"] for a in agg.values()])) if agg else 0
    sec.note = "Dòng tổng cộng đếm mỗi hộ một lần (một hộ có thể được hỗ trợ nhiều giải pháp)."
    return sec


def _progress_section(db: Database, year: int, items: list, end: str, period: str) -> Section:
    cols = [*_label_columns("Nội dung"), Column("Kế hoạch, chỉ tiêu", 12), Column("Thực hiện", 12),
            Column("Tỷ lệ đạt (%)", 9, rate_of=(3, 2))]
    sec = Section("C. Tiến độ so với kế hoạch", cols)
    plan = get_commune_plan(db, year)
    targeted = {r[0] for r in db.execute(
        "SELECT a.household_id FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0 "
        "WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?)", [year, POOR, NEAR_POOR])}
    helped = households_with_helper(db, year) & targeted
    done = [i for i in items if i[3] == DONE and i[6] and i[6] <= end]
    moves = transition_counts(db, year) if period == "12m" else None
    escaped = moves["escaped_poor"] if moves else None
    sec.add(["1", "Hộ nghèo, hộ cận nghèo có người giúp đỡ", len(targeted), len(helped), None])
    sec.add(["2", "Lượt hỗ trợ đã thực hiện", len(items), len(done), None])
    sec.add(["3", "Kinh phí hỗ trợ (đồng)", sum(i[4] or 0 for i in items), sum(i[5] or 0 for i in done), None])
    sec.add(["4", "Hộ thoát nghèo", plan.target_escape_households if plan else None, escaped, None])
    sec.note = ("Hộ thoát nghèo được tính khi kết thúc rà soát cuối năm (báo cáo 12 tháng)."
                if escaped is None else "")
    return sec


def _unit_word(db: Database) -> str:
    return "toàn " + split_commune_name(load_settings(db).commune_name)[0]


def _standard_line(db: Database, year: int) -> str:
    std = _standard(db, year)
    return f"Theo {std.title} ({std.legal_text})"


def _resident_note(households: int | None, source: str) -> str:
    if households is None:
        return "Tỷ lệ: chưa có tổng số hộ dân cư (nhập số hộ dân cư từng thôn trong Cài đặt)."
    if source == "plan":
        return "Tổng số hộ dân cư toàn xã theo kế hoạch năm; tỷ lệ từng thôn cần số hộ dân cư của thôn."
    return "Tỷ lệ hộ nghèo, hộ cận nghèo tính trên tổng số hộ dân cư."


BUILDERS = {
    "ket-qua": form_results,
    "dien-bien": form_changes,
    "thieu-hut": form_deprivations,
    "dan-toc": form_ethnic,
    "doi-tuong": form_target_groups,
    "thoat-ngheo": form_leaving,
}


def build_form(db: Database, key: str, year: int, period: str | None = None) -> SummaryForm:
    """The form ``key`` for ``year`` (``dinh-ky`` needs ``period``)."""
    if key == "dinh-ky":
        return form_periodic(db, year, period or "12m")
    if key not in BUILDERS:
        raise FormError(f"Không có biểu '{key}'.")
    return BUILDERS[key](db, year)
