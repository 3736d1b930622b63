"""``gnbv-desktop --self-check`` from the sources: every step passes, and a broken step is named."""

from __future__ import annotations

from gnbv_desktop import app, self_check


def test_self_check_passes_every_step_and_builds_the_windows(qapp, capsys, tmp_path):
    assert app.main(["--self-check"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    steps = [line for line in lines if line.startswith(("OK   ", "LỖI"))]
    assert [s.split(":")[0][5:] for s in steps] == [
        "Nạp các mô-đun", "Tạo cơ sở dữ liệu tạm", "Phân loại hộ", "In PDF", "Xuất XLSX",
        "Xuất và nhập gói đồng bộ", "Dựng cửa sổ (không màn hình)"]
    assert lines[-1] == "OK"
    assert not (tmp_path / "userdata").exists()


def test_a_failing_step_is_named_and_the_check_goes_on(monkeypatch):
    modules = self_check.expected_modules()
    monkeypatch.setattr(self_check, "expected_modules", lambda: [*modules, "gnbv_desktop.gui.pages.missing_page"])
    said: list[str] = []
    assert self_check.run(said.append) == 1
    assert any(s.startswith("LỖI  Nạp các mô-đun") and "gnbv_desktop.gui.pages.missing_page" in s for s in said)
    assert any(s.startswith("OK   Xuất và nhập gói đồng bộ") for s in said)
    assert said[-1] == "Có 1 bước không đạt."
