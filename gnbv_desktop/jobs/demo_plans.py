"""Support plans for the demo commune: helpers, assignments, plan items and the plan record.

Plan items follow each household's deprivations, causes and needs (through the same suggestion
rule the editor uses), so the demo shows suggestions, progress and the annex as real data would.
Households that already have items or helpers are left alone, so running the demo twice adds
plans only for the new households.
"""

from __future__ import annotations

import datetime as _dt
import json
import random

from sqlite_utils import Database

from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.document import split_commune_name
from gnbv_desktop.core.plans import (
    CANCELLED,
    DONE,
    ESCAPE_NEAR_POOR,
    ESCAPE_POVERTY,
    FEWER_DEPRIVATIONS,
    IN_PROGRESS,
    ORGANISATION,
    PERSON,
    PLANNED,
    POOR_TO_NEAR_POOR,
    CommunePlan,
    Helper,
    suggest_measures,
)
from gnbv_desktop.jobs.progress import Job, Progress
from gnbv_desktop.store.plans import get_commune_plan, list_helpers, save_commune_plan, save_helper, support_measures
from gnbv_desktop.store.records import new_record_fields, next_rev
from gnbv_desktop.store.settings import load_settings

ORGANISATIONS = [
    ("Hội Liên hiệp Phụ nữ xã {x}", "Chủ tịch Hội: Rơ Mah H'Bia", "0905112233"),
    ("Hội Nông dân xã {x}", "Chủ tịch Hội: Nguyễn Văn Lợi", "0914223344"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh xã {x}", "Bí thư Đoàn: Ksor Dơk", "0935334455"),
    ("Hội Cựu chiến binh xã {x}", "Chủ tịch Hội: Trần Đình Thắng", "0978445566"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã {x}", "Chủ tịch: Lê Thị Hồng", "0986556677"),
    ("Trường Tiểu học và Trung học cơ sở {x}", "Hiệu trưởng: Phạm Văn Tuấn", "02693556677"),
    ("Hợp tác xã Nông nghiệp Dịch vụ {x}", "Giám đốc: Võ Minh Khoa", "0967667788"),
    ("Công ty TNHH Cà phê Tây Nguyên Xanh", "doanh nghiệp đỡ đầu", "0988778899"),
]
PEOPLE = [
    ("Nguyễn Văn Hùng", "Chủ tịch UBND xã", "UBND xã"),
    ("Trần Thị Mai", "Công chức Văn hóa - Xã hội", "UBND xã"),
    ("Lê Quang Vinh", "Công chức Nông nghiệp - Môi trường", "UBND xã"),
    ("Siu H'Nhí", "Phó Chủ tịch Hội Liên hiệp Phụ nữ", "Hội Liên hiệp Phụ nữ xã"),
    ("Đinh Văn Toàn", "Đảng viên, Bí thư chi bộ thôn", "Đảng ủy xã"),
    ("Phạm Thị Thu", "Cán bộ tín dụng", "Phòng giao dịch Ngân hàng Chính sách xã hội"),
    ("Ksor Blơng", "Trưởng thôn", "Ban công tác Mặt trận thôn"),
    ("Hoàng Minh Đức", "Đảng viên", "Chi bộ Tổ dân phố"),
    ("Rơ Châm Hyơ", "Phó Bí thư Đoàn xã", "Đoàn Thanh niên xã"),
    ("Vũ Thị Lan", "Trạm trưởng", "Trạm Y tế xã"),
]
# Which organisation (index in ORGANISATIONS) usually takes on a measure.
LEAD_ORG = {
    "bhyt": 4, "dinh_duong": 0, "hoc_phi": 5, "dao_tao_nghe": 2, "viec_lam": 2, "tin_dung": 1, "sinh_ke": 1,
    "khuyen_nong": 1, "nha_o": 4, "nuoc_sach": 0, "nha_tieu": 0, "rac_thai": 0, "thong_tin": 2,
    "tien_dien": 4, "tro_giup_xa_hoi": 4, "tro_giup_phap_ly": 3,
}
BHYT_PER_PERSON = 1_263_600  # 4,5% x 2.340.000 đ x 12 tháng
LIVESTOCK = ["02 con bò cái sinh sản", "01 con bò cái sinh sản", "10 con dê giống", "03 con lợn nái"]
CROPS = ["500 cây cà phê giống ghép", "300 cây sầu riêng giống", "phân bón cho 0,5 ha cà phê"]
TRADES = ["may công nghiệp", "sửa chữa máy nông nghiệp", "kỹ thuật trồng cà phê", "hàn điện"]


def _content(code: str, size: int, rng: random.Random) -> tuple[str, int | None]:
    """Concrete content and expected amount (đồng) of one measure for one household."""
    if code == "bhyt":
        n = max(1, size - rng.randint(0, 1))
        return f"Cấp thẻ BHYT cho {n} thành viên", BHYT_PER_PERSON * n
    if code == "dinh_duong":
        return "Bổ sung vi chất, theo dõi tăng trưởng cho trẻ dưới 16 tuổi", 1_500_000
    if code == "hoc_phi":
        return "Miễn học phí, hỗ trợ chi phí học tập 150.000 đ/tháng x 9 tháng", 1_350_000
    if code == "dao_tao_nghe":
        return f"Đào tạo nghề sơ cấp ({rng.choice(TRADES)}) cho 01 lao động", 4_000_000
    if code == "viec_lam":
        return "Giới thiệu việc làm tại khu công nghiệp của tỉnh cho 01 lao động", None
    if code == "tin_dung":
        amount = rng.choice([50_000_000, 70_000_000, 100_000_000])
        return f"Vay vốn hộ nghèo {amount // 1_000_000} triệu đồng để phát triển chăn nuôi", amount
    if code == "sinh_ke":
        if rng.random() < 0.5:
            return f"Hỗ trợ {rng.choice(LIVESTOCK)}", rng.choice([15_000_000, 20_000_000])
        return f"Hỗ trợ {rng.choice(CROPS)}", rng.choice([6_000_000, 8_000_000])
    if code == "khuyen_nong":
        return "Tập huấn kỹ thuật chăm sóc cà phê, chăn nuôi bò", None
    if code == "nha_o":
        if rng.random() < 0.5:
            return "Hỗ trợ xây mới nhà ở (nhà Đại đoàn kết)", 60_000_000
        return "Hỗ trợ sửa chữa mái, tường nhà", 30_000_000
    if code == "nuoc_sach":
        return "Hỗ trợ khoan giếng, lắp bồn chứa nước", 6_000_000
    if code == "nha_tieu":
        return "Hỗ trợ xây nhà tiêu tự hoại", 5_000_000
    if code == "rac_thai":
        return "Hướng dẫn phân loại, hỗ trợ thùng chứa rác", 500_000
    if code == "thong_tin":
        return "Hỗ trợ 01 điện thoại thông minh và hướng dẫn sử dụng", 2_500_000
    if code == "tien_dien":
        return "Hỗ trợ tiền điện 30 kWh/tháng", 660_000
    if code == "tro_giup_xa_hoi":
        return "Trợ cấp xã hội hằng tháng cho người cao tuổi, người khuyết tật", 6_000_000
    return "Tư vấn, trợ giúp pháp lý về đất đai, thừa kế", None


def _ensure_helpers(db: Database, bare_name: str) -> list:
    helpers = list_helpers(db)
    if helpers:
        return helpers
    with db.atomic():
        for name, note, phone in ORGANISATIONS:
            save_helper(db, Helper(name=name.format(x=bare_name), kind=ORGANISATION, phone=phone, note=note))
        for i, (name, position, org) in enumerate(PEOPLE):
            save_helper(db, Helper(name=name, kind=PERSON, position=position, organisation=org,
                                   phone=f"09{(i * 7_919_011 + 1_234_567) % 10**8:08d}"))
    return list_helpers(db)


def _ensure_plan_record(db: Database, year: int, counts: dict[str, int], preparer: str, signer: str) -> None:
    if get_commune_plan(db, year) is not None:
        return
    save_commune_plan(
        db,
        CommunePlan(
            year=year,
            document_number=f"{12 + (year % 7)}/KH-UBND",
            document_date=_dt.date(year, 1, 5).isoformat(),
            signer_name=signer,
            signer_title="CHỦ TỊCH",
            preparer_name=preparer,
            target_poverty_reduction=3.0,
            target_escape_households=max(1, round(counts.get(POOR, 0) * 0.3)),
            target_near_poor_reduction=max(1, round(counts.get(NEAR_POOR, 0) * 0.1)),
            target_dtts_reduction=4.0,
        ),
    )


def create_demo_plans(db: Database, years: list[int], seed: int = 1, report_total: int | None = None) -> Job[int]:
    """Helpers, assignments, plan items and goals for the poor and near-poor of ``years``;
    returns the number of plan items created. The last year is the current plan year.

    ``report_total`` keeps the caller's progress scale (the demo reports households created), so
    its bar stays full while the plans are written."""

    def progress(done: int, total: int, message: str) -> Progress:
        if report_total is not None:
            return Progress(report_total, report_total, message)
        return Progress(done, total, message)

    rng = random.Random(seed * 7919 + 3)
    settings = load_settings(db)
    _unit, bare = split_commune_name(settings.commune_name)
    helpers = _ensure_helpers(db, bare)
    orgs = [h for h in helpers if h.kind == ORGANISATION]
    people = [h for h in helpers if h.kind == PERSON]
    org_by_name = {h.name: h for h in orgs}
    org_list = [org_by_name.get(n.format(x=bare)) for n, _, _ in ORGANISATIONS]
    measures = support_measures(db)
    created = 0
    for year in years:
        current = year == years[-1]
        total = db.execute(f"SELECT COUNT(*) FROM ({_PLANNED_SQL})", [year, POOR, NEAR_POOR, 0, -1]).fetchone()[0]
        planned = {r[0] for r in db.execute("SELECT DISTINCT household_id FROM plan_items WHERE year = ?", [year])}
        assigned = {r[0] for r in db.execute(
            "SELECT DISTINCT household_id FROM helper_assignments WHERE year = ?", [year])}
        goals = {r[0] for r in db.execute("SELECT household_id FROM household_plans WHERE year = ?", [year])}
        counts = {POOR: 0, NEAR_POOR: 0}
        item_rows, assign_rows, goal_rows = [], [], []
        with db.atomic():
            rev = next_rev(db)
            for i, (hid, std_id, cls, deprived, causes, needs, size, village_id) in enumerate(
                    _planned_households(db, year)):
                if i % 500 == 0:
                    created += _write_plan_rows(db, item_rows, assign_rows, goal_rows)
                    yield progress(i, total, f"Đang lập kế hoạch hỗ trợ mẫu năm {year}…")
                counts[cls] += 1
                suggestions = suggest_measures(measures, std_id, json.loads(deprived), json.loads(causes),
                                               json.loads(needs))
                chosen = [s for s in suggestions if s.indicators]
                chosen += [s for s in suggestions if not s.indicators][: rng.randint(0, 2)]
                chosen = chosen[:4]
                if hid not in planned:
                    for order, s in enumerate(chosen):
                        content, amount = _content(s.measure.code, size, rng)
                        status, actual_amount, actual_date = _progress(year, current, amount, rng)
                        quarter = rng.randint(1, 4)
                        lead_org = org_list[LEAD_ORG.get(s.measure.code, 4)]
                        item_rows.append({
                            "household_id": hid, "year": year, "measure_code": s.measure.code,
                            "content": content, "expected_amount": amount,
                            "funding_source": rng.choice(s.measure.funding_sources) if s.measure.funding_sources
                            else "",
                            "lead_organisation": lead_org.name if lead_org else s.measure.lead_agency,
                            "planned_time": f"Quý {'I II III IV'.split()[quarter - 1]}/{year}",
                            "status": status, "actual_amount": actual_amount, "actual_date": actual_date,
                            "result": "Đã nhận hỗ trợ, sử dụng đúng mục đích" if status == DONE else "",
                            "sort_order": order, **new_record_fields(db, rev),
                        })
                if hid not in assigned and rng.random() < 0.88:
                    lead = chosen[0].measure.code if chosen else "sinh_ke"
                    org = org_list[LEAD_ORG.get(lead, 4)] if rng.random() < 0.7 else rng.choice(orgs)
                    helper_ids = [(org or orgs[0]).id]
                    if people and rng.random() < 0.6:
                        helper_ids.append(people[(village_id + rng.randrange(2)) % len(people)].id)
                    for helper_id in helper_ids:
                        assign_rows.append({"household_id": hid, "helper_id": helper_id, "year": year,
                                            **new_record_fields(db, rev)})
                if hid not in goals:
                    goal_rows.append({"household_id": hid, "year": year, "expected_result": _goal(cls, rng),
                                      "note": "", **new_record_fields(db, rev)})
            created += _write_plan_rows(db, item_rows, assign_rows, goal_rows)
        chair = next((p.name for p in people if p.position.startswith("Chủ tịch")), "")
        clerk = next((p.name for p in people if "Văn hóa" in p.position), "")
        _ensure_plan_record(db, year, counts, clerk, chair)
    yield progress(1, 1, "Đã lập kế hoạch hỗ trợ mẫu.")
    return created


_PLANNED_SQL = """SELECT a.household_id, a.standard_id, a.classification, a.deprived, a.causes, a.needs,
       1 + (SELECT COUNT(*) FROM members m WHERE m.household_id = a.household_id AND m.deleted = 0),
       COALESCE(h.village_id, 0)
FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
WHERE a.year = ? AND a.deleted = 0 AND a.classification IN (?, ?) AND a.household_id > ?
ORDER BY a.household_id LIMIT ?"""
_PAGE = 1000


def _planned_households(db: Database, year: int):
    """The poor and near-poor of ``year`` in household order, a page at a time (by key, so the
    plans written meanwhile do not disturb the reading)."""
    after = 0
    while page := db.execute(_PLANNED_SQL, [year, POOR, NEAR_POOR, after, _PAGE]).fetchall():
        yield from page
        after = page[-1][0]


def _write_plan_rows(db: Database, items: list[dict], assignments: list[dict], goals: list[dict]) -> int:
    """Insert and forget the plan rows generated so far; returns how many plan items."""
    written = len(items)
    for table, rows in (("plan_items", items), ("helper_assignments", assignments), ("household_plans", goals)):
        if rows:
            db[table].insert_all(rows, batch_size=1000)
            rows.clear()
    return written


def _progress(year: int, current: bool, amount: int | None, rng: random.Random) -> tuple[str, int | None, str]:
    """Status, actual amount and date: last year's items are mostly delivered, this year's under way."""
    roll = rng.random()
    if not current:
        if roll < 0.85:
            return DONE, amount, _dt.date(year, rng.randint(2, 11), rng.randint(1, 28)).isoformat()
        return (CANCELLED, None, "") if roll < 0.92 else (IN_PROGRESS, None, "")
    if roll < 0.25:
        return DONE, amount, _dt.date(year, rng.randint(1, 3), rng.randint(1, 28)).isoformat()
    if roll < 0.55:
        return IN_PROGRESS, None, ""
    return PLANNED, None, ""


def _goal(classification: str, rng: random.Random) -> str:
    roll = rng.random()
    if classification == POOR:
        if roll < 0.15:
            return ESCAPE_POVERTY
        return POOR_TO_NEAR_POOR if roll < 0.3 else FEWER_DEPRIVATIONS
    return ESCAPE_NEAR_POOR if roll < 0.25 else FEWER_DEPRIVATIONS
