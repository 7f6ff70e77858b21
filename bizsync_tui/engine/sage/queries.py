"""The SQL bizsync runs on a Sage 100 database (VIEWS.md), written once.

Two families of queries:

* the extraction's: each source is aggregated ONCE, in the database, at the
  finest grain the views need (sales: customer x item x document rep x
  month/year flags, with the portfolio and order-book amounts as extra
  columns; ledger: account x third party x month/year/opening flags), plus the
  small reference tables (labels, fiscal years). engine.extract finishes the
  rankings from that small result;
* the straightforward one-query-per-view text (`naive_view_sql`), as VIEWS.md
  reads, kept for the benchmark and as a cross-check in the tests.

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
THIRD_PARTIES_SQL = "SELECT CT_Num, CT_Intitule, CT_Type, CO_No, N_CatTarif FROM F_COMPTET"
ITEMS_SQL = "SELECT AR_Ref, AR_Design, FA_CodeFamille FROM F_ARTICLE"
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


def sales_grain_sql(d: Dialect, b: Bounds) -> str:
    """One pass over the valued sales lines dated on or before as_of, grouped two ways at once.

    Each joined line is counted under two keys (a CROSS JOIN with k = 1, 2, the portable
    form of GROUPING SETS): k = 1 -> (customer, document rep), k = 2 -> (item, 0). Rows:
    k, code, rep, bucket, sales, portfolio, order book, where bucket = in_month + 2 * in_year
    + 4 * is_sale (is_sale: a sales invoice line of the periods; other lines are order-type
    lines that only feed the portfolio and order-book sums, which k = 1 rows carry).
    """
    month, fy, lower, nxt = (d.date(b.month_start), d.date(b.fy_start),
                             d.date(b.lower), d.date(b.next_day))
    amt = _line_amount(d)
    order_in_month = _order_date_in_month(d, b)
    is_sale = f"h.DO_Type IN ({SALES_INVOICE_TYPES}) AND h.DO_Date >= {lower}"
    inner = (
        "SELECT h.DO_Tiers AS tiers, l.AR_Ref AS item, h.CO_No AS rep,"
        f" (CASE WHEN h.DO_Date >= {month} THEN 1 ELSE 0 END)"
        f" + (CASE WHEN h.DO_Date >= {fy} THEN 2 ELSE 0 END)"
        f" + (CASE WHEN {is_sale} THEN 4 ELSE 0 END) AS bucket,"
        f" CASE WHEN {is_sale} THEN {_signed_sales_amount(d)} ELSE 0 END AS sales,"
        f" CASE WHEN h.DO_Type IN ({OPEN_ORDER_TYPES}) AND h.DO_Cloture = 0 AND h.DO_Date >= {month}"
        f" THEN {amt} ELSE 0 END AS portfolio,"
        f" CASE WHEN h.DO_Provenance NOT IN ({RETURN_OR_CREDIT}) AND {order_in_month}"
        f" THEN {amt} ELSE 0 END AS orderbook"
        f" FROM {_LINES_JOIN}"
        f" WHERE h.DO_Domaine = 0 AND l.DL_Valorise = 1 AND h.DO_Date < {nxt}"
        f" AND h.DO_Type IN ({ORDER_BOOK_TYPES})"
        f" AND ((h.DO_Type IN ({SALES_INVOICE_TYPES}) AND h.DO_Date >= {lower})"
        f" OR (h.DO_Type IN ({OPEN_ORDER_TYPES}) AND h.DO_Date >= {month})"
        f" OR (l.DL_PieceBC <> '' AND l.DL_DateBC >= {month} AND l.DL_DateBC < {nxt}))"
    )
    code = "CASE WHEN x.k = 1 THEN t.tiers ELSE t.item END"
    rep = "CASE WHEN x.k = 1 THEN t.rep ELSE 0 END"
    return (
        f"SELECT x.k, {code}, {rep}, t.bucket, {d.sum('t.sales')},"
        f" {d.sum('CASE WHEN x.k = 1 THEN t.portfolio ELSE 0 END')},"
        f" {d.sum('CASE WHEN x.k = 1 THEN t.orderbook ELSE 0 END')}"
        f" FROM ({inner}) t CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 AS k) x"
        f" GROUP BY x.k, {code}, {rep}, t.bucket"
    )


def _next_month(day: _dt.date) -> _dt.date:
    return (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)


def entry_on_or_after(d: Dialect, day: _dt.date, alias: str = "e") -> str:
    """entry date (JM_Date + EC_Jour - 1) >= day, without date arithmetic: Sage's JM_Date is
    the first day of the entry's month, so the test is on the month, then on EC_Jour."""
    m = day.replace(day=1)
    if day.day == 1:
        return f"{alias}.JM_Date >= {d.date(m)}"
    return (f"({alias}.JM_Date >= {d.date(_next_month(m))} OR ({alias}.JM_Date >= {d.date(m)}"
            f" AND {alias}.EC_Jour >= {day.day}))")


def entry_before(d: Dialect, day: _dt.date, alias: str = "e") -> str:
    """entry date < day (same month rule as entry_on_or_after)."""
    m = day.replace(day=1)
    if day.day == 1:
        return f"{alias}.JM_Date < {d.date(m)}"
    return (f"({alias}.JM_Date < {d.date(m)} OR ({alias}.JM_Date < {d.date(_next_month(m))}"
            f" AND {alias}.EC_Jour < {day.day}))")


def _ledger_filter(d: Dialect, b: Bounds, alias: str = "e") -> str:
    """Valid entries (no situation journal) dated lower..as_of."""
    return (f"(j.JO_Type IS NULL OR j.JO_Type <> {SITUATION_JOURNAL})"
            f" AND {alias}.JM_Date >= {d.date(b.lower.replace(day=1))} AND {alias}.JM_Date < {d.date(_next_month(b.as_of))}"
            f" AND {entry_on_or_after(d, b.lower, alias)} AND {entry_before(d, b.next_day, alias)}")


_LEDGER_JOIN = "F_ECRITUREC e LEFT JOIN F_JOURNAUX j ON j.JO_Num = e.JO_Num"


def ledger_grain_sql(d: Dialect, b: Bounds) -> str:
    """One pass over the ledger lower..as_of: account, third party, bucket, debit and credit sums;
    bucket = in_month + 2 * in_year + 4 * opening."""
    amt = d.amount("e.EC_Montant")
    inner = (
        "SELECT e.CG_Num AS cg, e.CT_Num AS ct,"
        f" (CASE WHEN {entry_on_or_after(d, b.month_start)} THEN 1 ELSE 0 END)"
        f" + (CASE WHEN {entry_on_or_after(d, b.fy_start)} THEN 2 ELSE 0 END)"
        " + (CASE WHEN e.EC_ANType <> 0 THEN 4 ELSE 0 END) AS bucket,"
        f" CASE WHEN e.EC_Sens = 0 THEN {amt} ELSE 0 END AS debit,"
        f" CASE WHEN e.EC_Sens = 1 THEN {amt} ELSE 0 END AS credit"
        f" FROM {_LEDGER_JOIN}"
        f" WHERE {_ledger_filter(d, b)}"
    )
    return (
        f"SELECT t.cg, t.ct, t.bucket, {d.sum('t.debit')}, {d.sum('t.credit')}"
        f" FROM ({inner}) t"
        " GROUP BY t.cg, t.ct, t.bucket"
    )


def extraction_sql(d: Dialect, b: Bounds) -> list[str]:
    """Every text the extraction may run, for the T-SQL parse test."""
    return [DOSSIER_SQL, DEVISE_SQL, THIRD_PARTIES_SQL, ITEMS_SQL, FAMILIES_SQL, REPS_SQL,
            CATEGORIES_SQL, ACCOUNTS_SQL, TREASURY_JOURNALS_SQL,
            sales_grain_sql(d, b), ledger_grain_sql(d, b)]


def probe_sql(table: str) -> str:
    """A query that fails when `table` or one of the columns bizsync reads is missing."""
    return f"SELECT {REQUIRED_COLUMNS[table]} FROM {table} WHERE 1 = 0"


# -- the straightforward text, one query per view (benchmark, cross-check) ----------

def naive_view_sql(d: Dialect, b: Bounds, view_id: str, *, revenue_prefixes=("70",),
                   cash_prefixes=()) -> list[str]:
    """The SQL of one view as VIEWS.md reads, run bare: one query (two for month+year rankings
    are separate views, so one each). Rankings come back already cut to 5, balances complete.

    Rows: amount views -> one row (month, year) or (month,);
    rankings -> (code, label, amount); balances -> (code, label, amount).
    """
    month, fy, nxt = d.date(b.month_start), d.date(b.fy_start), d.date(b.next_day)
    amt = _line_amount(d)
    signed = _signed_sales_amount(d)
    sales_where = (f"h.DO_Domaine = 0 AND h.DO_Type IN ({SALES_INVOICE_TYPES}) AND l.DL_Valorise = 1"
                   f" AND h.DO_Date < {nxt}")
    if view_id == "sales_revenue":
        return [f"SELECT {d.sum(f'CASE WHEN h.DO_Date >= {month} THEN {signed} ELSE 0 END')},"
                f" {d.sum(f'CASE WHEN h.DO_Date >= {fy} THEN {signed} ELSE 0 END')}"
                f" FROM {_LINES_JOIN} WHERE {sales_where} AND h.DO_Date >= {d.date(b.lower)}"]
    if view_id == "sales_portfolio_month":
        return [f"SELECT {d.sum(amt)} FROM {_LINES_JOIN} WHERE h.DO_Domaine = 0"
                f" AND h.DO_Type IN ({OPEN_ORDER_TYPES}) AND h.DO_Cloture = 0 AND l.DL_Valorise = 1"
                f" AND h.DO_Date >= {month} AND h.DO_Date < {nxt}"]
    if view_id == "order_book_month":
        return [f"SELECT {d.sum(amt)} FROM {_LINES_JOIN} WHERE h.DO_Domaine = 0"
                f" AND h.DO_Type IN ({ORDER_BOOK_TYPES}) AND h.DO_Provenance NOT IN ({RETURN_OR_CREDIT})"
                f" AND l.DL_Valorise = 1 AND h.DO_Date < {nxt} AND {_order_date_in_month(d, b)}"]
    if view_id.startswith("top_") and view_id.endswith(("_month", "_year")) and "outstanding" not in view_id:
        start = month if view_id.endswith("_month") else fy
        where = f"{sales_where} AND h.DO_Date >= {start}"
        order = f"ORDER BY SUM({signed}) DESC, 1 ASC"
        kind = view_id[len("top_"):view_id.rindex("_")]
        if kind == "customers":
            body = (f"h.DO_Tiers, MAX(c.CT_Intitule), {d.sum(signed)} FROM {_LINES_JOIN}"
                    f" LEFT JOIN F_COMPTET c ON c.CT_Num = h.DO_Tiers WHERE {where}"
                    f" GROUP BY h.DO_Tiers {order}")
        elif kind == "customer_categories":
            body = (f"c.N_CatTarif, MAX(p.CT_Intitule), {d.sum(signed)} FROM {_LINES_JOIN}"
                    f" JOIN F_COMPTET c ON c.CT_Num = h.DO_Tiers"
                    f" LEFT JOIN P_CATTARIF p ON p.cbIndice = c.N_CatTarif"
                    f" WHERE {where} AND c.N_CatTarif IS NOT NULL GROUP BY c.N_CatTarif {order}")
        elif kind == "items":
            body = (f"l.AR_Ref, MAX(a.AR_Design), {d.sum(signed)} FROM {_LINES_JOIN}"
                    f" LEFT JOIN F_ARTICLE a ON a.AR_Ref = l.AR_Ref"
                    f" WHERE {where} AND l.AR_Ref <> '' GROUP BY l.AR_Ref {order}")
        elif kind == "item_families":
            body = (f"a.FA_CodeFamille, MAX(f.FA_Intitule), {d.sum(signed)} FROM {_LINES_JOIN}"
                    f" JOIN F_ARTICLE a ON a.AR_Ref = l.AR_Ref"
                    f" LEFT JOIN F_FAMILLE f ON f.FA_CodeFamille = a.FA_CodeFamille AND f.FA_Type = 0"
                    f" WHERE {where} AND l.AR_Ref <> '' AND a.FA_CodeFamille <> ''"
                    f" GROUP BY a.FA_CodeFamille {order}")
        elif kind == "sales_reps":
            rep = "CASE WHEN h.CO_No <> 0 THEN h.CO_No ELSE c.CO_No END"
            label = d.trim(d.concat(d.coalesce_text("r.CO_Nom"), "' '", d.coalesce_text("r.CO_Prenom")))
            body = (f"x.rep, MAX(x.label), {d.sum('x.amount')} FROM (SELECT {rep} AS rep, {label} AS label,"
                    f" {signed} AS amount FROM {_LINES_JOIN}"
                    f" LEFT JOIN F_COMPTET c ON c.CT_Num = h.DO_Tiers"
                    f" LEFT JOIN F_COLLABORATEUR r ON r.CO_No = {rep}"
                    f" WHERE {where} AND (h.CO_No <> 0 OR c.CO_No <> 0)) x"
                    f" GROUP BY x.rep ORDER BY SUM(x.amount) DESC, 1 ASC")
        else:
            raise ValueError(view_id)
        return [d.top(body, 5)]
    ed = d.entry_date("e")
    led = (f"FROM {_LEDGER_JOIN} WHERE (j.JO_Type IS NULL OR j.JO_Type <> {SITUATION_JOURNAL})"
           f" AND {ed} < {nxt}")
    debit = f"CASE WHEN e.EC_Sens = 0 THEN {d.amount('e.EC_Montant')} ELSE 0 END"
    credit = f"CASE WHEN e.EC_Sens = 1 THEN {d.amount('e.EC_Montant')} ELSE 0 END"
    if view_id == "accounting_revenue":
        pref = " OR ".join(f"e.CG_Num LIKE '{_like(p)}%'" for p in revenue_prefixes) or "1 = 0"
        return [f"SELECT {d.sum(f'CASE WHEN {ed} >= {month} THEN {credit} - {debit} ELSE 0 END')},"
                f" {d.sum(f'CASE WHEN {ed} >= {fy} THEN {credit} - {debit} ELSE 0 END')}"
                f" {led} AND {ed} >= {d.date(b.lower)} AND e.EC_ANType = 0 AND ({pref})"]
    if view_id in ("top_customer_outstanding", "top_supplier_outstanding"):
        ct_type, bal = (0, f"{debit} - {credit}") if "customer" in view_id else (1, f"{credit} - {debit}")
        return [f"SELECT e.CT_Num, MAX(c.CT_Intitule), {d.sum(bal)} {led.replace('WHERE', 'JOIN F_COMPTET c ON c.CT_Num = e.CT_Num WHERE', 1)}"
                f" AND {ed} >= {fy} AND c.CT_Type = {ct_type} GROUP BY e.CT_Num"
                f" HAVING SUM({bal}) > 0 ORDER BY SUM({bal}) DESC, 1 ASC"]
    if view_id == "cash_position":
        pref = " OR ".join(f"g.CG_Num LIKE '{_like(p)}%'" for p in cash_prefixes)
        cash = (f"g.CG_Num IN (SELECT jt.CG_Num FROM F_JOURNAUX jt WHERE jt.JO_Type = {TREASURY_JOURNAL}"
                f" AND jt.CG_Num <> '')" + (f" OR {pref}" if pref else ""))
        return [f"SELECT g.CG_Num, MAX(g.CG_Intitule), {d.sum(f'CASE WHEN e.CG_Num IS NULL THEN 0 ELSE {debit} - {credit} END')}"
                f" FROM F_COMPTEG g LEFT JOIN (SELECT e.* {led} AND {ed} >= {fy}) e ON e.CG_Num = g.CG_Num"
                f" WHERE {cash} GROUP BY g.CG_Num ORDER BY g.CG_Num"]
    raise ValueError(f"unknown view {view_id}")


def _like(prefix: str) -> str:
    """A LIKE prefix from a configured account prefix: digits and letters only."""
    cleaned = "".join(ch for ch in str(prefix) if ch.isalnum())
    if cleaned != str(prefix):
        raise ValueError(f"Account prefix '{prefix}' must hold only letters and digits.")
    return cleaned
