"""Standards received from the upper level replace shipped ones by id, or add new ones."""

from __future__ import annotations

import copy
import json

import pytest

from gnbv_desktop.core.standards import (
    StandardError,
    all_standards,
    get_standard,
    install_documents,
    standard_for_year,
)
from gnbv_desktop.paths import resource_path


def _doc(name: str) -> dict:
    return json.loads(resource_path("standards", f"{name}.json").read_text(encoding="utf-8"))


def test_a_received_document_replaces_the_shipped_one_of_its_id():
    doc = _doc("nd07-2021")
    doc["thresholds"]["urban"]["poor_line"] = 2_100_000
    install_documents([doc])
    assert get_standard("nd07-2021").thresholds["urban"].poor_line == 2_100_000
    assert [s.id for s in all_standards()] == ["qd59-2015", "nd07-2021", "nd351-2025"]
    install_documents([])
    assert get_standard("nd07-2021").thresholds["urban"].poor_line == 2_000_000


def test_a_new_standard_is_added_and_governs_its_years():
    doc = copy.deepcopy(_doc("nd351-2025"))
    doc.update(id="nd-2031", short_name="NĐ 2031", years=[2031, 2035])
    install_documents([doc])
    assert standard_for_year(2033).id == "nd-2031"
    assert [s.id for s in all_standards()][-1] == "nd-2031"


def test_a_bad_document_changes_nothing():
    good = _doc("nd07-2021")
    good["thresholds"]["rural"]["poor_line"] = 1_700_000
    install_documents([good])
    bad = _doc("qd59-2015")
    del bad["thresholds"]
    with pytest.raises(StandardError, match="qd59-2015"):
        install_documents([bad])
    assert get_standard("nd07-2021").thresholds["rural"].poor_line == 1_700_000
