"""The one form framework of the TUI, used by the settings panes and the record forms.

- `Field`: one field: its label, its input (and a button beside it), an optional help line,
  and beneath them its message line (a refusal, or a test's result), hidden while empty.
- `EngineValidator`: a Textual Validator around one engine.admin.validation check.
- `Form`: the behaviour of every form: what changed since it was loaded
  (`has_unsaved_changes`), every refused field shown at once beside its field (the focus
  on the first, its tab shown), the save in a thread worker through an engine call, the
  engine's refusal shown beside its field, any other failure in an ErrorDialog.
- `FormPane`: a Form on a pane of the centre, for settings (Settings > Connection, Proxy,
  Schedule, Alerts): it loads its setting keys in a worker and saves the changed ones with
  engine.admin.config.set_settings.
- `record_form.RecordFormScreen` is the Form on a modal screen (companies, groups, users).

How a refused field looks is the stylesheet's (app.tcss): its label in red in the settings
panes, its input tinted in the record forms (Form.MARK_REFUSED says which is marked).
"""

from __future__ import annotations

import re
from typing import Any, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TabbedContent

from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.i18n import _
from bizsync_tui.messages import SettingsChanged
from bizsync_tui.screens.dialogs import ErrorDialog

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*$")


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


class FieldMessage(Static):
    """The message line of a field: hidden while empty; `-ok` when it reports a success."""

    def update(self, content="", *, layout: bool = True) -> None:  # type: ignore[override]
        self.display = bool(content)
        super().update(content, layout=layout)

    def show(self, message: str, *, ok: bool = False) -> None:
        self.set_class(ok, "-ok")
        self.update(message)

    def on_mount(self) -> None:
        self.display = bool(str(self.content))


class Field(Vertical):
    """One field of a form: label, input (a one-line Input unless another widget is given),
    an optional button beside it, an optional help line, and its message line beneath.

    `key` is what refusals name: a setting key ("portal.url") or a record's field
    ("short_code"). `message_id` gives the message line an id (a record form's
    "#short_code-error")."""

    def __init__(self, key: str, label: str, input: Widget | None = None, *, extra: Widget | None = None,
                 help: str = "", password: bool = False, placeholder: str = "", max_length: int = 0,
                 id: str | None = None, message_id: str | None = None) -> None:
        super().__init__(id=id, classes="field")
        self.key = key
        self._label = label
        if input is None:
            # select_on_focus off: the focus, before or after the stored value arrives, never
            # selects it (a key typed then would replace it, and the screen would differ by timing)
            input = Input(password=password, placeholder=placeholder, compact=True, max_length=max_length,
                          classes="field-input", select_on_focus=False)
        self._input = input
        self._extra = extra
        self._help = help
        self._message_id = message_id

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self._label, classes="field-label")
            yield self._input
            if self._extra is not None:
                yield self._extra
        if self._help:
            yield Static(self._help, classes="field-help", markup=False)
        yield FieldMessage("", id=self._message_id, classes="field-error", markup=False)

    @property
    def input(self) -> Widget:
        """The field's input widget (an Input, or the widget given)."""
        return self._input

    @property
    def value(self) -> str:
        return self._input.value  # type: ignore[attr-defined]

    @value.setter
    def value(self, text: str) -> None:
        self._input.value = text  # type: ignore[attr-defined]

    @property
    def message(self) -> FieldMessage:
        return self.query_one(FieldMessage)

    def set_error(self, message: str | None) -> None:
        """The refusal beneath the field (None: none)."""
        self.message.show(message or "")
        self.set_class(bool(message), "-invalid")


class Form:
    """The behaviour shared by FormPane and RecordFormScreen (mixed into a Widget or a Screen).

    Subclasses give `form_state()` (compared with the state when loaded), `refusals(payload)`
    (every refused field as (key, sentence), checked before the save) and
    `save_in_engine(payload)` (in a worker thread; raises ValidationError for a refusal of
    the engine), and react to a save with `saved(result, then)`."""

    #: refusal key -> id of the tab holding its field
    FIELD_TABS: dict[str, str] = {}
    #: refusal key -> id of the widget to focus (default: the Field's input, else the key with _ -> -)
    FIELD_WIDGETS: dict[str, str] = {}

    #: what a refusal marks `-invalid`: "field" (its Field, whose label turns red: the settings
    #: panes) or "input" (its input, as the inputs' own validators do: the record forms)
    MARK_REFUSED = "field"

    _initial: Any = None  # form_state() when loaded (None: not loaded yet)

    # -- state ---------------------------------------------------------------------------
    def form_state(self) -> Any:
        raise NotImplementedError

    def mark_loaded(self) -> None:
        self._initial = self.form_state()

    def has_unsaved_changes(self) -> bool:
        if self._initial is None:
            return False
        try:
            return self.form_state() != self._initial
        except Exception:  # noqa: BLE001 - a half-built form counts as changed
            return True

    def fields(self) -> dict[str, Field]:
        return {f.key: f for f in self.query(Field)}  # type: ignore[attr-defined]

    # -- refusals beside their field ---------------------------------------------------------
    def clear_errors(self) -> None:
        for line in self.query(FieldMessage):  # type: ignore[attr-defined]
            if not line.has_class("-ok"):
                line.update("")
        for widget in self.query(".-invalid"):  # type: ignore[attr-defined]
            widget.remove_class("-invalid")

    def _by_id(self, wid: str) -> Widget | None:
        if not _ID.match(wid):
            return None
        found = self.query(f"#{wid}")  # type: ignore[attr-defined]
        return found.first() if found else None

    def message_line(self, key: str) -> FieldMessage | None:
        """Where a refusal of `key` is written: its Field's message line, or `#<key>-error`."""
        field = self.fields().get(key)
        if field is not None:
            return field.message
        line = self._by_id(f"{key}-error")
        return line if isinstance(line, FieldMessage) else None

    def focus_target(self, key: str) -> Widget | None:
        if key in self.FIELD_WIDGETS:
            return self._by_id(self.FIELD_WIDGETS[key])
        field = self.fields().get(key)
        if field is not None:
            return field.input
        return self._by_id(key.replace("_", "-"))

    def unplaced_error(self, key: str, message: str) -> None:
        """A refusal with no field on this form."""
        self.app.notify(_("Nothing was saved: {message}").format(message=message),  # type: ignore[attr-defined]
                        severity="error", timeout=10)

    def show_error(self, key: str, message: str, focus: bool = True) -> None:
        """The sentence beside its field, the field marked refused; with `focus`, its tab
        shown and the focus moved there."""
        tab = self.FIELD_TABS.get(key)
        if tab and focus:
            self.query_one(TabbedContent).active = tab  # type: ignore[attr-defined]
        line = self.message_line(key)
        if line is None:
            self.unplaced_error(key, message)
        else:
            line.show(message)
        field = self.fields().get(key)
        target = self.focus_target(key)
        mark = field if field is not None and self.MARK_REFUSED == "field" else target
        if mark is not None:
            mark.add_class("-invalid")
        if focus and target is not None:
            self.call_after_refresh(target.focus)  # type: ignore[attr-defined]  # once its tab shows

    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        """Every refused field at once, the focus on the first."""
        for n, (key, message) in enumerate(errors):
            self.show_error(key, message, focus=n == 0)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """A field with validators says what is wrong as soon as the focus leaves it (a plain
        handler name: this mixin is no Textual class, its @on handlers would not be found)."""
        result = event.validation_result
        field = next((a for a in event.input.ancestors if isinstance(a, Field)), None)
        if result is None or field is None:
            return
        line = field.message
        if result.is_valid:
            if not line.has_class("-ok"):
                line.update("")
        else:
            line.show((result.failure_descriptions or [""])[0])

    # -- save ------------------------------------------------------------------------------
    def refusals(self, payload) -> list[tuple[str, str]]:
        return []

    def save_in_engine(self, payload):
        """Runs in a worker thread."""
        raise NotImplementedError

    def saving(self, busy: bool) -> None:
        """Hook: a save starts (True) or ends (False)."""

    def saved(self, result, then: Callable[[], None] | None) -> None:
        raise NotImplementedError

    def submit(self, payload, then: Callable[[], None] | None = None) -> None:
        """Check, show every refusal at once, else save in a worker."""
        self.clear_errors()
        errors = self.refusals(payload)
        if errors:
            self.show_errors(errors)
            return
        self.saving(True)
        self._save_worker(payload, then)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False, description="save")
    def _save_worker(self, payload, then) -> None:
        call = self.app.call_from_thread  # type: ignore[attr-defined]
        try:
            result = self.save_in_engine(payload)
        except ValidationError as exc:
            call(self._save_refused, exc.field, _(exc.message))
            return
        except Exception as exc:  # noqa: BLE001 - the database itself failed: say it, keep the form
            call(self._save_failed, str(exc))
            return
        call(self._save_done, result, then)

    def _save_refused(self, key: str, message: str) -> None:
        self.saving(False)
        self.show_errors([(key, message)])

    def _save_failed(self, message: str) -> None:
        self.saving(False)
        self.app.push_screen(ErrorDialog(_("Cannot save"), message))  # type: ignore[attr-defined]

    def _save_done(self, result, then) -> None:
        self.saving(False)
        self.saved(result, then)


class FormPane(Form, Vertical):
    """A settings form: loads in a worker, saves with engine.config.set_settings in a
    worker, shows every refused value beside its field and focuses the first.

    Subclasses yield Fields whose `key` is the setting key; secret keys are listed
    in SECRETS (never prefilled; an empty field on save keeps the saved one).
    """

    SECRETS: tuple[str, ...] = ()
    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ready = False  # the stored values are shown (Save waits for them)
        self._save_waiting: list = []  # Saves asked for before that: [then]

    # -- reading and writing the form --------------------------------------
    def text_fields(self) -> dict[str, Field]:
        """The fields typed in (an Input); a pane reads and sets its selects and radio sets itself."""
        return {k: f for k, f in self.fields().items() if isinstance(f.input, Input)}

    def values(self) -> dict[str, str]:
        """The form's current values (subclasses add radio sets, selects)."""
        return {k: f.value for k, f in self.text_fields().items()}

    def form_state(self) -> dict[str, str]:
        return self.values()

    def changes(self) -> dict[str, str]:
        """What Save sends: the values changed since loading, and secrets only when typed
        (an empty secret field keeps the saved secret)."""
        loaded = self._initial or {}
        out = {}
        for key, value in self.values().items():
            if key in self.SECRETS:
                if value != "":
                    out[key] = value
            elif value != loaded.get(key):
                out[key] = value
        return out

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="form-load", exit_on_error=False)
    def load(self) -> None:
        ws = self.app.workspace
        data = {}
        secrets = {}
        for key in self.setting_keys():
            if key in self.SECRETS:
                if not ws.settings.is_set(key):
                    secrets[key] = ""
                elif ws.settings.get_secret(key) is None:
                    secrets[key] = _("cannot be read, type it again")
                else:
                    secrets[key] = _("saved (type to replace)")
            else:
                data[key] = ws.settings.get(key)
        self.app.call_from_thread(self._apply_loaded, data, secrets)

    def setting_keys(self) -> list[str]:
        return list(self.fields())

    def _apply_loaded(self, data: dict[str, str], secrets: dict[str, str]) -> None:
        """Show the stored values. The pane had the focus at once (keys typed after F2 reach
        it): a field the admin typed in before the values arrived keeps what was typed, and
        counts as a change against the stored value."""
        fields = self.text_fields()
        first = not self.ready
        typed = {key for key, f in fields.items() if first and f.value != ""}
        for key, value in data.items():
            if key in fields and key not in typed:
                fields[key].value = value
        for key, placeholder in secrets.items():
            if key in fields:
                if key not in typed:
                    fields[key].value = ""
                fields[key].input.placeholder = placeholder
        self.apply_loaded(data)
        loaded = self.values()
        for key in typed:
            loaded[key] = data.get(key, "")
        for key in self.SECRETS:
            loaded[key] = ""
        self._initial = loaded
        self.ready = True
        waiting, self._save_waiting = self._save_waiting, []
        for then in waiting[-1:]:  # Ctrl+S pressed twice while loading: one save
            self.save(then)

    def apply_loaded(self, data: dict[str, str]) -> None:
        """Hook for subclasses (radio sets, selects)."""

    def errors(self, changes: dict[str, str]) -> list[tuple[str, str]]:
        """(key, sentence) of every value the engine refuses on its own; the rules across
        fields (set_settings) come after, once these are right."""
        from bizsync_tui.engine.admin.validation import setting

        found = []
        for key, value in changes.items():
            try:
                setting(key, value)
            except ValidationError as exc:
                found.append((exc.field, _(exc.message)))
        return found

    def refusals(self, payload: dict[str, str]) -> list[tuple[str, str]]:
        return self.errors(payload)

    def save(self, then=None) -> None:
        if not self.ready:  # the empty form must not be saved over the stored values
            self._save_waiting.append(then)
            return
        self.submit(self.changes(), then)

    def save_in_engine(self, changes: dict[str, str]) -> None:
        from bizsync_tui.engine.admin.config import set_settings

        set_settings(self.app.workspace, changes)

    def saved(self, result, then=None) -> None:
        self._saved(then)

    def _saved(self, then=None) -> None:
        """After a save (a pane's own save path may call it too): say so, read the values again."""
        self.post_message(SettingsChanged())
        self.app.notify(_("Saved."), timeout=3)
        self.load()
        if then is not None:
            then()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        """Typing in a refused field takes its refusal away."""
        field = next((a for a in event.input.ancestors if isinstance(a, Field)), None)
        if field is not None and field.has_class("-invalid"):
            field.set_error(None)


def message_text(label: Static, text: str, kind: str) -> None:
    """A pane's result line (a test's outcome): `kind` 'error', 'success' or ''."""
    label.update(Text(text))
    label.set_class(kind == "error", "-error")
    label.set_class(kind == "success", "-success")


__all__ = ["EngineValidator", "Field", "FieldMessage", "Form", "FormPane", "message_text"]
