"""Every command example a user can copy — ``gnbv --help`` and the README's code blocks — names
its database with ``--db`` and runs, in order, in a new folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from gnbv_desktop.cli import build_parser, main
from gnbv_desktop.cli.examples import EXAMPLES

README = Path(__file__).resolve().parents[2] / "README.md"


def command_lines(text: str) -> list[list[str]]:
    """The ``gnbv …`` commands of a text (continuation lines joined, comments dropped), as argv."""
    joined = re.sub(r"\\\n\s*", " ", text)
    commands = []
    for line in joined.splitlines():
        if line.strip().startswith("gnbv "):
            commands.append(shlex.split(line, comments=True)[1:])
    return commands


def readme_commands() -> list[list[str]]:
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    return [argv for block in blocks for argv in command_lines(block)]


def help_texts() -> list[str]:
    parser = build_parser()
    texts = [parser.format_help()]
    sub = next(a for a in parser._actions if a.dest == "command")
    texts += [p.format_help() for p in sub.choices.values()]
    return texts


def test_help_shows_the_examples_of_the_readme():
    main_help = help_texts()[0]
    assert command_lines(main_help) == command_lines(EXAMPLES) != []
    assert command_lines(EXAMPLES) == readme_commands()


@pytest.mark.parametrize("argv", command_lines(EXAMPLES), ids=lambda a: " ".join(a[2:4]))
def test_every_example_names_its_database(argv):
    assert argv[0] == "--db" and argv[1].endswith(".sqlite3")


def test_every_example_runs_in_order(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "matkhau.txt").write_text("mat-khau-thong-nhat-2026\n", encoding="utf-8")  # agreed with the upper level
    for argv in command_lines(EXAMPLES):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, f"gnbv {shlex.join(argv)}\n{err}"
    for made in ("xa.sqlite3", "mau.sqlite3", "tonghop.sqlite3", "danhsach.xlsx", "phuluc.pdf", "phieu.pdf",
                 "niemyet.pdf", "goi.gnbv", "thamchieu.gnbvref"):
        assert (tmp_path / made).stat().st_size > 0, made


def test_targets_example_of_ref_export_help_is_accepted(tmp_path, capsys):
    ref_help = next(t for t in help_texts() if "usage: gnbv ref-export" in t)
    example = re.search(r"ví dụ\s+(\{.*\}\})", " ".join(ref_help.split())).group(1)
    (tmp_path / "chitieu.json").write_text(example, encoding="utf-8")
    agg = tmp_path / "tonghop.sqlite3"
    from gnbv_desktop.store.aggregate import make_aggregate
    from gnbv_desktop.store.database import open_database

    db = open_database(agg)
    make_aggregate(db)
    db.close()
    code = main(["--db", str(agg), "ref-export", str(tmp_path / "t.gnbvref"), "--year", "2026",
                 "--targets", str(tmp_path / "chitieu.json")])
    assert code == 0, capsys.readouterr().err
