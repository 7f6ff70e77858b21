"""The benchmark's baseline: careful SQL, one query per view, run bare (issue 15).

For each of the 17 views alone, the fastest plain query we could write for it on Sage's
tables and indexes: the line's own columns filter before the header is looked up; the
period of the view (month or fiscal year) bounds the rows read; a ranking groups by its
code, sorts and keeps 5 rows in the database, and joins the labels to those 5 rows only;
a ranking by a property of the customer or item (category, family, rep) groups the lines
by customer or item first and joins the small result to the reference table; the ledger is
read on `JM_Date` for the view's months and the entry day tested once per row.

Not used for publishing: the benchmark times it against the extraction
(bench_extract.py) and the tests check that both give the same 17 views
(tests/unit/test_demo_data.py, tests/unit/test_sources.py for the T-SQL text).
"""

from __future__ import annotations

import datetime as _dt
import threading
from concurrent.futures import ThreadPoolExecutor

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.sage import queries as q
from bizsync_tui.engine.sage.dialect import Dialect, to_text
from bizsync_tui.engine.sage.extract import _same, build_views, read_company
from bizsync_tui.engine.sage.figures import CompanyFigures
from bizsync_tui.engine.sage.sources import DEFAULT_TIMEOUT, open_source

_JOIN = ("F_DOCLIGNE l JOIN F_DOCENTETE h ON h.DO_Domaine = l.DO_Domaine"
         " AND h.DO_Type = l.DO_Type AND h.DO_Piece = l.DO_Piece")


def _like(prefix: str) -> str:
    """A LIKE prefix from a configured account prefix: digits and letters only."""
    cleaned = "".join(ch for ch in str(prefix) if ch.isalnum())
    if cleaned != str(prefix):
        raise ValueError(f"Account prefix '{prefix}' must hold only letters and digits.")
    return cleaned


def _next_month(day: _dt.date) -> _dt.date:
    return (day.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)


def _entry_from(d: Dialect, day: _dt.date) -> str:
    """Entry date >= day, for entries already read from day's month on (see _months)."""
    if day.day == 1:
        return "1 = 1"
    return (f"(e.JM_Date >= {d.date(_next_month(day))} OR e.EC_Jour >= {day.day})")


def _months(d: Dialect, start: _dt.date, as_of: _dt.date) -> str:
    """Entries dated start..as_of: on JM_Date for the months, EC_Jour for the days at both ends."""
    tests = [f"e.JM_Date >= {d.date(start.replace(day=1))}",
             f"e.JM_Date < {d.date(_next_month(as_of))}",
             f"(e.JM_Date < {d.date(as_of.replace(day=1))} OR e.EC_Jour <= {as_of.day})"]
    if start.day != 1:
        tests.append(_entry_from(d, start))
    return " AND ".join(tests)


def _sales_where(d: Dialect, start: _dt.date, b: q.Bounds) -> str:
    return (f"l.DO_Domaine = 0 AND l.DO_Type IN ({q.SALES_INVOICE_TYPES}) AND l.DL_Valorise = 1"
            f" AND h.DO_Date >= {d.date(start)} AND h.DO_Date < {d.date(b.next_day)}")


def _signed(d: Dialect) -> str:
    amt = d.amount("l.DL_MontantHT")
    return f"CASE WHEN h.DO_Provenance IN ({q.RETURN_OR_CREDIT}) THEN -ABS({amt}) ELSE {amt} END"


def _out(d: Dialect, expr: str) -> str:
    """An already summed amount as the driver must read it (SQLite: text, see Dialect.sum)."""
    return f"CAST({expr} AS TEXT)" if d.name == "sqlite" else expr


def _top(d: Dialect, grouped: str, label: str, join: str) -> str:
    """Top 5 of `grouped` (code, amount), then the label joined to those 5 rows only
    (`join` on alias t, a unique key: at most one row each)."""
    top = d.top(f"g.code, g.amount FROM ({grouped}) g ORDER BY g.amount DESC, g.code ASC", 5)
    return (f"SELECT t.code, {label}, {_out(d, 't.amount')} FROM ({top}) t {join}"
            " ORDER BY t.amount DESC, t.code ASC")


def careful_view_sql(d: Dialect, b: q.Bounds, view_id: str, *, revenue_prefixes=("70",),
                     cash_prefixes=()) -> str:
    """The one query of `view_id`. Rows: amount views -> one row (month[, year]); rankings ->
    (code, label, amount), at most 5, ordered; balances -> (code, label, amount), every row
    (outstanding: every positive balance, largest first; cash: by account)."""
    month, fy, nxt = d.date(b.month_start), d.date(b.fy_start), d.date(b.next_day)
    amt = d.amount("l.DL_MontantHT")
    signed = _signed(d)
    if view_id == "sales_revenue":
        return (f"SELECT {d.sum(f'CASE WHEN h.DO_Date >= {month} THEN {signed} ELSE 0 END')},"
                f" {d.sum(f'CASE WHEN h.DO_Date >= {fy} THEN {signed} ELSE 0 END')}"
                f" FROM {_JOIN} WHERE {_sales_where(d, b.lower, b)}")
    if view_id == "sales_portfolio_month":
        return (f"SELECT {d.sum(amt)} FROM {_JOIN} WHERE l.DO_Domaine = 0 AND l.DO_Type IN ({q.OPEN_ORDER_TYPES})"
                f" AND l.DL_Valorise = 1 AND h.DO_Cloture = 0 AND h.DO_Date >= {month} AND h.DO_Date < {nxt}")
    if view_id == "order_book_month":
        return (f"SELECT {d.sum(amt)} FROM {_JOIN} WHERE l.DO_Domaine = 0 AND l.DO_Type IN ({q.ORDER_BOOK_TYPES})"
                f" AND l.DL_Valorise = 1 AND (CASE WHEN l.DL_PieceBC <> '' THEN"
                f" (CASE WHEN l.DL_DateBC >= {month} AND l.DL_DateBC < {nxt} THEN 1 ELSE 0 END)"
                f" WHEN l.DO_Type = 1 AND h.DO_Date >= {month} THEN 1 ELSE 0 END) = 1"
                f" AND h.DO_Date < {nxt} AND h.DO_Provenance NOT IN ({q.RETURN_OR_CREDIT})")
    if view_id.startswith("top_") and view_id.endswith(("_month", "_year")) and "outstanding" not in view_id:
        start = b.month_start if view_id.endswith("_month") else b.fy_start
        where = _sales_where(d, start, b)
        kind = view_id[len("top_"):view_id.rindex("_")]
        if kind == "customers":
            grouped = f"SELECT h.DO_Tiers AS code, SUM({signed}) AS amount FROM {_JOIN} WHERE {where} GROUP BY h.DO_Tiers"
            return _top(d, grouped, "c.CT_Intitule", "LEFT JOIN F_COMPTET c ON c.CT_Num = t.code")
        if kind == "items":
            grouped = (f"SELECT l.AR_Ref AS code, SUM({signed}) AS amount FROM {_JOIN} WHERE {where}"
                       " AND l.AR_Ref <> '' GROUP BY l.AR_Ref")
            return _top(d, grouped, "a.AR_Design", "LEFT JOIN F_ARTICLE a ON a.AR_Ref = t.code")
        if kind == "customer_categories":
            per = f"SELECT h.DO_Tiers AS tiers, SUM({signed}) AS amount FROM {_JOIN} WHERE {where} GROUP BY h.DO_Tiers"
            grouped = (f"SELECT c.N_CatTarif AS code, SUM(p.amount) AS amount FROM ({per}) p"
                       " JOIN F_COMPTET c ON c.CT_Num = p.tiers WHERE c.N_CatTarif IS NOT NULL GROUP BY c.N_CatTarif")
            return _top(d, grouped, "k.CT_Intitule", "LEFT JOIN P_CATTARIF k ON k.cbIndice = t.code")
        if kind == "item_families":
            per = (f"SELECT l.AR_Ref AS item, SUM({signed}) AS amount FROM {_JOIN} WHERE {where}"
                   " AND l.AR_Ref <> '' GROUP BY l.AR_Ref")
            grouped = (f"SELECT a.FA_CodeFamille AS code, SUM(p.amount) AS amount FROM ({per}) p"
                       " JOIN F_ARTICLE a ON a.AR_Ref = p.item WHERE a.FA_CodeFamille <> '' GROUP BY a.FA_CodeFamille")
            return _top(d, grouped, "f.FA_Intitule",
                        "LEFT JOIN F_FAMILLE f ON f.FA_CodeFamille = t.code AND f.FA_Type = 0")
        if kind == "sales_reps":
            per = (f"SELECT h.DO_Tiers AS tiers, h.CO_No AS rep, SUM({signed}) AS amount FROM {_JOIN}"
                   f" WHERE {where} GROUP BY h.DO_Tiers, h.CO_No")
            rep = "CASE WHEN p.rep <> 0 THEN p.rep ELSE c.CO_No END"
            grouped = (f"SELECT {rep} AS code, SUM(p.amount) AS amount FROM ({per}) p"
                       f" LEFT JOIN F_COMPTET c ON c.CT_Num = p.tiers WHERE p.rep <> 0 OR c.CO_No <> 0 GROUP BY {rep}")
            label = d.trim(d.concat(d.coalesce_text("r.CO_Nom"), "' '", d.coalesce_text("r.CO_Prenom")))
            return _top(d, grouped, label, "LEFT JOIN F_COLLABORATEUR r ON r.CO_No = t.code")
        raise ValueError(view_id)
    e_amt = d.amount("e.EC_Montant")
    net = f"CASE WHEN e.EC_Sens = 0 THEN {e_amt} ELSE -{e_amt} END"
    valid = q.not_situation()
    if view_id == "accounting_revenue":
        pref = " OR ".join(f"e.CG_Num LIKE '{_like(p)}%'" for p in revenue_prefixes) or "1 = 0"
        in_month = f"e.JM_Date >= {month}"  # a first of month: JM_Date alone decides
        if b.fy_start <= b.month_start:
            in_year = "1 = 1"  # every entry read (from the fiscal-year start) is in the year
        else:  # the fiscal year starts inside this month
            in_year = f"e.EC_Jour >= {b.fy_start.day}"
        return (f"SELECT {d.sum(f'CASE WHEN {in_month} THEN -({net}) ELSE 0 END')},"
                f" {d.sum(f'CASE WHEN {in_year} THEN -({net}) ELSE 0 END')}"
                f" FROM F_ECRITUREC e WHERE ({pref}) AND e.EC_ANType = 0 AND {valid} AND {_months(d, b.lower, b.as_of)}")
    if view_id in ("top_customer_outstanding", "top_supplier_outstanding"):
        ct_type, sign = (0, "") if "customer" in view_id else (1, "-")
        per = (f"SELECT e.CT_Num AS code, SUM({net}) AS amount FROM F_ECRITUREC e"
               f" WHERE e.CT_Num <> '' AND {valid} AND {_months(d, b.fy_start, b.as_of)} GROUP BY e.CT_Num")
        return (f"SELECT p.code, c.CT_Intitule, {_out(d, f'{sign}p.amount')} FROM ({per}) p"
                f" JOIN F_COMPTET c ON c.CT_Num = p.code WHERE c.CT_Type = {ct_type} AND {sign}p.amount > 0"
                f" ORDER BY {sign}p.amount DESC, p.code ASC")
    if view_id == "cash_position":
        pref = " OR ".join(f"g.CG_Num LIKE '{_like(p)}%'" for p in cash_prefixes)
        cash = (f"g.CG_Num IN (SELECT jt.CG_Num FROM F_JOURNAUX jt WHERE jt.JO_Type = {q.TREASURY_JOURNAL}"
                f" AND jt.CG_Num <> '')" + (f" OR {pref}" if pref else ""))
        per = (f"SELECT e.CG_Num AS cg, SUM({net}) AS amount FROM F_ECRITUREC e"
               f" WHERE e.CG_Num IN (SELECT g.CG_Num FROM F_COMPTEG g WHERE {cash})"
               f" AND {valid} AND {_months(d, b.fy_start, b.as_of)} GROUP BY e.CG_Num")
        return (f"SELECT g.CG_Num, g.CG_Intitule, {_out(d, 'COALESCE(p.amount, 0)')} FROM F_COMPTEG g"
                f" LEFT JOIN ({per}) p ON p.cg = g.CG_Num WHERE {cash} ORDER BY g.CG_Num")
    raise ValueError(f"unknown view {view_id}")


def careful_views(accounting, commercial, *, user=None, password=None, as_of=None, view_ids=None,
                  revenue_prefixes=("70",), cash_prefixes=(), timeout: int = DEFAULT_TIMEOUT,
                  connections: int = 1) -> dict:
    """The views computed the careful per-view way: each query's rows put into a
    CompanyFigures (a ranking's 5 rows, every positive outstanding balance, every cash
    account), shaped by the engine's own build_views (ranking, filtering and the cut to 5
    change nothing on rows already ranked, filtered and cut).

    `connections` > 1: the queries are shared out among that many threads, each with its own
    connections, each taking the next query when it is free (the baseline for an extraction
    that reads its two sources at the same time: the same number of statements at once)."""
    as_of = as_of or _dt.date.today()
    view_ids = list(view_ids) if view_ids is not None else list(catalogue.VIEW_IDS)
    with open_source(accounting, user, password, timeout) as first:
        info = read_company(first, as_of)
        figs = CompanyFigures(name=info.name, currency=info.currency, as_of=as_of, fy_start=info.fy_start,
                              fy_end=info.fy_end, sources=(catalogue.ACCOUNTING, catalogue.COMMERCIAL))
        b = figs.bounds
        todo = iter(view_ids)
        lock = threading.Lock()

        def run(acc) -> None:  # takes the next view's query until none is left
            com = acc if _same(accounting, commercial) else open_source(commercial, user, password, timeout)
            try:
                while True:
                    with lock:
                        view_id = next(todo, None)
                    if view_id is None:
                        return
                    view = catalogue.get(view_id)
                    src = com if view.source == catalogue.COMMERCIAL else acc
                    d = src.dialect
                    rows = src.query(careful_view_sql(d, b, view_id, revenue_prefixes=revenue_prefixes,
                                                      cash_prefixes=cash_prefixes))
                    if view.shape == catalogue.AMOUNT:
                        figs.amounts[view_id] = dict(zip(("month", "year"), (d.to_decimal(v) for v in rows[0])))
                    else:
                        figs.per_code[view_id] = {to_text(c): [to_text(lab) or to_text(c), d.to_decimal(a)]
                                                  for c, lab, a in rows}
            finally:
                if com is not acc:
                    com.close()

        def run_on_own_connection() -> None:
            with open_source(accounting, user, password, timeout) as acc:
                run(acc)

        with ThreadPoolExecutor(max_workers=max(1, connections - 1)) as pool:
            others = [pool.submit(run_on_own_connection) for _ in range(connections - 1)]
            run(first)  # the connection that read the company runs queries too
            for f in others:
                f.result()
    return build_views(figs, view_ids)
