"""The Users section: mobile users, their grants, and what each types on the phone.

`UsersPane` is mounted by the app shell in the centre; it finds the workspace
as `self.app.workspace`. All engine work runs in thread workers.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable

from bizsync_tui.engine.admin.config import UserData
from bizsync_tui.i18n import _, pgettext
from bizsync_tui.screens.dialogs import ErrorDialog, MessageDialog
from bizsync_tui.screens.figures_text import preview_lines
from bizsync_tui.screens.list_fit import fit_pane_rows
from bizsync_tui.screens.record_list import RecordListPane


def preview_text(preview) -> str:
    """A publication body (runner.preview_for_user) as the phone shows it: the company, the
    date of the figures, each granted view's title in the UI language and its headline."""
    if isinstance(preview, dict):
        return "\n".join(preview_lines(preview))
    return str(preview)


class UsersPane(RecordListPane):
    """List of mobile users; Enter opens, n adds, d deletes, i connection info, v preview."""

    COLUMNS = (("login", "Login"), ("name", "Name"), ("companies", "Companies"), ("views", "Views"))
    NARROW_COLUMNS = {"login": 10, "name": None, "companies": None, "views": 5}  # 80 columns: fixed widths

    def column_title(self, title: str) -> str:
        return pgettext("user", "Name") if title == "Name" else _(title)

    BINDINGS = [
        Binding("n,insert", "new", "New", id="users.new"),
        Binding("d,delete", "delete", "Delete", id="users.delete"),
        Binding("i", "connection_info", "Connection info", id="users.connection_info"),
        Binding("v", "preview", "Preview", id="users.preview"),
        Binding("r", "refresh", "Refresh", show=False, id="users.refresh"),
    ]
    NEEDS_SELECTION = ("open", "delete", "connection_info", "preview")

    def empty_hint(self) -> str:
        return _("No mobile user yet: press n to add one.")

    def record_key(self, record: UserData) -> str:
        return record.login

    def fetch(self):
        from bizsync_tui.engine.admin.config import list_users

        rows = [(u, (u.login, u.name, ", ".join(sorted(u.grants)), str(sum(len(v) for v in u.grants.values()))))
                for u in list_users(self.workspace)]
        return fit_pane_rows(self, rows, ("name", "companies"))

    # -- open / new ------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        record = self.current()
        if record is not None:
            self._open_form(record)

    def action_new(self) -> None:
        self._open_form(None)

    def action_refresh(self) -> None:
        self.refresh_list()

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, description="companies for grants")
    def _open_form(self, record) -> None:
        from bizsync_tui.engine.admin.config import list_companies

        companies = list_companies(self.workspace, groups=None)
        self.app.call_from_thread(self._push_form, record, companies)

    def _push_form(self, record, companies) -> None:
        from bizsync_tui.screens.user_form import UserFormScreen

        def saved(result) -> None:
            if result is not None:
                self.refresh_list(select=result.login)

        self.app.push_screen(UserFormScreen(record, companies), saved)

    # -- delete ---------------------------------------------------------------------------------
    def action_delete(self) -> None:
        user = self.current()
        if user is None:
            return
        n = sum(len(v) for v in user.grants.values())
        self.confirm_then(
            _("Delete the user {login}?").format(login=user.login),
            _("The user {login} ({name}) and the {n} views granted to them will be removed; after the next "
              "publication {login} can no longer log in on the phone.").format(login=user.login, name=user.name, n=n),
            _("Delete"), lambda: self._delete_worker(user.login))

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, description="delete user")
    def _delete_worker(self, login: str) -> None:
        from bizsync_tui.engine.admin.config import ValidationError, remove_user

        try:
            remove_user(self.workspace, login)
        except ValidationError as exc:
            self.app.call_from_thread(
                self.app.push_screen, ErrorDialog(_("Cannot delete {login}").format(login=login), _(exc.message)))
            return
        self.app.call_from_thread(self._deleted, login)

    def _deleted(self, login: str) -> None:
        self.app.notify(_("{login} was deleted.").format(login=login))
        self.refresh_list()

    # -- connection info / preview ----------------------------------------------------------------
    def action_connection_info(self) -> None:
        user = self.current()
        if user is not None:
            self._info_worker(user)

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, description="connection info")
    def _info_worker(self, user: UserData) -> None:
        from bizsync_tui.engine.admin.card import connection_card
        from bizsync_tui.engine.admin.config import ValidationError
        from bizsync_tui.screens.card_dialog import ConnectionCardDialog

        try:
            card = connection_card(self.workspace, user.login)  # the same card as `bizsync user card`
        except ValidationError as exc:  # removed meanwhile (another admin)
            self.app.call_from_thread(self.app.push_screen, ErrorDialog(
                _("Connection info for {login}").format(login=user.login), _(exc.message)))
            return
        self.app.call_from_thread(self.app.push_screen, ConnectionCardDialog(card))

    def action_preview(self) -> None:
        user = self.current()
        if user is not None:
            self._preview_worker(user)

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False, description="preview")
    def _preview_worker(self, user: UserData) -> None:
        app = self.app
        from bizsync_tui.engine.publish.runner import preview_for_user

        if not user.grants:
            app.call_from_thread(app.notify, _("{login} is granted no view: there is nothing to preview.")
                                 .format(login=user.login), severity="warning")
            return
        parts = []
        ok = True
        as_of = app.clock.now().date()  # the app's today, as a publication started now would use
        for code in sorted(user.grants):
            try:
                body = preview_text(preview_for_user(self.workspace, user.login, code, as_of=as_of))
            except Exception as exc:  # a source that cannot be read: say so, for this company only
                ok, body = False, str(exc)
            parts.append(_("What {login} will see on {code}").format(login=user.login, code=code) + "\n" + body)
        title = _("Preview of {login}").format(login=user.login)
        dialog = MessageDialog(title, "\n\n".join(parts)) if ok else ErrorDialog(title, "\n\n".join(parts))
        app.call_from_thread(app.push_screen, dialog)


__all__ = ["UsersPane"]
