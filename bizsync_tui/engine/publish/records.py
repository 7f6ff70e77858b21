"""Deleting a company or a group: its published data on the platform first, then the record.

The original's "Supprimer" removes the company *and* what it published, so that a phone no
longer reads figures of a company that is not configured any more. `delete_company` is the
one function the command line (`bizsync company remove`, `group remove`) and the TUI's `d`
call. In this order, stopping at the first refusal:

1. a company that is a member of a group is refused, naming the groups (nothing is touched);
2. the publication is deleted on the platform through `runner.run(ws, "delete", code)`, which
   holds the publication lock and journals the deletion; when that fails (the platform is
   unreachable, the password was changed...) nothing is removed and the sentence says how to
   remove the record anyway (`keep_platform_data=True`, `--keep-platform-data`);
3. the company is removed from the configuration (engine.admin.config.remove_company).

A company never published from here while the platform connection is not set up at all
(a mistyped `company add` during a first set-up) is removed without asking the platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import readiness, remove_company
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.publish import runner
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.i18n import _
from bizsync_tui.models.tables import Company, GroupMember


class PlatformDataKept(ValidationError):
    """The platform data could not be deleted: nothing was removed (the message says so)."""


@dataclass(frozen=True)
class Deletion:
    code: str
    is_group: bool
    platform_deleted: bool  # False: kept on purpose, or never published and no platform set up
    message: str  # what was done, one sentence for the admin


def _find(code: str, is_group: bool | None) -> Company:
    row = Company.get_or_none(Company.short_code == code)
    if row is None or (is_group is not None and row.is_group != is_group):
        text = (_("There is no group {code}; run 'bizsync group list' to see them.") if is_group
                else _("There is no company {code}; run 'bizsync company list' to see them."))
        raise ValidationError("short_code", text.format(code=code))
    return row


def check_deletable(ws: Workspace, code: str, *, is_group: bool | None = None) -> None:
    """Raise ValidationError when `code` cannot be deleted at all (unknown, or a group's member).

    Asked before anything else: the TUI asks it before its confirmation question.
    """
    row = _find(code, is_group)
    if not row.is_group:
        groups = sorted(gm.group.short_code for gm in GroupMember.select().where(GroupMember.member == row))
        if groups:
            raise ValidationError("short_code", _("{code} is a member of the group {groups}; remove it from the "
                                                  "group first.").format(code=code, groups=", ".join(groups)))


def _platform_set_up(ws: Workspace) -> bool:
    return any(item.key == "portal" and item.done for item in readiness(ws))


def delete_company(ws: Workspace, code: str, *, is_group: bool | None = None, keep_platform_data: bool = False,
                   trigger: str = "manual") -> Deletion:
    """Delete a company or group: platform data first, then the record (see the module)."""
    code = (code or "").strip()
    check_deletable(ws, code, is_group=is_group)
    group = _find(code, is_group).is_group
    command = "group" if group else "company"
    platform_deleted = False
    ever_published = journal.last_for(company=code) is not None
    if not keep_platform_data and (ever_published or _platform_set_up(ws)):
        report = runner.run(ws, "delete", code, trigger=trigger)
        if not report.ok:
            reason = "; ".join(r.message for r in report.failures) or report.summary()
            raise PlatformDataKept("platform", _(
                "Nothing was removed: the published data of {code} could not be deleted from the platform ({reason}). "
                "Fix that and run it again, or remove {code} from this configuration only with "
                "'bizsync {command} remove {code} --keep-platform-data' (the phones then keep its last "
                "publication).").format(code=code, reason=reason.rstrip("."), command=command))
        platform_deleted = True
    remove_company(ws, code, is_group=group)
    if platform_deleted:
        text = _("Deleted the published data of {code} from the platform and removed {code} from this configuration.")
    elif keep_platform_data:
        text = _("Removed {code} from this configuration; its published data was left on the platform.")
    else:
        text = _("Removed {code} from this configuration (it was never published from here).")
    return Deletion(code, group, platform_deleted, text.format(code=code))


__all__ = ["Deletion", "PlatformDataKept", "check_deletable", "delete_company"]
