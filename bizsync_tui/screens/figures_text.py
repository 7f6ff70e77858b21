"""Figures as the admin reads them in the TUI, in the UI language: amounts formatted as the
phone formats them, a view's title from the catalogue and its headline in one line.

    money_text("12345.6", "EUR")            # '€12,345.60' (English), '12 345,60 €' (French)
    view_headline("sales_revenue", data)    # 'Month: €1,200.00 · Fiscal year: €9,800.00'
    preview_lines(body)                     # what a mobile user sees of one publication body
    journal_figures_lines(entry.figures)    # a journal entry's figures, one fact a line

Pure functions (no Textual), used by the Users preview and the journal's entry details.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from bizsync_tui.engine import catalogue
from bizsync_tui.i18n import _, language

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "XPF": "XPF"}


def number_text(amount, decimals: int = 2) -> str:
    """'12345.6' -> '12,345.60' (English) or '12 345,60' (French); text that is no number is kept."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    text = f"{abs(value):,.{decimals}f}"
    if language() == "fr":
        text = text.replace(",", " ").replace(".", ",")
    return ("-" if value < 0 else "") + text


def money_text(amount, currency: str | None = "EUR") -> str:
    """An amount with its currency, the way the phone writes it in the UI language."""
    number = number_text(amount)
    code = (currency or "").upper()
    symbol = SYMBOLS.get(code, code)
    if not symbol:
        return number
    if language() == "fr" or len(symbol) > 1:
        return f"{number} {symbol}"
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}{symbol}{digits}"


def date_text(iso) -> str:
    """'2026-03-16' as the UI language writes a date: '16/03/2026' in French; else kept."""
    text = str(iso or "")
    if language() == "fr" and len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


def view_title(view_id: str) -> str:
    """The catalogue's title of a view in the UI language ('CA commercial'); an unknown id as is."""
    view = catalogue.BY_ID.get(view_id)
    return view.label(language()) if view is not None else view_id


def _amount(data, currency) -> str:
    return money_text(data.get("amount") if isinstance(data, dict) else data, currency)


def view_headline(view_id: str, data, currency: str | None = "EUR") -> str:
    """One line saying what the view's card shows first: an amount's month and fiscal year,
    a ranking's first row, a list of balances' total."""
    view = catalogue.BY_ID.get(view_id)
    shape = view.shape if view is not None else None
    if not isinstance(data, dict):
        return ""
    if shape == catalogue.AMOUNT or "month" in data:
        parts = []
        if "month" in data:
            parts.append(_("Month: {amount}").format(amount=_amount(data["month"], currency)))
        if "year" in data:
            parts.append(_("Fiscal year: {amount}").format(amount=_amount(data["year"], currency)))
        return " · ".join(parts)
    rows = data.get("rows") or []
    if "total" in data:
        return (_("Total {amount} ({n} line)") if len(rows) == 1 else _("Total {amount} ({n} lines)")).format(
            amount=money_text(data["total"], currency), n=len(rows))
    if not rows:
        return _("Nothing to rank for this period.")
    first = rows[0]
    label = first.get("label") or first.get("code") or ""
    return _("1. {label} {amount} ({n} ranked)").format(
        label=label, amount=money_text(first.get("amount"), currency), n=len(rows))


def preview_lines(body: dict) -> list[str]:
    """What the phone shows of one publication body: the company, the date the figures are
    as of, and each view (in catalogue order) with its title and headline."""
    company = body.get("company") or {}
    currency = company.get("currency") or "EUR"
    views = body.get("views") or {}
    head = _("{code} ({name}), figures as of {date}").format(
        code=company.get("short_code", ""), name=company.get("name", ""), date=date_text(body.get("as_of")))
    lines = [head]
    if not views:
        lines.append("  " + _("No view: this user is granted none that the company publishes."))
        return lines
    order = [v for v in catalogue.VIEW_IDS if v in views] + sorted(v for v in views if v not in catalogue.BY_ID)
    for view_id in order:
        lines.append("  " + view_title(view_id))
        headline = view_headline(view_id, views[view_id], currency)
        if headline:
            lines.append("      " + headline)
    return lines


def _list_text(items) -> str:
    return ", ".join(str(i) for i in items)


def journal_figures_lines(figures) -> list[str]:
    """A journal entry's figures (runner.figures_of, or the users step's counts) as lines."""
    if not figures:
        return []
    if not isinstance(figures, dict):
        return [str(figures)]
    lines: list[str] = []
    rest = dict(figures)
    if "views" in rest and isinstance(rest["views"], dict):  # a publication
        views = rest.pop("views")
        rest.pop("publication_id", None)
        as_of = rest.pop("as_of", None)
        if as_of:
            lines.append(_("Figures as of {date}").format(date=date_text(as_of)))
        lines.append((_("{n} view sent:") if len(views) == 1 else _("{n} views sent:")).format(n=len(views)))
        for view_id in [v for v in catalogue.VIEW_IDS if v in views] + sorted(v for v in views
                                                                              if v not in catalogue.BY_ID):
            lines.append("  " + _("{title}: {headline}").format(
                title=view_title(view_id), headline=_journal_view(views[view_id])))
    if "grants" in rest and isinstance(rest["grants"], dict):  # the mobile users
        grants = rest.pop("grants")
        count = rest.pop("users", len(grants))
        lines.append((_("{n} mobile user sent:") if count == 1 else _("{n} mobile users sent:")).format(n=count))
        for login in sorted(grants):
            per = grants[login] or {}
            parts = [(_("{code} ({n} view)") if len(ids or []) == 1 else _("{code} ({n} views)")).format(
                code=code, n=len(ids or [])) for code, ids in sorted(per.items())]
            lines.append("  " + _("{login}: {grants}").format(
                login=login, grants=_list_text(parts) if parts else _("no view")))
    for key in sorted(rest):
        value = rest[key]
        if isinstance(value, (list, tuple)):
            value = _list_text(value)
        elif isinstance(value, dict):
            value = _list_text(f"{k} {v}" for k, v in sorted(value.items()))
        lines.append(_("{title}: {headline}").format(title=key, headline=value))
    return lines


def _journal_view(data) -> str:
    """A view as the journal keeps it (runner.figures_of): amounts, or [code, amount] rows."""
    if isinstance(data, dict) and "total" in data:
        rows = data.get("rows") or []
        return (_("total {amount} ({n} line)") if len(rows) == 1 else _("total {amount} ({n} lines)")).format(
            amount=number_text(data["total"]), n=len(rows))
    if isinstance(data, dict):
        parts = []
        if "month" in data:
            parts.append(_("month {amount}").format(amount=number_text(data["month"])))
        if "year" in data:
            parts.append(_("fiscal year {amount}").format(amount=number_text(data["year"])))
        return ", ".join(parts)
    if isinstance(data, list):
        if not data:
            return _("nothing to rank")
        first = data[0]
        code, amount = (first[0], first[1]) if isinstance(first, (list, tuple)) and len(first) >= 2 else (first, "")
        return _("first {code} {amount} ({n} ranked)").format(code=code, amount=number_text(amount), n=len(data))
    return str(data)
