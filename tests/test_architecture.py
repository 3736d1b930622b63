"""The dependency direction the project promises: core ← store ← io/jobs ← gui/cli ← app.

Checked on the source text of every module, so a stray import fails here, not on a user's machine
without a display.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gnbv_desktop"

# layer → layers it must not import
FORBIDDEN = {
    "core": {"store", "io", "jobs", "gui", "cli", "app"},
    "store": {"io", "jobs", "gui", "cli", "app"},
    "io": {"jobs", "gui", "cli", "app"},
    "jobs": {"gui", "cli", "app"},
    "cli": {"gui", "app"},
    "gui": {"cli", "app"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layering(path: Path):
    rel = path.relative_to(PACKAGE)
    layer = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    imported = _imports(path)
    if layer not in ("gui", "app"):
        assert not any(n.split(".")[0] == "PySide6" for n in imported), f"{rel} imports Qt"
    for name in imported:
        parts = name.split(".")
        if parts[0] == "gnbv_desktop" and len(parts) > 1:
            assert parts[1] not in FORBIDDEN.get(layer, set()), f"{rel} imports {name}"
