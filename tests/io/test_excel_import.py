"""Importing differently shaped lists: the values that land in the database."""

from __future__ import annotations

import pytest

from gnbv_desktop.jobs.demo import ensure_demo_commune
from gnbv_desktop.jobs.import_excel import ImportRefused, preview_import, run_import
from gnbv_desktop.jobs.progress import run_to_end
from gnbv_desktop.store.household_list import list_rows
from gnbv_desktop.store.households import get_assessment, get_household
from gnbv_desktop.store.villages import find_village, list_villages
from tests.io.workbooks import marked_columns_list, merged_header_list, per_member_list, simple_list


@pytest.fixture
def commune(db):
    ensure_demo_commune(db)
    return db


def _import(db, path, **kw):
    preview = run_to_end(preview_import(db, path, year=2026))
    return preview, run_to_end(run_import(db, preview, **kw))


def _by_name(db, name):
    hid = db.execute("SELECT id FROM households WHERE head_name = ? AND deleted = 0", [name]).fetchone()[0]
    return get_household(db, hid), get_assessment(db, hid, 2026)


def test_merged_header_list_under_admin_block(commune, tmp_path):
    preview, summary = _import(commune, merged_header_list(tmp_path / "a.xlsx"))
    assert (preview.header.first_row + 1, preview.header.last_row + 1, preview.header.data_start + 1) == (7, 8, 10)
    assert [(s.row, s.kind) for s in preview.skipped] == [
        (10, "dòng nhóm"), (13, "dòng cộng"), (14, "dòng nhóm"), (16, "dòng cộng"),
        (18, "phần ký tên"), (19, "phần ký tên"), (20, "phần ký tên"),
    ]
    assert (summary.rows_read, summary.imported, summary.updated, summary.skipped) == (3, 3, 0, 0)

    an, a = _by_name(commune, "Nguyễn Văn Ân")  # decomposed Unicode, doubled space → NFC, one space
    assert (an.head_birth_year, an.head_sex, an.head_cccd) == (1975, "nam", "064075012345")  # zero restored
    assert an.ethnicity_name == "Kinh" and an.ethnicity_code == "01"
    assert find_village(commune, "Thôn 1").id == an.village_id  # from the group row above
    assert (a.income, a.classification, a.standard_id, a.area) == (1_200_000, "poor", "nd07-2021", "rural")

    binh, b = _by_name(commune, "Trần Thị Bình")
    assert (binh.head_birth_date, binh.head_sex, b.income, b.classification) == ("1980-03-12", "nu", 1_400_000,
                                                                                 "near_poor")
    assert binh.village_id == an.village_id  # "thôn  1" matches Thôn 1

    cuc, c = _by_name(commune, "Đinh Thị Cúc")  # Ð (U+00D0) typed for Đ
    assert (cuc.head_birth_date, cuc.ethnicity_name, cuc.note) == ("1981-01-01", "Gia-rai", "mới tách hộ")
    assert find_village(commune, "Thôn 2").id == cuc.village_id
    assert (c.income, c.classification) == (900_000, "near_poor")


def test_problems_name_row_column_and_reason(commune, tmp_path):
    preview = run_to_end(preview_import(commune, merged_header_list(tmp_path / "a.xlsx"), year=2026))
    messages = [(p.row, p.column, p.error, p.message) for p in preview.problems]
    assert (11, "E (Số CCCD)", False,
            "Số CCCD bị mất số 0 ở đầu (Excel lưu dạng số); đã khôi phục thành 064075012345.") in messages
    contradiction = [m for m in messages if m[0] == 11 and m[1] == "I (Phân loại)"]
    assert contradiction and "Tệp ghi Hộ nghèo" in contradiction[0][3] and "hộ cận nghèo" in contradiction[0][3]


def test_x_marked_classification_indicator_and_cause_columns(commune, tmp_path):
    preview, summary = _import(commune, marked_columns_list(tmp_path / "m.xlsx"), skip_invalid=True)
    assert (summary.imported, summary.skipped) == (2, 1)
    bad = preview.invalid[0]
    assert bad.row == 7 and "Đánh dấu nhiều loại hộ" in bad.problems[-1].message
    bia, a = _by_name(commune, "Siu H'Bia")
    assert (bia.code, bia.head_sex, bia.head_birth_year) == ("HN-01", "nu", 1982)
    assert (a.income, a.deprived, a.classification, a.causes) == (800_000, ["1.1", "2.2", "5.1"], "poor",
                                                                  ["thieu_von"])
    blong, b = _by_name(commune, "Ksor Blơng")
    assert (b.income, b.deprived, b.classification, b.causes) == (1_500_000, ["2.2"], "near_poor", ["thieu_lao_dong"])
    assert commune.execute("SELECT COUNT(*) FROM households WHERE head_name = 'Puih Thuơ'").fetchone()[0] == 0


def test_one_row_per_member_is_grouped_into_households(commune, tmp_path):
    preview, summary = _import(commune, per_member_list(tmp_path / "p.xlsx"))
    assert preview.layout == "member" and (summary.rows_read, summary.imported) == (5, 2)
    kong, a = _by_name(commune, "Nay Y Kông")
    assert (kong.head_sex, kong.head_birth_year, kong.head_cccd) == ("nam", 1966, "064066000111")
    assert [(m.full_name, m.relation, m.birth_year, m.sex, m.cccd) for m in kong.members] == [
        ("Rơ Châm H'Mai", "Vợ", 1969, "nu", "064169000222"),
        ("Nay Y Đức", "Con", 2001, "nam", ""),
    ]
    assert (a.deprived, a.classification) == (["1.1", "2.2", "4.1"], "poor")
    hoa, b = _by_name(commune, "Lê Thị Hoa")
    assert [(m.full_name, m.birth_year) for m in hoa.members] == [("Lê Văn Tí", 2015)]
    assert (hoa.head_sex, b.income, b.classification) == ("nu", 1_300_000, "near_poor")


def test_member_list_without_a_name_column_is_previewed_with_the_rows_named(commune, tmp_path):
    """The wizard previews before the official has pointed at the name column: every row says what
    is missing (was a KeyError on the first member row)."""
    path = simple_list(tmp_path / "m.xlsx", [[1, "Chủ hộ", 1970, "Thôn 1", 900000], [2, "Vợ", 1972, "Thôn 1", None]],
                       header=["STT", "Quan hệ với chủ hộ", "Năm sinh", "Thôn", "Thu nhập"])
    preview = run_to_end(preview_import(commune, path, year=2026, require_name=False))
    assert preview.layout == "member"
    assert [(p.row, p.column, p.message) for p in preview.problems if p.error] == [
        (2, "", "Thiếu họ tên chủ hộ."), (3, "", "Thiếu họ tên thành viên.")]


def test_invalid_rows_block_everything_unless_skipped(commune, tmp_path):
    path = simple_list(tmp_path / "s.xlsx", [
        [1, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Nghèo"],
        [2, None, 1971, None, "Thôn 1", "1.000.000", "Nghèo"],                      # no head name
        [3, "Hà Văn Ba", 1972, "12345", "Thôn 1", "1.000.000", "Nghèo"],            # short CCCD
        [4, "Hà Văn Bốn", "năm bảy mươi", None, "Thôn 1", "1.000.000", "Nghèo"],    # unreadable year
        [5, "Hà Văn Năm", 1974, None, "Thôn 1", "mười triệu", "Nghèo"],              # unreadable income
        [6, "Hà Văn Sáu", 1975, None, "Thôn 1", "1.000.000", "khá"],                 # unknown classification
        [7, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Nghèo"],    # duplicate of row 2
    ])
    preview = run_to_end(preview_import(commune, path, year=2026))
    errors = {p.row: p.message for p in preview.problems if p.error}
    assert errors == {
        3: "Thiếu họ tên chủ hộ.",
        4: "Số CCCD '12345' phải có đúng 12 chữ số (đang có 5).",
        5: "Không đọc được năm sinh 'năm bảy mươi' (ghi dạng 1975 hoặc 12/03/1975).",
        6: "Không đọc được số tiền 'mười triệu'.",
        7: "Không nhận ra phân loại 'khá' (ghi: Hộ nghèo/HN, Hộ cận nghèo/CN/HCN, Mức sống trung bình).",
        8: "Trùng hộ ở dòng 2 (số CCCD chủ hộ giống nhau).",
    }
    with pytest.raises(ImportRefused, match="Có 6 hộ không hợp lệ; chưa nhập gì"):
        run_to_end(run_import(commune, preview))
    assert commune.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 0
    summary = run_to_end(run_import(commune, preview, skip_invalid=True))
    assert (summary.imported, summary.skipped) == (1, 6)
    assert [r.head_name for r in list_rows(commune, 2026)] == ["Hà Văn Một"]


def test_reimport_updates_the_same_households(commune, tmp_path):
    rows = [
        [1, "Hà Văn Một", 1970, "064070000001", "Thôn 1", "1.000.000", "Nghèo"],
        [2, "Hà Thị Hai", 1980, None, "Thôn 1", "1.100.000", "Cận nghèo"],
    ]
    _import(commune, simple_list(tmp_path / "y1.xlsx", rows))
    before = {r.head_name: r.id for r in list_rows(commune, 2026)}
    rows[0][5] = "1.450.000"  # matched by CCCD
    rows[1][5] = "2.000.000"  # matched by name + village + birth year
    rows.append([3, "Hà Văn Ba", 1990, None, "Thôn 2", "900.000", "HN"])
    preview, summary = _import(commune, simple_list(tmp_path / "y2.xlsx", rows))
    assert (summary.imported, summary.updated) == (1, 2)
    after = {r.head_name: (r.id, r.income, r.classification) for r in list_rows(commune, 2026)}
    assert after["Hà Văn Một"] == (before["Hà Văn Một"], 1_450_000, "poor")
    assert after["Hà Thị Hai"] == (before["Hà Thị Hai"], 2_000_000, "near_poor")
    assert commune.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 3
    change = commune.execute("SELECT change_counter FROM households WHERE id = ?", [before["Hà Văn Một"]]).fetchone()
    assert change[0] == 1  # only the assessment changed
    change = commune.execute("SELECT change_counter FROM assessments WHERE household_id = ?",
                             [before["Hà Văn Một"]]).fetchone()
    assert change[0] == 2


def test_new_village_is_created_with_the_import(commune, tmp_path):
    path = simple_list(tmp_path / "v.xlsx", [[1, "Hà Văn Một", 1970, None, "Buôn  Ma Lăng", "1.000.000", "Nghèo"]])
    preview = run_to_end(preview_import(commune, path, year=2026))
    assert preview.new_villages == [("Buôn Ma Lăng", "rural")]
    with pytest.raises(ImportRefused, match="Buôn Ma Lăng"):
        run_to_end(run_import(commune, preview, create_villages=False))
    assert find_village(commune, "Buôn Ma Lăng") is None
    summary = run_to_end(run_import(commune, preview))
    assert summary.villages_created == ["Buôn Ma Lăng"]
    assert [v.name for v in list_villages(commune)][-1] == "Buôn Ma Lăng"


def test_closing_the_job_rolls_back_everything(commune, tmp_path):
    rows = [[i, f"Hộ Số {i}", 1970, None, "Thôn 1", "1.000.000", "Nghèo"] for i in range(1, 1201)]
    preview = run_to_end(preview_import(commune, simple_list(tmp_path / "big.xlsx", rows), year=2026))
    job = run_import(commune, preview)
    next(job)
    progress = next(job)  # the first chunk is written inside the open transaction
    assert progress.done == 500
    job.close()  # the user pressed Hủy
    assert commune.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 0


def test_namesakes_with_different_codes_are_different_households(commune, tmp_path):
    header = ["Mã hộ", "Họ tên chủ hộ", "Năm sinh", "Thôn", "Phân loại"]
    path = simple_list(tmp_path / "n.xlsx", [
        ["A1", "Nguyễn Văn An", 1970, "Thôn 1", "HN"],
        ["A2", "Nguyễn Văn An", 1970, "Thôn 1", "HN"],  # a namesake: different mã hộ
        ["A1", "Nguyễn Văn Ân", 1971, "Thôn 1", "HN"],  # same mã hộ as row 2: the same household twice
    ], header=header)
    preview = run_to_end(preview_import(commune, path, year=2026))
    assert [(p.row, p.message) for p in preview.problems if p.error] == [
        (4, "Trùng hộ ở dòng 2 (mã hộ giống nhau).")
    ]
