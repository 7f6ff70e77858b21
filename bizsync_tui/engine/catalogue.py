"""The view catalogue: the 17 indicators bizsync publishes.

One place of truth for the view ids of PLATFORM_API.md, their labels in
English and French, the Sage source each reads and the shape of its data.
The TUI checklists, the payload builder and the platform all use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bizsync_tui.i18n import _

ACCOUNTING = "accounting"
COMMERCIAL = "commercial"

AMOUNT = "amount"
RANKING = "ranking"
BALANCES = "balances"


@dataclass(frozen=True)
class View:
    id: str
    source: str  # ACCOUNTING or COMMERCIAL
    shape: str  # AMOUNT, RANKING or BALANCES
    label_en: str
    label_fr: str
    # rankings: "month" or "year"; amounts: "month" for a month-only amount (no "year" key), else None
    period: str | None = None

    def label(self, language: str = "en") -> str:
        return self.label_fr if language == "fr" else self.label_en


VIEWS: tuple[View, ...] = (
    View("sales_revenue", COMMERCIAL, AMOUNT, "Sales revenue", "CA commercial"),
    View("sales_portfolio_month", COMMERCIAL, AMOUNT, "Month's portfolio", "Portefeuille du mois", "month"),
    View("order_book_month", COMMERCIAL, AMOUNT, "Month's order book", "Portefeuille de commande du mois", "month"),
    View("top_customers_month", COMMERCIAL, RANKING, "Top 5 customers (month)", "Top 5 clients (mois)", "month"),
    View("top_customers_year", COMMERCIAL, RANKING, "Top 5 customers (year)", "Top 5 clients (exercice)", "year"),
    View("top_customer_categories_month", COMMERCIAL, RANKING, "Top 5 customer categories (month)",
         "Top 5 catégories clients (mois)", "month"),
    View("top_customer_categories_year", COMMERCIAL, RANKING, "Top 5 customer categories (year)",
         "Top 5 catégories clients (exercice)", "year"),
    View("top_items_month", COMMERCIAL, RANKING, "Top 5 items (month)", "Top 5 articles (mois)", "month"),
    View("top_items_year", COMMERCIAL, RANKING, "Top 5 items (year)", "Top 5 articles (exercice)", "year"),
    View("top_item_families_month", COMMERCIAL, RANKING, "Top 5 item families (month)",
         "Top 5 familles articles (mois)", "month"),
    View("top_item_families_year", COMMERCIAL, RANKING, "Top 5 item families (year)",
         "Top 5 familles articles (exercice)", "year"),
    View("top_sales_reps_month", COMMERCIAL, RANKING, "Top 5 sales reps (month)", "Top 5 représentants (mois)", "month"),
    View("top_sales_reps_year", COMMERCIAL, RANKING, "Top 5 sales reps (year)", "Top 5 représentants (exercice)", "year"),
    View("accounting_revenue", ACCOUNTING, AMOUNT, "Accounting revenue", "CA comptable"),
    View("top_customer_outstanding", ACCOUNTING, BALANCES, "Top 5 customer outstanding", "Top 5 encours clients"),
    View("top_supplier_outstanding", ACCOUNTING, BALANCES, "Top 5 supplier outstanding", "Top 5 encours fournisseurs"),
    View("cash_position", ACCOUNTING, BALANCES, "Cash position", "Situation de trésorerie"),
)

VIEW_IDS: tuple[str, ...] = tuple(v.id for v in VIEWS)
BY_ID: dict[str, View] = {v.id: v for v in VIEWS}


def get(view_id: str) -> View:
    try:
        return BY_ID[view_id]
    except KeyError:
        raise ValueError(
            _("'{view}' is not a view; type one of: {views}.").format(view=view_id, views=", ".join(VIEW_IDS))
        ) from None


def views_of(source: str) -> tuple[View, ...]:
    return tuple(v for v in VIEWS if v.source == source)


def parse_view_list(text: str) -> list[str]:
    """Parse the command line's `all` or `ID,ID,...` into view ids, in catalogue order."""
    text = (text or "").strip()
    if text.lower() == "all":
        return list(VIEW_IDS)
    wanted = [p.strip() for p in text.split(",") if p.strip()]
    if not wanted:
        raise ValueError(_("No view given; type 'all' or a comma-separated list of view ids."))
    for w in wanted:
        get(w)
    return [v for v in VIEW_IDS if v in wanted]
