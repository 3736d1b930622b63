"""Upper level: ``stats --json`` sums the year's movements over the communes that closed the review,
against counts taken by SQL in each commune's own database."""

from __future__ import annotations

from collections import Counter

from gnbv_desktop.core.review import ESCAPED_POOR, TRANSITIONS
from gnbv_desktop.store.households import delete_household
from gnbv_desktop.store.review import close_review
from tests.cli.helpers import run_cli, run_json
from tests.jobs.sync_helpers import export, import_, make_aggregate, make_commune

ORACLE = """SELECT t.kind, COUNT(*),
                   SUM(MAX(1 + (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0),
                           COALESCE(h.declared_size, 0)))
            FROM transitions t JOIN households h ON h.id = t.household_id AND h.deleted = 0
            WHERE t.year = 2026 AND t.deleted = 0 GROUP BY 1"""


def test_aggregate_stats_sum_the_movements_of_closed_communes(tmp_path, capsys):
    closed = {"26001": make_commune(tmp_path / "a.sqlite3", "26001", "Xã Ia Ka", seed=3),
              "26002": make_commune(tmp_path / "b.sqlite3", "26002", "Xã Ia Pết", seed=11)}
    open_commune = make_commune(tmp_path / "c.sqlite3", "26003", "Xã Đak Pơ", seed=5)
    close_review(closed["26001"], 2026, "12/QĐ-UBND", "2026-12-15")
    close_review(closed["26002"], 2026, "7/QĐ-UBND", "2026-12-18")
    # a household that moved, deleted after the close: its movement no longer counts, at either level
    moved = closed["26001"].execute("SELECT household_id FROM transitions WHERE year = 2026 ORDER BY id LIMIT 1").fetchone()[0]
    delete_household(closed["26001"], moved)

    agg_path = tmp_path / "agg.sqlite3"
    agg = make_aggregate(agg_path)
    packages = []
    for name, db in (("a", closed["26001"]), ("b", closed["26002"]), ("c", open_commune)):
        export(db, tmp_path / f"{name}.gnbv", year=2026)
        packages.append(tmp_path / f"{name}.gnbv")
    import_(agg, *packages)
    agg.close()

    data = run_json(capsys, agg_path, "stats", "--year", "2026", "--json")

    counts, people = Counter(), Counter()
    for code, db in closed.items():
        own_counts, own_people = Counter(), Counter()
        for kind, n, persons in db.execute(ORACLE):
            own_counts[kind], own_people[kind] = n, persons
        got = data["by_commune"][code]["transitions"]
        assert {k: got[k] for k in TRANSITIONS} == {k: own_counts[k] for k in TRANSITIONS}
        assert {k: got["people"][k] for k in TRANSITIONS} == {k: own_people[k] for k in TRANSITIONS}
        counts += own_counts
        people += own_people
    assert data["by_commune"]["26001"]["transitions"]["decision_number"] == "12/QĐ-UBND"
    assert data["by_commune"]["26003"]["transitions"] is None

    total = data["transitions"]
    assert total["communes_closed"] == 2
    assert {k: total[k] for k in TRANSITIONS} == {k: counts[k] for k in TRANSITIONS}
    assert sum(total[k] for k in TRANSITIONS) > 0
    assert total["escaped_poor"] == sum(counts[k] for k in ESCAPED_POOR)
    assert {k: total["people"][k] for k in TRANSITIONS} == {k: people[k] for k in TRANSITIONS}
    assert total["people"]["escaped_poor"] == sum(people[k] for k in ESCAPED_POOR)

    assert run_json(capsys, agg_path, "stats", "--year", "2025", "--json")["transitions"] is None


def test_plain_stats_print_the_movements_at_both_levels(tmp_path, capsys):
    """Without ``--json`` the commune and the upper level read the same movements as lines of text."""
    db_path = tmp_path / "a.sqlite3"
    commune = make_commune(db_path, "26001", "Xã Ia Ka", seed=3)
    other = make_commune(tmp_path / "b.sqlite3", "26002", "Xã Ia Pết", seed=11)
    close_review(commune, 2026, "12/QĐ-UBND", "2026-12-15")
    own = dict((kind, (n, persons)) for kind, n, persons in commune.execute(ORACLE))
    export(commune, tmp_path / "a.gnbv", year=2026)
    export(other, tmp_path / "b.gnbv", year=2026)
    commune.close()
    agg_path = tmp_path / "agg.sqlite3"
    agg = make_aggregate(agg_path)
    import_(agg, tmp_path / "a.gnbv", tmp_path / "b.gnbv")
    agg.close()

    def lines(path) -> list[str]:
        code, out, _err = run_cli(capsys, path, "stats", "--year", "2026")
        assert code == 0
        return out.splitlines()

    from gnbv_desktop.core.review import TRANSITION_LABELS
    from gnbv_desktop.core.text import format_number

    expected = [f"{TRANSITION_LABELS[k]}: {format_number(own.get(k, (0, 0))[0])} hộ, {format_number(own.get(k, (0, 0))[1])} người"
                for k in TRANSITIONS]
    at_commune = [x.strip() for x in lines(db_path)]
    assert "Biến động theo quyết định 12/QĐ-UBND ngày 15/12/2026:" in at_commune
    assert all(e in at_commune for e in expected)

    upper = lines(agg_path)
    assert "Biến động của 1 xã đã kết thúc rà soát năm 2026:" in upper
    after_total = [x.strip() for x in upper[upper.index("Biến động của 1 xã đã kết thúc rà soát năm 2026:") + 1:]]
    assert after_total == expected
    assert sum(1 for x in upper if "Chưa kết thúc rà soát cuối năm" in x) == 1  # Xã Ia Pết
