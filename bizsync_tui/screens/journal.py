"""The publication journal: newest first, a cross marks an error; read page by page
(keyset paging in engine.journal) so that 100 000 entries open at once."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual import on, work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from bizsync_tui.i18n import N_, _
from bizsync_tui.screens.dialogs import MessageDialog
from bizsync_tui.screens.figures_text import journal_figures_lines, number_text
from bizsync_tui.engine.journal import operation_name
from bizsync_tui.screens.widgets import SizedTable, focus_now, local_time, translate_bindings


PAGE_SIZE = 100


def fmt_count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


class JournalTable(SizedTable):
    """PgUp / PgDn at the table's edges load the newer / older page."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Details", id="journal.details"),
        Binding("pagedown", "older", "Older page", id="journal.older"),
        Binding("pageup", "newer", "Newer page", id="journal.newer"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)

    def rows_in_a_screen(self, start: int, step: int) -> int:
        """How many entries a screenful holds from `start` going `step` (+1 older, -1 newer):
        a long message makes its row two lines high."""
        room = max(1, self.scrollable_content_region.height)
        rows = self.ordered_rows
        count, used, i = 0, 0, start
        while 0 <= i + step < len(rows) and used + rows[i + step].height <= room:
            i += step
            used += rows[i].height
            count += 1
        return max(1, count)

    def action_older(self) -> None:
        pane = self.parent
        if self.row_count and self.cursor_row < self.row_count - 1:
            self.move_cursor(row=min(self.row_count - 1, self.cursor_row + self.rows_in_a_screen(self.cursor_row, 1)))
            return
        pane.older()

    def action_newer(self) -> None:
        pane = self.parent
        if self.cursor_row > 0:
            self.move_cursor(row=max(0, self.cursor_row - self.rows_in_a_screen(self.cursor_row, -1)))
            return
        pane.newer()


MESSAGE_LINES = 2  # a long message takes two lines of its row; Enter shows it in full


def message_lines(message: str, room: int, most: int = MESSAGE_LINES) -> list[str]:
    """The message (its lines joined) wrapped in `room` cells, on `most` lines at most, the
    last one ending in '...' when the text goes on."""
    text = " ".join((message or "").split())
    if len(text) <= room:
        return [text]
    lines = textwrap.wrap(text, room, break_long_words=True, break_on_hyphens=False)
    if len(lines) > most:
        last = " ".join(lines[most - 1:])
        lines = lines[:most - 1] + [last[:room - 3].rstrip() + "..."]
    return lines


#: who started an operation (the journal's trigger codes), as the admin reads it
TRIGGER_NAMES = {"manual": N_("you, in the terminal app"), "cli": N_("the command line"),
                 "scheduler": N_("the scheduler"), "wizard": N_("the publication wizard"),
                 "demo": N_("the demo (bizsync demo)"), "alerts": N_("the alerts")}


def trigger_name(trigger: str) -> str:
    return _(TRIGGER_NAMES[trigger]) if trigger in TRIGGER_NAMES else (trigger or "-")


def duration_text(ms) -> str:
    """1234 -> '1.2 s' ('1,2 s' in French); 754000 -> '12 min 34 s'."""
    ms = int(ms or 0)
    if ms < 60_000:
        return _("{seconds} s").format(seconds=number_text(ms / 1000, 1))
    minutes, seconds = divmod(round(ms / 1000), 60)
    return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=seconds)


def entry_text(e, tz=None) -> str:
    """A journal entry in full, in the UI language: one fact a line, then its figures, then
    the message."""
    when = local_time(e.at, tz).strftime("%Y-%m-%d %H:%M:%S")
    field = _("{title}: {headline}")
    lines = [
        field.format(title=_("Time"), headline=when),
        field.format(title=_("Company"), headline=e.company or _("all (this client's whole account)")
                     if e.operation == "delete_all" else e.company or "-"),
        field.format(title=_("Operation"), headline=operation_name(e.operation)),
        field.format(title=_("Result"), headline=_("success") if e.success else "\u2717 " + _("error")),
        field.format(title=_("Started by"), headline=trigger_name(e.trigger)),
        field.format(title=_("Duration"), headline=duration_text(e.duration_ms)),
    ]
    figures = journal_figures_lines(e.figures)
    if figures:
        lines += ["", *figures]
    if e.message:
        lines += ["", e.message]
    return "\n".join(lines)


class EntryDialog(MessageDialog):
    """One journal entry in full; its text scrolls with the arrows and PgUp/PgDn."""

    BINDINGS = [Binding("enter,q", "close", "Close", show=False)]

    def __init__(self, entry, tz=None) -> None:
        self.entry = entry
        self.tz = tz
        super().__init__(_("Journal entry {id}").format(id=entry.id), entry_text(entry, tz),
                         id="entry-dialog")


class JournalPane(Vertical):
    """Newest first; PgDn/PgUp page through; e toggles errors only; Enter opens an entry.

    Opening is quick on 100 000 entries: the worker reads one page by keyset and shows
    it, then counts the entries (the bar says "counting" until then). The columns have
    fixed widths (no re-measuring). The shell keeps this pane once built and calls
    reload() when it is shown again."""

    BINDINGS = [
        Binding("e", "toggle_errors", "Errors only", id="journal.errors"),
        Binding("home", "newest", "Newest", show=False, id="journal.newest"),
        Binding("r", "refresh", "Refresh", id="journal.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="journal-pane")
        translate_bindings(self)
        self.errors_only = False
        self.entries = []  # the page shown, newest first
        self.page_offset = 0  # how many newer entries are above this page
        self.total: int | None = 0  # None while counting
        self._generation = 0  # a newer load makes the rows of an older one stale
        self._counted_for: bool | None = None  # errors_only of the count in self.total
        self._narrow: bool | None = None  # fewer columns under NARROW_BELOW (decided again on a resize)

    def compose(self) -> ComposeResult:
        table = JournalTable(id="journal-table", cursor_type="row", zebra_stripes=True)
        for label, key, width in self._columns():
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("", id="journal-bar")

    # Under 100 columns (80x24 over SSH) the time is shorter and the operation left out,
    # so that the message keeps room; the entry dialog has everything.
    NARROW_BELOW = 100

    @property
    def narrow(self) -> bool:
        if self._narrow is None:
            self._narrow = self.app.size.width < self.NARROW_BELOW
        return self._narrow

    def _fixed_columns(self):
        if self.narrow:
            return ((" ", "mark", 1), (_("Time"), "time", 11), (_("Company"), "company", 9))
        return ((" ", "mark", 1), (_("Time"), "time", 16), (_("Company"), "company", 9),
                (_("Operation"), "operation", 11))

    def _message_room(self, width: int | None = None) -> int:
        """The message column takes what the pane leaves (the full text is in the entry dialog)."""
        if not width:  # before the first layout: the centre of the app's screen
            width = max(40, self.app.size.width - 25 - 4)
        fixed = self._fixed_columns()
        return max(12, width - sum(w for _l, _k, w in fixed) - 2 * (len(fixed) + 1) - 2)

    def _columns(self):
        return (*self._fixed_columns(), (_("Message"), "message", self._message_room()))

    def on_mount(self) -> None:
        self.load_page(None, 0)

    def on_resize(self) -> None:
        table = self.query_one(JournalTable)
        if self._narrow is not None and (self.app.size.width < self.NARROW_BELOW) != self._narrow:
            self._narrow = not self._narrow  # resized across 100 columns: the other set of columns
            table.clear(columns=True)
            for label, key, width in self._columns():
                table.add_column(label, key=key, width=width)
            if self.entries:  # the messages wrapped again at the new width
                entries, self.entries = self.entries, []
                self._show(entries, self.page_offset, self.total, "keep", self._generation)
        column = table.columns.get(ColumnKey("message"))
        room = self._message_room(self.size.width)
        if column is not None and column.width != room:
            column.width = room
            table._require_update_dimensions = True
            if self.entries:  # the messages wrapped again at the new width
                entries, self.entries = self.entries, []
                self._show(entries, self.page_offset, self.total, "keep", self._generation)

    def focus_first(self) -> None:
        focus_now(self.query_one(JournalTable))

    def reload(self) -> None:
        """The newest page again (the pane is shown again, or the journal changed)."""
        self.load_page(None, 0, cursor="keep" if self.page_offset == 0 else "top")

    # -- paging ---------------------------------------------------------------
    def older(self) -> None:
        known = self.total if self.total is not None else self.page_offset + len(self.entries) + 1
        if self.entries and self.page_offset + len(self.entries) < known:
            self.load_page(("before", self.entries[-1].id), self.page_offset + len(self.entries), cursor="top")

    def newer(self) -> None:
        if self.entries and self.page_offset > 0:
            self.load_page(("after", self.entries[0].id), max(0, self.page_offset - PAGE_SIZE), cursor="bottom")

    def action_newest(self) -> None:
        self.load_page(None, 0)

    def action_refresh(self) -> None:
        self.load_page(None, 0)

    def action_toggle_errors(self) -> None:
        self.errors_only = not self.errors_only
        self.load_page(None, 0)

    def load_page(self, where, offset: int, cursor: str = "top") -> None:
        self._generation += 1
        self._load(where, offset, cursor, self._generation)

    @work(thread=True, exclusive=True, group="journal", exit_on_error=False)
    def _load(self, where, offset: int, cursor: str, generation: int) -> None:
        """One keyset query for the page, shown at once; then the count (slower on 100 000
        rows) fills the bar. Reading fewer rows first does not help: every row added to
        the DataTable makes it render all its visible cells again."""
        from bizsync_tui.engine import journal

        errors = self.errors_only
        worker = get_current_worker()
        call = self.app.call_from_thread
        known = self.total if self._counted_for == errors and where is not None else None
        if where is None:
            entries = journal.page(errors_only=errors, limit=PAGE_SIZE)
        elif where[0] == "before":
            entries = journal.page(before_id=where[1], errors_only=errors, limit=PAGE_SIZE)
        else:
            entries = journal.page_after(where[1], errors_only=errors, limit=PAGE_SIZE)
            if len(entries) < PAGE_SIZE:
                offset = 0
        if where is None and len(entries) < PAGE_SIZE:
            known = len(entries)  # the whole journal is on this page
        if worker.is_cancelled:
            return
        call(self._show, entries, offset, known, cursor, generation)
        if where is None or known is None:
            total = len(entries) if where is None and len(entries) < PAGE_SIZE else journal.count(errors_only=errors)
            if not worker.is_cancelled:
                call(self._counted, total, errors, generation)

    def _rows(self, entries):
        tz = self.app.tz
        room = self._message_room(self.size.width)
        for e in entries:
            when = local_time(e.at, tz).strftime("%d/%m %H:%M" if self.narrow else "%Y-%m-%d %H:%M")
            lines = message_lines(e.message, room)
            message = Text("\n".join(lines), no_wrap=True, end="")  # a Text: brackets are no markup
            mark = "" if e.success else "✗"
            if self.narrow:
                yield (mark, when, e.company or "-", message), str(e.id), len(lines)
            else:
                yield (mark, when, e.company or "-", operation_name(e.operation), message), str(e.id), len(lines)

    def _show(self, entries, offset: int, total: int | None, cursor: str, generation: int) -> None:
        if generation != self._generation:
            return
        same = [e.id for e in entries] == [e.id for e in self.entries] and offset == self.page_offset
        self.entries, self.page_offset = list(entries), offset
        if total is not None:
            self.total = total
        elif self._counted_for != self.errors_only:
            self.total = None  # the count of the other filter: "counting" until the worker has it
        table = self.query_one(JournalTable)
        if same and table.row_count == len(entries) and cursor == "keep":
            self._update_bar()  # the page did not change: no new rendering of the table
            return
        previous = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for cells, key, height in self._rows(entries):
                table.add_row(*cells, key=key, height=height)
            if entries:
                row = {"top": 0, "bottom": len(entries) - 1}.get(cursor, min(max(previous, 0), len(entries) - 1))
                table.move_cursor(row=row)
        self._update_bar()

    def _counted(self, total: int, errors_only: bool, generation: int) -> None:
        if generation != self._generation:
            return
        self.total = total
        self._counted_for = errors_only
        self._update_bar()

    def _update_bar(self) -> None:
        bar = self.query_one("#journal-bar", Static)
        entries, offset = self.entries, self.page_offset
        if not entries:
            bar.update(_("No error in the journal.") if self.errors_only
                       else _("The journal is empty: nothing was published yet."))
            return
        first, last = fmt_count(offset + 1), fmt_count(offset + len(entries))
        if self.total is None:
            text = _("{first}-{last} of ... (counting)").format(first=first, last=last)
        else:
            text = _("{first}-{last} of {total}").format(first=first, last=last, total=fmt_count(self.total))
        if self.errors_only:
            text += " (" + _("errors only") + ")"
        bar.update(text + "   " + _("PgUp/PgDn  e  Enter"))

    @on(DataTable.RowSelected, "#journal-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        entry_id = int(event.row_key.value)
        entry = next((e for e in self.entries if e.id == entry_id), None)
        if entry is not None:
            self.app.push_screen(EntryDialog(entry, self.app.tz))
