"""The small SQL dialect layer: what differs between SQLite, PostgreSQL and SQL Server.

The queries of engine.queries are written once; they ask a `Dialect` for the
few fragments that differ: date literals, the entry date of a ledger line
(`JM_Date` + `EC_Jour` - 1 days), string concatenation, top-N, and how an
amount is summed exactly. Values coming back are normalised here too
(TOOLCHAIN.md: each driver returns different Python types).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

# SQLite keeps amounts as REAL, PostgreSQL as numeric(24,6): both sum them as integers of
# millionths (six decimals), which is exact, then scaled back here. (On PostgreSQL a sum of
# bigints is half the work of a sum of numerics, and a grouping's sums take less memory.)
_MICRO = Decimal(1_000_000)

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
MSSQL = "mssql"


@dataclass(frozen=True)
class Dialect:
    name: str

    # -- dates -------------------------------------------------------------
    def date(self, day: _dt.date) -> str:
        """A literal for the start of `day`, comparable with a datetime column.

        SQLite copies store datetimes as text 'YYYY-MM-DD HH:MM:SS' (or just the
        date): the bare 'YYYY-MM-DD' sorts before every time of that day and after
        every time of the day before, so `col >= 'D'` and `col < 'D+1'` are exact.
        The text comes from a date object, never from user input.
        """
        if not isinstance(day, _dt.date):
            raise TypeError("a date is needed")
        text = day.isoformat()[:10]
        if self.name == SQLITE:
            return f"'{text}'"
        if self.name == POSTGRESQL:
            return f"TIMESTAMP '{text} 00:00:00'"
        return f"CONVERT(datetime, '{text.replace('-', '')}', 112)"

    def entry_date(self, alias: str = "e") -> str:
        """The date of a ledger entry: JM_Date + (EC_Jour - 1) days."""
        a = f"{alias}." if alias else ""
        if self.name == SQLITE:
            return f"date({a}JM_Date, '+' || ({a}EC_Jour - 1) || ' days')"
        if self.name == POSTGRESQL:
            return f"({a}JM_Date + ({a}EC_Jour - 1) * INTERVAL '1 day')"
        return f"DATEADD(day, {a}EC_Jour - 1, {a}JM_Date)"

    # -- amounts -----------------------------------------------------------
    @property
    def millionths(self) -> bool:
        """Amounts are summed as integers of millionths (SQLite, PostgreSQL); SQL Server sums
        its numeric(24,6) as they are."""
        return self.name in (SQLITE, POSTGRESQL)

    def amount(self, expr: str) -> str:
        """A per-row amount in the unit sums are made in (see `to_decimal`). PostgreSQL's cast
        of a numeric(24,6) times 10^6 to bigint is exact (it has no more decimals); an amount
        over 9.2 trillion would stop the query with an error, never wrap."""
        if self.name == SQLITE:
            return f"CAST(ROUND(({expr}) * 1000000) AS INTEGER)"
        if self.name == POSTGRESQL:
            return f"CAST(({expr}) * 1000000 AS bigint)"
        return f"({expr})"

    def sum(self, expr: str) -> str:
        """SUM of `amount()` values. SQLite: as text, since the SQLite ODBC driver reads an
        integer column as 32 bits and would wrap sums over 2,147 in currency units.
        PostgreSQL: a bigint of millionths, which the driver hands over as an int, faster than a
        Decimal (a sum over 9.2 trillion stops the query with an error, never wraps)."""
        if self.name == SQLITE:
            return f"CAST(SUM({expr}) AS TEXT)"
        if self.name == POSTGRESQL:  # SUM(bigint) is a numeric; a bigint reaches Python as an int
            return f"CAST(SUM({expr}) AS bigint)"
        return f"SUM({expr})"

    def partial(self, value):
        """A summed value as a number that adds up exactly and fast (SQLite, PostgreSQL: an
        int of millionths; SQL Server: the Decimal the driver gives); None stays None. Turned
        into currency units by `to_decimal` once every partial sum is added."""
        if value is None:
            return None
        if self.millionths:
            return int(value)
        return value if isinstance(value, Decimal) else Decimal(str(value))

    def to_decimal(self, value) -> Decimal:
        """A summed value back to an exact Decimal in currency units."""
        if value is None:
            return Decimal(0)
        if self.millionths:
            if isinstance(value, int):
                return Decimal(value).scaleb(-6)  # exact: an int of millionths
            return Decimal(str(value)) / _MICRO
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return value

    # -- text --------------------------------------------------------------
    def concat(self, *parts: str) -> str:
        op = " + " if self.name == MSSQL else " || "
        return "(" + op.join(parts) + ")"

    def trim(self, expr: str) -> str:
        return f"LTRIM(RTRIM({expr}))"

    def coalesce_text(self, expr: str) -> str:
        return f"COALESCE({expr}, '')"

    def fenced(self, select: str) -> str:
        """`select` as a subquery whose columns are computed once per row. PostgreSQL pastes a
        subquery's expressions into every outer expression that reads them (a bucket read by
        four sums was computed four times): OFFSET 0 keeps it a step of its own (mixed at 1 M
        lines: the sales grain 0.75 s -> 0.59 s). SQL Server computes such a column once in a
        Compute Scalar; SQLite reads a staged table."""
        if self.name == POSTGRESQL:
            return f"{select} OFFSET 0"
        return select

    # -- grouping ----------------------------------------------------------
    @property
    def grouping_sets(self) -> bool:
        """GROUP BY GROUPING SETS (PostgreSQL, SQL Server; SQLite has none)."""
        return self.name != SQLITE

    # -- top N -------------------------------------------------------------
    def top(self, select_body: str, n: int) -> str:
        """`select_body` starts after SELECT and ends with its ORDER BY."""
        n = int(n)
        if self.name == MSSQL:
            return f"SELECT TOP {n} {select_body}"
        return f"SELECT {select_body} LIMIT {n}"


DIALECTS = {name: Dialect(name) for name in (SQLITE, POSTGRESQL, MSSQL)}


def get(name: str) -> Dialect:
    return DIALECTS[name]


def dialect_of_dbms(dbms_name: str) -> Dialect:
    """The dialect of a connection from its SQL_DBMS_NAME."""
    low = (dbms_name or "").lower()
    if "sqlite" in low:
        return DIALECTS[SQLITE]
    if "postgres" in low:
        return DIALECTS[POSTGRESQL]
    # SQL Server (and drivers that speak its SQL) is the default.
    return DIALECTS[MSSQL]


# -- value normalisation at the edge -----------------------------------------

def to_date(value) -> _dt.date | None:
    """date, datetime or text 'YYYY-MM-DD[ HH:MM:SS]' to a date; None stays None."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    return _dt.date.fromisoformat(text[:10])


def to_text(value) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    return str(value).strip()


def to_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    return int(Decimal(str(value)))
