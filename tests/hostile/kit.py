"""The hostile-input kit's shared oracle: a canonical dump of the database, and the CLI run the
way an official runs it, checked for a clear refusal (exit 1, a Vietnamese message, no traceback).

Every crafted file is generated at test time; nothing binary is kept in the repository.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from gnbv_desktop.cli import main
from gnbv_desktop.store.database import open_database

COMMUNE_CODE = "23764"


def canonical_dump(db_path: Path) -> list[str]:
    """Every schema object and row of the database as sorted SQL text, read by a separate
    plain connection (not the app's), so two dumps are equal exactly when nothing changed.

    The one row of ``audit_session`` is left out: every command names its user there when it opens
    the file (the audit triggers read it); it is who is working, not the commune's data."""
    if not db_path.exists():
        return []
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return sorted(line for line in conn.iterdump() if not line.startswith('INSERT INTO "audit_session"'))
    finally:
        conn.close()


def damage_table(path: Path, table: str) -> None:
    """Overwrite the start of ``table``'s root page (a b-tree page header), as a failing disk would.
    The page is found through a read-only connection, so a WAL left beside the file stays as it is."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek(page_size * (root - 1))
        f.write(b"\xa5" * 64)


def run(capsys, db_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(capsys, db_path: Path, *args: str, says: str = "") -> str:
    """Run a command that must be refused: exit 1, ``Lỗi: …`` on stderr (containing ``says``), no
    traceback, database unchanged. Returns the message."""
    before = canonical_dump(db_path)
    code, _out, err = run(capsys, db_path, *args)
    assert code == 1, err
    assert err.startswith("Lỗi: ") or "\nLỗi: " in err, err
    assert "Traceback" not in err and "Error:" not in err, err
    assert says in err, err
    assert canonical_dump(db_path) == before
    return err


def commune_template(folder: Path, households: int = 12) -> Path:
    """A commune database (demo households for 2025–2026, code 23764) to copy per case."""
    path = folder / "template.sqlite3"
    if not path.exists():
        assert main(["--db", str(path), "demo", "--households", str(households), "--seed", "3", "--year", "2026"]) == 0
        db = open_database(path)
        db.execute("UPDATE settings SET value = ? WHERE key = 'commune_code'", [COMMUNE_CODE])
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    return path


def copy_of(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space
TIME_LIMIT_S = 60


def run_limited(db_path: Path, *args: str) -> tuple[int, str, str]:
    """The CLI as its own process within 1 GiB and 60 s, as the issue's kit demands: a case
    that would exhaust memory or hang fails here instead of taking the test run down."""
    import os
    import resource
    import subprocess
    import sys

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "gnbv_desktop", "--db", str(db_path), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=TIME_LIMIT_S, preexec_fn=limits, check=False)
    return done.returncode, done.stdout, done.stderr
