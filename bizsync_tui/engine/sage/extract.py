"""Extraction of a company: its figures from its two Sage sources, then the views.

    figures = extract_figures(acc_spec, com_spec, user=..., password=..., as_of=..., view_ids=...)
    body = build_publication(figures, short_code="BIJOU", dossier="BIJOU01", name="Bijou SA",
                             view_ids=view_ids)

`CompanyFigures` holds the per-code sums *before* ranking, filtering and the
cut to 5, so that a group (engine.groups) is the merge of its members' figures
followed by the same `build_views`. Each source is aggregated once in the
database (engine.queries); the rankings are finished here from that small
result, in Decimal, and rounded once by engine.contract.money.
"""

from __future__ import annotations

import calendar
import dataclasses
import heapq
import datetime as _dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.sage import queries
from bizsync_tui.engine.contract import money
from bizsync_tui.i18n import _
from bizsync_tui.engine.sage.dialect import to_date, to_int, to_text
from bizsync_tui.engine.sage.source_spec import SourceSpec
from bizsync_tui.engine.sage.sources import DEFAULT_TIMEOUT, Source, SourceError, open_source
from bizsync_tui.engine.sage.figures import (BALANCE_VIEWS, DEFAULT_CURRENCY, RANKING_VIEWS, ZERO,  # noqa: F401
                                            CompanyFigures, CompanyInfo, merge_figures)

# -- company and fiscal year -----------------------------------------------------------

class FiscalYearTooFar(ValueError):
    """as_of is later than the fiscal year that follows the last one Sage knows."""

    def __init__(self, last_end: _dt.date, limit: _dt.date | None):
        super().__init__(last_end.isoformat())
        self.last_end = last_end
        self.limit = limit  # the last as_of that still has a fiscal year (None: none at all)


def _add_months(day: _dt.date, months: int) -> _dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year = day.year + y
    return day.replace(year=year, month=m + 1, day=min(day.day, calendar.monthrange(year, m + 1)[1]))


def following_fiscal_year(start: _dt.date, end: _dt.date) -> tuple[_dt.date, _dt.date] | None:
    """The fiscal year after (start, end), not yet opened in Sage: it starts the day after `end`
    and lasts as long (the same number of months when the year is whole months). None when the
    calendar has no room for it."""
    try:
        nxt = end + _dt.timedelta(days=1)
        months = (nxt.year - start.year) * 12 + nxt.month - start.month
        if nxt.day == start.day and months > 0:
            return nxt, _add_months(nxt, months) - _dt.timedelta(days=1)
        return nxt, nxt + (end - start)
    except (OverflowError, ValueError):
        return None


def choose_fiscal_year(pairs, as_of: _dt.date) -> tuple[_dt.date, _dt.date] | None:
    """VIEWS.md: the pair with start <= as_of <= end, else the latest pair whose start <= as_of.
    Pairs whose start is missing or in 1900 (or before) are unused slots.

    A "year" never spans several fiscal years: when as_of is after the end of that latest pair
    (the next fiscal year is not opened in Sage yet, or there is a gap), the year is the one that
    follows it (`following_fiscal_year`); later than that, FiscalYearTooFar. None: no fiscal year
    starts on or before as_of."""
    used = []
    for start, end in pairs:
        start, end = to_date(start), to_date(end)
        if start is None or start.year <= 1900:
            continue
        if end is None or end.year <= 1900:
            end = start.replace(year=start.year + 1) - _dt.timedelta(days=1)
        used.append((start, end))
    covering = [p for p in used if p[0] <= as_of <= p[1]]
    if covering:
        chosen = max(covering)
    else:
        before = [p for p in used if p[0] <= as_of]
        if not before:
            return None
        latest = max(before)
        chosen = following_fiscal_year(*latest)
        if chosen is None or not chosen[0] <= as_of <= chosen[1]:
            raise FiscalYearTooFar(max(p[1] for p in before), chosen[1] if chosen else None)
    if as_of >= _dt.date.max - _dt.timedelta(days=31):  # no room for the month after as_of
        raise FiscalYearTooFar(chosen[1], None)
    return chosen


def read_company(src: Source, as_of: _dt.date) -> CompanyInfo:
    rows = src.query(queries.DOSSIER_SQL)
    if not rows:
        raise SourceError(_("{source} has no company record (P_DOSSIER is empty); "
                            "check that the source is the company's Sage 100 database.").format(source=src.display()))
    row = rows[0]
    name = to_text(row[0])
    pairs = [(row[1 + 2 * i], row[2 + 2 * i]) for i in range(5)]
    try:
        fy = choose_fiscal_year(pairs, as_of)
    except FiscalYearTooFar as far:
        if far.limit is None:
            text = _("{source}: {date} is too far after the last fiscal year in Sage, which ends on {end}; "
                     "ask for an earlier date.")
        else:
            text = _("{source}: {date} is more than a fiscal year after the last fiscal year in Sage, which "
                     "ends on {end}; open the new fiscal year in Sage, or ask for a date up to {limit}.")
        raise SourceError(text.format(source=src.display(), date=as_of.isoformat(), end=far.last_end.isoformat(),
                                      limit=far.limit.isoformat() if far.limit else "")) from None
    if fy is None:
        raise SourceError(_("{source} has no fiscal year starting on or before {date}; "
                            "check the company's fiscal years in Sage or the date asked for.").format(
                                source=src.display(), date=as_of.isoformat()))
    currency = DEFAULT_CURRENCY
    devise_index = to_int(row[11])
    if devise_index:
        for idx, iso in src.query(queries.DEVISE_SQL):
            if to_int(idx) == devise_index and to_text(iso):
                currency = to_text(iso).upper()
                break
    return CompanyInfo(name=name, currency=currency, fy_start=fy[0], fy_end=fy[1])


# -- extraction -------------------------------------------------------------------------

def _bump(table: dict, code, label, v) -> None:
    cell = table.get(code)
    if cell is None:
        table[code] = [label, v]
    else:
        cell[1] += v


def _commercial(src: Source, b: queries.Bounds, figs: CompanyFigures) -> None:
    """The commercial views' per-code sums from queries.sales_grain_sql's rows: customers x
    document reps (customers, categories, reps) and items (items, families)."""
    d = src.dialect
    if not d.grouping_sets:  # SQLite: the lines staged once, then grouped twice
        src.stage(queries.SALES_STAGE, queries.sales_lines_sql(d, b))
    families = {to_text(r[0]): to_text(r[1]) for r in src.query(queries.FAMILIES_SQL)}
    reps = {to_int(r[0]): " ".join(p for p in (to_text(r[1]), to_text(r[2])) if p)
            for r in src.query(queries.REPS_SQL)}
    categories = {to_int(r[0]): to_text(r[1]) for r in src.query(queries.CATEGORIES_SQL)}

    tables = {v: {} for v in RANKING_VIEWS}
    # per period (month, year): customers, categories, reps, items, families
    per_period = [tuple(tables[f"{view}_{period}"] for view in ("top_customers", "top_customer_categories",
                                                                 "top_sales_reps", "top_items", "top_item_families"))
                  for period in ("month", "year")]
    sales = [0, 0]
    portfolio = order_book = 0
    partial = d.partial
    # codes are trimmed here (SQL groups the stored values, which may merge)
    for (k, code, rep, month, year, s_portfolio, s_order, c_num, c_label, c_cat, c_rep,
         a_ref, a_label, a_family) in src.rows(queries.sales_grain_sql(d, b)):
        k = to_int(k)
        sums = (partial(month), partial(year))
        if k == 1:  # a customer x document rep
            portfolio += partial(s_portfolio) or 0
            order_book += partial(s_order) or 0
            if sums == (None, None):
                continue  # order lines only: not ranked
            code = to_text(code)
            known = c_num is not None  # None: a customer unknown to F_COMPTET (no category, no rep)
            label = (to_text(c_label) or code) if known else code
            cat = to_int(c_cat) if known else None
            rep_no = to_int(rep) or ((to_int(c_rep) or 0) if known else 0)  # the document's, else the customer's
            for i in (0, 1):
                v = sums[i]
                if v is None:
                    continue
                t_customers, t_categories, t_reps = per_period[i][:3]
                sales[i] += v
                _bump(t_customers, code, label, v)
                if cat is not None:
                    _bump(t_categories, str(cat), categories.get(cat) or str(cat), v)
                if rep_no:
                    _bump(t_reps, str(rep_no), reps.get(rep_no) or str(rep_no), v)
        else:  # an item (sale lines only)
            code = to_text(code)
            if not code:
                continue  # lines without item are left out of items and families
            label = to_text(a_label) or code
            family = to_text(a_family) if a_ref is not None else ""  # unknown item: no family
            for i in (0, 1):
                v = sums[i]
                if v is None:
                    continue
                t_items, t_families = per_period[i][3:]
                _bump(t_items, code, label, v)
                if family:
                    _bump(t_families, family, families.get(family) or family, v)
    for table in tables.values():  # partial sums to Decimal, once per code
        for cell in table.values():
            cell[1] = d.to_decimal(cell[1])
    figs.amounts["sales_revenue"] = {"month": d.to_decimal(sales[0]), "year": d.to_decimal(sales[1])}
    figs.amounts["sales_portfolio_month"] = {"month": d.to_decimal(portfolio)}
    figs.amounts["order_book_month"] = {"month": d.to_decimal(order_book)}
    figs.per_code.update(tables)


def _accounting(src: Source, b: queries.Bounds, figs: CompanyFigures, revenue_prefixes, cash_prefixes) -> None:
    d = src.dialect
    revenue_prefixes = tuple(str(p) for p in revenue_prefixes if str(p))
    cash_prefixes = tuple(str(p) for p in cash_prefixes if str(p))
    accounts = {to_text(r[0]): to_text(r[1]) for r in src.query(queries.ACCOUNTS_SQL)}
    treasury = tuple(r[0] for r in src.query(queries.TREASURY_JOURNALS_SQL))
    situation = tuple(r[0] for r in src.query(queries.SITUATION_JOURNALS_SQL))
    cash_accounts = {to_text(a) for a in treasury if to_text(a)}
    if cash_prefixes:
        cash_accounts |= {a for a in accounts if a.startswith(cash_prefixes)}

    rev_month = rev_year = 0
    customers: dict = {}
    suppliers: dict = {}
    cash: dict = {a: [accounts.get(a) or a, 0] for a in cash_accounts}
    partial = d.partial
    sql, params = queries.ledger_grain_sql(d, b, revenue_prefixes, cash_prefixes, situation=situation,
                                           treasury=treasury)
    for ct, cg, year_net, year_opening, month_other, ct_label, ct_type in src.rows(sql, params):
        cg = to_text(cg)
        year_net = partial(year_net)
        if revenue_prefixes and cg.startswith(revenue_prefixes):
            rev_month += partial(month_other) or 0
            if year_net is not None:
                rev_year += year_net - (partial(year_opening) or 0)
        if year_net is None:
            continue  # entries of the month only, before the fiscal year's start
        if ct_type is not None:  # a third party known to F_COMPTET
            ct = to_text(ct)
            if ct:
                ct_type = to_int(ct_type)
                if ct_type == 0:
                    _bump(customers, ct, to_text(ct_label) or ct, year_net)  # debit - credit
                elif ct_type == 1:
                    _bump(suppliers, ct, to_text(ct_label) or ct, -year_net)
        if cg in cash_accounts:
            _bump(cash, cg, accounts.get(cg) or cg, year_net)
    for table in (customers, suppliers, cash):  # partial sums to Decimal, once per code
        for cell in table.values():
            cell[1] = d.to_decimal(cell[1])
    figs.amounts["accounting_revenue"] = {"month": -d.to_decimal(rev_month), "year": -d.to_decimal(rev_year)}
    figs.per_code["top_customer_outstanding"] = customers
    figs.per_code["top_supplier_outstanding"] = suppliers
    figs.per_code["cash_position"] = cash


def extract_figures(accounting: SourceSpec, commercial: SourceSpec, *, user: str | None = None,
                    password: str | None = None, as_of: _dt.date | None = None, view_ids=None,
                    revenue_prefixes=("70",), cash_prefixes=(), timeout: int = DEFAULT_TIMEOUT) -> CompanyFigures:
    """Read a company's figures for `view_ids` (default: all) from its two sources.

    The fiscal year, currency and name come from the accounting source (P_DOSSIER). When
    both sources' views are wanted, they are read at the same time, each on its own connection
    (`_read_both`); when only the commercial ones are and both sources are the same, that
    source is opened once. Raises SourceError."""
    as_of = as_of or _dt.date.today()
    view_ids = list(view_ids) if view_ids is not None else list(catalogue.VIEW_IDS)
    wanted = {catalogue.get(v).source for v in view_ids}
    with open_source(accounting, user, password, timeout) as acc:
        info = read_company(acc, as_of)
        figs = CompanyFigures(name=info.name, currency=info.currency, as_of=as_of,
                              fy_start=info.fy_start, fy_end=info.fy_end)
        b = figs.bounds

        def read_commercial(into: CompanyFigures) -> None:
            if _same(accounting, commercial) and catalogue.ACCOUNTING not in wanted:
                _commercial(acc, b, into)
                return
            with open_source(commercial, user, password, timeout) as com:
                _commercial(com, b, into)

        def read_accounting() -> None:
            _accounting(acc, b, figs, revenue_prefixes, cash_prefixes)

        if wanted >= {catalogue.COMMERCIAL, catalogue.ACCOUNTING}:
            _read_both(figs, read_commercial, read_accounting)
        elif catalogue.COMMERCIAL in wanted:
            read_commercial(figs)
        elif catalogue.ACCOUNTING in wanted:
            read_accounting()
    figs.sources = tuple(s for s in (catalogue.ACCOUNTING, catalogue.COMMERCIAL) if s in wanted)
    return figs


def _read_both(figs: CompanyFigures, read_commercial, read_accounting) -> None:
    """The commercial source read in a thread (into figures of its own, merged here) while
    this one reads the accounting source: the two are independent, and the databases do the
    work (sqlite3 and pyodbc let go of the interpreter while a statement runs), so a company
    takes about the longer of the two instead of their sum (docs/extraction.md). Both reads
    end before this returns; a failure of either is raised, the commercial source's first."""
    part = dataclasses.replace(figs, amounts={}, per_code={})
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bizsync-commercial") as pool:
        commercial = pool.submit(read_commercial, part)
        accounting_failure = None
        try:
            read_accounting()
        except Exception as exc:  # raised below, after the commercial read has ended
            accounting_failure = exc
        failure = commercial.exception() or accounting_failure  # waits for the commercial read
        if failure is not None:
            raise failure
    figs.amounts.update(part.amounts)
    figs.per_code.update(part.per_code)


def _same(a: SourceSpec, b: SourceSpec) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a).strip() == str(b).strip()
    return a == b


# -- views ----------------------------------------------------------------------------------

def _ranking_rows(table: dict, *, positive_only: bool = False, n: int | None = None) -> list[tuple[str, str, Decimal]]:
    """The rows by amount descending, then code ascending; the first `n` only (a heap: a company
    may have 100,000 customers) when n is given."""
    rows = [(code, label, amount) for code, (label, amount) in table.items()
            if not positive_only or amount > 0]
    if n is not None and len(rows) > 4 * n:
        return heapq.nsmallest(n, rows, key=lambda r: (-r[2], r[0]))
    rows.sort(key=lambda r: (-r[2], r[0]))
    return rows if n is None else rows[:n]


def build_views(figures, view_ids=None) -> dict:
    """The `views` object of a publication (PLATFORM_API.md shapes) from one company's
    figures, or from a list of members' figures (a group: merged first)."""
    if isinstance(figures, (list, tuple)):
        figures = merge_figures(list(figures))
    view_ids = list(view_ids) if view_ids is not None else list(catalogue.VIEW_IDS)
    b = figures.bounds
    month = {"from": b.month_start.isoformat(), "to": b.as_of.isoformat()}
    year = {"from": b.fy_start.isoformat(), "to": b.as_of.isoformat()}
    out: dict = {}
    for view_id in view_ids:
        view = catalogue.get(view_id)
        if view.source not in figures.sources:
            raise ValueError(f"View {view_id} was not extracted; extract the {view.source} source first.")
        if view.shape == catalogue.AMOUNT:
            amounts = figures.amounts[view_id]
            data = {"month": {**month, "amount": money(amounts["month"])}}
            if "year" in amounts:
                data["year"] = {**year, "amount": money(amounts["year"])}
            out[view_id] = data
        elif view.shape == catalogue.RANKING:
            period = month if view.period == "month" else year
            rows = _ranking_rows(figures.per_code[view_id], n=5)
            out[view_id] = {**period, "rows": [
                {"rank": i, "code": code, "label": label, "amount": money(amount)}
                for i, (code, label, amount) in enumerate(rows, 1)]}
        else:
            table = figures.per_code[view_id]
            if view_id == "cash_position":
                rows = sorted(((c, l, a) for c, (l, a) in table.items()), key=lambda r: r[0])
                total = sum((r[2] for r in rows), ZERO)
            else:
                total = sum((a for _, a in table.values() if a > 0), ZERO)
                rows = _ranking_rows(table, positive_only=True, n=5)
            out[view_id] = {"as_of": b.as_of.isoformat(),
                            "rows": [{"code": c, "label": l, "amount": money(a)} for c, l, a in rows],
                            "total": money(total)}
    return out


def utc_now_z() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_publication(figures, *, short_code: str, dossier: str = "", name: str | None = None,
                      view_ids=None, publication_id: str | None = None,
                      extracted_at: str | None = None) -> dict:
    """The whole publication body of PLATFORM_API.md for a company (or a group: a list of figures)."""
    views = build_views(figures, view_ids)
    first = figures[0] if isinstance(figures, (list, tuple)) else figures
    return {
        "publication_id": publication_id or str(uuid.uuid4()),
        "company": {"short_code": short_code, "dossier": dossier or short_code,
                    "name": name or first.name, "currency": first.currency},
        "as_of": first.as_of.isoformat(),
        "extracted_at": extracted_at or utc_now_z(),
        "fiscal_year": {"start": first.fy_start.isoformat(), "end": first.fy_end.isoformat()},
        "views": views,
    }
