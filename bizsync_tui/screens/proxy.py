"""Settings > Proxy: the machine's default, a manual proxy, or none; Test runs in a worker."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, RadioButton, RadioSet, Static

from bizsync_tui.i18n import _
from bizsync_tui.screens.widgets import ChoiceButton, Field, FormPane, focus_now, translate_bindings


MODES = ("system", "manual", "none")


class ProxyPane(FormPane):
    SECRETS = ("proxy.password",)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="proxy.save"),
        Binding("ctrl+t", "test", "Save and test", id="proxy.test"),
    ]

    def __init__(self) -> None:
        super().__init__(id="proxy-pane")
        translate_bindings(self)
        self._mode = "system"  # the chosen button (RadioSet.pressed_button lags a set value)

    def compose(self) -> ComposeResult:
        with RadioSet(id="proxy-mode"):
            yield ChoiceButton(_("Use the machine's default proxy configuration"), id="mode-system", value=True)
            yield ChoiceButton(_("Use this proxy"), id="mode-manual")
            yield ChoiceButton(_("No proxy"), id="mode-none")
        yield Field("proxy.host", _("Address"), id="proxy-host", placeholder="proxy.example.com")
        yield Field("proxy.port", _("Port"), id="proxy-port", placeholder="3128", max_length=5)
        yield Field("proxy.user", _("User"), id="proxy-user")
        yield Field("proxy.password", _("Password"), password=True, id="proxy-password")
        with Horizontal(classes="form-buttons"):
            yield Button(_("Save"), id="proxy-save", variant="primary")
            yield Button(_("Save and test"), id="proxy-test")
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
        self.save()

    def action_test(self) -> None:
        self.save(then=self._start_test)

    @on(Button.Pressed, "#proxy-save")
    def _save_pressed(self) -> None:
        self.save()

    @on(Button.Pressed, "#proxy-test")
    def _test_pressed(self) -> None:
        self.action_test()

    def _start_test(self) -> None:
        self._message(_("Testing..."), "")
        self._test()

    def _message(self, text: str, kind: str) -> None:
        label = self.query_one("#proxy-message", Static)
        label.update(Text(text))
        label.set_class(kind == "error", "-error")
        label.set_class(kind == "success", "-success")

    @work(thread=True, exclusive=True, group="proxy-test", exit_on_error=False)
    def _test(self) -> None:
        try:
            from bizsync_tui.engine.publish.errors import PublishError
            from bizsync_tui.engine.checks import test_proxy

            try:
                text, kind = test_proxy(self.app.workspace), "success"
            except PublishError as exc:
                text, kind = exc.message, "error"
        except Exception as exc:  # noqa: BLE001
            text, kind = _("The test could not run: {error}").format(error=type(exc).__name__), "error"
        self.app.call_from_thread(self._message, text, kind)
