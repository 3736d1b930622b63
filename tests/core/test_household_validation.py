"""Field checks the household editor shows next to each field."""

from __future__ import annotations

import datetime as dt

from gnbv_desktop.core.household import Household, Member, validate_household


def test_missing_head_and_village():
    errors = validate_household(Household(head_name=" "))
    assert errors["head_name"] == "Chưa nhập họ tên chủ hộ."
    assert "village_id" in errors


def test_future_birth_year_and_duplicate_cccd_in_household():
    h = Household(head_name="Lê Văn A", village_id=1, head_cccd="064085001234", head_birth_year=1985, head_sex="nam",
                  members=[Member("Lê Thị B", "Con", 2030, "nu", "")])
    h.members.append(Member("Lê Văn C", "Con", 1985, "nam", "064085001234"))
    errors = validate_household(h, today=dt.date(2026, 11, 21))
    assert "tương lai" in errors["members[0].birth_year"]
    assert "trùng" in errors["members[1].cccd"]
