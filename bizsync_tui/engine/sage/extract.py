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


def _add2(table: dict, key, month, year) -> None:
    """Add (month, year) partial sums to table[key] (None: no line of that period)."""
    cell = table.get(key)
    if cell is None:
        table[key] = [month, year]
        return
    if month is not None:
        cell[0] = month if cell[0] is None else cell[0] + month
    if year is not None:
        cell[1] = year if cell[1] is None else cell[1] + year


def _sales_two_ways(src: Source, b: queries.Bounds):
    """The sales lines of the periods summed per (customer, document rep) and per item:
    ({(tiers, rep): [month, year]}, {item: [month, year]}, portfolio, order book), partial sums
    (Dialect.partial; None: no sale line of that period)."""
    d = src.dialect
    per_customer: dict = {}
    per_item: dict = {}
    portfolio = order_book = None
    sql = queries.sales_grain_sql(d, b)
    if d.grouping_sets:  # the database grouped both ways (GROUPING SETS)
        for k, code, rep, month, year, s_portfolio, s_order in src.rows(sql):
            month, year = d.partial(month), d.partial(year)
            if to_int(k) == 1:
                for v in (d.partial(s_portfolio),):
                    if v is not None:
                        portfolio = v if portfolio is None else portfolio + v
                for v in (d.partial(s_order),):
                    if v is not None:
                        order_book = v if order_book is None else order_book + v
                if month is not None or year is not None:
                    _add2(per_customer, (to_text(code), to_int(rep) or 0), month, year)
            elif month is not None or year is not None:
                _add2(per_item, to_text(code), month, year)
        return per_customer, per_item, portfolio, order_book
    # SQLite: customer x rep x item x bucket, streamed and grouped both ways here (the grain
    # holds up to one row per line, so this loop does as little as it can per row: the amounts
    # are ints of millionths, a period's sums one dict each)
    sale, month_bit, year_bit = queries.SALE_BIT, queries.MONTH_BIT, queries.YEAR_BIT
    port_bit, order_bit = queries.PORTFOLIO_BIT, queries.ORDER_BOOK_BIT
    cm: dict = {}
    cy: dict = {}
    im: dict = {}
    iy: dict = {}
    portfolio = order_book = 0
    for tiers, rep, item, bucket, amount in src.rows(sql):
        if amount is None:
            continue
        v = int(amount)
        if bucket & order_bit:  # order date in the month, wherever the line now sits
            order_book += v
        if bucket & sale:
            if bucket & year_bit:
                key = (tiers, rep)
                cy[key] = cy.get(key, 0) + v
                iy[item] = iy.get(item, 0) + v
                if bucket & month_bit:
                    cm[key] = cm.get(key, 0) + v
                    im[item] = im.get(item, 0) + v
            elif bucket & month_bit:
                key = (tiers, rep)
                cm[key] = cm.get(key, 0) + v
                im[item] = im.get(item, 0) + v
        elif bucket & port_bit:  # an open order-type line of the month
            portfolio += v
    # the keys as the other drivers give them: codes trimmed text, rep an int (0 = none)
    customers: dict = {}
    for (tiers, rep), v in cm.items():
        _add2(customers, (to_text(tiers), to_int(rep) or 0), v, None)
    for (tiers, rep), v in cy.items():
        _add2(customers, (to_text(tiers), to_int(rep) or 0), None, v)
    items: dict = {}
    for item, v in im.items():
        _add2(items, to_text(item), v, None)
    for item, v in iy.items():
        _add2(items, to_text(item), None, v)
    return customers, items, portfolio, order_book


def _read_by_code(src: Source, sql_of, codes) -> dict:
    """{code: the rest of its row} for the codes found, read LABELS_CHUNK codes a query."""
    codes = sorted(c for c in codes if c)
    out = {}
    for i in range(0, len(codes), queries.LABELS_CHUNK):
        chunk = tuple(codes[i:i + queries.LABELS_CHUNK])
        for row in src.rows(sql_of(len(chunk)), chunk):
            out[to_text(row[0])] = row[1:]
    return out


def _commercial(src: Source, b: queries.Bounds, figs: CompanyFigures) -> None:
    d = src.dialect
    per_customer, per_item, portfolio, order_book = _sales_two_ways(src, b)
    families = {to_text(r[0]): to_text(r[1]) for r in src.query(queries.FAMILIES_SQL)}
    reps = {to_int(r[0]): " ".join(p for p in (to_text(r[1]), to_text(r[2])) if p)
            for r in src.query(queries.REPS_SQL)}
    categories = {to_int(r[0]): to_text(r[1]) for r in src.query(queries.CATEGORIES_SQL)}
    customers = _read_by_code(src, queries.customers_sql, {t for t, _ in per_customer})
    items = _read_by_code(src, queries.items_sql, per_item)

    sales = {"month": ZERO, "year": ZERO}
    tables = {v: {} for v in RANKING_VIEWS}
    for (code, rep_no), sums in per_customer.items():
        shares = [(period, d.to_decimal(v)) for period, v in zip(("month", "year"), sums) if v is not None]
        known = customers.get(code)  # None: a customer unknown to F_COMPTET
        if known is not None:
            c_label, c_cat, c_rep = known
            if not rep_no:
                rep_no = to_int(c_rep) or 0
            cat = to_int(c_cat)
            label = to_text(c_label) or code
        else:
            cat, label = None, code
        for period, amount in shares:
            sales[period] += amount
            _add(tables[f"top_customers_{period}"], code, label, amount)
            if cat is not None:
                _add(tables[f"top_customer_categories_{period}"], str(cat), categories.get(cat) or str(cat), amount)
            if rep_no:
                _add(tables[f"top_sales_reps_{period}"], str(rep_no), reps.get(rep_no) or str(rep_no), amount)
    for code, sums in per_item.items():
        if not code:
            continue  # lines without item are left out of items and families
        a_label, a_family = items.get(code) or (None, None)
        family = to_text(a_family)
        for period, v in zip(("month", "year"), sums):
            if v is None:
                continue
            amount = d.to_decimal(v)
            _add(tables[f"top_items_{period}"], code, to_text(a_label) or code, amount)
            if family:
                _add(tables[f"top_item_families_{period}"], family, families.get(family) or family, amount)
    figs.amounts["sales_revenue"] = sales
    figs.amounts["sales_portfolio_month"] = {"month": d.to_decimal(portfolio)}
    figs.amounts["order_book_month"] = {"month": d.to_decimal(order_book)}
    figs.per_code.update(tables)


def _accounting(src: Source, b: queries.Bounds, figs: CompanyFigures, revenue_prefixes, cash_prefixes) -> None:
    d = src.dialect
    revenue_prefixes = tuple(str(p) for p in revenue_prefixes if str(p))
    cash_prefixes = tuple(str(p) for p in cash_prefixes if str(p))
    accounts = {to_text(r[0]): to_text(r[1]) for r in src.query(queries.ACCOUNTS_SQL)}
    cash_accounts = {to_text(r[0]) for r in src.query(queries.TREASURY_JOURNALS_SQL) if to_text(r[0])}
    if cash_prefixes:
        cash_accounts |= {a for a in accounts if a.startswith(cash_prefixes)}

    rev_month = rev_year = None
    customers: dict = {}
    suppliers: dict = {}
    cash: dict = {a: [accounts.get(a) or a, ZERO] for a in cash_accounts}
    sql = queries.ledger_grain_sql(d, b, revenue_prefixes, cash_prefixes)
    for ct, cg, year_net, year_opening, month_other, ct_label, ct_type in src.rows(sql):
        cg, ct = to_text(cg), to_text(ct)
        if revenue_prefixes and cg.startswith(revenue_prefixes):
            if month_other is not None:
                rev_month = d.partial(month_other) + (rev_month or 0)
            if year_net is not None:
                rev_year = d.partial(year_net) - (d.partial(year_opening) or 0) + (rev_year or 0)
        if year_net is None:
            continue  # entries of the month only, before the fiscal year's start
        net = d.to_decimal(year_net)  # debit - credit
        if ct and ct_type is not None:  # a third party known to F_COMPTET
            ct_type, label = to_int(ct_type), to_text(ct_label)
            if ct_type == 0:
                _add(customers, ct, label or ct, net)
            elif ct_type == 1:
                _add(suppliers, ct, label or ct, -net)
        if cg in cash_accounts:
            _add(cash, cg, accounts.get(cg) or cg, net)
    figs.amounts["accounting_revenue"] = {"month": -d.to_decimal(rev_month), "year": -d.to_decimal(rev_year)}
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
