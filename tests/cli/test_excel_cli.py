"""``gnbv import-excel`` / ``gnbv export-excel``: summaries, exit status, dry run, mapping templates."""

from __future__ import annotations

import gc
import json

import openpyxl
import pytest

from gnbv_desktop.store.database import open_database
from tests.cli.helpers import run_cli, run_json
from tests.io.workbooks import merged_header_list, simple_list

ROWS = [
    [1, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Nghèo"],
    [2, "Hà Thị Hai", 1980, "123", "Thôn 1", "1.100.000", "Cận nghèo"],
    [3, "Hà Văn Ba", 1990, None, "Xóm Mới", "900.000", "HN"],
]


@pytest.fixture(autouse=True)
def _existing_database(db_path):
    """import-excel fills an existing database; only init/demo/sync-import create one."""
    open_database(db_path).close()


def _count(db_path, capsys) -> int:
    return run_json(capsys, db_path, "stats", "--year", "2026", "--json")["households"]


def test_invalid_row_exits_1_and_writes_nothing(db_path, tmp_path, capsys):
    path = simple_list(tmp_path / "s.xlsx", ROWS)
    code, out, err = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026")
    assert code == 1
    assert "[LỖI] Dòng 3, cột D (Số CCCD): Số CCCD '123' phải có đúng 12 chữ số (đang có 3)." in out
    assert "Lỗi: Có 1 hộ không hợp lệ; chưa nhập gì." in err and "--skip-invalid" in err
    assert _count(db_path, capsys) == 0


def test_collector_back_on_after_every_outcome(db_path, tmp_path, capsys):
    """The import jobs pause the cycle collector: a refused file, a dry run and an import all leave it back on."""
    path = simple_list(tmp_path / "s.xlsx", ROWS)
    assert gc.isenabled()
    outcomes = [run_cli(capsys, db_path, "import-excel", str(tmp_path / "missing.xlsx"))[0]]
    assert gc.isenabled()
    outcomes.append(run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026")[0])
    assert gc.isenabled()
    outcomes.append(run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--skip-invalid", "--dry-run")[0])
    assert gc.isenabled()
    outcomes.append(run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--skip-invalid")[0])
    assert gc.isenabled()
    assert outcomes == [1, 1, 0, 0]
    assert _count(db_path, capsys) == 2


def test_dry_run_reports_and_writes_nothing(db_path, tmp_path, capsys):
    path = simple_list(tmp_path / "s.xlsx", ROWS)
    code, out, _ = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--skip-invalid", "--dry-run")
    assert code == 0
    assert "Chạy thử: sẽ nhập mới 2 hộ, cập nhật 0 hộ, bỏ qua 1 hộ lỗi. Chưa ghi gì." in out
    assert _count(db_path, capsys) == 0


def test_skip_invalid_imports_the_rest_and_creates_villages(db_path, tmp_path, capsys):
    path = simple_list(tmp_path / "s.xlsx", ROWS)
    code, out, _ = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--skip-invalid")
    assert code == 0
    assert "Số dòng dữ liệu đã đọc: 3" in out and "Hộ nhập mới: 2" in out and "Hộ bỏ qua (dòng lỗi): 1" in out
    assert "Thôn mới đã tạo: Thôn 1, Xóm Mới" in out
    listed = run_json(capsys, db_path, "list", "--year", "2026", "--json")
    assert sorted((h["head_name"], h["village"], h["income"], h["classification"]) for h in listed) == [
        ("Hà Văn Ba", "Xóm Mới", 900_000, "poor"),
        ("Hà Văn Một", "Thôn 1", 1_000_000, "poor"),
    ]
    code, out, _ = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--skip-invalid")
    assert "Hộ nhập mới: 0" in out and "0 hộ thay đổi (cập nhật), 2 hộ không đổi" in out
    assert _count(db_path, capsys) == 2


def test_mapping_template_corrects_a_column(db_path, tmp_path, capsys):
    path = simple_list(
        tmp_path / "t.xlsx",
        [[1, "Hà Văn Một", "Thôn 1", "1.000.000", "Nghèo", "x"]],
        header=["STT", "Tên người đứng đầu hộ", "Thôn", "Thu nhập", "Phân loại", "Có người có công"],
    )
    code, _, err = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026")
    assert code == 1 and "Chưa có cột nào được gán là họ tên chủ hộ" in err
    template = tmp_path / "mau.json"
    template.write_text(json.dumps({
        "format": "gnbv-excel-mapping", "version": 1,
        "columns": [
            {"column": "B", "header": "TÊN NGƯỜI ĐỨNG ĐẦU HỘ", "field": "head_name"},
            {"column": "F", "header": "Có người có công", "field": "category:nguoi_co_cong"},
        ],
    }, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--mapping", str(template))
    assert code == 0, err
    assert "Hộ nhập mới: 1" in out
    bad = tmp_path / "xau.json"
    bad.write_text(json.dumps({"format": "gnbv-excel-mapping", "columns": [{"header": "Thôn", "field": "tuoi"}]}))
    code, _, err = run_cli(capsys, db_path, "import-excel", str(path), "--mapping", str(bad))
    assert code == 1 and "trường 'tuoi'" in err


def test_export_excel_writes_every_household_and_member(db_path, tmp_path, capsys):
    run_cli(capsys, db_path, "demo", "--households", "12", "--year", "2026")
    out_path = tmp_path / "ds.xlsx"
    code, out, _ = run_cli(capsys, db_path, "export-excel", str(out_path), "--year", "2026")
    assert code == 0 and "Đã xuất 12 hộ (đánh giá năm 2026)" in out
    rows = list(openpyxl.load_workbook(out_path)["Danh sách hộ"].iter_rows(min_row=6, values_only=True))
    heads = [r for r in rows if r[4] == "Chủ hộ"]
    listed = run_json(capsys, db_path, "list", "--year", "2026", "--json")
    assert len(heads) == 12 and len(rows) == sum(h["members"] for h in listed)
    by_code = {h["code"]: h for h in listed}
    for r in heads:
        assert r[3] == by_code[r[2]]["head_name"] and r[14] == by_code[r[2]]["income"]
    code, _, err = run_cli(capsys, db_path, "export-excel", str(tmp_path / "ds.csv"))
    assert code == 1 and ".xlsx" in err


def test_import_excel_reads_the_merged_header_shape(db_path, tmp_path, capsys):
    code, out, err = run_cli(capsys, db_path, "import-excel", str(merged_header_list(tmp_path / "m.xlsx")),
                             "--year", "2026")
    assert code == 0, err
    assert "Dòng bỏ qua (trống, nhóm, cộng, ký tên): 7" in out and "Hộ nhập mới: 3" in out


def test_village_option_places_rows_without_a_village(db_path, tmp_path, capsys):
    path = simple_list(tmp_path / "v.xlsx", [[1, "Hà Văn Một", 1970, "1.000.000", "Nghèo"],
                                             [2, "Hà Thị Hai", 1980, "1.100.000", "Cận nghèo"]],
                       header=["STT", "Họ tên chủ hộ", "Năm sinh", "Thu nhập", "Phân loại"])
    code, out, err = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026")
    assert code == 1 and "Có 2 hộ không hợp lệ" in err
    assert "[LỖI] Dòng 2: Chưa có thôn của hộ" in out
    code, out, err = run_cli(capsys, db_path, "import-excel", str(path), "--year", "2026", "--village", "Làng Dư")
    assert code == 0, err
    assert "Hộ nhập mới: 2" in out and "Thôn mới đã tạo: Làng Dư" in out
    listed = run_json(capsys, db_path, "list", "--year", "2026", "--json")
    assert sorted((h["head_name"], h["village"]) for h in listed) == [("Hà Thị Hai", "Làng Dư"), ("Hà Văn Một", "Làng Dư")]


def test_export_then_import_carries_plans(db_path, tmp_path, capsys):
    assert run_cli(capsys, db_path, "demo", "--households", "30", "--year", "2026")[0] == 0
    out_path = tmp_path / "x.xlsx"
    code, out, _ = run_cli(capsys, db_path, "export-excel", str(out_path), "--year", "2026")
    assert code == 0
    items = len(list(openpyxl.load_workbook(out_path)["Kế hoạch hỗ trợ"].iter_rows(min_row=4)))
    assert items > 0
    open_database(tmp_path / "moi.sqlite3").close()
    code, out, err = run_cli(capsys, tmp_path / "moi.sqlite3", "import-excel", str(out_path), "--year", "2026")
    assert code == 0, err
    assert f"Kế hoạch hỗ trợ năm 2026 (trang Kế hoạch hỗ trợ, Người giúp đỡ): {items} giải pháp" in out
    assert f"Giải pháp hỗ trợ đã ghi: {items}" in out
