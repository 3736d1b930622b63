"""Standards received from the upper level replace shipped ones by id, or add new ones —
as a new immutable set; the shipped set never changes."""

from __future__ import annotations

import copy
import json

import pytest

from gnbv_desktop.core.standard_set import shipped_standards
from gnbv_desktop.core.standards import StandardError
from gnbv_desktop.paths import resource_path


def _doc(name: str) -> dict:
    return json.loads(resource_path("standards", f"{name}.json").read_text(encoding="utf-8"))


def test_a_received_document_replaces_the_shipped_one_of_its_id():
    doc = _doc("nd07-2021")
    doc["thresholds"]["urban"]["poor_line"] = 2_100_000
    received = shipped_standards().with_received([doc])
    assert received.get("nd07-2021").thresholds["urban"].poor_line == 2_100_000
    assert [s.id for s in received] == ["qd59-2015", "nd07-2021", "nd351-2025"]
    assert shipped_standards().get("nd07-2021").thresholds["urban"].poor_line == 2_000_000


def test_a_new_standard_is_added_and_governs_its_years():
    doc = copy.deepcopy(_doc("nd351-2025"))
    doc.update(id="nd-2031", short_name="NĐ 2031", years=[2031, 2035])
    received = shipped_standards().with_received([doc])
    assert received.for_year(2033).id == "nd-2031"
    assert [s.id for s in received][-1] == "nd-2031"


def test_a_bad_document_changes_nothing():
    good = _doc("nd07-2021")
    good["thresholds"]["rural"]["poor_line"] = 1_700_000
    bad = _doc("qd59-2015")
    del bad["thresholds"]
    with pytest.raises(StandardError, match="qd59-2015"):
        shipped_standards().with_received([good, bad])
    assert shipped_standards().get("nd07-2021").thresholds["rural"].poor_line == 1_500_000
