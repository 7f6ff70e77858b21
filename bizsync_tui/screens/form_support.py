"""Pieces shared by the Companies, Groups and Users screens.

- `RecordFormScreen`: a ModalScreen form with load()/to_model(), errors shown
  beside their field (focus moves there, the tab switches), save in a worker
  through an engine call, and a question before unsaved changes are dropped.
- `ViewsChecklist`: the SelectionList of views, with a/n for all / none.
- `RecordListPane`: a DataTable list loaded in a worker, with a confirm-then-run
  helper for destructive actions.
- `EngineValidator`: a Textual Validator around an engine.validation check.

No SQL here: everything goes through bizsync_tui.engine.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any, Callable, Generic, TypeVar

from rich.segment import Segment

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.strip import Strip
from textual.widgets import DataTable, Input, Label, SelectionList, Static, TabbedContent, TabPane
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.data_table import ColumnKey
from textual.widgets.option_list import OptionDoesNotExist

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.i18n import _, language, pgettext, register_fr
from bizsync_tui.screens.dialogs import ConfirmDialog, ErrorDialog, translate_bindings
from bizsync_tui.screens.widgets import centre_room, focus_now, is_narrow, share_columns


register_fr({
    "deleted": "supprimée",
    "Tick at least one view in this tab: with none, {code} would publish nothing to the phones.":
        "Cochez au moins une vue dans cet onglet : sans vue, {code} ne publierait rien vers les téléphones.",
})


def require_views(model) -> None:
    """A company or group switched on for publishing needs a view: with none it would publish
    nothing while the wizard counts it as ready (issue 11 item 6)."""
    if not model.views and model.enabled:
        raise ValidationError("views", _("Tick at least one view in this tab: with none, {code} would publish "
                                         "nothing to the phones.").format(code=model.short_code or "-"))

T = TypeVar("T")


def format_time(at, tz=None) -> str:
    """A journal time (UTC, naive) in `tz` (the app's zone; None: the machine's), to the minute."""
    if at is None:
        return ""
    return at.replace(tzinfo=timezone.utc).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def last_publication_text(entry, tz=None, short: bool = False) -> str:
    """'2026-03-02 06:00 ok' or '2026-03-02 06:00 ✗ failed' (the original's cross), or 'never';
    short (80 columns): '02/03 06:00 ok' or '02/03 06:00 ✗'."""
    if entry is None:
        return _("never")
    if entry.success and entry.operation in ("delete", "delete_all"):  # x: the phones get nothing now
        when = entry.at.replace(tzinfo=timezone.utc).astimezone(tz).strftime("%d/%m %H:%M" if short else
                                                                               "%Y-%m-%d %H:%M")
        return f"{when} {_('deleted')}"
    if short:
        when = entry.at.replace(tzinfo=timezone.utc).astimezone(tz).strftime("%d/%m %H:%M")
        return f"{when} {_('ok') if entry.success else chr(0x2717)}"
    mark = _("ok") if entry.success else "\u2717 " + pgettext("list mark", "failed")
    return f"{format_time(entry.at, tz)} {mark}"


class EngineValidator(Validator):
    """Runs one engine.validation check; its sentence becomes the failure text."""

    def __init__(self, check: Callable[[str], Any]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        try:
            self.check(value)
        except ValidationError as exc:
            return self.failure(_(exc.message))
        except ValueError as exc:
            return self.failure(_(str(exc)))
        return self.success()


def field_row(label: str, widget: Widget, field: str, *, extra: Widget | None = None) -> Vertical:
    """One line: label, field (and a button), with its message line beneath (#<field>-error),
    shown only when it has something to say."""
    line: list[Widget] = [Label(label, classes="field-label"), widget]
    if extra is not None:
        line.append(extra)
    return Vertical(Horizontal(*line, classes="field-line"),
                    FieldMessage("", id=f"{field}-error", classes="field-error", markup=False),
                    classes="field", id=f"{field}-field")


class FieldMessage(Static):
    """The message line of a field: hidden while empty."""

    def update(self, content="", *, layout: bool = True) -> None:  # type: ignore[override]
        self.display = bool(content)
        super().update(content, layout=layout)

    def on_mount(self) -> None:
        self.display = bool(str(self.content))


class RecordTable(DataTable):
    """The list's table: Enter opens the selected record (shown in the footer)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open", id="list.open")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)


class Checklist(SelectionList[str]):
    """A SelectionList whose box shows X only when ticked: Textual draws an X in every box and
    tells ticked from not by colour alone, which NO_COLOR or a monochrome terminal loses."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self._selected or len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        segments[1] = Segment(" " * len(segments[1].text), segments[1].style)
        return Strip(segments, strip.cell_length)


class ViewsChecklist(Checklist):
    """A checklist of view ids; a ticks all, n unticks all, space toggles."""

    BINDINGS = [
        Binding("a", "select_all_views", "Select all", id="views.all"),
        Binding("n", "deselect_all_views", "Select none", id="views.none"),
    ]

    def __init__(self, views: list[catalogue.View], selected: list[str] | tuple[str, ...] = (), *,
                 id: str | None = None) -> None:
        lang = language()
        super().__init__(*[(v.label(lang), v.id, v.id in selected) for v in views], id=id)
        translate_bindings(self)
        self.view_ids = [v.id for v in views]

    def show_views(self, view_ids) -> None:
        """Tick exactly these views (ids of other checklists are ignored)."""
        self.deselect_all()
        for view_id in view_ids:
            if view_id in self.view_ids:
                self.select(view_id)

    def action_select_all_views(self) -> None:
        self.select_all()

    def action_deselect_all_views(self) -> None:
        self.deselect_all()


def compose_views_tab() -> ComposeResult:
    """The Views tab of the company and group forms: accounting and commercial checklists."""
    with TabPane(_("Views"), id="tab-views"):
        yield Label(_("Tick the views to publish (space ticks, a all, n none)."), classes="hint")
        yield Label(_("Accounting views"), classes="section-title")
        yield ViewsChecklist(list(catalogue.views_of(catalogue.ACCOUNTING)), id="views-accounting")
        yield Label(_("Commercial views"), classes="section-title")
        yield ViewsChecklist(list(catalogue.views_of(catalogue.COMMERCIAL)), id="views-commercial")
        yield FieldMessage("", id="views-error", classes="field-error", markup=False)


def show_views(screen: Widget, view_ids) -> None:
    for checklist in screen.query(ViewsChecklist):
        checklist.show_views(view_ids)


def selected_views(screen: Widget) -> list[str]:
    """The ticked view ids of the screen's checklists, in catalogue order."""
    selected: set[str] = set()
    for checklist in screen.query(ViewsChecklist):
        selected.update(checklist.selected)
    return [v for v in catalogue.VIEW_IDS if v in selected]


FORM_CSS = """
RecordFormScreen {
    align: center middle;
    background: $background 60%;
}
RecordFormScreen > #form {
    width: 96;
    max-width: 100%;
    height: 100%;
    max-height: 40;
    border: thick $primary;
    background: $surface;
    padding: 0 1;
}
RecordFormScreen #form-title {
    text-style: bold;
    width: 100%;
}
RecordFormScreen TabbedContent {
    height: 1fr;
}
RecordFormScreen TabPane {
    padding: 0 1;
}
RecordFormScreen .field {
    height: auto;
    margin-top: 1;
}
RecordFormScreen .field-label {
    width: 26;
    min-width: 26;
    text-wrap: nowrap;
    text-overflow: ellipsis;
    color: $text-muted;
}
RecordFormScreen .field-line {
    height: auto;
}
RecordFormScreen .field-line Input {
    width: 1fr;
}
RecordFormScreen .field-line Button {
    margin-left: 1;
}
RecordFormScreen .field-error {
    color: $error;
    height: auto;
    padding-left: 26;
}
RecordFormScreen .field-error.-ok {
    color: $success;
}
RecordFormScreen Input.-invalid {
    border: tall $error;
}
RecordFormScreen SelectionList {
    height: auto;
    max-height: 14;
}
RecordFormScreen TabPane {
    height: 1fr;
    overflow-y: auto;
}
RecordFormScreen .section-title {
    text-style: bold;
    margin-top: 1;
}
RecordFormScreen .hint {
    color: $text-muted;
}
"""


class RecordFormScreen(ModalScreen[T | None], Generic[T]):
    """A record form. Subclasses set FIELD_TABS / FIELD_WIDGETS and implement
    compose_tabs(), load(model), to_model(), validate() and save_in_engine(model)."""

    DEFAULT_CSS = FORM_CSS

    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("f1", "app.help", "Help", id="form.help"),  # a modal screen: the main screen's F1 is below it
    ]

    #: validation field -> tab id holding it
    FIELD_TABS: dict[str, str] = {}
    #: validation field -> id of the widget to focus (default: the field name with _ -> -)
    FIELD_WIDGETS: dict[str, str] = {}

    def __init__(self, model: T | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.model = model
        self._initial: T | None = None
        self._saving = False

    # -- to be provided by subclasses ---------------------------------------------------
    def form_title(self) -> str:
        raise NotImplementedError

    def compose_tabs(self) -> ComposeResult:
        raise NotImplementedError

    def load(self, model: T) -> None:
        raise NotImplementedError

    def to_model(self) -> T:
        raise NotImplementedError

    def validate(self, model: T) -> None:
        """Raise ValidationError for the first bad field, in the form's order."""

    def save_in_engine(self, model: T) -> T:
        """Runs in a worker thread."""
        raise NotImplementedError

    # -- frame ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(self.form_title(), id="form-title")
            with TabbedContent(id="tabs"):
                yield from self.compose_tabs()
            yield Static("", id="form-status", markup=False)
        from textual.widgets import Footer

        yield Footer()

    def on_mount(self) -> None:
        if self.model is not None:
            self.load(self.model)
        self._initial = self.to_model()
        self.focus_first()

    def focus_first(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    @property
    def dirty(self) -> bool:
        try:
            return self.to_model() != self._initial
        except Exception:  # a half-built form counts as changed
            return True

    # -- errors beside their field ---------------------------------------------------------
    def widget_id(self, field: str) -> str:
        return self.FIELD_WIDGETS.get(field, field.replace("_", "-"))

    def clear_errors(self) -> None:
        for label in self.query(".field-error"):
            if isinstance(label, Static) and "-ok" not in label.classes:
                label.update("")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.query_one("#form-status", Static).update("")

    def show_error(self, field: str, message: str, *, focus: bool = True) -> None:
        """The sentence beside its field; with `focus`, the tab switched and the focus moved there."""
        tab = self.FIELD_TABS.get(field)
        if tab and focus:
            self.query_one(TabbedContent).active = tab
        labels = self.query(f"#{field}-error")
        if labels:
            label = labels.first(Static)
            label.remove_class("-ok")
            label.update(message)
        else:
            self.query_one("#form-status", Static).update(message)
        targets = self.query(f"#{self.widget_id(field)}")
        if targets:
            target = targets.first()
            target.add_class("-invalid")
            if focus:
                self.call_after_refresh(target.focus)

    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        """Every refused field at once, the focus on the first."""
        for n, (field, message) in enumerate(errors):
            self.show_error(field, message, focus=n == 0)

    def field_errors(self, model: T) -> list[tuple[str, str]]:
        """(field, sentence) of every refused field, in the form's order: each input's own
        validators, then the form's validate() (rules across fields) for the others."""
        errors: list[tuple[str, str]] = []
        for widget in self.query(Input):
            if not widget.validators or not widget.id:
                continue
            result = widget.validate(widget.value)
            if result is not None and not result.is_valid:
                errors.append((widget.id.replace("-", "_"), (result.failure_descriptions or [""])[0]))
        try:
            self.validate(model)
        except ValidationError as exc:
            if all(field != exc.field for field, _m in errors):
                errors.append((exc.field, _(exc.message)))
        return errors

    @on(Input.Blurred)
    def _input_blurred(self, event: Input.Blurred) -> None:
        result = event.validation_result
        field = (event.input.id or "").replace("-", "_")
        labels = self.query(f"#{field}-error")
        if result is None or not labels:
            return
        label = labels.first(Static)
        if result.is_valid:
            if "-ok" not in label.classes:
                label.update("")
        else:
            label.remove_class("-ok")
            label.update((result.failure_descriptions or [""])[0])

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- save / cancel ---------------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving:
            return
        self.clear_errors()
        model = self.to_model()
        errors = self.field_errors(model)
        if errors:
            self.show_errors(errors)
            return
        self._start_save(model)

    def _start_save(self, model: T) -> None:
        self._saving = True
        self.query_one("#form-status", Static).update(_("Saving..."))
        self._save_worker(model)

    @work(thread=True, exclusive=True, group="db", exit_on_error=False, description="save")
    def _save_worker(self, model: T) -> None:
        try:
            saved = self.save_in_engine(model)
        except ValidationError as exc:
            self.app.call_from_thread(self._save_refused, exc.field, _(exc.message))
            return
        except Exception as exc:  # the database itself failed: tell the admin, keep the form
            self.app.call_from_thread(self._save_failed, str(exc))
            return
        self.app.call_from_thread(self._save_done, saved)

    def _save_refused(self, field: str, message: str) -> None:
        self._saving = False
        self.query_one("#form-status", Static).update("")
        self.show_error(field, message)

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self.query_one("#form-status", Static).update("")
        self.app.push_screen(ErrorDialog(_("Cannot save"), message))

    def _save_done(self, saved: T) -> None:
        self._saving = False
        self.app.notify(_("Saved."))
        self.dismiss(saved)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(_("Discard changes?"), _("The changes typed in this form will be lost."),
                                           confirm=_("Discard")), answered)


LIST_CSS = """
RecordListPane {
    height: 1fr;
    width: 1fr;
}
RecordListPane > .pane-title {
    text-style: bold;
    padding: 0 1;
    width: 100%;
}
RecordListPane > DataTable {
    height: 1fr;
}
RecordListPane > .pane-hint {
    color: $text-muted;
    padding: 0 1;
    height: auto;
}
"""


class RecordListPane(Widget):
    """A titled DataTable loaded in a worker. Subclasses give COLUMNS, fetch() and row().

    Under widgets.NARROW_BELOW columns (80x24) only the NARROW_COLUMNS are shown, with
    fixed widths (None: the column shares the room left) computed from the pane's
    width, so that the list fits without scrolling sideways; fetch() still gives the
    cells of every column (self.narrow tells it to make dates short)."""

    DEFAULT_CSS = LIST_CSS
    can_focus = False

    COLUMNS: tuple[tuple[str, str], ...] = ()  # (key, English title)
    NARROW_COLUMNS: dict[str, int | None] = {}  # key -> width, None: shares the room left
    NARROW_TITLES: dict[str, str] = {}  # key -> shorter English title under 100 columns

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)
        self.records: list[Any] = []

    @property
    def workspace(self):
        return self.app.workspace  # type: ignore[attr-defined]

    def pane_title(self) -> str:
        raise NotImplementedError

    def empty_hint(self) -> str:
        return ""

    def fetch(self) -> list[tuple[Any, tuple]]:
        """Runs in a worker: [(record, cells)]."""
        raise NotImplementedError

    def record_key(self, record) -> str:
        raise NotImplementedError

    @property
    def narrow(self) -> bool:
        """Fewer, fixed-width columns and short dates (decided once, when the pane is built)."""
        if getattr(self, "_narrow", None) is None:
            self._narrow = bool(self.NARROW_COLUMNS) and is_narrow(self.app)
        return self._narrow

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
        if self.narrow:
            for (key, title), width in zip(self.shown_columns(), self.column_widths(centre_room(self.app))):
                table.add_column(title, key=key, width=width)
        else:
            for key, title in self.shown_columns():
                table.add_column(title, key=key)
        yield table
        yield Static("", classes="pane-hint", id="pane-hint", markup=False)

    def on_mount(self) -> None:
        focus_now(self.query_one(DataTable))
        self.refresh_list()

    def on_resize(self) -> None:
        if not self.narrow or not self.size.width:
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
        widths = getattr(self, "_widths", None) or [0] * len(shown)
        return tuple(cell[:width - 3] + "..." if isinstance(cell, str) and 3 < width < len(cell) else cell
                     for cell, width in zip(shown, widths))  # a cut text says so

    def refresh_list(self, select: str | None = None) -> None:
        self.narrow  # decided here, in the app's thread, before fetch() reads it in a worker
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
        if action in getattr(self, "NEEDS_SELECTION", ()) and self.current() is None:
            return None
        return True

    def confirm_then(self, title: str, message: str, confirm: str, then: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(title, message, confirm=confirm), answered)


__all__ = ["RecordFormScreen", "RecordListPane", "Checklist", "ViewsChecklist", "EngineValidator", "field_row",
           "format_time", "last_publication_text", "FieldMessage", "RecordTable"]
