"""Each command imports only what it uses: ``gnbv stats`` or ``gnbv --help`` never loads the PDF
and Excel writers, the sync code or the demo generator (they made every start take half a second).

Run in a fresh interpreter, so the modules the test session already imported do not hide a stray
import; the oracle is that interpreter's own ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("openpyxl", "reportlab", "cryptography", "python_calamine", "PySide6", "gnbv_desktop.io.annex_pdf",
         "gnbv_desktop.io.excel_export", "gnbv_desktop.jobs.demo", "gnbv_desktop.jobs.sync",
         "gnbv_desktop.jobs.plan_reports")

PROBE = """
import contextlib, io, json, sys
from gnbv_desktop.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def modules_after(*argv: str) -> tuple[int, set[str]]:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    return result["code"], set(result["modules"])


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)


def test_stats_loads_no_writer_and_no_sync_code(capsys, db_path):
    assert run_cli(capsys, db_path, "demo", "--households", "5", "--year", "2026")[0] == 0
    code, modules = modules_after("--db", str(db_path), "stats", "--year", "2026", "--json")
    assert code == 0
    assert heavy_in(modules) == []
    assert "gnbv_desktop.store.households" in modules  # the probe did run the command


def test_help_loads_no_store_module_beyond_the_opening_path():
    code, modules = modules_after("--help")
    assert code == 0
    assert heavy_in(modules) == []
    assert not {"gnbv_desktop.store.households", "gnbv_desktop.store.plans", "gnbv_desktop.jobs.import_excel"} & modules


def test_a_printout_still_loads_its_writer(capsys, db_path, tmp_path):
    assert run_cli(capsys, db_path, "demo", "--households", "5", "--year", "2026")[0] == 0
    code, modules = modules_after("--db", str(db_path), "posting", str(tmp_path / "niemyet.pdf"), "--year", "2026")
    assert code == 0 and (tmp_path / "niemyet.pdf").stat().st_size > 0
    assert "reportlab" in modules
