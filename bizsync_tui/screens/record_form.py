"""The record form (companies, groups, users): a Form (screens/forms.py) on a modal screen,
with load(model) / to_model(), tabs, errors beside their field (its tab shown, the focus
there), the save in a worker through an engine call, and a question before unsaved
changes are dropped. Its styles are in app.tcss.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TabbedContent

from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.i18n import _
from bizsync_tui.screens.dialogs import ConfirmDialog, translate_bindings
from bizsync_tui.screens.forms import Field, Form
from bizsync_tui.screens.widgets import KeysFooter

T = TypeVar("T")


def field_row(label: str, widget: Widget, field: str, *, extra: Widget | None = None) -> Field:
    """A record form's field: label, widget (and a button), its message line beneath
    (#<field>-error), shown only when it has something to say."""
    return Field(field, label, widget, extra=extra, id=f"{field}-field", message_id=f"{field}-error")


class RecordFormScreen(Form, ModalScreen[T | None], Generic[T]):
    """A record form. Subclasses set FIELD_TABS / FIELD_WIDGETS and implement
    form_title(), compose_tabs(), load(model), to_model(), validate() and save_in_engine(model)."""

    DEFAULT_CSS = ""  # its styles, and its subclasses', are in app.tcss

    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("f1", "app.help", "Help", id="form.help"),  # a modal screen: the main screen's F1 is below it
    ]

    MARK_REFUSED = "input"  # the input, as its own validators (EngineValidator) mark it

    def __init__(self, model: T | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.model = model
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
        """Raise ValidationError for the first bad field, in the form's order (rules across fields)."""

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
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.model is not None:
            self.load(self.model)
        self.mark_loaded()
        self.focus_first()

    def focus_first(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    def form_state(self) -> T:
        return self.to_model()

    # -- errors beside their field ---------------------------------------------------------
    def clear_errors(self) -> None:
        super().clear_errors()
        self.query_one("#form-status", Static).update("")

    def unplaced_error(self, key: str, message: str) -> None:
        self.query_one("#form-status", Static).update(message)

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

    def refusals(self, model: T) -> list[tuple[str, str]]:
        return self.field_errors(model)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    # -- save / cancel ---------------------------------------------------------------------
    def action_save(self) -> None:
        if not self._saving:
            self.submit(self.to_model())

    def saving(self, busy: bool) -> None:
        self._saving = busy
        self.query_one("#form-status", Static).update(_("Saving...") if busy else "")

    def saved(self, result: T, then=None) -> None:
        self.app.notify(_("Saved."))
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.has_unsaved_changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(_("Discard changes?"), _("The changes typed in this form will be lost."),
                                           confirm=_("Discard")), answered)


__all__ = ["RecordFormScreen", "field_row"]
