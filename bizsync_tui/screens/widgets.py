"""Small widgets and helpers shared by the screens: times and operation names as the admin
reads them, the widths of the narrow (80-column) lists and their tables (SizedTable), keys
in plain ASCII, the status line, the footer, radio buttons readable without colour, and the
unsaved-changes question.
(The form framework is screens/forms.py.)"""

from __future__ import annotations

from datetime import datetime, timezone

import os
import sys

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, RadioButton, Static
from textual.widgets._footer import FooterKey

from bizsync_tui.screens.dialogs import ConfirmDialog, translate_bindings  # noqa: F401 (re-exported)
from bizsync_tui.i18n import _, pgettext


def local_time(at: datetime, tz=None) -> datetime:
    """A naive UTC time (as the journal stores it) in the local zone (or `tz`)."""
    return at.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)


def format_time(at, tz=None) -> str:
    """A journal time (UTC, naive) in `tz` (the app's zone; None: the machine's), to the minute."""
    if at is None:
        return ""
    return local_time(at, tz).strftime("%Y-%m-%d %H:%M")


def last_publication_text(entry, tz=None, short: bool = False) -> str:
    """'2026-03-02 06:00 ok' or '2026-03-02 06:00 ✗ failed' (the original's cross), or 'never';
    short (80 columns): '02/03 06:00 ok' or '02/03 06:00 ✗'."""
    if entry is None:
        return _("never")
    if entry.success and entry.operation in ("delete", "delete_all"):  # x: the phones get nothing now
        when = local_time(entry.at, tz).strftime("%d/%m %H:%M" if short else "%Y-%m-%d %H:%M")
        return f"{when} {_('deleted')}"
    if short:
        when = local_time(entry.at, tz).strftime("%d/%m %H:%M")
        return f"{when} {_('ok') if entry.success else chr(0x2717)}"
    mark = _("ok") if entry.success else "\u2717 " + pgettext("list mark", "failed")
    return f"{format_time(entry.at, tz)} {mark}"


# Under this many columns (80x24 over SSH) the lists show fewer, fixed-width columns
# and short dates, so that they fit the pane without scrolling sideways.
NARROW_BELOW = 100


def is_narrow(app) -> bool:
    return app.size.width < NARROW_BELOW


def centre_room(app) -> int:
    """The width of the centre pane's content before it is laid out: the screen less the
    tree (25), the centre's border and padding (4)."""
    return max(40, app.size.width - 25 - 4)


def share_columns(room: int, widths) -> list[int]:
    """Widths of a DataTable's columns in `room` cells: a number is kept, the None ones share
    what is left (each column takes 2 more cells of padding; 2 are kept for the scrollbar).

    share_columns(51, [10, None, 5, 14]) -> [10, 12, 5, 14]  (51 - 29 - 8 - 2 = 12)"""
    widths = list(widths)
    flexible = [i for i, w in enumerate(widths) if w is None]
    if not flexible:
        return widths
    left = room - sum(w for w in widths if w is not None) - 2 * len(widths) - 2
    each, extra = divmod(max(left, 6 * len(flexible)), len(flexible))
    for n, i in enumerate(flexible):
        widths[i] = each + (1 if n < extra else 0)
    return widths


class SizedTable(DataTable):
    """A DataTable whose cells are drawn again at their columns' new widths. DataTable sizes
    its auto-width columns to their cells on its own idle, after the rows are added, but keeps
    the cells it drew before at their old widths (its cache of drawn cells does not know the
    width): when the screen was drawn in between (a busy machine), a row stayed cut to its
    columns' titles ("Grou" for "Groupe...") until something else changed."""

    def _update_dimensions(self, new_rows) -> None:
        widths = [column.get_render_width(self) for column in self.columns.values()]
        super()._update_dimensions(new_rows)
        if widths != [column.get_render_width(self) for column in self.columns.values()]:
            self._clear_caches()  # textual==8.2.8 (pinned): the drawn cells are cached without their width
            self.refresh()


def focus_now(widget) -> None:
    """Focus `widget` at once. Widget.focus() waits for the app's next turn, and a key
    typed meanwhile (a fast typist, a pasted sequence, a laggy SSH link delivering keys
    together) goes to the widget that had the focus, or nowhere when that one was just
    hidden."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # noqa: BLE001 - not on a screen (being removed): nothing to focus
        pass


class ChoiceButton(RadioButton):
    """A radio button whose dot shows only when it is the chosen one. Textual draws the same
    dot in every button and tells the chosen one by colour alone, which NO_COLOR or a
    monochrome terminal loses (the same idea as checklists.Checklist's X)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # per instance: on or off
        return "\u25cf" if self.value else " "


class StatusLine(Static):
    """One line at the bottom: scheduler state, next run, last publication."""


# Keys as a plain console shows them (Textual's defaults use glyphs such as the
# return symbol for Enter, which a Linux console font lacks).
KEY_NAMES = {
    "enter": "Enter", "escape": "Esc", "tab": "Tab", "space": "Space", "backspace": "Backspace",
    "delete": "Del", "insert": "Ins", "home": "Home", "end": "End", "pageup": "PgUp", "pagedown": "PgDn",
    "up": "Up", "down": "Down", "left": "Left", "right": "Right", "minus": "-", "plus": "+",
}


def key_display(key: str) -> str:
    """'ctrl+s' -> '^S', 'enter' -> 'Enter', 'pagedown' -> 'PgDn', 'f9' -> 'F9', 'e' -> 'e': plain ASCII."""
    parts = key.split("+")
    name = parts[-1]
    if name in KEY_NAMES:
        shown = KEY_NAMES[name]
    elif name[:1] == "f" and name[1:].isdigit():
        shown = name.upper()
    elif len(name) == 1:
        shown = name
    else:
        shown = name.capitalize()
    mods = parts[:-1]
    if "ctrl" in mods and len(shown) == 1:  # ^S as Textual shows it, in capitals
        mods.remove("ctrl")
        shown = "^" + shown.upper()
    return "+".join([m.capitalize() for m in mods] + [shown])


def terminal_gone(fds=None) -> bool:
    """True when the terminal has gone (an SSH session dropped: the tty is hung up or closed)."""
    if fds is None:
        fds = []
        for stream in (sys.__stdin__, sys.__stdout__):
            try:
                fds.append(stream.fileno())
            except (AttributeError, ValueError, OSError):
                return True
    return not all(os.isatty(fd) for fd in fds)


class KeysFooter(Footer):
    """The footer of every screen. When its keys do not fit the width (80 columns, French),
    the section's keys are left out from the right, so that F1 Help and F10 Quit (and the
    palette's ^P) always show; F1 still lists the keys left out. A resize decides again."""

    #: actions always shown
    KEEP = ("app.help", "help", "app.quit", "quit")

    _fitted: list[tuple[int, bool]] = []  # (width, kept) of each key of the last compose, in order
    _palette_width = 0

    @staticmethod
    def _width(key: FooterKey) -> int:
        """The cells a key takes: ' ^S ' and 'Save ' (the palette's: no padding after its text)."""
        if not key.description:
            return cell_len(key.key_display)
        return cell_len(key.key_display) + cell_len(key.description) + (2 if key.has_class("-command-palette") else 3)

    @staticmethod
    def _left_out(widths: list[tuple[int, bool]], room: int) -> set[int]:
        """Indexes of the keys left out so that the rest fits `room`: the kept ones first, then
        the others in their order as long as each still fits."""
        total = sum(w for w, keep in widths if keep)
        out: set[int] = set()
        for i, (width, keep) in enumerate(widths):
            if keep:
                continue
            if total + width <= room:
                total += width
            else:
                out.add(i)
        return out

    def _room(self, palette: int) -> int:
        return (self.size.width or self.app.size.width) - palette

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        palette = [w for w in items if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        keys = [w for w in items if w not in palette]
        widths = [(self._width(k), not isinstance(k, FooterKey) or k.action in self.KEEP) for k in keys]
        self._fitted = widths
        self._palette_width = sum(self._width(p) for p in palette)
        out = self._left_out(widths, self._room(self._palette_width))
        yield from (k for i, k in enumerate(keys) if i not in out)
        yield from palette

    def on_resize(self) -> None:
        widths = self._fitted
        if not widths:
            return
        room = self._room(self._palette_width)
        shown = len(widths) - len(self._left_out(widths, room))
        if shown != len(self.query(FooterKey).exclude(".-command-palette")):
            self.refresh(recompose=True)


def leave_unsaved_question() -> ModalScreen[bool]:
    """The one question asked before leaving a form with unsaved changes."""
    return ConfirmDialog(_("Unsaved changes"),
                         _("You have changed this form without saving. Leave it and lose the changes?"),
                         confirm=_("Leave"), cancel=_("Stay"))
