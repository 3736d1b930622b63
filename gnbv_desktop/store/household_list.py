"""The year's household list, read in one query: the columns the list page shows, searches and sorts on.

Its own module so that the app's start, which opens on this list, imports no more than the list
needs: the household records with their validation (``store/households.py``, with the catalogues,
the CCCD rules and the standards behind them) load when a household is first opened or saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from gnbv_desktop.core.text import name_sort_key

if TYPE_CHECKING:
    from sqlite_utils import Database


# Số nhân khẩu of the household ``h`` in SQL: the head and the live members, or the number an
# imported list gave when larger (the same rule as ``Household.size``).
SIZE_SQL = ("MAX(1 + (SELECT COUNT(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0), "
            "COALESCE(h.declared_size, 0))")


@dataclass
class HouseholdRow:
    """One line of the household list: what the table shows, searches and sorts on."""

    id: int
    code: str
    head_name: str
    head_cccd: str
    head_birth_year: int | None
    village_id: int | None
    village: str
    classification: str
    size: int
    income: int | None
    deprived: list[str]
    search_key: str
    sort_key: str


# Households first, in file order, each finding its assessment of the year by its (household, year)
# key and its members by the members index: a fifth less work at 20,000 households than starting
# from the year's assessments and counting every member in one grouped pass. CROSS JOIN keeps
# that order (SQLite's planner would start from the assessments).
_FROM_SQL = """
FROM households h
{join} assessments a ON a.household_id = h.id AND a.year = ? AND a.deleted = 0
LEFT JOIN villages v ON v.id = h.village_id
WHERE h.deleted = 0 {where}
"""
# What the table shows, searches and sorts on. The rest of a row (CCCD, year of birth, the
# deficiency list behind the count) is read when asked for, see _ONE_DETAILS_SQL: making those 60,000
# Python strings at 20,000 households was a tenth of the list's query.
_ROW_SELECT = """
SELECT h.id, h.code, h.head_name, h.village_id, COALESCE(v.name, ''), {cls}, """ + SIZE_SQL + """, a.income,
       COALESCE(json_array_length(a.deprived), 0), h.search_key, h.sort_key"""
_DETAILS = "h.head_cccd, h.head_birth_year, COALESCE(a.deprived, '[]')"
_ROWS_SQL = _ROW_SELECT + _FROM_SQL
# Rows and their details in one read (``list_rows``): two queries could see another program's write between them.
_FULL_ROWS_SQL = _ROW_SELECT + ", " + _DETAILS + _FROM_SQL
_ONE_DETAILS_SQL = "SELECT h.id, " + _DETAILS + """ FROM households h
LEFT JOIN assessments a ON a.household_id = h.id AND a.year = ? AND a.deleted = 0 WHERE h.id = ?"""
_NO_DETAILS = ("", None, "[]")  # a household deleted (or added) since its list was read

# The columns of a list row, in the order of _ROWS_SQL.
_COLUMNS = ("ids", "codes", "head_names", "village_ids", "villages", "classifications", "sizes", "incomes",
            "deprived_counts", "search_keys", "sort_keys")
_POSITION = {name: k for k, name in enumerate(_COLUMNS)}

# Household id → (CCCD of the head, year of birth, deficiency list as stored JSON).
Details = Callable[[int], tuple[str, "int | None", str]]


class HouseholdColumns:
    """The year's list as columns: row ``i`` is ``ids[i]``, ``head_names[i]``, … .

    The household list of a merged commune has 20,000 rows, read in one query. A column (one
    tuple, made in C) is made from the rows the first time it is asked for: the list's first screen
    needs only the sort keys (the rest of a screenful is read from its rows, see :meth:`getter`),
    the search its search keys; making all eleven at once took longer than sorting the list. What
    the table does not show comes from ``details`` (household id → CCCD, year of birth, deficiency
    list) when a tooltip or :meth:`row` asks for it; the table shows the count SQLite computed.
    Rows come in storage order; the list model keeps its own order of indices.
    """

    ids: tuple[int, ...]
    codes: tuple[str, ...]
    head_names: tuple[str, ...]
    village_ids: tuple[int | None, ...]
    villages: tuple[str, ...]
    classifications: tuple[str, ...]
    sizes: tuple[int, ...]
    incomes: tuple[int | None, ...]
    deprived_counts: tuple[int, ...]
    search_keys: tuple[str, ...]
    sort_keys: tuple[str, ...]

    def __init__(self, rows: list[tuple], details: Details | None = None):
        self.rows = rows
        self.details = details
        if None in self.sort_keys or "" in self.sort_keys:  # rows saved before sort keys were stored
            self.sort_keys = tuple(k or name_sort_key(n) for k, n in zip(self.sort_keys, self.head_names, strict=True))

    def __getattr__(self, name: str) -> tuple:
        position = _POSITION.get(name)
        if position is None or name == "rows":
            raise AttributeError(name)
        column = tuple(map(itemgetter(position), self.rows))
        setattr(self, name, column)  # made once
        return column

    def getter(self, name: str) -> Callable[[int], Any]:
        """Row number → the value in column ``name``, read from the row if the column is not made."""
        made = self.__dict__.get(name)
        if made is not None:
            return made.__getitem__
        rows, position = self.rows, _POSITION[name]
        return lambda i: rows[i][position]

    def __len__(self) -> int:
        return len(self.rows)

    def _details(self, i: int) -> tuple[str, int | None, str]:
        if self.details is None:
            raise LookupError("HouseholdColumns made without details")
        return self.details(self.rows[i][_POSITION["ids"]])

    def deprived(self, i: int) -> list[str]:
        return json.loads(self._details(i)[2]) if self.rows[i][_POSITION["deprived_counts"]] else []

    def row(self, i: int) -> HouseholdRow:
        (hid, code, name, village_id, village, classification, size, income, count, search_key,
         _sort_key) = self.rows[i]
        cccd, birth_year, deprived = self._details(i)
        return HouseholdRow(hid, code, name, cccd, birth_year, village_id, village, classification, size, income,
                            json.loads(deprived) if count else [], search_key, self.sort_keys[i])


def _list_sql(select: str, include_unassessed: bool, village_id: int | None, classification: str | None,
              year: int) -> tuple[str, list]:
    where, params = [], [year]
    if village_id is not None:
        where.append("AND h.village_id = ?")
        params.append(village_id)
    if classification:
        where.append("AND a.classification = ?")
        params.append(classification)
    sql = select.format(
        cls="COALESCE(a.classification, '')",
        join="LEFT JOIN" if include_unassessed else "CROSS JOIN",
        where=" ".join(where),
    )
    return sql, params


def list_columns(
    db: Database,
    year: int,
    *,
    village_id: int | None = None,
    classification: str | None = None,
    include_unassessed: bool = False,
) -> HouseholdColumns:
    """The year's list (households assessed for ``year``), or every household when asked; the
    details of a row are read from ``db`` when asked for (one household at a time)."""
    sql, params = _list_sql(_ROWS_SQL, include_unassessed, village_id, classification, year)

    def details(household_id: int) -> tuple[str, int | None, str]:
        found = db.execute(_ONE_DETAILS_SQL, [year, household_id]).fetchone()
        return found[1:] if found else _NO_DETAILS

    return HouseholdColumns(db.execute(sql, params).fetchall(), details)


def list_rows(
    db: Database,
    year: int,
    *,
    village_id: int | None = None,
    classification: str | None = None,
    include_unassessed: bool = False,
) -> list[HouseholdRow]:
    """:func:`list_columns` as one :class:`HouseholdRow` per household (the CLI, small lists),
    each row read with its details in the same query."""
    sql, params = _list_sql(_FULL_ROWS_SQL, include_unassessed, village_id, classification, year)
    width = len(_COLUMNS)
    full = db.execute(sql, params).fetchall()
    details = {r[0]: r[width:] for r in full}
    columns = HouseholdColumns([r[:width] for r in full], lambda hid: details[hid])
    return [columns.row(i) for i in range(len(columns))]
