"""Pure plan rules: suggestions, unaddressed deprivations, projection, validation, document text."""

from __future__ import annotations

import datetime as _dt

from gnbv_desktop.core.catalogs import shipped_catalog_items
from gnbv_desktop.core.document import annex_reference, issuer, long_date, roman, signature_titles
from gnbv_desktop.core.plans import (
    CANCELLED,
    DONE,
    CommunePlan,
    PlanCounts,
    PlanItem,
    format_percent,
    measure_from_item,
    project,
    suggest_measures,
    unaddressed_deprivations,
    validate_commune_plan,
    validate_plan_item,
)
from gnbv_desktop.core.standard_set import shipped_standards

MEASURES = [measure_from_item(i) for i in shipped_catalog_items("support_measures")]


def test_bhyt_deprivation_suggests_health_insurance_first():
    s = suggest_measures(MEASURES, "nd07-2021", ["2.2"], causes=["thieu_von"])
    assert s[0].measure.code == "bhyt"
    assert s[0].indicators == ("2.2",)
    assert "tin_dung" in [x.measure.code for x in s]  # from the cause


def test_indicator_codes_are_per_standard():
    # 2.2 is BHYT in both standards, but 4.1 is water under QĐ 59 and house quality under NĐ 07
    assert suggest_measures(MEASURES, "qd59-2015", ["4.1"])[0].measure.code == "nuoc_sach"
    assert suggest_measures(MEASURES, "nd07-2021", ["4.1"])[0].measure.code == "nha_o"
    assert suggest_measures(MEASURES, "nd351-2025", ["5.3"])[0].measure.code == "rac_thai"


def test_already_planned_measures_are_not_suggested_again():
    codes = [x.measure.code for x in suggest_measures(MEASURES, "nd07-2021", ["2.2", "5.2"], planned_codes={"bhyt"})]
    assert "bhyt" not in codes and "nha_tieu" in codes


def test_every_indicator_of_every_standard_has_a_measure():
    for std in shipped_standards().all():
        for code in std.indicator_codes:
            assert suggest_measures(MEASURES, std.id, [code]), f"{std.id} {code}"


def test_unaddressed_ignores_cancelled_items():
    items = [PlanItem("bhyt"), PlanItem("nha_o", status=CANCELLED)]
    assert unaddressed_deprivations(MEASURES, "nd07-2021", ["2.2", "4.1", "5.2"], items) == ["4.1", "5.2"]


def test_projection_against_target():
    counts = PlanCounts(total_households=200, poor=20, near_poor=30, planned_escape_poverty=6,
                        planned_poor_to_near_poor=2, planned_escape_near_poor=5)
    p = project(counts, CommunePlan(2026, target_poverty_reduction=2.5, target_escape_households=7))
    assert p.current_rate == 10.0 and p.projected_rate == 7.0 and p.target_rate == 7.5
    assert p.meets_rate_target is True and p.meets_escape_target is False
    assert p.projected_near_poor_rate == 100 * (30 - 5 + 2) / 200
    assert "7,00%" in p.summary() and "7,50%" in p.summary() and "đạt" in p.summary()
    missed = project(counts, CommunePlan(2026, target_poverty_reduction=4))
    assert missed.meets_rate_target is False and "chưa đạt" in missed.summary()


def test_plan_item_validation_messages():
    errors = validate_plan_item(PlanItem("khong_co", expected_amount=-5, status=DONE), {"bhyt"}, {"ngan_sach_tw"})
    assert "không có trong danh mục" in errors["measure_code"]
    assert errors["expected_amount"] == "Kinh phí dự kiến không được âm."
    assert "ngày thực hiện" in errors["actual_date"]
    assert validate_plan_item(PlanItem("bhyt", funding_source="ngan_sach_tw"), {"bhyt"}, {"ngan_sach_tw"}) == {}


def test_commune_plan_validation():
    errors = validate_commune_plan(CommunePlan(2026, signer_title="Trưởng thôn", target_poverty_reduction=120,
                                               document_date="2020-01-01"))
    assert set(errors) == {"signer_title", "target_poverty_reduction", "document_date"}


def test_document_wording():
    who = issuer("Xã Ia Grai", "Gia Lai")
    assert who.province_line == "ỦY BAN NHÂN DÂN TỈNH GIA LAI"
    assert who.commune_line == "ỦY BAN NHÂN DÂN XÃ IA GRAI"
    assert long_date(_dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert long_date(_dt.date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"
    assert annex_reference("12/KH-UBND", _dt.date(2026, 2, 9), 2026, who) == (
        "(Kèm theo Kế hoạch số 12/KH-UBND ngày 09 tháng 02 năm 2026 của UBND xã Ia Grai)")
    assert issuer("Phường Pleiku", "Gia Lai").short == "UBND phường Pleiku"
    assert signature_titles("PHÓ CHỦ TỊCH") == ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert [roman(n) for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert format_percent(2.456) == "2,46%"
