"""Small widgets shared by the screens: a labelled field with its error line,
the status line, the base of the settings forms, and a confirm helper."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, Static

from bizsync_tui.screens.dialogs import ConfirmDialog, translate_bindings  # noqa: F401 (re-exported)
from bizsync_tui.i18n import N_, _


#: the journal's operation codes as the admin reads them (the journal and the wizard's report)
OPERATION_NAMES = {"publish": N_("publication"), "delete": N_("deletion"), "delete_all": N_("deletion of everything"),
                   "users": N_("mobile users"), "check": N_("check")}


def operation_name(operation: str) -> str:
    """'publish' -> 'publication' ('publication' in French), 'delete_all' -> 'deletion of everything'."""
    return _(OPERATION_NAMES[operation]) if operation in OPERATION_NAMES else operation


def local_time(at: datetime, tz=None) -> datetime:
    """A naive UTC time (as the journal stores it) in the local zone (or `tz`)."""
    return at.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)


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
    monochrome terminal loses (the same idea as form_support.Checklist's X)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # per instance: on or off
        return "\u25cf" if self.value else " "


class Field(Vertical):
    """A label, a one-line input and, below, the error of that field (hidden when none)."""

    def __init__(self, key: str, label: str, *, password: bool = False, placeholder: str = "",
                 id: str | None = None, max_length: int = 0) -> None:
        super().__init__(id=id, classes="field")
        self.key = key
        self._label = label
        self._password = password
        self._placeholder = placeholder
        self._max_length = max_length

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self._label, classes="field-label")
            # select_on_focus off: the focus, before or after the stored value arrives, never
            # selects it (a key typed then would replace it, and the screen would differ by timing)
            yield Input(password=self._password, placeholder=self._placeholder, compact=True,
                        max_length=self._max_length, classes="field-input", select_on_focus=False)
        yield Label("", classes="field-error")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def set_error(self, message: str | None) -> None:
        label = self.query_one(".field-error", Label)
        label.update(Text(message or ""))
        self.set_class(bool(message), "-invalid")


class StatusLine(Static):
    """One line at the bottom: scheduler state, next run, last publication."""


def leave_unsaved_question() -> ModalScreen[bool]:
    """The one question asked before leaving a form with unsaved changes."""
    return ConfirmDialog(_("Unsaved changes"),
                         _("You have changed this form without saving. Leave it and lose the changes?"),
                         confirm=_("Leave"), cancel=_("Stay"))


class FormPane(Vertical):
    """A settings form: loads in a worker, saves with engine.config.set_settings in a
    worker, shows a refused value beside its field and focuses it.

    Subclasses yield Fields whose `key` is the setting key; secret keys are listed
    in SECRETS (never prefilled; an empty field on save keeps the saved one).
    """

    SECRETS: tuple[str, ...] = ()
    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._loaded: dict[str, str] = {}
        self.ready = False  # the stored values are shown (Save waits for them)
        self._save_waiting: list = []  # Saves asked for before that: [then]

    # -- reading and writing the form --------------------------------------
    def fields(self) -> dict[str, Field]:
        return {f.key: f for f in self.query(Field)}

    def values(self) -> dict[str, str]:
        """The form's current values (subclasses add radio sets, selects)."""
        return {k: f.value for k, f in self.fields().items()}

    def changes(self) -> dict[str, str]:
        """What Save sends: the values changed since loading, and secrets only when typed
        (an empty secret field keeps the saved secret)."""
        out = {}
        for key, value in self.values().items():
            if key in self.SECRETS:
                if value != "":
                    out[key] = value
            elif value != self._loaded.get(key):
                out[key] = value
        return out

    def has_unsaved_changes(self) -> bool:
        if not self._loaded:
            return False
        current = self.values()
        for key, value in current.items():
            if key in self.SECRETS:
                if value:
                    return True
            elif value != self._loaded.get(key, ""):
                return True
        return False

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
        fields = self.fields()
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
        self._loaded = self.values()
        for key in typed:
            self._loaded[key] = data.get(key, "")
        for key in self.SECRETS:
            self._loaded[key] = ""
        self.ready = True
        waiting, self._save_waiting = self._save_waiting, []
        for then in waiting[-1:]:  # Ctrl+S pressed twice while loading: one save
            self.save(then)

    def apply_loaded(self, data: dict[str, str]) -> None:
        """Hook for subclasses (radio sets, selects)."""

    def clear_errors(self) -> None:
        for f in self.fields().values():
            f.set_error(None)

    def show_error(self, key: str, message: str, focus: bool = True) -> None:
        """Show a refused value beside its field (and move the focus there)."""
        fields = self.fields()
        target = fields.get(key)
        if target is None:
            self.app.notify(_("Nothing was saved: {message}").format(message=message), severity="error", timeout=10)
            return
        target.set_error(message)
        if focus:
            target.input.focus()

    def show_errors(self, errors: list[tuple[str, str]]) -> None:
        """Every refused value at once, the focus on the first."""
        for n, (key, message) in enumerate(errors):
            self.show_error(key, message, focus=n == 0)

    def errors(self, changes: dict[str, str]) -> list[tuple[str, str]]:
        """(key, sentence) of every value the engine refuses on its own (runs in the worker);
        the rules across fields (set_settings) come after, once these are right."""
        from bizsync_tui.engine.admin.validation import ValidationError, setting

        found = []
        for key, value in changes.items():
            try:
                setting(key, value)
            except ValidationError as exc:
                found.append((exc.field, exc.message))
        return found

    def save(self, then=None) -> None:
        if not self.ready:  # the empty form must not be saved over the stored values
            self._save_waiting.append(then)
            return
        self.clear_errors()
        self._save(self.changes(), then)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _save(self, changes: dict[str, str], then=None) -> None:
        from bizsync_tui.engine.admin.config import set_settings
        from bizsync_tui.engine.admin.validation import ValidationError

        errors = self.errors(changes)
        if not errors:
            try:
                set_settings(self.app.workspace, changes)
            except ValidationError as exc:
                errors = [(exc.field, exc.message)]
        if errors:
            self.app.call_from_thread(self.show_errors, errors)
            return
        self.app.call_from_thread(self._saved, then)

    def _saved(self, then=None) -> None:
        from bizsync_tui.messages import SettingsChanged

        self.post_message(SettingsChanged())
        self.app.notify(_("Saved."), timeout=3)
        self.load()
        if then is not None:
            then()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        field = next((a for a in event.input.ancestors if isinstance(a, Field)), None)
        if field is not None and field.has_class("-invalid"):
            field.set_error(None)
