"""Every command that writes a file treats a missing folder the same way: refused before any work
with a Vietnamese message naming the folder, exit 1, and no folder created behind the user's back."""

from __future__ import annotations

import pytest

from tests.cli.helpers import run_cli


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    from gnbv_desktop.cli import main

    path = tmp_path_factory.mktemp("out") / "xa.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "10", "--year", "2026"]) == 0
    return path


@pytest.fixture(scope="module")
def upper(tmp_path_factory):
    from gnbv_desktop.store import aggregate
    from gnbv_desktop.store.database import open_database

    path = tmp_path_factory.mktemp("out-upper") / "tinh.sqlite3"
    db = open_database(path)
    aggregate.make_aggregate(db, "Sở Nông nghiệp và Môi trường tỉnh Gia Lai")
    db.close()
    return path


COMMANDS = {
    "sync-export": ["sync-export", "{out}/goi.gnbv", "--no-encrypt"],
    "annex": ["annex", "{out}/phu-luc.pdf", "--year", "2026"],
    "sheets": ["sheets", "{out}/phieu.pdf", "--year", "2026"],
    "posting": ["posting", "{out}/niem-yet.pdf", "--year", "2026"],
    "report": ["report", "{out}/bieu.xlsx", "--form", "ket-qua", "--year", "2026"],
    "export-excel": ["export-excel", "{out}/ds.xlsx", "--year", "2026"],
    "audit": ["audit", "--out", "{out}/lich-su.xlsx"],
    "household-data": ["household-data", "--out", "{out}/ho.xlsx", "00001"],
    "ref-export": ["ref-export", "{out}/tham-chieu.gnbvref", "--year", "2026"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_output_folder_is_refused_and_not_created(command, commune, upper, tmp_path, capsys):
    missing = tmp_path / "chua-tao" / "ben-trong"
    db = upper if command == "ref-export" else commune
    code, out, err = run_cli(capsys, db, *[a.format(out=missing) for a in COMMANDS[command]])
    assert code == 1, out
    assert f"Không tìm thấy thư mục '{missing}'" in err and "không tự tạo thư mục" in err
    assert "Traceback" not in err
    assert not (tmp_path / "chua-tao").exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_folder_gets_the_file(command, commune, upper, tmp_path, capsys):
    db = upper if command == "ref-export" else commune
    code, _out, err = run_cli(capsys, db, *[a.format(out=tmp_path) for a in COMMANDS[command]])
    assert code == 0, err
    assert len([p for p in tmp_path.iterdir() if p.is_file()]) == 1


@pytest.mark.parametrize(("command", "writer"), [("sheets", "write_household_sheets"), ("annex", "write_annex_pdf")])
def test_a_folder_removed_while_writing_gives_a_message(command, writer, commune, tmp_path, capsys, monkeypatch):
    """The USB stick pulled (or the folder deleted) after the pages are written but before the file
    takes its name: a Vietnamese message naming the file, exit 1, no traceback (it used to raise
    FileNotFoundError out of os.replace)."""
    import shutil

    from gnbv_desktop.jobs import plan_reports

    folder = tmp_path / "usb"
    folder.mkdir()
    real = getattr(plan_reports, writer)

    def write_then_lose_the_folder(data, path, **kwargs):
        pages = real(data, path, **kwargs)
        shutil.rmtree(folder)
        return pages

    monkeypatch.setattr(plan_reports, writer, write_then_lose_the_folder)
    code, out, err = run_cli(capsys, commune, *[a.format(out=folder) for a in COMMANDS[command]])
    assert code == 1, out
    assert "Traceback" not in err
    assert err.startswith("Lỗi: Không tìm thấy tệp hoặc thư mục") and str(folder) in err, err
    assert not folder.exists()


@pytest.mark.parametrize("command", [["residents", "--from"], ["import-excel"]])
def test_a_folder_given_as_the_workbook_is_refused(command, commune, tmp_path, capsys):
    """A folder picked instead of the workbook in it: a Vietnamese message, exit 1, nothing changed
    (it used to end in an IsADirectoryError traceback)."""
    from tests.hostile.kit import canonical_dump

    folder = tmp_path / "danh-sach.xlsx"
    folder.mkdir()
    before = canonical_dump(commune)
    code, _out, err = run_cli(capsys, commune, *command, str(folder), "--year", "2026")
    assert code == 1
    assert "Traceback" not in err and f"'{folder}' là một thư mục" in err, err
    assert canonical_dump(commune) == before
