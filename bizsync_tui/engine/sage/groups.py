"""Company groups (VIEWS.md "Company groups"): the members' figures as if one database.

    check_group_consistency([("BIJOU", figs_a), ("BIJOU2", figs_b)])   # GroupMismatch
    body = build_publication([figs_a, figs_b], short_code="GRP", name="Group", view_ids=...)

Amounts add up; per-code figures (ranking rows, balances) add up across members
*before* ranking, filtering (balances > 0) and the cut to 5, which
engine.extract.build_views does on the merged figures.
"""

from __future__ import annotations

from bizsync_tui.engine.sage.figures import CompanyFigures, merge_figures  # noqa: F401 (merge_figures re-exported)
from bizsync_tui.i18n import _


class GroupMismatch(ValueError):
    """A group whose members cannot be added up; str() names the member and the difference."""


def check_group_consistency(members: list[tuple[str, CompanyFigures]]) -> None:
    """Refuse members whose fiscal years (start and end) or accounting currencies differ
    from the first member's. `members` = [(short_code, figures), ...]."""
    if len(members) < 2:
        raise GroupMismatch(_("A group needs at least two member companies; add another member."))
    ref_code, ref = members[0]
    for code, figs in members[1:]:
        if figs.currency != ref.currency:
            raise GroupMismatch(_(
                "Member {code} keeps its books in {currency} but {ref_code} in {ref_currency}; a group adds up "
                "companies of one accounting currency, so remove {code} from the group or fix its currency in "
                "Sage.").format(code=code, currency=figs.currency, ref_code=ref_code, ref_currency=ref.currency))
        starts, ends = figs.fy_start != ref.fy_start, figs.fy_end != ref.fy_end
        if starts or ends:
            if starts and ends:
                text = _("The fiscal year of member {code} starts on {start} instead of {ref_start} and ends on "
                         "{end} instead of {ref_end} (as in {ref_code}); align its fiscal year in Sage or remove "
                         "{code} from the group.")
            elif starts:
                text = _("The fiscal year of member {code} starts on {start} instead of {ref_start} (as in "
                         "{ref_code}); align its fiscal year in Sage or remove {code} from the group.")
            else:
                text = _("The fiscal year of member {code} ends on {end} instead of {ref_end} (as in "
                         "{ref_code}); align its fiscal year in Sage or remove {code} from the group.")
            raise GroupMismatch(text.format(
                code=code, ref_code=ref_code, start=figs.fy_start.isoformat(), ref_start=ref.fy_start.isoformat(),
                end=figs.fy_end.isoformat(), ref_end=ref.fy_end.isoformat()))
        if figs.as_of != ref.as_of:
            raise GroupMismatch(_("Member {code} was extracted for {as_of} but {ref_code} for {ref_as_of}; extract "
                                  "every member for the same date.").format(
                code=code, as_of=figs.as_of.isoformat(), ref_code=ref_code, ref_as_of=ref.as_of.isoformat()))
