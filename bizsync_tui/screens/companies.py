"""The Companies section: the list of companies and the actions on the selection
(open, new, publish now, delete the published data, delete the company).

`CompaniesPane` is mounted by the app shell in the centre; it finds the
workspace as `self.app.workspace`. All engine work runs in thread workers.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.widgets import DataTable, Static

from bizsync_tui.engine.admin.config import CompanyData
from bizsync_tui.i18n import _, language, pgettext
from bizsync_tui.screens.dialogs import ErrorDialog
from bizsync_tui.screens.list_fit import fit_pane_rows
from bizsync_tui.screens.record_list import RecordListPane
from bizsync_tui.screens.widgets import last_publication_text


class CompaniesPane(RecordListPane):
    """List of companies; Enter opens, n adds, p publishes, x deletes the published data, d deletes."""

    IS_GROUP = False
    COLUMNS = (("code", "Short code"), ("dossier", "Dossier"), ("name", "Name"), ("views", "Views"),
               ("last", "Last publication"))
    # 80 columns: no dossier (the form shows it), "28/11 21:00 ok" under "Published"
    NARROW_COLUMNS = {"code": 8, "name": None, "views": 5, "last": 14}
    NARROW_TITLES = {"code": "Code", "last": "Published"}
    FLEXIBLE = ("name",)  # at 100 columns and more: cut first, so that the last publication shows

    def column_title(self, title: str) -> str:
        if title == "Name":
            return pgettext("company", "Name")
        if title == "Short code" and language() == "fr":
            return _("Code")  # "Code raccourci" would push the last publication out at 100 columns
        return _(title)

    BINDINGS = [
        Binding("enter", "open", "Open", id="companies.open"),
        Binding("n,insert", "new", "New", id="companies.new"),
        Binding("p", "publish", "Publish now", id="companies.publish"),
        Binding("x", "delete_published", "Delete published", id="companies.delete_published"),
        Binding("d,delete", "delete", "Delete", id="companies.delete"),
        Binding("r", "refresh", "Refresh", show=False, id="companies.refresh"),
    ]
    NEEDS_SELECTION = ("open", "publish", "delete_published", "delete")

    def empty_hint(self) -> str:
        return _("No company yet: press n to add the first one.")

    def record_key(self, record: CompanyData) -> str:
        return record.short_code

    def fetch(self):
        from bizsync_tui.engine import journal
        from bizsync_tui.engine.admin.config import list_companies

        rows = []
        tz = self.app.tz
        for c in list_companies(self.workspace, groups=self.IS_GROUP):
            last = last_publication_text(journal.last_for(company=c.short_code), tz, short=self.narrow)
            rows.append((c, self.cells(c, last)))
        return fit_pane_rows(self, rows, self.FLEXIBLE)

    def cells(self, c: CompanyData, last: str) -> tuple:
        return (c.short_code, c.dossier, c.name, str(len(c.views)), last)

    # -- open / new ------------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def make_form(self, record):
        from bizsync_tui.screens.company_form import CompanyFormScreen

        return CompanyFormScreen(record)

    def open_form(self, record) -> None:
        def saved(result) -> None:
            if result is not None:
                self.refresh_list(select=result.short_code)

        self.app.push_screen(self.make_form(record), saved)

    def action_open(self) -> None:
        record = self.current()
        if record is not None:
            self.open_form(record)

    def action_new(self) -> None:
        self.open_form(None)

    def action_refresh(self) -> None:
        self.refresh_list()

    # -- publication ----------------------------------------------------------------------
    def action_publish(self) -> None:
        record = self.current()
        if record is not None:
            self._run_worker("publish", record.short_code)

    def action_delete_published(self) -> None:
        record = self.current()
        if record is None:
            return
        code = record.short_code
        self.confirm_then(
            _("Delete the published data of {code}?").format(code=code),
            _("The data of {code} published on the platform will be deleted: mobile users will see nothing "
              "for {code} until the next publication. The configuration is kept.").format(code=code),
            _("Delete data"), lambda: self._run_worker("delete", code))

    def _status(self, text: str) -> None:
        self.query_one("#pane-hint", Static).update(text)

    @work(thread=True, exclusive=True, group="publish", exit_on_error=False, description="publication")
    def _run_worker(self, action: str, code: str) -> None:
        app = self.app
        from bizsync_tui.engine.publish import runner

        start = (_("Publishing {code}...") if action == "publish"
                 else _("Deleting the published data of {code}...")).format(code=code)
        app.call_from_thread(self._status, start)

        def progress(_done: int, _total: int, label: str) -> None:
            if label:
                app.call_from_thread(self._status, _("{code}: {label}").format(code=code, label=label))

        try:
            report = runner.run(self.workspace, action=action, target=code, trigger="manual", progress=progress)
            ok, text = report.ok, report.outcome()
        except Exception as exc:  # the runner turns known failures into a report; anything else is shown
            ok, text = False, str(exc)
        app.call_from_thread(self._run_finished, action, code, ok, text)

    def _run_finished(self, action: str, code: str, ok: bool, text: str) -> None:
        self._status("")
        title = (_("Publication of {code}") if action == "publish"
                 else _("Deletion of {code}'s published data")).format(code=code)
        if ok:
            self.app.notify(text or _("Done."), title=title)
        else:
            self.app.push_screen(ErrorDialog(title, text))
        self.refresh_list()

    # -- delete ---------------------------------------------------------------------------------
    def delete_question(self, record) -> tuple[str, str]:
        return (_("Delete the company {code}?").format(code=record.short_code),
                _("The company {code} ({name}), its {n} checked views and every mobile user's grants on it will be "
                  "removed from this configuration, and its data published on the platform will be deleted.")
                .format(code=record.short_code, name=record.name, n=len(record.views)))

    def action_delete(self) -> None:
        record = self.current()
        if record is not None:
            self._check_delete_worker(record)

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, description="can delete")
    def _check_delete_worker(self, record) -> None:
        """A group's member is refused before the question is asked."""
        from bizsync_tui.engine.admin.validation import ValidationError
        from bizsync_tui.engine.publish.records import check_deletable

        try:
            check_deletable(self.workspace, record.short_code, is_group=self.IS_GROUP)
        except ValidationError as exc:
            self.app.call_from_thread(self._delete_refused, record.short_code, exc.message)
            return
        title, message = self.delete_question(record)
        self.app.call_from_thread(self.confirm_then, title, message, _("Delete"),
                                  lambda: self._delete_worker(record.short_code))

    @work(thread=True, exclusive=True, group="publish", exit_on_error=False, description="delete")
    def _delete_worker(self, code: str) -> None:
        """The platform data first, then the record: engine.publish.records.delete_company, as the CLI."""
        from bizsync_tui.engine.admin.validation import ValidationError
        from bizsync_tui.engine.publish.records import delete_company

        self.app.call_from_thread(self._status, _("Deleting the published data of {code}...").format(code=code))
        try:
            done = delete_company(self.workspace, code, is_group=self.IS_GROUP, trigger="manual")
        except ValidationError as exc:  # nothing was removed; the sentence says why
            self.app.call_from_thread(self._delete_refused, code, exc.message)
            return
        self.app.call_from_thread(self._removed, code, done.message)

    def _delete_refused(self, code: str, message: str) -> None:
        self._status("")
        self.app.push_screen(ErrorDialog(_("Cannot delete {code}").format(code=code), message))
        self.refresh_list()

    def _removed(self, code: str, message: str) -> None:
        self._status("")
        self.app.notify(message, title=_("{code} was deleted.").format(code=code))
        self.refresh_list()


__all__ = ["CompaniesPane"]
