"""Settings > Alerts: where bizsync says that a publication fails, works again, or has not
succeeded for too long (e-mail and/or webhook); Save and test sends a test alert through
every channel in a worker (engine.monitor.alerts.send_test)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Label, Select, Static

from bizsync_tui.i18n import _
from bizsync_tui.screens.forms import Field, FormPane, message_text
from bizsync_tui.screens.widgets import focus_now, translate_bindings


HINTS_EN = {"ALERTS_HINT": "An e-mail and/or a webhook (Slack, Teams, Mattermost...) when a publication fails, "
                           "works again, or has not succeeded for too long."}
SECURITIES = (("starttls", "STARTTLS (port 587)"), ("ssl", "SSL (port 465)"), ("none", "none (trusted network)"))


def hint(key: str) -> str:
    text = _(key)
    return HINTS_EN[key] if text == key else text


class AlertsPane(FormPane):
    """E-mail (recipients, sender, server, port, security, login) and webhook, and the hours
    without a successful publication before a 'stale' alert."""

    SECRETS = ("alert.smtp.password", "alert.webhook.url")
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="alerts.save"),
        Binding("ctrl+t", "test", "Save and test", id="alerts.test"),
    ]

    def __init__(self) -> None:
        super().__init__(id="alerts-pane")
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield Static(hint("ALERTS_HINT"), classes="section-hint")
        yield Label(_("By e-mail"), classes="help-heading")
        yield Field("alert.email.to", _("To (addresses)"), id="alert-to", placeholder="admin@example.com, ...")
        yield Field("alert.email.from", _("From"), id="alert-from", placeholder="bizsync@example.com")
        yield Field("alert.smtp.host", _("Mail server"), id="alert-host", placeholder="smtp.example.com")
        yield Field("alert.smtp.port", _("Port"), id="alert-port", placeholder="587", max_length=5)
        yield Field("alert.smtp.security", _("Security"), Select(
            [(_(label), key) for key, label in SECURITIES], value="starttls", allow_blank=False, compact=True,
            id="alert-security"))
        yield Field("alert.smtp.user", _("User"), id="alert-user")
        yield Field("alert.smtp.password", _("Password"), password=True, id="alert-password")
        yield Label(_("By webhook"), classes="help-heading")
        yield Field("alert.webhook.url", _("Webhook address"), password=True, id="alert-webhook",
                    placeholder="https://hooks.example.com/...")
        yield Label(_("When publications stop"), classes="help-heading")
        yield Field("alert.stale_hours", _("No success for (h)"), id="alert-stale", placeholder="26", max_length=4)
        yield Static(_("An alert when a company has had no successful publication for that many hours "
                       "(the scheduler stopped, the machine off); 0: none."), classes="section-hint")
        with Horizontal(classes="form-buttons"):
            yield Button(_("Save"), id="alerts-save", variant="primary")
            yield Button(_("Save and test"), id="alerts-test")
        yield Static("", id="alerts-message", classes="form-message")

    def focus_first(self) -> None:
        focus_now(self.query_one("#alert-to Input"))

    # -- form <-> settings ---------------------------------------------------
    def values(self) -> dict[str, str]:
        return {"alert.smtp.security": str(self.query_one("#alert-security", Select).value), **super().values()}

    def apply_loaded(self, data: dict[str, str]) -> None:
        security = data.get("alert.smtp.security") or "starttls"
        self.query_one("#alert-security", Select).value = security if security in dict(SECURITIES) else "starttls"

    # -- actions ----------------------------------------------------------
    def action_save(self) -> None:
        self.save()

    def action_test(self) -> None:
        self.save(then=self._start_test)

    @on(Button.Pressed, "#alerts-save")
    def _save_pressed(self) -> None:
        self.save()

    @on(Button.Pressed, "#alerts-test")
    def _test_pressed(self) -> None:
        self.action_test()

    def _start_test(self) -> None:
        self._message(_("Sending a test alert..."), "")
        self._test()

    def _message(self, text: str, kind: str) -> None:
        message_text(self.query_one("#alerts-message", Static), text, kind)

    @work(thread=True, exclusive=True, group="alerts-test", exit_on_error=False)
    def _test(self) -> None:
        try:
            from bizsync_tui.engine.monitor.alerts import send_test

            deliveries = send_test(self.app.workspace, self.app.clock.now())
            if not deliveries:
                text, kind = _("No alert channel is set: type recipients and a mail server, or a webhook "
                               "address, then Save."), "error"
            else:
                lines = [_("Sent: {what}.").format(what=d.description) if d.ok else
                         _("Not sent: {what}: {error}").format(what=d.description, error=d.message)
                         for d in deliveries]
                text, kind = "\n".join(lines), ("success" if all(d.ok for d in deliveries) else "error")
        except Exception as exc:  # noqa: BLE001 - say it, never crash the form
            text, kind = _("The test could not run: {error}").format(error=type(exc).__name__), "error"
        self.app.call_from_thread(self._message, text, kind)
