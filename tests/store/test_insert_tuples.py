"""The bulk insert of an import writes a column holding one value in every row into its statement
instead of binding it on each row: what is stored — value and SQLite type, row by row — must be
exactly what binding every value stores. Oracle: the same rows bound one by one into a twin table,
compared with ``typeof`` and the values read back."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from gnbv_desktop.store.household_import import insert_tuples

COLUMNS = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")


def _twins() -> Database:
    db = Database(sqlite3.connect(":memory:"))
    for name in ("bulk", "bound"):
        # no declared type (no affinity) on most columns, so every stored type shows; two with affinity
        db.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, a, b, c, d, e, f, g, h, i, j TEXT, k INTEGER)")
    return db


def _stored(db: Database, table: str) -> list[tuple]:
    cols = ", ".join(f"typeof({c}), {c}" for c in COLUMNS)
    return db.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()


def _rows(n: int) -> list[tuple]:
    return [(
        "Kinh",  # one text in every row
        "",  # one blank
        None,  # NULL everywhere
        7,  # one integer
        1.0 if i % 2 else 1,  # equal in Python, not the same stored value: bound
        True,  # a bool is bound (stored as 1)
        "a\x00b",  # a NUL would end the statement: bound
        "O'Neil; DROP TABLE bulk; --",  # quotes written as SQL quotes
        2.5,  # a real: bound
        "00123",  # a text of digits into a TEXT column stays text
        f"{i}",  # differs per row: bound, and turned into an integer by the column's affinity
    ) for i in range(n)]


def test_columns_shared_by_every_row_are_stored_exactly_as_bound():
    db = _twins()
    rows = _rows(40)
    insert_tuples(db, "bulk", COLUMNS, rows)
    db.conn.executemany(f"INSERT INTO bound ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    assert _stored(db, "bulk") == _stored(db, "bound")
    assert db.execute("SELECT COUNT(*) FROM bound").fetchone()[0] == 40  # the statement's quotes held


def test_one_row_and_rows_differing_everywhere_are_stored_as_bound():
    db = _twins()
    one = _rows(1)
    insert_tuples(db, "bulk", COLUMNS, one)
    differing = [tuple(f"{v}{i}" if isinstance(v, str) else v for v in r) for i, r in enumerate(_rows(3))]
    insert_tuples(db, "bulk", COLUMNS, iter(differing))  # any iterable of rows
    sql = f"INSERT INTO bound ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    db.conn.executemany(sql, [*one, *differing])
    assert _stored(db, "bulk") == _stored(db, "bound")
