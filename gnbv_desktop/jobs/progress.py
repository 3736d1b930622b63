"""Progress reports that every long job yields, shown as a progress bar or CLI output."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str = ""


Job = Generator[Progress, None, T]


class Cancelled(Exception):
    """The user cancelled; whatever the job had started was rolled back."""


def run_to_end(job: Job[T], on_progress: Callable[[Progress], Any] | None = None) -> T:
    """Drive a job on the current thread and return its result (CLI and tests)."""
    while True:
        try:
            p = next(job)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None:
            on_progress(p)


def counted(items: list, total: int, message: str, every: int = 200) -> Iterator[tuple[Progress | None, Any]]:
    """Pair items with an occasional progress report, so loops stay readable."""
    for i, item in enumerate(items):
        yield (Progress(i, total, message) if i % every == 0 else None), item
