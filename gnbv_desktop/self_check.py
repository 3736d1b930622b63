"""``gnbv-desktop --self-check``: prove, without a screen, that an installed copy works.

Run by the bundle test and by anyone who just installed the app: every module of the package
imports (the bundle once lacked the pages loaded with importlib), then a fresh temporary database
gets a commune and a household, the household is classified, one PDF page and one XLSX are
written and read back, a sync package is exported and imported into an aggregate database, and
a worker process is started as the upper level's big imports do.
The windows are built offscreen last (forms, fonts and Qt plugins are part of a working copy).
Each step reports "OK" or what failed; nothing outside a temporary folder is touched.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

from gnbv_desktop.paths import project_root

MODULE_LIST = "bundle-modules.txt"  # written by installer/build.py into the bundle
YEAR = 2026


def expected_modules() -> list[str]:
    """The bundle's list of the package's modules; from the source files elsewhere."""
    listed = project_root() / MODULE_LIST
    if getattr(sys, "frozen", False) and listed.is_file():
        return listed.read_text(encoding="utf-8").split()
    package = Path(__file__).resolve().parent
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = ("gnbv_desktop", *path.relative_to(package).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _import_all() -> str:
    failed = []
    for name in expected_modules():
        try:
            importlib.import_module(name)
        except Exception as exc:  # every broken module is reported, not only the first
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    if failed:
        raise RuntimeError("không nạp được " + "; ".join(failed))
    return f"{len(expected_modules())} mô-đun"


Step = tuple[str, Callable[[], str]]


def _data_checks(folder: Path) -> tuple[list[Step], dict]:
    """The steps on a temporary database in ``folder``, and the state they share (the open database).

    Each step imports what it uses, so a module missing from a broken copy fails its step (with
    the module's name) instead of the whole check.
    """
    state: dict = {}

    def database() -> str:
        from gnbv_desktop.jobs.demo import create_demo
        from gnbv_desktop.jobs.progress import run_to_end
        from gnbv_desktop.store.database import open_database

        state["db"] = db = open_database(folder / "kiem-tra.sqlite3")
        run_to_end(create_demo(db, 3, seed=1, year=YEAR))
        return f"{db['households'].count} hộ mẫu"

    def classification() -> str:
        from gnbv_desktop.core.standards import classify
        from gnbv_desktop.store.standard_store import standards_in_force

        std = standards_in_force(state["db"]).for_year(YEAR)
        result = classify(std, "rural", std.thresholds["rural"].poor_line - 100_000, list(std.indicator_codes)[:3])
        if result.classification != "poor":
            raise RuntimeError(f"phân loại sai: {result.classification}")
        return result.explanation

    def pdf() -> str:
        from gnbv_desktop.jobs.plan_reports import ANNEX, render_report
        from gnbv_desktop.jobs.progress import run_to_end

        out = folder / "phu-luc.pdf"
        result = run_to_end(render_report(state["db"], ANNEX, out, YEAR))
        if not out.read_bytes().startswith(b"%PDF") or not result.pages:
            raise RuntimeError("tệp PDF không hợp lệ")
        return f"{result.pages} trang"

    def xlsx() -> str:
        from gnbv_desktop.jobs.plan_reports import ANNEX, render_report
        from gnbv_desktop.jobs.progress import run_to_end

        out = folder / "phu-luc.xlsx"
        run_to_end(render_report(state["db"], ANNEX, out, YEAR))
        with zipfile.ZipFile(out) as z:
            if "xl/workbook.xml" not in z.namelist():
                raise RuntimeError("tệp XLSX không hợp lệ")
        return out.name

    def package() -> str:
        from gnbv_desktop.jobs.progress import run_to_end
        from gnbv_desktop.jobs.sync import export_package, import_packages
        from gnbv_desktop.store.aggregate import make_aggregate
        from gnbv_desktop.store.database import open_database

        out = folder / "goi.gnbv"
        run_to_end(export_package(state["db"], out, full=True, year=YEAR, allow_unencrypted=True))  # demo data only
        upper = open_database(folder / "cap-tren.sqlite3")
        try:
            make_aggregate(upper, "Kiểm tra")
            results = run_to_end(import_packages(upper, [out]))
        finally:
            upper.close()
        return f"{results[0].merged.new} bản ghi đã nhập"

    return [("Tạo cơ sở dữ liệu tạm", database), ("Phân loại hộ", classification), ("In PDF", pdf),
            ("Xuất XLSX", xlsx), ("Xuất và nhập gói đồng bộ", package)], state


def run(say: Callable[[str], None] = print, windows: Callable[[Path], str] | None = None) -> int:
    """Run every check, reporting each; 0 when all pass. ``windows`` builds the windows offscreen
    (passed in by app.py, the only layer here that may use Qt)."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="gnbv-kiem-tra-") as tmp:
        folder = Path(tmp)
        steps, state = _data_checks(folder)
        steps = [("Nạp các mô-đun", _import_all), *steps]
        if windows is not None:
            steps.append(("Dựng cửa sổ (không màn hình)", lambda: windows(folder / "kiem-tra.sqlite3")))
        try:
            for label, step in steps:
                try:
                    detail = step()
                except Exception as exc:  # the check reports every failure and goes on
                    failures += 1
                    say(f"LỖI  {label}: {type(exc).__name__}: {exc}")
                    say("".join(traceback.format_exception(exc)).rstrip())
                else:
                    say(f"OK   {label}: {detail}")
        finally:
            if "db" in state:
                state["db"].close()
    say("OK" if not failures else f"Có {failures} bước không đạt.")
    return 0 if not failures else 1
