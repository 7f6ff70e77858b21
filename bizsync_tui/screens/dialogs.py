"""Shared modal dialogs: ConfirmDialog (yes/no before anything is lost) and
MessageDialog / ErrorDialog (text the admin must read and acknowledge).

ConfirmDialog(title, message, confirm=_("Delete")) -> ModalScreen[bool]
    keys: y confirms, n / escape cancel, left/right/tab move between the buttons;
    the initial focus is on the safe button (Cancel), so Enter alone never destroys.
MessageDialog(title, message, copy_text=None) -> ModalScreen[None]
    Enter / escape close; c copies `copy_text` (OSC 52, works over SSH) when given.
ErrorDialog(title, message): a MessageDialog styled as an error.

Every text goes through `_()`; callers pass already-translated texts.
"""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from bizsync_tui.i18n import _

# The keys that scroll a dialog's text whatever has the focus (the dialog's action_scroll)
SCROLL_BINDINGS = [
    Binding("up", "scroll('up')", "Scroll up", show=False),
    Binding("down", "scroll('down')", "Scroll down", show=False),
    Binding("pageup", "scroll('page_up')", "Page up", show=False),
    Binding("pagedown", "scroll('page_down')", "Page down", show=False),
    Binding("home", "scroll('home')", "Top", show=False),
    Binding("end", "scroll('end')", "Bottom", show=False),
]


def translate_bindings(node) -> None:
    """Give a widget/screen's bindings their descriptions in the current language.

    BINDINGS are class attributes built at import time, before the language is
    chosen: write their descriptions in English and call this in `__init__`
    (after super().__init__) so the footer shows `_()` of each description.
    """
    translated = BindingsMap()
    for key, bindings in node._bindings.key_to_bindings.items():
        translated.key_to_bindings[key] = [
            replace(b, description=_(b.description) if b.description else b.description,
                    tooltip=_(b.tooltip) if b.tooltip else b.tooltip)
            for b in bindings
        ]
    node._bindings = translated


def copy_to_terminal(app, text: str) -> None:
    """Copy through Textual's App.copy_to_clipboard (the OSC 52 sequence, so it works over SSH
    too) and say where it went: the terminal's clipboard, which a terminal or tmux may refuse."""
    import os

    app.copy_to_clipboard(text)
    if os.environ.get("TMUX"):
        where = _("Sent to your terminal's clipboard (OSC 52). Under tmux, paste works when its set-clipboard "
                  "option is on; otherwise select the text with Shift held.")
    else:
        where = _("Sent to your terminal's clipboard (OSC 52); a terminal that does not support it receives "
                  "nothing: select the text with Shift held instead.")
    app.notify(where, title=_("Copy"), timeout=8)


def confirm_key() -> str:
    """The key that confirms: y (yes), o in French (oui); n (no / non) cancels in both."""
    from bizsync_tui.i18n import language

    return "o" if language() == "fr" else "y"


class _FocusMoves:
    """Arrow keys move the focus between the dialog's buttons."""

    def action_focus_previous(self) -> None:  # type: ignore[misc]
        self.focus_previous()  # type: ignore[attr-defined]

    def action_focus_next(self) -> None:  # type: ignore[misc]
        self.focus_next()  # type: ignore[attr-defined]


class ConfirmDialog(_FocusMoves, ModalScreen[bool]):
    """Ask before something is lost. Dismisses True (confirmed) or False."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        background: $background 60%;
    }
    ConfirmDialog > #dialog {
        width: 64;
        max-width: 90%;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog #dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    ConfirmDialog #dialog-message {
        width: 100%;
        margin-bottom: 1;
    }
    ConfirmDialog #dialog-buttons {
        height: auto;
        width: 100%;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin-left: 2;
    }
    """

    # y (yes) in English; o (oui) in French, where y is kept as a silent synonym: the key shown
    # on the button is the one of the language's word for yes (CONFIRM_KEY)
    BINDINGS = [
        Binding("y", "confirm", "Yes", id="confirm.yes"),
        Binding("o", "confirm_oui", "Yes", show=False, id="confirm.oui"),
        Binding("n", "cancel", "No", id="confirm.no"),
        Binding("escape", "cancel", "Cancel", show=False, id="confirm.escape"),
        Binding("left,up", "focus_previous", "Previous", show=False),
        Binding("right,down", "focus_next", "Next", show=False),
    ]

    def __init__(self, title: str, message: str, *, confirm: str | None = None,
                 cancel: str | None = None, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        translate_bindings(self)
        self.title_text = title
        self.message_text = message
        self.confirm_label = confirm or _("Delete")
        self.cancel_label = cancel or _("Cancel")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(self.message_text, id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.cancel_label} (n)", id="cancel", variant="primary")
                yield Button(f"{self.confirm_label} ({confirm_key()})", id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_confirm_oui(self) -> None:
        if confirm_key() == "o":
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class MessageDialog(_FocusMoves, ModalScreen[None]):
    """Text to read and acknowledge (connection info, a one-time password, a report)."""

    DEFAULT_CSS = """
    MessageDialog {
        align: center middle;
        background: $background 60%;
    }
    MessageDialog > #dialog {
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    MessageDialog.-error > #dialog {
        border: thick $error;
    }
    MessageDialog #dialog-title {
        dock: top;  /* docked like the buttons: the text's max-height (100%) is what they leave */
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    MessageDialog #dialog-scroll {
        width: 100%;
        height: auto;
        max-height: 100%;
        margin-bottom: 1;
    }
    MessageDialog #dialog-message {
        width: 100%;
        height: auto;
    }
    MessageDialog #dialog-buttons {
        dock: bottom;
        height: auto;
        width: 100%;
        align-horizontal: right;
    }
    MessageDialog #dialog-scroll-hint {
        width: 1fr;
        height: 3;
        content-align: left middle;
        color: $text-muted;
    }
    MessageDialog Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="message.close"),
        Binding("c", "copy", "Copy", id="message.copy"),
        Binding("left", "focus_previous", "Previous", show=False),
        Binding("right", "focus_next", "Next", show=False),
        # the text scrolls from the keyboard whatever has the focus (a long preview, a journal entry)
        *SCROLL_BINDINGS,
    ]

    def __init__(self, title: str, message: str, *, copy_text: str | None = None,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        self.title_text = title
        self.message_text = message
        self.copy_text = copy_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            with Horizontal(id="dialog-buttons"):  # docked at the bottom: on screen at 80x24
                yield Label("", id="dialog-scroll-hint")
                if self.copy_text is not None:
                    yield Button(f"{_('Copy')} (c)", id="copy")
                yield Button(_("Close"), id="close", variant="primary")
            with VerticalScroll(id="dialog-scroll", can_focus=False):
                yield Static(self.message_text, id="dialog-message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        self.call_after_refresh(self._show_scroll_hint)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_scroll_hint)

    def _show_scroll_hint(self) -> None:
        """Say how to read the rest when the text is longer than the dialog."""
        hints = self.query("#dialog-scroll-hint")
        scrolls = self.query("#dialog-scroll")
        if hints and scrolls:
            hints.first().update(_("Up/Down, PgUp/PgDn: scroll") if scrolls.first().max_scroll_y > 0 else "")

    def action_scroll(self, how: str) -> None:
        found = self.query("#dialog-scroll")
        if not found:
            return
        body = found.first()
        {"up": body.scroll_up, "down": body.scroll_down, "page_up": body.scroll_page_up,
         "page_down": body.scroll_page_down, "home": body.scroll_home, "end": body.scroll_end}[how](animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            return self.copy_text is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.dismiss(None)

    def action_copy(self) -> None:
        if self.copy_text is not None:
            copy_to_terminal(self.app, self.copy_text)

    def action_close(self) -> None:
        self.dismiss(None)


class ErrorDialog(MessageDialog):
    """An error the admin must acknowledge (from a worker: app.call_from_thread(app.push_screen, ErrorDialog(...)))."""

    def __init__(self, title: str | None, message: str, **kwargs) -> None:
        classes = ("-error " + kwargs.pop("classes", "") or "").strip()
        super().__init__(title or _("Error"), message, classes=classes, **kwargs)


__all__ = ["ConfirmDialog", "MessageDialog", "ErrorDialog", "translate_bindings"]
