"""The SQL bizsync runs on a Sage 100 database (VIEWS.md), written once.

Each source is aggregated ONCE, in the database (sales: by customer x rep and by item, the
labels of the codes sold joined to the grouped rows; ledger: third party x account), plus
the small reference tables (labels, fiscal years). engine.sage.extract finishes the rankings
from that small result.
(The benchmark's one-query-per-view SQL, the baseline, lives in benchmarks/baseline.py.)

Every date bound is a literal built from a `datetime.date` by the dialect
(never from user text), so the same text runs on every driver.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from bizsync_tui.engine.sage.dialect import Dialect

SALES_INVOICE_TYPES = "6, 7"
OPEN_ORDER_TYPES = "1, 2, 3"
ORDER_BOOK_TYPES = "1, 2, 3, 6, 7"
RETURN_OR_CREDIT = "1, 2"
SITUATION_JOURNAL = 4
TREASURY_JOURNAL = 2


@dataclass(frozen=True)
class Bounds:
    """The periods of VIEWS.md for one `as_of` and fiscal year; both ends inclusive."""

    as_of: _dt.date
    fy_start: _dt.date
    fy_end: _dt.date

    @property
    def month_start(self) -> _dt.date:
        return self.as_of.replace(day=1)

    @property
    def next_day(self) -> _dt.date:
        return self.as_of + _dt.timedelta(days=1)

    @property
    def lower(self) -> _dt.date:
        """The earliest date any view looks at (month start or fiscal-year start)."""
        return min(self.month_start, self.fy_start)


# -- reference tables -----------------------------------------------------------

DOSSIER_SQL = (
    "SELECT D_RaisonSoc, "
    + ", ".join(f"D_DebutExo0{i}, D_FinExo0{i}" for i in range(1, 6))
    + ", N_DeviseCompte FROM P_DOSSIER"
)
DEVISE_SQL = "SELECT cbIndice, D_CodeISO FROM P_DEVISE"
FAMILIES_SQL = "SELECT FA_CodeFamille, FA_Intitule FROM F_FAMILLE WHERE FA_Type = 0"
REPS_SQL = "SELECT CO_No, CO_Nom, CO_Prenom FROM F_COLLABORATEUR"
CATEGORIES_SQL = "SELECT cbIndice, CT_Intitule FROM P_CATTARIF"
ACCOUNTS_SQL = "SELECT CG_Num, CG_Intitule FROM F_COMPTEG"
TREASURY_JOURNALS_SQL = (
    f"SELECT DISTINCT CG_Num FROM F_JOURNAUX WHERE JO_Type = {TREASURY_JOURNAL} AND CG_Num <> ''"
)

# The columns every query touches, per table: a probe for "is this Sage 100 (v16+)?".
REQUIRED_COLUMNS = {
    "P_DOSSIER": DOSSIER_SQL[len("SELECT "):DOSSIER_SQL.index(" FROM")],
    "P_DEVISE": "cbIndice, D_CodeISO",
    "F_COMPTET": "CT_Num, CT_Intitule, CT_Type, CO_No, N_CatTarif",
    "F_ARTICLE": "AR_Ref, AR_Design, FA_CodeFamille",
    "F_FAMILLE": "FA_CodeFamille, FA_Type, FA_Intitule",
    "F_COLLABORATEUR": "CO_No, CO_Nom, CO_Prenom",
    "P_CATTARIF": "cbIndice, CT_Intitule",
    "F_DOCENTETE": "DO_Domaine, DO_Type, DO_Piece, DO_Date, DO_Tiers, CO_No, DO_Cloture, DO_Provenance",
    "F_DOCLIGNE": "DO_Domaine, DO_Type, DO_Piece, AR_Ref, DL_MontantHT, DL_Valorise, DL_PieceBC, DL_DateBC",
    "F_COMPTEG": "CG_Num, CG_Intitule",
    "F_JOURNAUX": "JO_Num, CG_Num, JO_Type",
    "F_ECRITUREC": "JO_Num, JM_Date, EC_Jour, CG_Num, CT_Num, EC_Sens, EC_Montant, EC_ANType",
}


# -- the two grain queries --------------------------------------------------------
#
# Both are one pass over their table with the fewest expressions per row that SQLite, the
# slowest of the three engines per expression, can manage: every period test is ONE CASE
# chain over the period bounds sorted latest first (a row stops at the first bound it
# reaches), the row's kind is folded into the same small integer ("bucket", decoded in
# engine.sage.extract), and each row carries ONE amount (the ledger's debit - credit: every
# accounting view only needs that net). No source row is read twice: PostgreSQL and SQL Server
# group the sales lines by customer x rep and by item in one GROUPING SETS pass; SQLite stages
# them once (their bucket and amount computed) and groups that copy twice (sales_grain_sql).

# Bucket bits. Sales: a sale line of the periods (4) in the month (1) and/or in the year (2);
# an open order-type line of the month (8, portfolio); a line whose order date is in the
# month (16, order book). Ledger: in the month (1), in the year (2); -1 = outside the periods.
MONTH_BIT, YEAR_BIT, SALE_BIT, PORTFOLIO_BIT, ORDER_BOOK_BIT = 1, 2, 4, 8, 16


def _line_amount(d: Dialect) -> str:
    return d.amount("l.DL_MontantHT")


def _signed_sales_amount(d: Dialect) -> str:
    amt = _line_amount(d)
    return f"CASE WHEN h.DO_Provenance IN ({RETURN_OR_CREDIT}) THEN -ABS({amt}) ELSE {amt} END"


def _order_date_in_month(d: Dialect, b: Bounds) -> str:
    month, nxt = d.date(b.month_start), d.date(b.next_day)
    return (f"((l.DL_PieceBC <> '' AND l.DL_DateBC >= {month} AND l.DL_DateBC < {nxt})"
            f" OR (COALESCE(l.DL_PieceBC, '') = '' AND h.DO_Type = 1"
            f" AND h.DO_Date >= {month} AND h.DO_Date < {nxt}))")


_LINES_JOIN = ("F_DOCLIGNE l JOIN F_DOCENTETE h ON h.DO_Domaine = l.DO_Domaine"
               " AND h.DO_Type = l.DO_Type AND h.DO_Piece = l.DO_Piece")


def _period_bits(b: Bounds, day: _dt.date) -> int:
    return (MONTH_BIT if day >= b.month_start else 0) | (YEAR_BIT if day >= b.fy_start else 0)


def _starts(b: Bounds) -> list[_dt.date]:
    """The period starts (month, fiscal year), latest first, without repeats."""
    return sorted({b.month_start, b.fy_start}, reverse=True)


def _sales_bucket(d: Dialect, b: Bounds) -> str:
    month, nxt = d.date(b.month_start), d.date(b.next_day)
    chain = " ".join(f"WHEN h.DO_Date >= {d.date(s)} THEN {SALE_BIT | _period_bits(b, s)}" for s in _starts(b))
    kind = (f"CASE WHEN l.DO_Type IN ({SALES_INVOICE_TYPES}) THEN (CASE {chain} ELSE 0 END)"
            f" WHEN h.DO_Cloture = 0 AND h.DO_Date >= {month} THEN {PORTFOLIO_BIT} ELSE 0 END")
    # order date in the month: DL_DateBC when the line names its order, else the date of a line
    # still on an order (DO_Type 1); never a return or credit line.
    order = (f"CASE WHEN h.DO_Provenance IN ({RETURN_OR_CREDIT}) THEN 0"
             f" WHEN l.DL_PieceBC <> '' THEN (CASE WHEN l.DL_DateBC >= {month} AND l.DL_DateBC < {nxt}"
             f" THEN {ORDER_BOOK_BIT} ELSE 0 END)"
             f" WHEN l.DO_Type = 1 AND h.DO_Date >= {month} THEN {ORDER_BOOK_BIT} ELSE 0 END")
    return f"({kind}) + ({order})"


def sales_lines_sql(d: Dialect, b: Bounds) -> str:
    """The valued sales-domain lines any commercial view reads, one row each: tiers, rep,
    item, bucket, amount (signed for sales: a return or credit invoice line counts -|amount|).
    Filters on the line's own columns first (they decide before the header is looked up).
    The codes are as stored and the rep is the document's (Python gives a line without one its
    customer's: resolving it per line in SQL, F_COMPTET joined to every line, measured slower
    on PostgreSQL than the rows it saves)."""
    month, lower, nxt = d.date(b.month_start), d.date(b.lower), d.date(b.next_day)
    amt = _line_amount(d)
    value = (f"CASE WHEN h.DO_Provenance IN ({RETURN_OR_CREDIT}) AND l.DO_Type IN ({SALES_INVOICE_TYPES})"
             f" THEN -ABS({amt}) ELSE {amt} END")
    return (
        f"SELECT h.DO_Tiers AS tiers, h.CO_No AS rep, l.AR_Ref AS item, {_sales_bucket(d, b)} AS bucket,"
        f" {value} AS amount"
        f" FROM {_LINES_JOIN}"
        f" WHERE l.DO_Domaine = 0 AND l.DO_Type IN ({ORDER_BOOK_TYPES}) AND l.DL_Valorise = 1"
        f" AND h.DO_Date < {nxt}"
        f" AND (h.DO_Date >= {month} OR (l.DO_Type IN ({SALES_INVOICE_TYPES}) AND h.DO_Date >= {lower})"
        f" OR (l.DL_PieceBC <> '' AND l.DL_DateBC >= {month} AND l.DL_DateBC < {nxt}))"
    )


SALES_STAGE = "bizsync_sales_lines"  # SQLite: the TEMP table sales_lines_sql is staged in


def sales_grain_sql(d: Dialect, b: Bounds) -> str:
    """The sales lines grouped the two ways the rankings need, in the database, with the labels
    of the codes sold joined to the grouped rows (never to the lines; no table read whole):
    rows (k, code, rep, month sales, year sales, portfolio, order book, CT_Num, CT_Intitule,
    N_CatTarif, CO_No, AR_Ref, AR_Design, FA_CodeFamille).
    - k = 1: a customer x document rep (rep 0: none), with its customer's row of F_COMPTET
      (NULL: unknown); every line has one, the NULL customer's included, so these rows alone
      carry the portfolio and order-book sums.
    - k = 2: an item (its sale lines; rep, portfolio and order book NULL), with its row of
      F_ARTICLE.
    The buckets are pivoted into the sums; a sum over no such line is NULL, so a customer with
    order lines only is not ranked with 0.00. The codes are joined trimmed (as Python trims
    them): a code stored with spaces around it is the same code.

    PostgreSQL / SQL Server (hash aggregation): one GROUP BY GROUPING SETS pass over the lines.

    SQLite (no hash aggregation: every GROUP BY sorts each row it reads) reads the lines from
    the TEMP table `SALES_STAGE`, where Source.stage has put `sales_lines_sql` first: the
    source is scanned, joined to the headers and each line's bucket and amount computed ONCE,
    then each grouping sorts only the staged rows (five narrow columns) and returns a small
    result (measured at 1 M lines, month shape: staging 2.3 s, customers x reps 1.4 s, items
    0.5 s; the previous single sort at customer x rep x item x bucket, streamed to Python and
    summed there, took 6.4 s)."""
    month, year = _pivot(SALE_BIT | MONTH_BIT, "t"), _pivot(SALE_BIT | YEAR_BIT, "t")
    sums = f"{d.sum(month)} AS month_amount, {d.sum(year)} AS year_amount"
    kinds = f"{d.sum(_pivot(PORTFOLIO_BIT, 't'))} AS portfolio, {d.sum(_pivot(ORDER_BOOK_BIT, 't'))} AS order_book"
    grouped = "g.k, g.code, g.rep, g.month_amount, g.year_amount, g.portfolio, g.order_book"
    customer, no_customer = "c.CT_Num, c.CT_Intitule, c.N_CatTarif, c.CO_No", "NULL, NULL, NULL, NULL"
    item, no_item = "a.AR_Ref, a.AR_Design, a.FA_CodeFamille", "NULL, NULL, NULL"
    if d.grouping_sets:
        return (
            f"SELECT {grouped}, {customer}, {item} FROM"
            " (SELECT CASE WHEN GROUPING(t.item) = 1 THEN 1 ELSE 2 END AS k,"
            " CASE WHEN GROUPING(t.item) = 1 THEN t.tiers ELSE t.item END AS code,"
            " CASE WHEN GROUPING(t.item) = 1 THEN COALESCE(t.rep, 0) END AS rep,"
            f" {sums}, {kinds}"
            f" FROM ({d.fenced(sales_lines_sql(d, b))}) t"
            " GROUP BY GROUPING SETS ((t.tiers, t.rep), (t.item))) g"
            f" LEFT JOIN F_COMPTET c ON g.k = 1 AND c.CT_Num = {d.trim('g.code')}"
            f" LEFT JOIN F_ARTICLE a ON g.k = 2 AND a.AR_Ref = {d.trim('g.code')}"
        )
    stage = f"temp.{SALES_STAGE}"
    return (
        f"SELECT {grouped}, {customer}, {no_item} FROM"
        f" (SELECT 1 AS k, t.tiers AS code, COALESCE(t.rep, 0) AS rep, {sums}, {kinds}"
        f" FROM {stage} t GROUP BY t.tiers, t.rep) g"
        f" LEFT JOIN F_COMPTET c ON c.CT_Num = {d.trim('g.code')}"
        f" UNION ALL SELECT {grouped}, {no_customer}, {item} FROM"
        f" (SELECT 2 AS k, t.item AS code, NULL AS rep, {sums}, NULL AS portfolio, NULL AS order_book"
        f" FROM {stage} t WHERE (t.bucket & {SALE_BIT}) = {SALE_BIT} GROUP BY t.item) g"
        f" LEFT JOIN F_ARTICLE a ON a.AR_Ref = {d.trim('g.code')}"
    )


def _in_list(n: int) -> str:
    return "(" + ", ".join("?" * max(1, int(n))) + ")"


def _pivot(bits: int, alias: str) -> str:
    """The amount of a row whose bucket has every one of `bits`, else NULL (so a sum over no
    such row stays NULL: a customer with order lines only is not ranked with 0.00)."""
    return f"CASE WHEN ({alias}.bucket & {bits}) = {bits} THEN {alias}.amount END"


def _next_month(day: _dt.date) -> _dt.date:
    return (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)


def ledger_months(d: Dialect, b: Bounds, alias: str = "e") -> str:
    """The entries dated lower..as_of: a test on JM_Date for the months (an index on it
    serves), EC_Jour for the days at both ends. The entry date JM_Date + EC_Jour - 1 is never
    computed: JM_Date is the first day of its month in Sage, so "on or after D" is "a later
    month, or D's month and EC_Jour >= D's day"."""
    e = alias
    first, last = b.lower.replace(day=1), b.as_of.replace(day=1)
    tests = [f"{e}.JM_Date >= {d.date(first)}", f"{e}.JM_Date < {d.date(_next_month(b.as_of))}"]
    if b.lower.day != 1:
        tests.append(f"{e}.EC_Jour >= {b.lower.day}" if first == last
                     else f"({e}.JM_Date >= {d.date(_next_month(first))} OR {e}.EC_Jour >= {b.lower.day})")
    if b.next_day.day != 1:  # as_of's month holds days after as_of
        tests.append(f"{e}.EC_Jour <= {b.as_of.day}" if first == last
                     else f"({e}.JM_Date < {d.date(last)} OR {e}.EC_Jour <= {b.as_of.day})")
    return " AND ".join(tests)


def _in_year(b: Bounds, alias: str = "e") -> str | None:
    """Entry date >= fy_start for an entry of ledger_months; None: every one is."""
    if b.fy_start <= b.month_start:
        return None  # lower = fy_start
    # the fiscal year starts inside as_of's month: lower = month start, one month read
    return f"{alias}.EC_Jour >= {b.fy_start.day}"


def _in_month(d: Dialect, b: Bounds, alias: str = "e") -> str | None:
    """Entry date >= the month start for an entry of ledger_months; None: every one is."""
    if b.lower == b.month_start:
        return None
    return f"{alias}.JM_Date >= {d.date(b.month_start)}"


def _prefix_tests(column: str, prefixes) -> list[str] | None:
    """LIKE tests for account prefixes made of letters and digits; None when one holds
    anything else (the caller then reads every row and Python tests the prefix)."""
    tests = []
    for p in prefixes:
        p = str(p)
        if not p:
            continue
        if not p.isascii() or not p.isalnum():
            return None
        tests.append(f"{column} LIKE '{p}%'")
    return tests


def not_situation(alias: str = "e") -> str:
    """Entries outside situation journals (an entry whose journal is unknown counts)."""
    return (f"({alias}.JO_Num IS NULL OR {alias}.JO_Num NOT IN"
            f" (SELECT sj.JO_Num FROM F_JOURNAUX sj WHERE sj.JO_Type = {SITUATION_JOURNAL}"
            f" AND sj.JO_Num IS NOT NULL))")


SITUATION_JOURNALS_SQL = f"SELECT JO_Num FROM F_JOURNAUX WHERE JO_Type = {SITUATION_JOURNAL} AND JO_Num IS NOT NULL"
INLINE_CODES = 100  # at most this many journal codes or accounts as parameters, else a subquery


def ledger_grain_sql(d: Dialect, b: Bounds, revenue_prefixes=("70",), cash_prefixes=(), *,
                     situation=None, treasury=None) -> tuple[str, tuple]:
    """One pass over the entries dated lower..as_of, situation journals left out, grouped by
    third party x account (two keys: the sort SQLite makes for a GROUP BY stays cheap). Rows:
    CT_Num, CG_Num, then three sums of debit - credit: the year's entries, the year's opening
    entries (EC_ANType <> 0), the month's other entries (NULL: no such entry), then the third
    party's CT_Intitule and CT_Type. (Revenue of the year = the first minus the second: each
    entry's amount is computed about once, the opening entries and the month being few.)

    Only the entries some view reads reach the grouping: those with a third party
    (outstanding), on a revenue account (its prefixes) or on a cash account (treasury
    journals' accounts, cash prefixes). A prefix that is not letters and digits turns that
    filter off (Python tests every prefix anyway).

    `situation`: the JO_Num of the situation journals (SITUATION_JOURNALS_SQL) and `treasury`:
    the CG_Num of the treasury journals (TREASURY_JOURNALS_SQL), as the source returned them,
    read first and passed as parameters: SQLite then compares each entry with a few values
    instead of looking it up in the subquery's result (0.6 s of 2.4 s at 1.3 M entries). None
    (or more than INLINE_CODES of them): the subqueries. Returns (sql, parameters)."""
    amt = d.amount("e.EC_Montant")
    net = f"CASE WHEN e.EC_Sens = 0 THEN {amt} ELSE -{amt} END"
    in_year, in_month = _in_year(b), _in_month(d, b)
    year = net if in_year is None else f"CASE WHEN {in_year} THEN {net} END"
    opening = "e.EC_ANType <> 0"  # NULL counts as not an opening entry
    year_opening = f"CASE WHEN {opening}{'' if in_year is None else f' AND {in_year}'} THEN {net} END"
    month_other = (f"CASE WHEN {opening} THEN NULL" + (f" WHEN {in_month} THEN {net}" if in_month else f" ELSE {net}")
                   + " END")
    params: list = []
    where = [ledger_months(d, b)]
    if situation is None or len(situation) > INLINE_CODES:
        where.append(not_situation())
    elif situation:
        where.append(f"(e.JO_Num IS NULL OR e.JO_Num NOT IN {_in_list(len(situation))})")
        params += situation
    revenue, cash = _prefix_tests("e.CG_Num", revenue_prefixes), _prefix_tests("e.CG_Num", cash_prefixes)
    if revenue is not None and cash is not None:
        read = ["e.CT_Num <> ''", *revenue]
        if treasury is None or len(treasury) > INLINE_CODES:
            read.append(f"e.CG_Num IN (SELECT jt.CG_Num FROM F_JOURNAUX jt WHERE jt.JO_Type = {TREASURY_JOURNAL}"
                        " AND jt.CG_Num IS NOT NULL)")
        elif treasury:
            read.append(f"e.CG_Num IN {_in_list(len(treasury))}")
            params += treasury
        read += cash
        where.append("(" + " OR ".join(read) + ")")
    grain = (
        f"SELECT e.CT_Num AS ct, e.CG_Num AS cg, {d.sum(year)} AS year_net,"
        f" {d.sum(year_opening)} AS year_opening, {d.sum(month_other)} AS month_other"
        f" FROM F_ECRITUREC e WHERE {' AND '.join(where)}"
        " GROUP BY e.CT_Num, e.CG_Num"
    )
    # the third party's label and type, for the third parties with entries only
    sql = (f"SELECT g.ct, g.cg, g.year_net, g.year_opening, g.month_other, c.CT_Intitule, c.CT_Type FROM ({grain}) g"
           " LEFT JOIN F_COMPTET c ON c.CT_Num = g.ct")
    return sql, tuple(params)


def extraction_sql(d: Dialect, b: Bounds) -> list[str]:
    """Every text the extraction may run, for the T-SQL parse test."""
    return [DOSSIER_SQL, DEVISE_SQL, FAMILIES_SQL, REPS_SQL,
            CATEGORIES_SQL, ACCOUNTS_SQL, TREASURY_JOURNALS_SQL,
            sales_lines_sql(d, b), sales_grain_sql(d, b), ledger_grain_sql(d, b)[0],
            ledger_grain_sql(d, b, ("70", "7-1"), ("514",))[0],
            ledger_grain_sql(d, b, situation=("SIT",), treasury=("512000", "531000"))[0], SITUATION_JOURNALS_SQL]


def probe_sql(table: str) -> str:
    """A query that fails when `table` or one of the columns bizsync reads is missing."""
    return f"SELECT {REQUIRED_COLUMNS[table]} FROM {table} WHERE 1 = 0"
