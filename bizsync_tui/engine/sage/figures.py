"""What one extraction yields, before ranking: a company's figures, and their sum for a group.

A leaf module (only the catalogue and the SQL bounds below it), so that extraction
(engine.sage.extract) and groups (engine.sage.groups) both build on it without
importing each other.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.sage import queries

ZERO = Decimal(0)
DEFAULT_CURRENCY = "EUR"  # Sage's N_DeviseCompte 0 = no currency set: the French edition keeps books in euros

# The per-code figure keys: each ranking view, plus the three balances views.
RANKING_VIEWS = tuple(v.id for v in catalogue.VIEWS if v.shape == catalogue.RANKING)
BALANCE_VIEWS = tuple(v.id for v in catalogue.VIEWS if v.shape == catalogue.BALANCES)


@dataclass(frozen=True)
class CompanyInfo:
    name: str
    currency: str
    fy_start: _dt.date
    fy_end: _dt.date


@dataclass
class CompanyFigures:
    """A company's figures for one as_of, before ranking.

    amounts: view id -> {"month": Decimal, "year": Decimal} (month-only views: "month").
    per_code: view id -> {code: [label, Decimal]} for every ranking view (every code
    with a line in the period) and balances view (every balance, unfiltered).
    """

    name: str
    currency: str
    as_of: _dt.date
    fy_start: _dt.date
    fy_end: _dt.date
    sources: tuple[str, ...] = ()  # the catalogue sources read: "accounting", "commercial"
    amounts: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    per_code: dict[str, dict[str, list]] = field(default_factory=dict)

    @property
    def bounds(self) -> queries.Bounds:
        return queries.Bounds(self.as_of, self.fy_start, self.fy_end)



def merge_figures(members: list[CompanyFigures], *, name: str | None = None) -> CompanyFigures:
    """The sum of the members' figures (labels: the first member's that has the code).
    The members must be consistent (see check_group_consistency)."""
    if not members:
        raise ValueError("A group needs members.")
    first = members[0]
    merged = CompanyFigures(name=name or first.name, currency=first.currency, as_of=first.as_of,
                            fy_start=first.fy_start, fy_end=first.fy_end)
    sources = set(first.sources)
    for m in members[1:]:
        sources &= set(m.sources)
    merged.sources = tuple(s for s in first.sources if s in sources)
    for m in members:
        for view_id, periods in m.amounts.items():
            target = merged.amounts.setdefault(view_id, {})
            for period, amount in periods.items():
                target[period] = target.get(period, 0) + amount
        for view_id, table in m.per_code.items():
            target = merged.per_code.setdefault(view_id, {})
            for code, (label, amount) in table.items():
                cell = target.get(code)
                if cell is None:
                    target[code] = [label, amount]
                else:
                    cell[1] += amount
    return merged
