"""The posting list: people per household, the households leaving poverty or near-poverty, and the
posting period the official chose."""

from __future__ import annotations

import datetime as _dt

import pytest

from gnbv_desktop.core.cccd import mask_cccd
from gnbv_desktop.jobs.plan_reports import POSTING, ReportError, render_report
from gnbv_desktop.jobs.progress import run_to_end
from tests.pdf_text import pdf_text


def test_posting_lists_leaving_households_people_and_period(demo_db, tmp_path):
    db = demo_db
    out = tmp_path / "niem_yet.pdf"
    run_to_end(render_report(db, POSTING, out, 2026, posted_on=_dt.date(2026, 11, 5), posting_days=10))
    flat = " ".join(pdf_text(out).split())
    assert "từ ngày 05/11/2026 đến ngày 14/11/2026" in flat
    leaving = db.execute(
        """SELECT h.head_name, h.head_cccd, 1 + (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0)
           FROM assessments c JOIN households h ON h.id = c.household_id AND h.deleted = 0
           JOIN assessments p ON p.household_id = c.household_id AND p.year = 2025 AND p.standard_id = c.standard_id
           WHERE c.year = 2026 AND ((p.classification = 'poor' AND c.classification != 'poor')
              OR (p.classification = 'near_poor' AND c.classification IN ('average', 'none')))"""
    ).fetchall()
    assert leaving
    assert f"Cộng: {len(leaving)} hộ thoát nghèo, thoát cận nghèo, {sum(x[2] for x in leaving)} nhân khẩu" in flat
    for name, cccd, _size in leaving:
        assert " ".join(name.split()) in flat
        if cccd:
            assert cccd not in flat and mask_cccd(cccd) in flat
    listed_people = db.execute(
        """SELECT SUM(1 + (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0))
           FROM assessments a JOIN households h ON h.id = a.household_id AND h.deleted = 0
           WHERE a.year = 2026 AND a.classification IN ('poor', 'near_poor')""").fetchone()[0]
    assert f"hộ cận nghèo, {listed_people} nhân khẩu" in flat.split("Tổng cộng:")[1][:80]
    with pytest.raises(ReportError, match="từ 1 đến 60 ngày"):
        run_to_end(render_report(db, POSTING, out, 2026, posting_days=0))
