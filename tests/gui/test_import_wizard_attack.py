"""The import wizard attacked between its preview and its write: other programs writing to the same
database, the file changed after the preview, impatient or hesitant users, a write that fails."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from gnbv_desktop.core.household import Household
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.database import open_database
from gnbv_desktop.store.households import save_household
from gnbv_desktop.store.villages import find_village
from tests.gui.import_steps import choose_file, click_to, open_to_preview
from tests.io.workbooks import simple_list
from tests.killing import kill_when

pytestmark = pytest.mark.gui

ROWS = [
    [1, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Cận nghèo"],
    [2, "Hà Thị Hai", 1980, "064080000002", "Thôn 1", "1.100.000", "Cận nghèo"],
]


@pytest.fixture
def ctx(commune_ctx):
    return commune_ctx


@pytest.fixture
def other(db_path):
    """A second connection to the same file: another program (the CLI, a second window)."""
    database = open_database(db_path)
    yield database
    database.close()


def dump(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _households(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT head_name, head_cccd, deleted FROM households ORDER BY head_name, id").fetchall()
    finally:
        conn.close()



def _backups(db_path) -> list[str]:
    from gnbv_desktop.store.backup import backup_folder

    folder = backup_folder(db_path)
    return sorted(p.name for p in folder.iterdir() if "truoc-nhap-excel" in p.name) if folder.exists() else []


ONE = [[1, "Hà Văn Một", None, None, "Thôn 1", "1.000.000", "Cận nghèo"]]


@pytest.mark.parametrize("how", ["double-click", "enter"])
def test_impatient_nhap_imports_once(ctx, qtbot, tmp_path, db_path, how):
    """A double click, or Enter pressed again while the write runs, starts no second import: one
    backup, one household, and the summary of the import that wrote it."""
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ONE))
    button = wizard.button(QWizard.WizardButton.CommitButton)
    if how == "double-click":
        qtbot.mouseDClick(button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        for _ in range(3):
            qtbot.keyClick(wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20000)
    ctx.runner.wait()
    qtbot.wait(50)  # a second job's result, were there one, arrives now
    assert len(_backups(db_path)) == 1
    assert [r for r in _households(db_path) if r[0] == "Hà Văn Một"] == [("Hà Văn Một", "", 0)]
    assert "Hộ nhập mới: 1" in wizard.summary_page.text.text()
    assert wizard.summary is not None and wizard.summary.imported == 1


def test_import_waits_for_another_program_writing_and_matches_what_it_wrote(ctx, other, qtbot, tmp_path, db_path):
    """The CLI (or a second window) is writing a household with a CCCD of the file when the official
    presses Nhập: the import waits for it, then updates that household instead of adding a second
    household with the same CCCD."""
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    assert "2 hộ mới" in wizard.preview_page.counts.text()
    village = find_village(other, "Thôn 1")
    other.execute("BEGIN IMMEDIATE")
    save_household(other, Household(head_name="Hà Văn Một", head_cccd="064070000001", head_birth_year=1970,
                                    village_id=village.id))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.wait(300)  # the import has started and waits for the other program
    other.execute("COMMIT")
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20000)
    assert wizard.preview_page.message.text() == ""
    alive = [r for r in _households(db_path) if r[2] == 0]
    assert [r[:2] for r in alive if r[0] in ("Hà Văn Một", "Hà Thị Hai")] == [
        ("Hà Thị Hai", "064080000002"), ("Hà Văn Một", "064070000001")]
    text = wizard.summary_page.text.text()
    assert "Hộ nhập mới: 1" in text and "1 hộ thay đổi (cập nhật)" in text


def test_household_added_elsewhere_after_the_preview_is_updated_not_doubled(ctx, other, qtbot, tmp_path, db_path):
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    village = find_village(other, "Thôn 1")
    save_household(other, Household(head_name="Hà Văn Một", head_cccd="064070000001", head_birth_year=1970,
                                    village_id=village.id))
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert [r for r in _households(db_path) if r[1] == "064070000001"] == [("Hà Văn Một", "064070000001", 0)]


def test_village_added_elsewhere_after_the_preview(ctx, other, qtbot, tmp_path, db_path):
    from gnbv_desktop.store.villages import add_village

    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", [[1, "Hà Văn Một", 1970, None, "Xóm Mới",
                                                                     "1.000.000", "Cận nghèo"]]))
    qtbot.mouseClick(wizard.preview_page.create_villages, Qt.MouseButton.LeftButton, pos=_box_pos(
        wizard.preview_page.create_villages))
    add_village(other, "Xóm Mới", "rural")
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM villages WHERE name = 'Xóm Mới'").fetchone()[0] == 1
    assert conn.execute("SELECT v.name FROM households h JOIN villages v ON v.id = h.village_id "
                        "WHERE h.head_name = 'Hà Văn Một'").fetchall() == [("Xóm Mới",)]
    conn.close()


def test_household_deleted_elsewhere_after_the_preview_is_not_written_to(ctx, other, qtbot, tmp_path, db_path):
    """A household the preview matched is deleted by another program before Nhập: the row becomes a
    new household; the deleted one stays deleted and untouched."""
    from gnbv_desktop.store.households import delete_household

    path = simple_list(tmp_path / "ds.xlsx", ROWS)
    wizard = open_to_preview(qtbot, ctx, path)
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds2.xlsx", [ROWS[0][:5] + ["2.000.000", "Cận nghèo"]]))
    assert "1 hộ đã có" in wizard.preview_page.counts.text()
    hid = other.execute("SELECT id FROM households WHERE head_cccd = '064070000001'").fetchone()[0]
    delete_household(other, hid)
    deleted_row = other.execute("SELECT * FROM households WHERE id = ?", [hid]).fetchone()
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert other.execute("SELECT * FROM households WHERE id = ?", [hid]).fetchone() == deleted_row
    assert [r for r in _households(db_path) if r[1] == "064070000001"] == [
        ("Hà Văn Một", "064070000001", 1), ("Hà Văn Một", "064070000001", 0)]


def _box_pos(box):
    from PySide6.QtCore import QPoint

    return QPoint(8, box.height() // 2)


@pytest.mark.parametrize("how", ["Hủy", "Esc", "close"])
def test_cancel_while_the_write_waits_changes_nothing(ctx, other, qtbot, tmp_path, db_path, how):
    """Hủy, Esc or the title bar's close while the import waits for another program's write: the
    import is cancelled (nothing written once the other program is done), the wizard says so and
    can be closed or used again."""
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    before = dump(db_path)
    other.execute("BEGIN IMMEDIATE")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    if how == "Hủy":
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    elif how == "Esc":
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    else:
        wizard.close()  # what the window manager does for the title bar's ×
    assert wizard.isVisible() and wizard.preview_page.message.text() == "Đang hủy: chờ việc đang chạy dừng lại…"
    other.execute("ROLLBACK")
    qtbot.waitUntil(lambda: wizard.preview_page.message.text() == "Đã hủy; không có gì thay đổi.", timeout=20000)
    ctx.runner.wait()
    assert dump(db_path) == before
    assert wizard.isVisible() and wizard.currentPage() is wizard.preview_page
    assert wizard.preview_page.message.text() == "Đã hủy; không có gì thay đổi."
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)  # and Nhập again works
    assert "Hộ nhập mới: 2" in wizard.summary_page.text.text()


def test_lock_held_too_long_then_retry(ctx, other, qtbot, tmp_path, db_path, monkeypatch):
    """Another program keeps writing past the wait: a Vietnamese message, nothing changed, and
    Nhập again once it is done imports the list."""
    import gnbv_desktop.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.5)
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    before = dump(db_path)
    other.execute("BEGIN IMMEDIATE")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    pp = wizard.preview_page
    qtbot.waitUntil(lambda: pp.message.text() != "", timeout=20000)
    other.execute("ROLLBACK")
    assert pp.message.text() == ("Dữ liệu đang được một chương trình GNBV khác ghi; đã chờ 0.5 giây mà chưa xong. "
                                 "Hãy đợi việc đó xong rồi làm lại. Dữ liệu không bị thay đổi.")
    assert dump(db_path) == before
    qtbot.waitUntil(lambda: wizard.handle.error_dialog is not None)
    wizard.handle.error_dialog.close()
    _back(qtbot, wizard, wizard.mapping_page)  # Quay lại after the failure, and on again
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    assert pp.message.text() == ""
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert "Hộ nhập mới: 2" in wizard.summary_page.text.text()
    assert len(_backups(db_path)) == 2  # one per attempt


def test_same_list_imported_again_in_a_new_wizard_changes_nothing(ctx, qtbot, tmp_path, db_path):
    path = simple_list(tmp_path / "ds.xlsx", ROWS)
    wizard = open_to_preview(qtbot, ctx, path)
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    before = dump(db_path)
    wizard = open_to_preview(qtbot, ctx, path)
    assert "0 hộ mới, 2 hộ đã có" in wizard.preview_page.counts.text()
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert "0 hộ thay đổi (cập nhật), 2 hộ không đổi" in wizard.summary_page.text.text()
    assert dump(db_path) == before


def _back(qtbot, wizard, page):
    click_to(qtbot, wizard, QWizard.WizardButton.BackButton, page)


def test_year_changed_after_going_back_is_the_year_imported(ctx, qtbot, tmp_path, db_path):
    """Quay lại to the first page, another year, Tiếp theo: the list is read again for that year and
    the assessments are written for it."""
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    _back(qtbot, wizard, wizard.mapping_page)
    _back(qtbot, wizard, wizard.file_page)
    wizard.file_page.year.setValue(2025)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.mapping_page)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    conn = sqlite3.connect(db_path)
    years = conn.execute("SELECT DISTINCT a.year FROM assessments a JOIN households h ON h.id = a.household_id "
                         "WHERE h.head_cccd IN ('064070000001', '064080000002')").fetchall()
    conn.close()
    assert years == [(2025,)]


def test_other_file_chosen_after_going_back_is_the_file_imported(ctx, qtbot, tmp_path, db_path):
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    _back(qtbot, wizard, wizard.mapping_page)
    _back(qtbot, wizard, wizard.file_page)
    other_file = simple_list(tmp_path / "khac.xlsx", [[1, "Lò Văn Khác", 1975, "064075000009", "Thôn 1",
                                                        "1.000.000", "Nghèo"]])
    choose_file(qtbot, wizard, other_file)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.mapping_page)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    assert wizard.preview_page.model.index(0, 1).data() == "Lò Văn Khác"
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    names = {r[0] for r in _households(db_path)}
    assert "Lò Văn Khác" in names and "Hà Văn Một" not in names


def test_mapping_changed_twice_after_going_back_is_the_mapping_imported(ctx, qtbot, tmp_path, db_path):
    """Change a column's mapping, see the preview, Quay lại, change it back: the preview follows."""
    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    _back(qtbot, wizard, wizard.mapping_page)
    income = wizard.mapping_page.combos[5]
    kept = income.currentIndex()
    income.setCurrentIndex(0)  # (bỏ qua cột này)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    assert wizard.preview_page.model.index(0, 4).data() == ""
    _back(qtbot, wizard, wizard.mapping_page)
    wizard.mapping_page.combos[5].setCurrentIndex(kept)
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    assert wizard.preview_page.model.index(0, 4).data() == "1.000.000"
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT a.income FROM assessments a JOIN households h ON h.id = a.household_id "
                        "WHERE h.head_cccd = '064070000001'").fetchall() == [(1000000,)]
    conn.close()



def test_file_changed_or_deleted_after_the_preview(ctx, qtbot, tmp_path, db_path):
    """The list is read again only when asked to (another mapping): a damaged, deleted or
    other-sheeted file then gets a Vietnamese message naming it on the page; Nhập writes the rows
    the official saw in the preview even if the file is gone by then."""
    path = simple_list(tmp_path / "ds.xlsx", ROWS)
    wizard = open_to_preview(qtbot, ctx, path)
    _back(qtbot, wizard, wizard.mapping_page)
    mp = wizard.mapping_page

    def read_again(expected: str) -> None:
        mp.combos[5].setCurrentIndex(0 if mp.combos[5].currentIndex() else 1)  # another mapping: read again
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: mp.message.text() != "", timeout=20000)
        assert mp.message.text() == expected and wizard.currentPage() is mp
        qtbot.waitUntil(lambda: wizard.handle.error_dialog is not None)
        wizard.handle.error_dialog.close()

    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    read_again("Tệp 'ds.xlsx' không phải tệp Excel .xlsx hợp lệ hoặc đã hỏng. "
               "Hãy mở thử bằng Excel và lưu lại dạng .xlsx.")
    path.unlink()
    read_again(f"Không tìm thấy tệp '{path}'.")
    simple_list(path, ROWS[:1])
    mp.combos[5].setCurrentIndex(0)  # (bỏ qua cột này): not the preview's mapping, so read again
    click_to(qtbot, wizard, QWizard.WizardButton.NextButton, wizard.preview_page)
    assert wizard.preview_page.model.rowCount() == 1  # the shortened file, as it is now
    path.unlink()
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert [r[:2] for r in _households(db_path) if r[1].startswith("0640")] == [("Hà Văn Một", "064070000001")]


def test_backup_folder_unusable_then_fixed(ctx, other, qtbot, tmp_path, db_path):
    """The backup taken before the import cannot be written (a file where the backup folder should
    be): nothing changed, the message names the folder; once it is fixed Nhập imports — while
    another program holds a read transaction open, which does not stop the write."""
    from gnbv_desktop.store.backup import backup_folder

    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    before = dump(db_path)
    folder = backup_folder(db_path)
    assert not folder.exists()
    folder.write_text("không phải thư mục")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    pp = wizard.preview_page
    qtbot.waitUntil(lambda: pp.message.text() != "", timeout=20000)
    assert pp.message.text().startswith(f"Không tạo được thư mục sao lưu '{folder}'")
    assert dump(db_path) == before
    qtbot.waitUntil(lambda: wizard.handle.error_dialog is not None)
    wizard.handle.error_dialog.close()
    folder.unlink()
    other.execute("BEGIN")
    assert other.execute("SELECT COUNT(*) FROM households").fetchone() == (0,)
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert other.execute("SELECT COUNT(*) FROM households").fetchone() == (0,)  # its snapshot
    other.execute("COMMIT")
    assert other.execute("SELECT COUNT(*) FROM households").fetchone() == (2,)


KILL_ROWS = 2000
# The wizard in a process of its own, driven through its buttons; it prints each progress step of
# the write, so that the test can kill it while the households are being written.
_DRIVER = """
import sys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.import_wizard import ImportWizard
from gnbv_desktop.store.database import open_database

app = QApplication(["wizard", "-platform", "offscreen"])
db_path, path = sys.argv[1], sys.argv[2]
ctx = AppContext(open_database(db_path), db_path, year=2026)
wizard = ImportWizard(ctx)
wizard.show()
wizard.file_page.path.setText(path)
wizard.file_page.path.editingFinished.emit()
while wizard.busy or wizard.file_page.sheet.count() == 0:  # the file's check runs off the UI thread
    QTest.qWait(20)

def wait_for(page):
    while wizard.currentPage() is not page:
        QTest.qWait(20)

def click(which):
    QTest.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)

click(QWizard.WizardButton.NextButton)
wait_for(wizard.mapping_page)
click(QWizard.WizardButton.NextButton)
wait_for(wizard.preview_page)
click(QWizard.WizardButton.CommitButton)
wizard.handle.progress.connect(lambda done, total, message: print(message, flush=True))
wait_for(wizard.summary_page)
print("XONG", flush=True)
"""


def test_app_killed_while_the_wizard_writes(ctx, qtbot, tmp_path, db_path):
    """kill -9 of the app during the write (a power cut): on reopening nothing of the import is
    there, the database is as before, and the wizard imports the list."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    rows = [[i, f"Người Thứ {i}", 1950 + i % 50, None, "Thôn 1", 1_000_000 + i, "Nghèo"] for i in range(1, KILL_ROWS + 1)]
    path = simple_list(tmp_path / "lon.xlsx", rows)
    before = dump(db_path)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", _DRIVER, str(db_path), str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"})
    kill_when(proc, proc.stdout, "Đã ghi 500 hộ")  # inside the transaction, 1,500 rows still to go
    assert dump(db_path) == before
    wizard = open_to_preview(qtbot, ctx, path)
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert "Hộ nhập mới: 2.000" in wizard.summary_page.text.text()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*) FROM households WHERE head_name LIKE 'Người Thứ %'").fetchone() == (KILL_ROWS,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_nhap_pressed_while_the_encoding_switch_rereads_imports_what_the_switch_says(ctx, qtbot, tmp_path, db_path):
    """The official turns the legacy-encoding conversion off and presses Nhập at once, while the
    list is being read again: the names are written as the switch now says (kept as typed), not
    from the preview before the switch."""
    from PySide6.QtCore import QPoint

    path = simple_list(tmp_path / "vntime.xlsx", [[1, "NguyÔn V¨n An", 1970, None, "Thôn 1", "1.000.000", "Cận nghèo"]])
    wizard = open_to_preview(qtbot, ctx, path)
    pp = wizard.preview_page
    assert pp.model.index(0, 1).data() == "Nguyễn Văn An" and pp.convert_legacy.isChecked()
    qtbot.mouseClick(pp.convert_legacy, Qt.MouseButton.LeftButton, pos=QPoint(8, pp.convert_legacy.height() // 2))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    ctx.runner.wait()
    qtbot.wait(50)
    if wizard.currentPage() is pp:  # the click came while the list was read: Nhập once it is shown
        assert pp.model.index(0, 1).data() == "NguyÔn V¨n An"
        click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert [r[0] for r in _households(db_path)] == ["NguyÔn V¨n An"]


def test_village_deleted_elsewhere_after_the_preview_is_not_created_again_unasked(ctx, other, qtbot, tmp_path,
                                                                                    db_path):
    """Another program deletes the (empty) village of the file's rows after the preview: Nhập does
    not quietly create it again — the official is asked, as for any village new to the commune."""
    from gnbv_desktop.store.villages import delete_village

    wizard = open_to_preview(qtbot, ctx, simple_list(tmp_path / "ds.xlsx", ROWS))
    pp = wizard.preview_page
    assert not pp.create_villages.isVisible()
    delete_village(other, find_village(other, "Thôn 1").id)
    before = dump(db_path)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pp.message.text() != "", timeout=20000)
    assert pp.message.text() == "Tệp có thôn chưa có trong xã (Thôn 1); chưa nhập gì."
    assert dump(db_path) == before
    qtbot.waitUntil(lambda: wizard.handle.error_dialog is not None)
    wizard.handle.error_dialog.close()
    assert pp.create_villages.isVisible() and pp.create_villages.text().endswith(": Thôn 1")
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    qtbot.mouseClick(pp.create_villages, Qt.MouseButton.LeftButton, pos=_box_pos(pp.create_villages))
    click_to(qtbot, wizard, QWizard.WizardButton.CommitButton, wizard.summary_page)
    assert "Thôn mới đã tạo: Thôn 1" in wizard.summary_page.text.text()


def test_two_windows_import_the_same_list_at_once(ctx, qtbot, tmp_path, db_path):
    """Two windows of the app (two connections, two job runners) press Nhập on the same list at the
    same moment: the second waits for the first and then finds every household already there."""
    path = simple_list(tmp_path / "ds.xlsx", [[i, f"Người Thứ {i}", 1950 + i % 50, None, "Thôn 1", 1_000_000 + i,
                                                "Nghèo"] for i in range(1, 1201)])
    second_db = open_database(db_path)
    second = AppContext(second_db, db_path, year=2026)
    try:
        first_wizard, second_wizard = open_to_preview(qtbot, ctx, path), open_to_preview(qtbot, second, path)
        qtbot.mouseClick(first_wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(second_wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
        for wizard in (first_wizard, second_wizard):
            qtbot.waitUntil(lambda w=wizard: w.currentPage() is w.summary_page, timeout=60000)
        texts = sorted(w.summary_page.text.text() for w in (first_wizard, second_wizard))
        assert "Hộ nhập mới: 0" in texts[0] and "1.200 hộ không đổi" in texts[0]
        assert "Hộ nhập mới: 1.200" in texts[1]
        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT COUNT(*) FROM households WHERE head_name LIKE 'Người Thứ %'").fetchone() == (1200,)
        conn.close()
    finally:
        second.runner.wait()
        second_db.close()
