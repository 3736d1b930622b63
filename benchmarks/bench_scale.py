"""Printouts at several sizes: CPU time per listed household and peak memory, to show they scale linearly.

A demo commune is created once; for each size its poor and near-poor households are repeated
(renumbered, spread over the villages) until the list holds N households. Each copy is a fresh
object graph with its own strings (a pickle round trip), as if N households had been read from the
database, so the peak memory counts the data the way a real printout holds it. Each printout is
written in a fresh child process, whose peak memory (ru_maxrss) is its own (the parent stays small:
Linux carries a parent's peak over to the children it starts).

Printed per printout: CPU seconds, ms per household, peak MB and file size at each size, the
ratio of ms per household at the largest size to the smallest (target ≤ 1.2), and — where one makes
sense — the bare library doing the same work at the smallest size (``bare``) and our time over it:

- annex-pdf, posting-pdf, forms-pdf: reportlab ``LongTable`` of the same rows, cells pre-wrapped
  into plain strings (no Paragraphs), header repeated, default canvas;
- annex-xlsx, forms-xlsx: openpyxl write-only, the same values one row per line, no styles;
- sheets-pdf: the same flowables built by a plain ``SimpleDocTemplate`` (no "Trang x/y", whole list).

forms-* is Biểu 06 (households leaving poverty), the one year-cycle form that lists households.
Household sheets take about 10 ms a page, so by default they run at a quarter of the sizes
(``--sheets-sizes``); ``--big`` runs them at the full sizes too (about 15 minutes more).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 10000,40000] [--only annex-pdf] [--big] [--no-bare]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PRINTOUTS = ["annex-pdf", "annex-xlsx", "posting-pdf", "forms-pdf", "forms-xlsx", "sheets-pdf"]


def grow(data, n: int) -> None:
    """Repeat the listed households (renumbered, each a separate copy) until the report lists ``n``."""
    base = [pickle.dumps(h) for g in data.groups for h in g.households]
    for g in data.groups:
        g.households = []
    for k in range(n):
        h = pickle.loads(base[k % len(base)])
        h.id = k + 1
        h.code = f"{k + 1:06d}"
        data.groups[k % len(data.groups)].households.append(h)


def leaving_form(data):
    """Biểu 06 listing every household of ``data`` (the columns of store.year_forms.form_leaving)."""
    from gnbv_desktop.core.forms import GROUP, Column, Section, SummaryForm

    cols = [Column("TT", 5, numeric=False), Column("Họ và tên chủ hộ", 26, numeric=False),
            Column("Năm sinh", 8, numeric=False), Column("Thôn", 18, numeric=False), Column("Số nhân khẩu", 9),
            Column("Năm trước", 14, numeric=False), Column("Năm nay", 14, numeric=False),
            Column("Ngày công nhận", 15, numeric=False)]
    sec = Section("", cols)
    for gi, g in enumerate(data.groups, 1):
        sec.add([str(gi), g.name, None, None, None, None, None, None], GROUP)
        for n, h in enumerate(g.households, 1):
            sec.add([str(n), h.head_name, str(h.head_birth_year or ""), h.village, h.size,
                     h.classification_label, "Hộ không nghèo", "15/12/2026"])
        sec.add_total(f"Cộng: {len(g.households)} hộ")
    sec.add_total("Tổng cộng", grand=True)
    return SummaryForm("thoat-ngheo", "Biểu số 06", "DANH SÁCH HỘ THOÁT NGHÈO, THOÁT CẬN NGHÈO NĂM 2026", "",
                       [sec], landscape=False)


def _long_table_pdf(out: str, header: list[str], rows: list[list[str]], widths: list[float], pagesize,
                    size: float) -> None:
    """The bare baseline: reportlab LongTable, plain pre-wrapped cells, header repeated."""
    from reportlab.lib import colors
    from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle

    from gnbv_desktop.io.pdf_common import FONT, LineWrapper, Margins

    wrap = LineWrapper(FONT, size)
    body = [[wrap.wrap(v, w - 5) for v, w in zip(r, widths, strict=True)] for r in rows]
    t = LongTable([header, *body], colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, size), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    m = Margins()
    SimpleDocTemplate(out, pagesize=pagesize, leftMargin=m.left, rightMargin=m.right, topMargin=m.top,
                      bottomMargin=m.bottom).build([t])


def _bare_xlsx(out: str, header: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(out)


def run_bare(printout: str, data, out: str) -> None:
    """The bare library doing the printout's work (values prepared outside the timing are not free:
    they are computed inside, as ours computes them)."""
    from gnbv_desktop.io.pdf_common import LANDSCAPE, PORTRAIT, Margins, column_widths, frame_width, register_fonts

    register_fonts()
    if printout in ("annex-pdf", "annex-xlsx"):
        from gnbv_desktop.io.annex_pdf import COLUMNS, _household_values

        header = [label for label, _ in COLUMNS]
        rows = [_household_values(n, h) for g in data.groups for n, h in enumerate(g.households, 1)]
        if printout == "annex-xlsx":
            _bare_xlsx(out, header, rows)
        else:
            _long_table_pdf(out, header, rows, column_widths(COLUMNS, frame_width(LANDSCAPE, Margins())),
                            LANDSCAPE, 8.5)
    elif printout == "posting-pdf":
        from gnbv_desktop.core.cccd import mask_cccd
        from gnbv_desktop.io.posting_pdf import COLUMNS

        rows = [[str(n), h.head_name, str(h.head_birth_year or ""), mask_cccd(h.head_cccd), h.village, str(h.size),
                 h.classification_label] for g in data.groups for n, h in enumerate(g.households, 1)]
        _long_table_pdf(out, [label for label, _ in COLUMNS], rows,
                        column_widths(COLUMNS, frame_width(PORTRAIT, Margins())), PORTRAIT, 11)
    elif printout in ("forms-pdf", "forms-xlsx"):
        sec = leaving_form(data).sections[0]
        header = [c.label for c in sec.columns]
        if printout == "forms-xlsx":
            _bare_xlsx(out, header, [r.cells for r in sec.rows])
        else:
            rows = [["" if v is None else str(v) for v in r.cells] for r in sec.rows]
            _long_table_pdf(out, header, rows, column_widths([(c.label, c.width) for c in sec.columns],
                                                             frame_width(PORTRAIT, Margins())), PORTRAIT, 9.5)
    else:
        from reportlab.lib.units import mm
        from reportlab.platypus import PageBreak, SimpleDocTemplate

        from gnbv_desktop.io.household_sheets_pdf import _Styles, household_sheet

        m = Margins(top=15 * mm, bottom=18 * mm, left=25 * mm, right=15 * mm)
        width = frame_width(PORTRAIT, m)
        s = _Styles()
        story: list = []
        for i, h in enumerate(data.households):
            if i:
                story.append(PageBreak())
            story += household_sheet(data, h, width, s)
        SimpleDocTemplate(out, pagesize=PORTRAIT, leftMargin=m.left, rightMargin=m.right, topMargin=m.top,
                          bottomMargin=m.bottom).build(story)


def run_ours(printout: str, data, out: str) -> None:
    if printout == "annex-pdf":
        from gnbv_desktop.io.annex_pdf import write_annex_pdf
        write_annex_pdf(data, out)
    elif printout == "annex-xlsx":
        from gnbv_desktop.io.annex_xlsx import write_annex_xlsx
        write_annex_xlsx(data, out)
    elif printout == "posting-pdf":
        from gnbv_desktop.io.posting_pdf import write_posting_pdf
        write_posting_pdf(data, out)
    elif printout in ("forms-pdf", "forms-xlsx"):
        form = leaving_form(data)  # built by the store in real use; counted here since it holds the rows
        if printout == "forms-pdf":
            from gnbv_desktop.io.year_forms_pdf import write_form_pdf
            write_form_pdf([form], data.issuer, out)
        else:
            from gnbv_desktop.io.year_forms_xlsx import write_form_xlsx
            write_form_xlsx([form], data.issuer, out)
    else:
        from gnbv_desktop.io.household_sheets_pdf import write_household_sheets
        write_household_sheets(data, out)


def child(db_path: str, printout: str, n: int, out: str, bare: bool) -> None:
    from gnbv_desktop.store.database import open_database
    from gnbv_desktop.store.report_data import report_data

    db = open_database(Path(db_path))
    data = report_data(db, 2026, with_members=printout == "sheets-pdf")
    grow(data, n)
    data_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.process_time()
    (run_bare if bare else run_ours)(printout, data, out)
    cpu = time.process_time() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"cpu": cpu, "peak_mb": peak_mb, "data_mb": data_mb, "file_mb": os.path.getsize(out) / 2**20}))


def measure(db_path: Path, tmp: Path, printout: str, n: int, bare: bool = False) -> dict:
    out = tmp / f"{printout}-{n}{'-bare' if bare else ''}.{'xlsx' if 'xlsx' in printout else 'pdf'}"
    cmd = [sys.executable, __file__, "--child", str(db_path), printout, str(n), str(out)] + (["--bare"] if bare else [])
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        sys.exit(f"{printout} {n}: {res.stderr[-2000:]}")
    out.unlink()
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,40000")
    parser.add_argument("--sheets-sizes", default="2500,10000")
    parser.add_argument("--big", action="store_true", help="household sheets at --sizes too")
    parser.add_argument("--only", choices=PRINTOUTS, action="append")
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument("--child", nargs=4, metavar=("DB", "PRINTOUT", "N", "OUT"))
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--make-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db_path, printout, n, out = args.child
        child(db_path, printout, int(n), out, args.bare)
        return
    if args.make_db:
        from gnbv_desktop.jobs.demo import create_demo
        from gnbv_desktop.jobs.progress import run_to_end
        from gnbv_desktop.store.database import open_database

        db = open_database(Path(args.make_db))
        run_to_end(create_demo(db, 1500, seed=5, year=2026))
        db.close()
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db_path = tmp / "scale.sqlite3"
        # in a child of its own: Linux hands a parent's peak RSS down to the children it starts,
        # so this process stays small for their ru_maxrss to be their own
        subprocess.run([sys.executable, __file__, "--make-db", str(db_path)], check=True)
        print(f"{'bản in':12} {'số hộ':>7} {'CPU s':>7} {'ms/hộ':>7} {'bộ nhớ MB':>10} {'dữ liệu MB':>10} {'tệp MB':>7}")
        summary = []
        for printout in args.only or PRINTOUTS:
            spec = args.sheets_sizes if printout == "sheets-pdf" and not args.big else args.sizes
            sizes = [int(s) for s in spec.split(",")]
            per_household = []
            for n in sizes:
                r = measure(db_path, tmp, printout, n)
                per_household.append(r["cpu"] / n * 1000)
                print(f"{printout:12} {n:7d} {r['cpu']:7.2f} {per_household[-1]:7.3f} {r['peak_mb']:10.0f} "
                      f"{r['data_mb']:10.0f} {r['file_mb']:7.1f}", flush=True)
            line = f"{printout:12} ms/hộ {sizes[-1]:,} : {sizes[0]:,} = {per_household[-1] / per_household[0]:.2f}"
            if not args.no_bare:
                b = measure(db_path, tmp, printout, sizes[0], bare=True)
                print(f"{printout + ' bare':12} {sizes[0]:7d} {b['cpu']:7.2f} {b['cpu'] / sizes[0] * 1000:7.3f} "
                      f"{b['peak_mb']:10.0f} {b['data_mb']:10.0f} {b['file_mb']:7.1f}", flush=True)
                line += f"; so với thư viện trần ở {sizes[0]:,} hộ = {per_household[0] / (b['cpu'] / sizes[0] * 1000):.2f}"
            summary.append(line)
        print("\ntỷ lệ (mục tiêu: ms/hộ ≤ 1,2; bộ nhớ < 300 MB ở 40.000 hộ)")
        print("\n".join(summary))


if __name__ == "__main__":
    main()
