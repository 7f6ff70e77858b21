"""The Groups section (Sage 1000 "families"): groups of companies published as
their sum under one short code. Same actions as the Companies section.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from bizsync_tui.engine.admin.config import CompanyData
from bizsync_tui.i18n import _, language, pgettext
from bizsync_tui.screens.companies import CompaniesPane


class GroupsPane(CompaniesPane):
    """List of company groups; Enter opens, n adds, p publishes, x deletes the published data, d deletes."""

    IS_GROUP = True
    COLUMNS = (("code", "Short code"), ("name", "Name"), ("members", "Members"), ("views", "Views"),
               ("last", "Last publication"))
    NARROW_COLUMNS = {"code": 8, "name": None, "members": None, "last": 14}  # 80 columns: no view count
    FLEXIBLE = ("name", "members")

    def column_title(self, title: str) -> str:
        if title == "Name":
            return pgettext("group", "Name")
        if title == "Short code" and language() == "fr":
            return _("Code")  # "Code raccourci" would push the last publication out at 100 columns
        return _(title)

    BINDINGS = [
        Binding("enter", "open", "Open", id="groups.open"),
        Binding("n,insert", "new", "New", id="groups.new"),
        Binding("p", "publish", "Publish now", id="groups.publish"),
        Binding("x", "delete_published", "Delete published", id="groups.delete_published"),
        Binding("d,delete", "delete", "Delete", id="groups.delete"),
        Binding("r", "refresh", "Refresh", show=False, id="groups.refresh"),
    ]

    def empty_hint(self) -> str:
        return _("No group yet: press n to add one (a group needs two companies or more).")

    def cells(self, c: CompanyData, last: str) -> tuple:
        return (c.short_code, c.name, ", ".join(c.members), str(len(c.views)), last)

    def open_form(self, record) -> None:
        self._open_with_companies(record)

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, description="companies for a group")
    def _open_with_companies(self, record) -> None:
        from bizsync_tui.engine.admin.config import list_companies

        companies = list_companies(self.workspace, groups=False)
        self.app.call_from_thread(self._push_form, record, companies)

    def _push_form(self, record, companies) -> None:
        from bizsync_tui.screens.group_form import GroupFormScreen

        def saved(result) -> None:
            if result is not None:
                self.refresh_list(select=result.short_code)

        self.app.push_screen(GroupFormScreen(record, companies), saved)

    def delete_question(self, record) -> tuple[str, str]:
        return (_("Delete the group {code}?").format(code=record.short_code),
                _("The group {code} ({name}), its {n} checked views and every mobile user's grants on it will be "
                  "removed from this configuration, and its data published on the platform will be deleted. "
                  "Its member companies are kept.").format(code=record.short_code, name=record.name,
                                                           n=len(record.views)))


__all__ = ["GroupsPane"]
