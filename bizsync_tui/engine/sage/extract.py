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
import datetime as _dt
import uuid
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

def _add(table: dict, code: str, label: str, amount: Decimal) -> None:
    cell = table.get(code)
    if cell is None:
        table[code] = [label, amount]
    else:
        cell[1] += amount


def _commercial(src: Source, b: queries.Bounds, figs: CompanyFigures) -> None:
    d = src.dialect
    grain = src.query(queries.sales_grain_sql(d, b))
    families = {to_text(r[0]): to_text(r[1]) for r in src.query(queries.FAMILIES_SQL)}
    reps = {to_int(r[0]): " ".join(p for p in (to_text(r[1]), to_text(r[2])) if p)
            for r in src.query(queries.REPS_SQL)}
    categories = {to_int(r[0]): to_text(r[1]) for r in src.query(queries.CATEGORIES_SQL)}

    sales = {"month": ZERO, "year": ZERO}
    portfolio = ZERO
    order_book = ZERO
    tables = {v: {} for v in RANKING_VIEWS}
    for k, code, rep, bucket, s, c_label, c_cat, c_rep, a_label, a_family, s_year, s_portfolio, s_order in grain:
        k, bucket = to_int(k), to_int(bucket)
        if bucket == queries.PIVOTED:  # PostgreSQL / SQL Server: the sums in columns
            if k == 1:
                portfolio += d.to_decimal(s_portfolio)
                order_book += d.to_decimal(s_order)
            shares = [(name, d.to_decimal(v)) for name, v in (("month", s), ("year", s_year)) if v is not None]
        else:  # SQLite: one row per bucket
            amount = d.to_decimal(s)
            if k == 1:  # every line once: the two month sums
                if bucket & queries.PORTFOLIO_BIT:
                    portfolio += amount
                if bucket & queries.ORDER_BOOK_BIT:
                    order_book += amount
            if not bucket & queries.SALE_BIT:
                continue  # order-type lines only count in the two sums above
            shares = [(name, amount) for name, bit in (("month", queries.MONTH_BIT), ("year", queries.YEAR_BIT))
                      if bucket & bit]
        if not shares:
            continue
        code = to_text(code)
        if k == 1:  # customer x document rep (customer columns NULL: unknown to F_COMPTET)
            known = c_label is not None or c_cat is not None or c_rep is not None
            rep_no = to_int(rep) or 0
            if not rep_no and known:
                rep_no = to_int(c_rep) or 0
            cat = to_int(c_cat) if known else None
            label = to_text(c_label) if known else code
            for period, amount in shares:
                sales[period] += amount
                _add(tables[f"top_customers_{period}"], code, label or code, amount)
                if cat is not None:
                    _add(tables[f"top_customer_categories_{period}"], str(cat),
                         categories.get(cat) or str(cat), amount)
                if rep_no:
                    _add(tables[f"top_sales_reps_{period}"], str(rep_no), reps.get(rep_no) or str(rep_no), amount)
        elif code:  # item (lines without item are left out of items and families)
            family = to_text(a_family)
            for period, amount in shares:
                _add(tables[f"top_items_{period}"], code, to_text(a_label) or code, amount)
                if family:
                    _add(tables[f"top_item_families_{period}"], family, families.get(family) or family, amount)
    figs.amounts["sales_revenue"] = sales
    figs.amounts["sales_portfolio_month"] = {"month": portfolio}
    figs.amounts["order_book_month"] = {"month": order_book}
    figs.per_code.update(tables)


def _accounting(src: Source, b: queries.Bounds, figs: CompanyFigures, revenue_prefixes, cash_prefixes) -> None:
    d = src.dialect
    grain = src.query(queries.ledger_grain_sql(d, b))
    accounts = {to_text(r[0]): to_text(r[1]) for r in src.query(queries.ACCOUNTS_SQL)}
    cash_accounts = {to_text(r[0]) for r in src.query(queries.TREASURY_JOURNALS_SQL) if to_text(r[0])}
    revenue_prefixes = tuple(str(p) for p in revenue_prefixes if str(p))
    cash_prefixes = tuple(str(p) for p in cash_prefixes if str(p))
    if cash_prefixes:
        cash_accounts |= {a for a in accounts if a.startswith(cash_prefixes)}

    revenue = {"month": ZERO, "year": ZERO}
    customers: dict = {}
    suppliers: dict = {}
    cash: dict = {a: [accounts.get(a) or a, ZERO] for a in cash_accounts}
    for cg, ct, antype, bucket, net, ct_label, ct_type in grain:
        bucket = to_int(bucket)
        if bucket is None or bucket < 0:
            continue  # an entry of the first or last month read, outside the periods
        cg, ct = to_text(cg), to_text(ct)
        net = d.to_decimal(net)  # debit - credit
        in_month, in_year, opening = bucket & queries.MONTH_BIT, bucket & queries.YEAR_BIT, to_int(antype)
        if revenue_prefixes and cg.startswith(revenue_prefixes) and not opening:
            if in_month:
                revenue["month"] -= net
            if in_year:
                revenue["year"] -= net
        if not in_year:
            continue
        if ct and ct_type is not None:  # a third party known to F_COMPTET
            ct_type, label = to_int(ct_type), to_text(ct_label)
            if ct_type == 0:
                _add(customers, ct, label or ct, net)
            elif ct_type == 1:
                _add(suppliers, ct, label or ct, -net)
        if cg in cash_accounts:
            _add(cash, cg, accounts.get(cg) or cg, net)
    figs.amounts["accounting_revenue"] = revenue
    figs.per_code["top_customer_outstanding"] = customers
    figs.per_code["top_supplier_outstanding"] = suppliers
    figs.per_code["cash_position"] = cash


def extract_figures(accounting: SourceSpec, commercial: SourceSpec, *, user: str | None = None,
                    password: str | None = None, as_of: _dt.date | None = None, view_ids=None,
                    revenue_prefixes=("70",), cash_prefixes=(), timeout: int = DEFAULT_TIMEOUT) -> CompanyFigures:
    """Read a company's figures for `view_ids` (default: all) from its two sources.

    The fiscal year, currency and name come from the accounting source (P_DOSSIER).
    When both sources are the same, it is opened once. Raises SourceError."""
    as_of = as_of or _dt.date.today()
    view_ids = list(view_ids) if view_ids is not None else list(catalogue.VIEW_IDS)
    wanted = {catalogue.get(v).source for v in view_ids}
    opened: list[Source] = []
    try:
        acc = open_source(accounting, user, password, timeout)
        opened.append(acc)
        info = read_company(acc, as_of)
        figs = CompanyFigures(name=info.name, currency=info.currency, as_of=as_of,
                              fy_start=info.fy_start, fy_end=info.fy_end)
        b = figs.bounds
        if catalogue.COMMERCIAL in wanted:
            if _same(accounting, commercial):
                com = acc
            else:
                com = open_source(commercial, user, password, timeout)
                opened.append(com)
            _commercial(com, b, figs)
        if catalogue.ACCOUNTING in wanted:
            _accounting(acc, b, figs, revenue_prefixes, cash_prefixes)
        figs.sources = tuple(s for s in (catalogue.ACCOUNTING, catalogue.COMMERCIAL) if s in wanted)
        return figs
    finally:
        for s in opened:
            s.close()


def _same(a: SourceSpec, b: SourceSpec) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a).strip() == str(b).strip()
    return a == b


# -- views ----------------------------------------------------------------------------------

def _ranking_rows(table: dict, *, positive_only: bool = False) -> list[tuple[str, str, Decimal]]:
    rows = [(code, label, amount) for code, (label, amount) in table.items()
            if not positive_only or amount > 0]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return rows


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
            rows = _ranking_rows(figures.per_code[view_id])[:5]
            out[view_id] = {**period, "rows": [
                {"rank": i, "code": code, "label": label, "amount": money(amount)}
                for i, (code, label, amount) in enumerate(rows, 1)]}
        else:
            table = figures.per_code[view_id]
            if view_id == "cash_position":
                rows = sorted(((c, l, a) for c, (l, a) in table.items()), key=lambda r: r[0])
                total = sum((r[2] for r in rows), ZERO)
            else:
                rows = _ranking_rows(table, positive_only=True)
                total = sum((r[2] for r in rows), ZERO)
                rows = rows[:5]
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


# -- the straightforward way, one query per view (benchmark and cross-check) --------------------

def naive_views(accounting: SourceSpec, commercial: SourceSpec, *, user=None, password=None, as_of=None,
                view_ids=None, revenue_prefixes=("70",), cash_prefixes=(), timeout: int = DEFAULT_TIMEOUT) -> dict:
    """The views computed the straightforward way: one SQL query per view as VIEWS.md reads
    (engine.queries.naive_view_sql), results shaped as build_views does. Not used for
    publishing: it is the benchmark's baseline and the tests' cross-check."""
    as_of = as_of or _dt.date.today()
    view_ids = list(view_ids) if view_ids is not None else list(catalogue.VIEW_IDS)
    with open_source(accounting, user, password, timeout) as acc:
        info = read_company(acc, as_of)
        com = acc if _same(accounting, commercial) else open_source(commercial, user, password, timeout)
        try:
            b = queries.Bounds(as_of, info.fy_start, info.fy_end)
            month = {"from": b.month_start.isoformat(), "to": as_of.isoformat()}
            year = {"from": b.fy_start.isoformat(), "to": as_of.isoformat()}
            out = {}
            for view_id in view_ids:
                view = catalogue.get(view_id)
                src = com if view.source == catalogue.COMMERCIAL else acc
                d = src.dialect
                rows = src.query(queries.naive_view_sql(d, b, view_id, revenue_prefixes=revenue_prefixes,
                                                        cash_prefixes=cash_prefixes)[0])
                if view.shape == catalogue.AMOUNT:
                    data = {"month": {**month, "amount": money(d.to_decimal(rows[0][0]))}}
                    if len(rows[0]) > 1:
                        data["year"] = {**year, "amount": money(d.to_decimal(rows[0][1]))}
                    out[view_id] = data
                elif view.shape == catalogue.RANKING:
                    period = month if view.period == "month" else year
                    out[view_id] = {**period, "rows": [
                        {"rank": i, "code": to_text(c), "label": to_text(lab) or to_text(c),
                         "amount": money(d.to_decimal(a))} for i, (c, lab, a) in enumerate(rows, 1)]}
                else:
                    amounts = [(to_text(c), to_text(lab) or to_text(c), d.to_decimal(a)) for c, lab, a in rows]
                    total = sum((a for _, _, a in amounts), ZERO)
                    shown = amounts if view_id == "cash_position" else amounts[:5]
                    out[view_id] = {"as_of": as_of.isoformat(),
                                    "rows": [{"code": c, "label": lab, "amount": money(a)} for c, lab, a in shown],
                                    "total": money(total)}
            return out
        finally:
            if com is not acc:
                com.close()
