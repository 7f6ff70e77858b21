"""F1: the keys of the current section and of the app, and how to find one's way."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from bizsync_tui.i18n import _
from bizsync_tui.screens.widgets import translate_bindings


HELP_INTRO_EN = ("The list on the left leads to the screens; Enter opens the chosen one, Escape goes back to "
                 "the list. Tab moves from one field to the next. Ctrl+P opens the command palette. "
                 "For a first publication, follow the publication wizard (F9).")


def _intro() -> str:
    text = _("HELP_INTRO")
    return HELP_INTRO_EN if text == "HELP_INTRO" else text


class HelpScreen(ModalScreen[None]):
    """The bindings of the focused widget and its parents, then the app-wide ones."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, below=None, sections: tuple[tuple[str, str], ...] = ()) -> None:
        """`sections`: (F key, English title) of each section that has a key, in order (the
        app gives them from screens.main.SECTIONS, which this layer does not import)."""
        super().__init__()
        translate_bindings(self)
        self._below = below
        self._sections = sections

    def compose(self) -> ComposeResult:
        app = self.app
        below = self._below
        lines: list[tuple[str, str]] = []
        seen: set[str] = set()
        focused = below.focused if below is not None else None
        nodes = list(focused.ancestors_with_self) if focused is not None else []
        for node in nodes:
            if node is app or (node is below and not isinstance(below, ModalScreen)):
                continue  # a form (modal) has its keys on the screen itself; the main screen's are "Everywhere"
            for key, bindings in node._bindings.key_to_bindings.items():
                for b in bindings:
                    if b.description and b.show and b.action not in seen:
                        seen.add(b.action)
                        lines.append((app.get_key_display(b), b.description))
        with Vertical(id="help-box", classes="dialog"):
            yield Label(_("Help"), classes="dialog-title")
            with VerticalScroll():
                yield Static(_intro(), classes="help-intro")
                if lines:
                    yield Label(_("Keys of this screen"), classes="help-heading")
                    yield Static("\n".join(f"{k:>10}  {d}" for k, d in lines), classes="help-keys")
                yield Label(_("Everywhere"), classes="help-heading")
                everywhere = [("F1", _("Help")),
                              *((key.upper(), _(title)) for key, title in self._sections),
                              ("F10", _("Quit")), ("Ctrl+P", _("Command palette")),
                              ("Tab", _("Next / previous field"))]
                yield Static("\n".join(f"{k:>10}  {d}" for k, d in everywhere), classes="help-keys")
            yield Label("Esc: " + _("Close"), classes="dialog-hint")
