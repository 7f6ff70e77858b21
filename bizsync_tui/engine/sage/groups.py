"""Company groups (VIEWS.md "Company groups"): the members' figures as if one database.

    check_group_consistency([("BIJOU", figs_a), ("BIJOU2", figs_b)])   # GroupMismatch
    body = build_publication([figs_a, figs_b], short_code="GRP", name="Group", view_ids=...)

Amounts add up; per-code figures (ranking rows, balances) add up across members
*before* ranking, filtering (balances > 0) and the cut to 5, which
engine.extract.build_views does on the merged figures.
"""

from __future__ import annotations

from bizsync_tui.engine.sage.figures import CompanyFigures, merge_figures  # noqa: F401 (merge_figures re-exported)


class GroupMismatch(ValueError):
    """A group whose members cannot be added up; str() names the member and the difference."""


def check_group_consistency(members: list[tuple[str, CompanyFigures]]) -> None:
    """Refuse members whose fiscal years (start and end) or accounting currencies differ
    from the first member's. `members` = [(short_code, figures), ...]."""
    if len(members) < 2:
        raise GroupMismatch("A group needs at least two member companies; add another member.")
    ref_code, ref = members[0]
    for code, figs in members[1:]:
        if figs.currency != ref.currency:
            raise GroupMismatch(
                f"Member {code} keeps its books in {figs.currency} but {ref_code} in {ref.currency}; "
                f"a group adds up companies of one accounting currency, so remove {code} from the group "
                "or fix its currency in Sage.")
        if (figs.fy_start, figs.fy_end) != (ref.fy_start, ref.fy_end):
            what = []
            if figs.fy_start != ref.fy_start:
                what.append(f"starts on {figs.fy_start.isoformat()} instead of {ref.fy_start.isoformat()}")
            if figs.fy_end != ref.fy_end:
                what.append(f"ends on {figs.fy_end.isoformat()} instead of {ref.fy_end.isoformat()}")
            raise GroupMismatch(
                f"The fiscal year of member {code} {' and '.join(what)} (as in {ref_code}); "
                f"align its fiscal year in Sage or remove {code} from the group.")
        if figs.as_of != ref.as_of:
            raise GroupMismatch(f"Member {code} was extracted for {figs.as_of.isoformat()} but {ref_code} "
                                f"for {ref.as_of.isoformat()}; extract every member for the same date.")
