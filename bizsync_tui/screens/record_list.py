"""The record list (Companies, Groups, Users): a DataTable loaded in a worker, fewer and
fixed-width columns under 100 columns (decided again when the terminal is resized across
that width), and a confirm-then-run helper for destructive actions. Its styles are in
app.tcss. No SQL here: everything goes through bizsync_tui.engine.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from bizsync_tui.i18n import _
from bizsync_tui.screens.dialogs import ConfirmDialog, ErrorDialog, translate_bindings
from bizsync_tui.screens.widgets import SizedTable, centre_room, focus_now, is_narrow, share_columns


class RecordTable(SizedTable):
    """The list's table: Enter opens the selected record (shown in the footer)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", id="list.open")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)


class RecordListPane(Widget):
    """A titled DataTable loaded in a worker. Subclasses give COLUMNS, fetch() and row().

    Under widgets.NARROW_BELOW columns (80x24) only the NARROW_COLUMNS are shown, with
    fixed widths (None: the column shares the room left) computed from the pane's
    width, so that the list fits without scrolling sideways; fetch() still gives the
    cells of every column (self.narrow tells it to make dates short)."""

    can_focus = False

    COLUMNS: tuple[tuple[str, str], ...] = ()  # (key, English title)
    NEEDS_SELECTION: tuple[str, ...] = ()  # actions offered only on a selected record
    NARROW_COLUMNS: dict[str, int | None] = {}  # key -> width, None: shares the room left
    NARROW_TITLES: dict[str, str] = {}  # key -> shorter English title under 100 columns

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        self.records: list[Any] = []
        self._narrow: bool | None = None
        self._widths: list[int] | None = None
        self.room = 0  # the width the rows are fitted to (list_fit), decided in refresh_list

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    def empty_hint(self) -> str:
        return ""

    def fetch(self) -> list[tuple[Any, tuple]]:
        """Runs in a worker: [(record, cells)]."""
        raise NotImplementedError

    def record_key(self, record) -> str:
        raise NotImplementedError

    @property
    def narrow(self) -> bool:
        """Fewer, fixed-width columns and short dates (decided when the pane is built, and
        again when the terminal is resized across widgets.NARROW_BELOW)."""
        if self._narrow is None:
            self._narrow = self._wants_narrow()
        return self._narrow

    def _wants_narrow(self) -> bool:
        return bool(self.NARROW_COLUMNS) and is_narrow(self.app)

    def shown_columns(self) -> list[tuple[str, str]]:
        """(key, translated title) of the columns shown."""
        if not self.narrow:
            return [(key, self.column_title(title)) for key, title in self.COLUMNS]
        return [(key, self.column_title(self.NARROW_TITLES.get(key, title))) for key, title in self.COLUMNS
                if key in self.NARROW_COLUMNS]

    def column_title(self, title: str) -> str:
        """A column's title translated (a pane overrides it for a word whose French depends on the record)."""
        return _(title)

    def column_widths(self, room: int) -> list[int]:
        widths = share_columns(room, [self.NARROW_COLUMNS[key] for key, _t in self.shown_columns()])
        self._widths = widths
        return widths

    def compose(self) -> ComposeResult:
        table = RecordTable(cursor_type="row", zebra_stripes=True, id="records")
        self._add_columns(table, centre_room(self.app))
        yield table
        yield Static("", classes="pane-hint", id="pane-hint", markup=False)

    def _add_columns(self, table: DataTable, room: int) -> None:
        if self.narrow:
            for (key, title), width in zip(self.shown_columns(), self.column_widths(room)):
                table.add_column(title, key=key, width=width)
        else:
            for key, title in self.shown_columns():
                table.add_column(title, key=key)

    def on_mount(self) -> None:
        focus_now(self.query_one(DataTable))
        self.refresh_list()

    def on_resize(self) -> None:
        if not self.size.width:
            return
        if self._narrow is not None and self._wants_narrow() != self._narrow:  # across NARROW_BELOW
            self._narrow = not self._narrow
            key = self.current_key()
            table = self.query_one(DataTable)
            table.clear(columns=True)
            self._add_columns(table, self.size.width)
            self.records = []  # the rows again, in the new columns
            self.refresh_list(select=key)
            return
        if not self.narrow:
            if self.size.width != self.room:  # laid out at another width than the rows were fitted to
                self.refresh_list()
            return
        table = self.query_one(DataTable)
        changed = False
        for (key, _title), width in zip(self.shown_columns(), self.column_widths(self.size.width)):
            column = table.columns.get(ColumnKey(key))
            if column is not None and column.width != width:
                column.width = width
                changed = True
        if changed:
            table._require_update_dimensions = True
            self.refresh_list()  # the cut texts again, at the new widths

    def shown_cells(self, cells: tuple) -> tuple:
        if not self.narrow:
            return cells
        shown = [cell for (key, _t), cell in zip(self.COLUMNS, cells) if key in self.NARROW_COLUMNS]
        widths = self._widths or [0] * len(shown)
        return tuple(cell[:width - 3] + "..." if isinstance(cell, str) and 3 < width < len(cell) else cell
                     for cell, width in zip(shown, widths))  # a cut text says so

    def refresh_list(self, select: str | None = None) -> None:
        self.narrow  # decided here, in the app's thread, before fetch() reads it in a worker
        self.room = self.size.width or centre_room(self.app)  # likewise (before the first layout: the estimate)
        self._load(select)

    @work(thread=True, exclusive=True, group="list", exit_on_error=False, description="load list")
    def _load(self, select: str | None) -> None:
        try:
            rows = self.fetch()
        except Exception as exc:
            self.app.call_from_thread(self._load_failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, rows, select)

    def _load_failed(self, message: str) -> None:
        self.app.push_screen(ErrorDialog(None, message))

    def _loaded(self, rows: list[tuple[Any, tuple]], select: str | None) -> None:
        table = self.query_one(DataTable)
        previous = select or (self.current_key() if self.records else None)
        self.records = [r for r, _cells in rows]
        with self.app.batch_update():
            table.clear()
            for record, cells in rows:
                table.add_row(*self.shown_cells(cells), key=self.record_key(record))
        self.query_one("#pane-hint", Static).update("" if rows else self.empty_hint())
        if previous:
            for i, record in enumerate(self.records):
                if self.record_key(record) == previous:
                    table.move_cursor(row=i)
                    break
        self.refresh_bindings()

    def current(self):
        table = self.query_one(DataTable)
        if not self.records or table.cursor_row is None or table.cursor_row >= len(self.records):
            return None
        return self.records[table.cursor_row]

    def current_key(self) -> str | None:
        record = self.current()
        return self.record_key(record) if record is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.NEEDS_SELECTION and self.current() is None:
            return None
        return True

    def confirm_then(self, title: str, message: str, confirm: str, then: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(title, message, confirm=confirm), answered)


__all__ = ["RecordListPane", "RecordTable"]
