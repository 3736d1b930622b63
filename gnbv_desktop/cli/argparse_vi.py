"""argparse speaks Vietnamese: its usage line, section titles and error messages.

argparse looks its messages up through ``gettext`` at the moment it prints them, and Python ships
no Vietnamese catalogue, so an official who mistypes a command would read "usage:", "error:
argument --year: invalid int value". The messages below are argparse's own keys; anything not
listed (messages about how the parser itself is built, which a user never sees) stays as is.
"""

from __future__ import annotations

import argparse
import gettext

MESSAGES = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "in phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn %(value)r không có (chọn một trong: %(choices)s)",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ, có thể là %(matches)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "giá trị %r không dùng được ở đây",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "cần %s giá trị"
    return gettext.ngettext(singular, plural, n)


def install() -> None:
    """Route argparse's message look-ups through the Vietnamese table (idempotent)."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
