"""Settings > Connection: the portal credentials and the management-files login,
two tabs, each with Save and a Test that runs in a worker."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static, TabbedContent, TabPane

from bizsync_tui.i18n import _
from bizsync_tui.screens.forms import Field, FormPane, message_text
from bizsync_tui.screens.widgets import focus_now, translate_bindings


HINTS_EN = {
    "PORTAL_HINT": "The client code and password given by the platform operator.",
    "DATABASE_HINT": "An administrator that exists, with the same code and password, in every Sage file published.",
}


def hint(key: str) -> str:
    text = _(key)
    return HINTS_EN[key] if text == key else text


class ConnectionPane(FormPane):
    """Portal tab (URL, client code, password) and management-files tab (user, password)."""

    SECRETS = ("portal.password", "database.password")
    FIELD_TABS = {"portal.url": "tab-portal", "portal.client_code": "tab-portal", "portal.password": "tab-portal",
                  "database.user": "tab-database", "database.password": "tab-database"}
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="connection.save"),
        Binding("ctrl+t", "test", "Save and test", id="connection.test"),
    ]

    def __init__(self) -> None:
        super().__init__(id="connection-pane")
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="connection-tabs"):
            with TabPane(_("Platform portal"), id="tab-portal"):
                yield Static(hint("PORTAL_HINT"), classes="section-hint")
                yield Field("portal.url", _("Platform address"), id="portal-url",
                            placeholder="https://platform.example.com")
                yield Field("portal.client_code", _("Client code"), id="portal-client-code")
                yield Field("portal.password", _("Password"), password=True, id="portal-password")
                with Horizontal(classes="form-buttons"):
                    yield Button(_("Save"), id="portal-save", variant="primary")
                    yield Button(_("Save and test"), id="portal-test")
                yield Static("", id="portal-message", classes="form-message")
            with TabPane(_("Management files"), id="tab-database"):
                yield Static(hint("DATABASE_HINT"), classes="section-hint")
                yield Field("database.user", _("User"), id="database-user")
                yield Field("database.password", _("Password"), password=True, id="database-password")
                with Horizontal(classes="form-buttons"):
                    yield Button(_("Save"), id="database-save", variant="primary")
                    yield Button(_("Save and test"), id="database-test")
                yield Static("", id="database-message", classes="form-message")

    def focus_first(self) -> None:
        focus_now(self.query_one("#portal-url Input"))

    # -- actions ----------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def action_test(self) -> None:
        tab = self.query_one(TabbedContent).active
        self._save_and_test("database" if tab == "tab-database" else "portal")

    @on(Button.Pressed, "#portal-save, #database-save")
    def _save_pressed(self) -> None:
        self.save()

    @on(Button.Pressed, "#portal-test")
    def _test_portal_pressed(self) -> None:
        self._save_and_test("portal")

    @on(Button.Pressed, "#database-test")
    def _test_database_pressed(self) -> None:
        self._save_and_test("database")

    def _save_and_test(self, which: str) -> None:
        self.save(then=lambda: self._start_test(which))

    def _start_test(self, which: str) -> None:
        self._message(which, _("Testing..."), "")
        self._test(which)

    def _message(self, which: str, text: str, kind: str) -> None:
        message_text(self.query_one(f"#{which}-message", Static), text, kind)

    @work(thread=True, exclusive=True, group="connection-test", exit_on_error=False)
    def _test(self, which: str) -> None:
        ws = self.app.workspace
        try:
            if which == "portal":
                from bizsync_tui.engine.publish.errors import PublishError
                from bizsync_tui.engine.checks import test_portal

                try:
                    text, kind = test_portal(ws), "success"
                except PublishError as exc:
                    text, kind = exc.message, "error"
            else:
                text, kind = self._test_database(ws)
        except Exception as exc:  # noqa: BLE001 - say it, never crash the form
            text, kind = _("The test could not run: {error}").format(error=type(exc).__name__), "error"
        self.app.call_from_thread(self._message, which, text, kind)

    @staticmethod
    def _test_database(ws) -> tuple[str, str]:
        from bizsync_tui.engine.admin.config import list_companies
        from bizsync_tui.engine.checks import test_saved_source
        from bizsync_tui.engine.sage.sources import SourceError

        companies = [c for c in list_companies(ws) if c.accounting_source or c.commercial_source]
        if not companies:
            return _("Add a company first: the test opens its accounting file with this user."), "error"
        company = companies[0]
        source = company.accounting_source or company.commercial_source
        try:
            return test_saved_source(ws, source), "success"
        except SourceError as exc:
            return str(exc), "error"
