"""The Đồng bộ page: a commune exports with progress; the upper level imports and sees its communes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.pages.sync_page import SyncPage
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.jobs.sync import export_package, import_packages
from gnbv_desktop.store import aggregate
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.households import stats
from gnbv_desktop.store.settings import is_aggregate
from gnbv_desktop.store.sync_identity import installation
from gnbv_desktop.store.sync_outbox import list_exports
from tests.gui.dialogs import answer
from tests.jobs.sync_helpers import dump

pytestmark = pytest.mark.gui


def _cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _run(qtbot, handle) -> list[tuple[int, int, str]]:
    progress = []
    handle.progress.connect(lambda d, t, m: progress.append((d, t, m)))
    with qtbot.waitSignal(handle.done, timeout=30000):
        pass
    return progress


@pytest.fixture
def commune_page(qtbot, demo_db, db_path):
    ctx = AppContext(demo_db, db_path, year=2026)
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    yield page
    ctx.runner.wait()


def test_commune_exports_full_then_incremental_with_progress(qtbot, commune_page, demo_db, tmp_path):
    page = commune_page
    assert page.stack.currentWidget() is page.commune_view
    assert page.full_radio.isChecked() and not page.incremental_radio.isEnabled()
    assert page.next_label.text().startswith("Số 1 (đầy đủ)")
    assert page.key_label.text() == "(được tạo khi xuất gói đầu tiên)"

    page.export_encrypt.setChecked(True)
    page.export_password.setText("mật khẩu chung")
    progress = _run(qtbot, page.start_export(tmp_path / "goi-1.gnbv"))
    assert progress and progress[-1][0] == progress[-1][1]  # the bar reached its end
    assert any("hộ gia đình" in m for _d, _t, m in progress)
    assert "Đã xuất gói số 1 (đầy đủ, có mã hóa)" in page.message.text()
    assert page.key_label.text() == installation(demo_db).fingerprint  # read to the upper level by phone
    assert (tmp_path / "goi-1.gnbv").read_bytes().startswith(b"GNBVENC2")
    history = _cells(page.history)
    assert history[0][:2] == ["1", "Đầy đủ"] and history[0][4:] == ["Có", "goi-1.gnbv"]
    assert history[0][3] == f"{list_exports(demo_db)[0].total:,}".replace(",", ".")

    assert page.incremental_radio.isEnabled()
    page.incremental_radio.setChecked(True)
    assert page.next_label.text() == "Số 2 (thay đổi từ gói 1), 0 bản ghi"
    page.export_encrypt.setChecked(False)
    asked = answer(qtbot, button=QMessageBox.StandardButton.Yes)
    _run(qtbot, page.start_export(tmp_path / "goi-2.gnbv"))
    assert len(asked.texts) == 1 and "KHÔNG mã hóa" in asked.texts[0]  # an unencrypted package is the user's explicit choice
    assert [row[:2] for row in _cells(page.history)] == [["2", "Thay đổi từ gói 1"], ["1", "Đầy đủ"]]
    assert _cells(page.history)[0][4] == "Không"
    assert "KHÔNG mã hóa" in page.message.text()


def test_unencrypted_export_declined_writes_nothing(qtbot, commune_page, demo_db, tmp_path):
    page = commune_page
    assert page.export_encrypt.isChecked()  # encryption is the default
    page.export_encrypt.setChecked(False)
    asked = answer(qtbot, key=Qt.Key.Key_Return)  # the default answer is No
    assert page.start_export(tmp_path / "x.gnbv") is None
    assert len(asked.texts) == 1
    assert not (tmp_path / "x.gnbv").exists() and list_exports(demo_db) == []


def test_short_password_is_refused_with_a_message(qtbot, commune_page, demo_db, tmp_path):
    page = commune_page
    page.export_password.setText("ngắn")
    _run(qtbot, page.start_export(tmp_path / "x.gnbv"))
    assert "ít nhất 8 ký tự" in page.message.text()
    assert not (tmp_path / "x.gnbv").exists() and list_exports(demo_db) == []


def test_export_asks_for_the_password_when_encrypting(commune_page, tmp_path):
    page = commune_page
    page.export_encrypt.setChecked(True)
    assert page.start_export(tmp_path / "x.gnbv") is None
    assert "nhập mật khẩu" in page.message.text() and not (tmp_path / "x.gnbv").exists()


def test_upper_level_switches_mode_imports_packages_and_sees_statistics(qtbot, demo_db, tmp_path):
    run_to_end(export_package(demo_db, tmp_path / "p1.gnbv", year=2026, allow_unencrypted=True))
    (tmp_path / "broken.gnbv").write_bytes((tmp_path / "p1.gnbv").read_bytes()[:3000])

    agg_path = tmp_path / "tinh.sqlite3"
    agg = open_database(agg_path)
    ctx = AppContext(agg, agg_path, year=2026)
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.blank_view
    page.office_name.setText("Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    qtbot.mouseClick(page.aggregate_button, Qt.MouseButton.LeftButton)
    assert is_aggregate(agg)
    assert page.stack.currentWidget() is page.aggregate_view

    before = dump(agg)
    _run(qtbot, page.start_import([tmp_path / "broken.gnbv"]))
    assert "broken.gnbv" in page.message.text() and "không đầy đủ" in page.message.text()
    assert dump(agg) == before and page.communes.rowCount() == 0

    with qtbot.waitSignal(page.stats_shown, timeout=30000):
        progress = _run(qtbot, page.start_import([tmp_path / "p1.gnbv"]))
        assert page.stats_label.text() == "Thống kê năm 2026: Đang tính…"  # off the UI thread
    assert page.stats_label.text() == "Thống kê năm 2026 (1 xã):"
    assert any("đang ghép hộ gia đình" in m for _d, _t, m in progress)
    assert "Xã Ia Grai, gói số 1: " in page.message.text()
    assert f"mã nhận dạng {installation(demo_db).fingerprint}" in page.message.text()  # to confirm by phone
    [row] = _cells(page.communes)
    assert row[:3] == ["23764", "Xã Ia Grai", "1"] and row[5] == "60" and row[7] == "Không"
    expected = stats(demo_db, 2026)
    rows = _cells(page.stats_table)
    assert rows[0][:6] == ["Xã Ia Grai", "60", *(str(expected["by_classification"][k])
                                                  for k in ("poor", "near_poor", "average", "none"))]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][1] == "60"

    (tmp_path / "out").mkdir()
    [saved] = page.save_attachments("23764", tmp_path / "out")
    assert saved.name == "23764-tong-hop-2026.xlsx" and saved.read_bytes()[:2] == b"PK"
    assert row[8] == installation(demo_db).fingerprint  # the key pinned at the first package

    _run(qtbot, page.start_reference_export(tmp_path / "ref.gnbvref"))
    assert "Đã xuất gói tham chiếu năm 2026" in page.message.text() and (tmp_path / "ref.gnbvref").exists()
    ctx.runner.wait()
    agg.close()


def _set(table, row: int, col: int, text: str) -> None:
    table.item(row, col).setText(text)


def test_upper_level_sets_targets_and_the_commune_finds_them_in_its_plan(qtbot, demo_db, db_path, tmp_path):
    from gnbv_desktop.gui.pages.plans_page import PlansPage
    from gnbv_desktop.store.plans import get_commune_plan
    from gnbv_desktop.store.reference import upper_targets

    run_to_end(export_package(demo_db, tmp_path / "p1.gnbv", year=2026, allow_unencrypted=True))
    agg_path = tmp_path / "tinh.sqlite3"
    agg = open_database(agg_path)
    aggregate.make_aggregate(agg, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    run_to_end(import_packages(agg, [tmp_path / "p1.gnbv"]))
    up_ctx = AppContext(agg, agg_path, year=2026)
    up = SyncPage(up_ctx)
    qtbot.addWidget(up)
    t = up.targets_table
    assert _cells(t) == [["23764", "Xã Ia Grai", "", "", "", ""]]
    assert not t.item(0, 0).flags() & Qt.ItemFlag.ItemIsEditable  # a known commune keeps its code

    _set(t, 0, 2, "1,5")
    _set(t, 0, 3, "1.5")  # a household count cannot be 1.5
    assert not up.save_targets()
    assert "Dòng 1 (xã 23764)" in up.message.text() and "số nguyên" in up.message.text()
    assert upper_targets(agg, 2026) == {}
    _set(t, 0, 3, "7")
    up.add_target_row()
    _set(t, 1, 3, "2")
    assert not up.save_targets() and "Dòng 2: nhập mã xã" in up.message.text()
    _set(t, 1, 0, "23767")
    _run(qtbot, up.start_reference_export(tmp_path / "ref.gnbvref"))  # saves the table first
    assert "chỉ tiêu cho 2 xã" in up.message.text()
    assert upper_targets(agg, 2026) == {"23764": {"target_poverty_reduction": 1.5, "target_escape_households": 7},
                                        "23767": {"target_escape_households": 2}}
    assert [r[:4] for r in _cells(t)] == [["23764", "Xã Ia Grai", "1,5", "7"], ["23767", "", "", "2"]]
    qtbot.waitUntil(lambda: up.stats_handle is None, timeout=30000)
    up_ctx.runner.wait()

    # the commune imports the package: the targets land in its plan, its own fields stay
    ctx = AppContext(demo_db, db_path, year=2026)
    page = SyncPage(ctx)
    plans = PlansPage(ctx)
    qtbot.addWidget(page)
    qtbot.addWidget(plans)
    number = plans.number.text()
    plans.signer.setText("Nguyễn Văn Đang Gõ")  # typed, not yet saved: survives the import
    assert number and plans.target_escape.value() != 7
    _run(qtbot, page.start_reference_import(tmp_path / "ref.gnbvref"))
    assert "Chỉ tiêu năm 2026 đã vào Kế hoạch hỗ trợ" in page.message.text()
    assert (plans.target_escape.value(), plans.target_rate.value()) == (7, 1.5)
    assert plans.number.text() == number and plans.signer.text() == "Nguyễn Văn Đang Gõ"
    stored = get_commune_plan(demo_db, 2026)
    assert (stored.target_escape_households, stored.target_poverty_reduction, stored.document_number) == (
        7, 1.5, number)
    assert "Số hộ thoát nghèo: 7" in page.targets_label.text()
    assert "Giảm tỷ lệ hộ nghèo (điểm %): 1,5" in page.targets_label.text()
    assert "Sở Nông nghiệp và Môi trường tỉnh Gia Lai" in page.targets_label.text()
    ctx.runner.wait()
    agg.close()


def test_statistics_follow_the_year_without_blocking(qtbot, demo_db, tmp_path):
    run_to_end(export_package(demo_db, tmp_path / "p1.gnbv", year=2026, allow_unencrypted=True))
    agg_path = tmp_path / "tinh.sqlite3"
    agg = open_database(agg_path)
    aggregate.make_aggregate(agg)
    run_to_end(import_packages(agg, [tmp_path / "p1.gnbv"]))
    ctx = AppContext(agg, agg_path, year=2026)
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    assert page.stats_label.text() == "Thống kê năm 2026: Đang tính…" and page.stats_table.rowCount() == 0
    # the year changes twice while the first computation runs: only the last year's figures show
    ctx.set_year(2025)
    ctx.set_year(2026)
    ctx.set_year(2025)
    qtbot.waitUntil(lambda: page.stats_handle is None and "Đang tính" not in page.stats_label.text(),
                    timeout=30000)
    def total_row(year: int) -> list[str]:
        s = stats(demo_db, year)
        return ["Tổng cộng", str(s["households"]), *(str(s["by_classification"][k])
                                                       for k in ("poor", "near_poor", "average", "none"))]

    assert total_row(2025) != total_row(2026)
    assert page.stats_label.text() == "Thống kê năm 2025 (1 xã):"
    assert _cells(page.stats_table)[-1][:6] == total_row(2025)
    ctx.runner.wait()
    agg.close()


def test_saved_attachments_never_leave_the_folder_nor_overwrite_silently(qtbot, tmp_path):
    """Names come from a package: a forged code or attachment name must not pick the file name."""
    agg_path = tmp_path / "tinh.sqlite3"
    agg = open_database(agg_path)
    aggregate.make_aggregate(agg)
    with agg.atomic():
        agg.execute("INSERT INTO sync_communes (commune_code, commune_name) VALUES ('../../x', 'X')")
        agg.execute("INSERT INTO sync_packages (commune_code, sequence, base_sequence, is_full, created_at, imported_at, "
                    "file_name, sha256) VALUES ('../../x', 1, 0, 1, '', '', 'p', 's')")
        for name in ("tong-hop-2026.xlsx", "../../evil.xlsx", "households.jsonl"):
            agg.execute("INSERT INTO sync_attachments (package_id, commune_code, name, sha256, data) "
                        "VALUES (1, '../../x', ?, '', X'504B0304')", [name])
    ctx = AppContext(agg, agg_path, year=2026)
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    out = tmp_path / "a" / "b"
    out.mkdir(parents=True)
    [saved] = page.save_attachments("../../x", out)
    assert saved.parent == out and saved.name == "_.._x-tong-hop-2026.xlsx"
    assert sorted(p.name for p in tmp_path.rglob("*.xlsx")) == [saved.name]

    saved.write_bytes(b"my own edits")
    answer(qtbot, key=Qt.Key.Key_Return)  # the default answer keeps the official's own file
    assert page.save_attachments("../../x", out) == [] and saved.read_bytes() == b"my own edits"
    answer(qtbot, button=QMessageBox.StandardButton.Yes)
    assert page.save_attachments("../../x", out) == [saved] and saved.read_bytes() == b"PK\x03\x04"
    qtbot.waitUntil(lambda: page.stats_handle is None, timeout=30000)
    ctx.runner.wait()
    agg.close()


def test_reinstalled_laptop_replaces_the_commune_only_when_ticked(qtbot, demo_db, tmp_path):
    from gnbv_desktop.jobs.demo import create_demo
    from gnbv_desktop.store.settings import load_settings, save_settings

    run_to_end(export_package(demo_db, tmp_path / "cu.gnbv", allow_unencrypted=True))
    laptop = open_database(tmp_path / "may-moi.sqlite3")
    run_to_end(create_demo(laptop, 7, seed=2, year=2026))
    s, old = load_settings(laptop), load_settings(demo_db)
    s.commune_code, s.commune_name = old.commune_code, old.commune_name
    save_settings(laptop, s)
    run_to_end(export_package(laptop, tmp_path / "moi.gnbv", allow_unencrypted=True))
    agg_path = tmp_path / "tinh.sqlite3"
    agg = open_database(agg_path)
    aggregate.make_aggregate(agg)
    run_to_end(import_packages(agg, [tmp_path / "cu.gnbv"]))
    ctx = AppContext(agg, agg_path, year=2026)
    page = SyncPage(ctx)
    qtbot.addWidget(page)

    before = dump(agg)
    _run(qtbot, page.start_import([tmp_path / "moi.gnbv"]))
    assert "đã gắn với máy" in page.message.text() and dump(agg) == before
    qtbot.mouseClick(page.replace_commune, Qt.MouseButton.LeftButton)
    assert page.replace_commune.isChecked()
    _run(qtbot, page.start_import([tmp_path / "moi.gnbv"]))
    assert "thay toàn bộ dữ liệu cũ của xã" in page.message.text()
    assert installation(laptop).fingerprint in page.message.text()
    assert not page.replace_commune.isChecked()  # never left on for the next import
    [row] = _cells(page.communes)
    assert row[5] == "7" and row[8] == installation(laptop).fingerprint
    qtbot.waitUntil(lambda: page.stats_handle is None, timeout=30000)
    ctx.runner.wait()
    laptop.close()
    agg.close()
