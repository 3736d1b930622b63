"""Run the ``gnbv`` CLI in-process and capture what it prints."""

from __future__ import annotations

import json

from gnbv_desktop.cli import main


def run_cli(capsys, db_path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, db_path, *args: str):
    code, out, err = run_cli(capsys, db_path, *args)
    assert code == 0, err
    return json.loads(out)


def run_without_db(capsys, *args: str) -> str:
    """A command that needs no database, run without ``--db`` (default data folder)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out
