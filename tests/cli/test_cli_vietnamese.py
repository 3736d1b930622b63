"""What the command line prints on a mistyped command or --help is Vietnamese, not argparse's English."""

from __future__ import annotations

import pytest

from gnbv_desktop.cli import build_parser, main

ENGLISH = ("usage:", "error:", "options:", "show this help", "invalid int value", "required:", "unrecognized",
           "invalid choice", "expected one argument", "positional arguments")


@pytest.mark.parametrize("argv", [
    ["classify", "--year", "abc"],
    ["classify", "--area", "moon"],
    ["stats", "--khong-co"],
    ["annex"],
    ["lenh-la"],
    ["--db"],
])
def test_usage_errors_are_vietnamese(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "lỗi:" in err and "cách dùng:" in err
    assert not [w for w in ENGLISH if w in err], err


def test_every_help_is_vietnamese(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for text in [parser.format_help(), *(p.format_help() for p in sub.choices.values())]:
        assert "cách dùng:" in text
        assert not [w for w in ENGLISH if w in text], text
