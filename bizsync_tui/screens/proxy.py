"""Settings > Proxy: the machine's default, a manual proxy, or none; Test runs in a worker."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, RadioButton, RadioSet, Static

from bizsync_tui.i18n import _
from bizsync_tui.screens.forms import Field, FormPane, message_text
from bizsync_tui.screens.widgets import ChoiceButton, focus_now, translate_bindings


MODES = ("system", "manual", "none")


class ProxyPane(FormPane):
    SECRETS = ("proxy.password",)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="proxy.save"),
        Binding("ctrl+t", "test", "Test and save", id="proxy.test"),
    ]

    def __init__(self) -> None:
        super().__init__(id="proxy-pane")
        translate_bindings(self)
        self._mode = "system"  # the chosen button (RadioSet.pressed_button lags a set value)
        self._test_waiting = False  # Test pressed before the stored values were loaded

    def compose(self) -> ComposeResult:
        with RadioSet(id="proxy-mode"):
            yield ChoiceButton(_("Use the machine's default proxy configuration"), id="mode-system", value=True)
            yield ChoiceButton(_("Use this proxy"), id="mode-manual")
            yield ChoiceButton(_("No proxy"), id="mode-none")
        yield Field("proxy.host", _("Address"), id="proxy-host", placeholder=_("e.g. proxy.example.com"))
        yield Field("proxy.port", _("Port"), id="proxy-port", placeholder=_("e.g. 3128"), max_length=5)
        yield Field("proxy.user", _("User"), id="proxy-user")
        yield Field("proxy.password", _("Password"), password=True, id="proxy-password")
        with Horizontal(classes="form-buttons"):
            yield Button(_("Save"), id="proxy-save", variant="primary")
            yield Button(_("Test and save"), id="proxy-test")
        yield Static("", id="proxy-message", classes="form-message")

    def focus_first(self) -> None:
        focus_now(self.query_one("#proxy-mode", RadioSet))

    def mode(self) -> str:
        return self._mode

    def setting_keys(self) -> list[str]:
        return ["proxy.mode", *self.fields()]

    def values(self) -> dict[str, str]:
        return {"proxy.mode": self.mode(), **super().values()}

    def changes(self) -> dict[str, str]:
        """The proxy fields go together (the engine checks a manual proxy's address and port)."""
        out = super().changes()
        values = self.values()
        for key in ("proxy.mode", "proxy.host", "proxy.port", "proxy.user"):
            out[key] = values[key]
        return out

    def apply_loaded(self, data: dict[str, str]) -> None:
        mode = data.get("proxy.mode", "system")
        self._mode = mode if mode in MODES else "system"
        self.query_one(f"#mode-{self._mode}", RadioButton).value = True
        self._enable_manual(self._mode == "manual")

    def _enable_manual(self, manual: bool) -> None:
        for field in self.fields().values():
            field.input.disabled = not manual

    @on(RadioSet.Changed, "#proxy-mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        self._mode = (event.pressed.id or "mode-system").removeprefix("mode-")
        self._enable_manual(self._mode == "manual")

    def action_save(self) -> None:
        self._message("", "")  # a result line is about the values it tested, not these
        self.save()

    def action_test(self) -> None:
        """Test what is typed first; save it only when the platform was reached through it."""
        if not self.ready:  # the stored values are not shown yet: test them once they are
            self._test_waiting = True
            return
        self.clear_errors()
        self._message(_("Testing these settings (nothing is saved unless the test passes)..."), "")
        self._test(self.changes())

    def _apply_loaded(self, data: dict[str, str], secrets: dict[str, str]) -> None:
        super()._apply_loaded(data, secrets)
        if self._test_waiting:
            self._test_waiting = False
            self.action_test()

    @on(Button.Pressed, "#proxy-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#proxy-test")
    def _test_pressed(self) -> None:
        self.action_test()

    def _message(self, text: str, kind: str) -> None:
        message_text(self.query_one("#proxy-message", Static), text, kind)

    def _tested(self, text: str, kind: str, saved: bool) -> None:
        self._message(text, kind)
        if saved:
            self.saved(None, None)  # FormPane's after-save: SettingsChanged, "Saved.", the values read again

    @work(thread=True, exclusive=True, group="proxy-test", exit_on_error=False)
    def _test(self, changes: dict[str, str]) -> None:
        """The typed values are checked as Save checks them (nothing is written), then the
        platform is reached through them with the engine's proxy test; only then saved."""
        from bizsync_tui.engine.admin.config import set_settings
        from bizsync_tui.engine.admin.validation import ValidationError, setting
        from bizsync_tui.engine.checks import test_proxy
        from bizsync_tui.engine.publish.errors import PublishError

        ws = self.app.workspace
        call = self.app.call_from_thread
        errors = self.errors(changes)
        if not errors:
            try:  # the rules across fields, on what would be saved; rolled back
                with ws.atomic() as txn:
                    set_settings(ws, changes)
                    txn.rollback()
            except ValidationError as exc:
                errors = [(exc.field, exc.message)]
        if errors:
            call(self._message, _("Not tested and not saved: correct the fields marked in red."), "error")
            call(self.show_errors, errors)
            return
        try:
            try:
                text = test_proxy(ws, values={k: setting(k, v) for k, v in changes.items()})
            except PublishError as exc:
                call(self._tested, _("{result}\nNothing was saved: the previous proxy settings stay in use. Correct "
                                     "them and test again, or save them anyway with Ctrl+S.").format(
                                         result=exc.message), "error", False)
                return
            set_settings(ws, changes)
        except Exception as exc:  # noqa: BLE001 - one sentence, never a traceback
            call(self._tested, _("The test could not run ({error}); nothing was saved.").format(
                error=type(exc).__name__), "error", False)
            return
        call(self._tested, _("{result}\nSaved: these proxy settings are now in use.").format(result=text),
             "success", True)
