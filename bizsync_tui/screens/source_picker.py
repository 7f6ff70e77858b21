"""The source picker (issue 16): find a Sage database instead of typing its source string.

SourcePickerDialog(title, current="") -> ModalScreen[Picked | None], keyboard only:
- the tabs choose the kind (left/right on them): File, ODBC DSN, Server;
- File: a folder (type it, Enter) and a DirectoryTree showing only the folders and the SQLite
  files, the Sage ones marked with their company name and kind; Enter on a Sage file picks it,
  Backspace goes to the folder above;
- ODBC DSN: the DSNs of this machine with their driver (and the installed drivers), each
  probed read-only: company name and kind; Enter picks `odbc:DSN=NAME`;
- Server: SQL Server or PostgreSQL, host, port, instance; Enter lists the Sage databases of
  the server (name, company, kind); Enter on one picks its source string.
Escape closes without picking. The engine (engine.sage.discover) does every read, in workers.

`open_source_picker(form, field)` opens it from the company form for one source field, fills
the field with the picked source, and for a new company proposes the dossier, the name and a
short code (unique among the companies and groups) in the fields still empty.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (Button, DataTable, DirectoryTree, Footer, Input, Label, RadioSet, Static, TabbedContent,
                             TabPane)

from bizsync_tui.engine.sage import discover
from bizsync_tui.engine.sage.discover import Found
from bizsync_tui.i18n import _
from bizsync_tui.screens.dialogs import translate_bindings
from bizsync_tui.screens.widgets import ChoiceButton, SizedTable, focus_now


@dataclass(frozen=True)
class Picked:
    """What the picker returns: the source string, and what was found in it (None: not probed)."""

    source: str
    found: Found | None = None


def _no_name() -> str:
    return _("(no company name)")


def found_text(found: Found) -> str:
    """'Bijou SA - accounting and commercial'."""
    return f"{found.name or _no_name()} - {found.kind_text()}"


# -- the file browser ----------------------------------------------------------------------------

class FolderAbove(Message):
    """Backspace in the tree: show the folder above."""


class SageFileTree(DirectoryTree):
    """A DirectoryTree of the folders and the SQLite files only, each file probed when its folder is
    read (in the tree's loading thread): the Sage ones marked with their company name."""

    COMPONENT_CLASSES = {"sage-tree--sage", "sage-tree--other"}
    DEFAULT_CSS = """
    SageFileTree > .sage-tree--sage {
        color: $success;
        text-style: bold;
    }
    SageFileTree > .sage-tree--other {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Pick / open", id="picker.pick-file"),
        Binding("backspace", "parent", "Folder above", id="picker.parent"),
    ]
    # plain characters: the default icons are emoji, which an SSH console may not draw (style guide 12)
    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "
    ICON_FILE = "  "

    def __init__(self, path: str | Path, **kwargs) -> None:
        super().__init__(path, **kwargs)
        translate_bindings(self)
        self.verdicts: dict[Path, Found | str] = {}

    def filter_paths(self, paths):  # runs in the tree's loading thread
        kept = []
        for path in paths:
            if len(kept) >= discover.MAX_SHOWN:
                break
            try:
                if path.is_dir():
                    if not path.name.startswith("."):
                        kept.append(path)
                elif discover.looks_like_sqlite(path):
                    self.verdicts[path] = discover.file_verdict(path)
                    kept.append(path)
            except OSError:
                continue
        return kept

    def render_label(self, node, base_style, style) -> Text:
        text = super().render_label(node, base_style, style)
        entry = node.data
        if entry is None or node.allow_expand or not self.is_mounted:
            return text
        verdict = self.verdicts.get(entry.path)
        if isinstance(verdict, Found):
            text.append("  " + _("Sage:") + " " + found_text(verdict),
                        style=self.get_component_rich_style("sage-tree--sage", partial=True))
        elif verdict is not None:
            text.append("  " + _("not Sage"), style=self.get_component_rich_style("sage-tree--other", partial=True))
        return text

    def action_parent(self) -> None:
        self.post_message(FolderAbove())


class PickTable(SizedTable):
    """A list of the picker: Enter picks the highlighted row (shown in the footer and F1)."""

    BINDINGS = [Binding("enter", "select_cursor", "Pick", id="picker.pick")]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        translate_bindings(self)


# -- the dialog ------------------------------------------------------------------------------------

PICKER_CSS = """
SourcePickerDialog {
    align: center middle;
    background: $background 60%;
}
SourcePickerDialog > #picker {
    width: 100;
    max-width: 100%;
    height: 100%;
    max-height: 34;
    border: thick $primary;
    background: $surface;
    padding: 0 1;
}
SourcePickerDialog #picker-title {
    text-style: bold;
    width: 100%;
}
SourcePickerDialog TabbedContent {
    height: 1fr;
}
SourcePickerDialog TabPane {
    height: 1fr;
    padding: 0;
}
SourcePickerDialog .picker-line {
    height: auto;
    width: 100%;
}
SourcePickerDialog .picker-line Label {
    color: $text-muted;
    margin-right: 1;
}
SourcePickerDialog .picker-line Input {
    width: 1fr;
}
SourcePickerDialog #server-port {
    width: 7;
}
SourcePickerDialog #server-instance {
    width: 14;
}
SourcePickerDialog .picker-line Button {
    margin-left: 1;
}
SourcePickerDialog .picker-line Input, SourcePickerDialog .picker-line Label {
    margin-right: 1;
}
SourcePickerDialog #server-kind {
    layout: horizontal;
    border: none;
    height: auto;
    width: 100%;
    padding: 0;
}
SourcePickerDialog #server-kind RadioButton {
    width: auto;
    margin-right: 2;
}
SourcePickerDialog SageFileTree, SourcePickerDialog DataTable {
    height: 1fr;
}
SourcePickerDialog .picker-status {
    height: auto;
    max-height: 3;
    color: $text-muted;
}
SourcePickerDialog .picker-status.-error {
    color: $error;
}
"""

KIND_FILE, KIND_DSN, KIND_SERVER = "tab-file", "tab-dsn", "tab-server"


def initial_tab(current: str) -> str:
    low = (current or "").strip().lower()
    if low.startswith("odbc:dsn="):
        return KIND_DSN
    if low.startswith(("mssql:", "odbc:")):
        return KIND_SERVER
    return KIND_FILE


def start_folder(*values: str) -> Path:
    """The folder of the first sqlite: source among `values` that exists, else the current folder."""
    for value in values:
        value = (value or "").strip()
        if value.lower().startswith("sqlite:"):
            folder = Path(value[len("sqlite:"):]).expanduser().parent
            try:
                if folder.is_dir():
                    return folder.resolve()
            except OSError:
                continue
    return Path.cwd()


class SourcePickerDialog(ModalScreen[Picked | None]):
    """Pick a Sage source: a file, an ODBC DSN or a database of a server."""

    DEFAULT_CSS = PICKER_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("f1", "app.help", "Help", id="picker.help"),
    ]

    def __init__(self, title: str, current: str = "", *, folder: str | Path | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.current = current or ""
        self.folder = Path(folder) if folder else start_folder(self.current)
        self.dsn_verdicts: dict[str, tuple[str, Found | str]] = {}  # DSN -> ("sage"|"other"|"error", ...)
        self.server_found: list[Found] = []
        self._dsns_loaded = False
        self._done = False

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            with TabbedContent(id="picker-tabs", initial=initial_tab(self.current)):
                with TabPane(_("File"), id=KIND_FILE):
                    with Horizontal(classes="picker-line"):
                        yield Label(_("Folder"))
                        yield Input(str(self.folder), id="folder", compact=True, select_on_focus=False)
                    yield SageFileTree(self.folder, id="files")
                    yield Static(_("Enter on a file marked Sage picks it; Backspace: the folder above."),
                                 id="file-status", classes="picker-status", markup=False)
                with TabPane(_("ODBC DSN"), id=KIND_DSN):
                    table = PickTable(id="dsns")
                    table.add_column(_("DSN"), key="dsn")
                    table.add_column(_("Driver"), key="driver")
                    table.add_column(_("Company"), key="company")
                    yield table
                    yield Static("", id="dsn-status", classes="picker-status", markup=False)
                with TabPane(_("Server"), id=KIND_SERVER):
                    with RadioSet(id="server-kind"):
                        yield ChoiceButton(_("SQL Server"), id="server-mssql", value=True)
                        yield ChoiceButton(_("PostgreSQL"), id="server-postgresql")
                    with Horizontal(classes="picker-line"):
                        yield Label(_("Host"))
                        yield Input(id="server-host", compact=True, placeholder="sage-srv")
                        yield Label(_("Port"))
                        yield Input(id="server-port", compact=True, placeholder="1433", max_length=5)
                        yield Label(_("Instance"))
                        yield Input(id="server-instance", compact=True, placeholder="SAGE100")
                        yield Button(_("List"), id="server-list", compact=True)
                    table = PickTable(id="databases")
                    table.add_column(_("Database"), key="database")
                    table.add_column(_("Company"), key="company")
                    yield table
                    yield Static(_("Type the server, then Enter lists its Sage databases (read with the "
                                   "management credentials of Settings > Connection)."),
                                 id="server-status", classes="picker-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._fill_server_inputs()
        tabs = self.query_one(TabbedContent)
        if tabs.active == KIND_DSN:
            self._load_dsns()
        focus_now(tabs.query_one("Tabs"))

    # -- helpers ------------------------------------------------------------------------------
    def _status(self, wid: str, text: str, *, error: bool = False) -> None:
        if not self.is_attached:  # a worker's answer after the picker was closed
            return
        label = self.query_one(f"#{wid}", Static)
        label.set_class(error, "-error")
        label.update(text)

    def _pick(self, source: str, found: Found | None) -> None:
        if self._done:
            return
        self._done = True
        self.dismiss(Picked(source, found))

    def action_cancel(self) -> None:
        if not self._done:
            self._done = True
            self.dismiss(None)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane is not None and event.pane.id == KIND_DSN and not self._dsns_loaded:
            self._load_dsns()

    # -- file ---------------------------------------------------------------------------------
    @on(Input.Submitted, "#folder")
    def _folder_typed(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        folder = Path(text).expanduser() if text else Path.cwd()
        try:
            ok = folder.is_dir()
        except OSError:
            ok = False
        if not ok:
            self._status("file-status", _("{path} is not a folder; type the folder that holds the Sage files.")
                         .format(path=folder), error=True)
            return
        self._show_folder(folder)
        focus_now(self.query_one(SageFileTree))

    def _show_folder(self, folder: Path) -> None:
        folder = folder.resolve()
        self.folder = folder
        self.query_one("#folder", Input).value = str(folder)
        self.query_one(SageFileTree).path = folder
        self._status("file-status", _("Enter on a file marked Sage picks it; Backspace: the folder above."))

    @on(FolderAbove)
    def _folder_above(self, event: FolderAbove) -> None:
        event.stop()
        parent = self.folder.parent
        if parent != self.folder:
            self._show_folder(parent)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        verdict = self.query_one(SageFileTree).verdicts.get(event.path)
        if isinstance(verdict, Found):
            self._pick(verdict.source, verdict)
        else:
            self._status("file-status", verdict or _("{file} is not a SQLite file.").format(file=event.path.name),
                         error=True)

    # -- DSNs -----------------------------------------------------------------------------------
    def _load_dsns(self) -> None:
        self._dsns_loaded = True
        self._status("dsn-status", _("Reading the ODBC DSNs..."))
        self._dsn_worker()

    @work(thread=True, exclusive=True, group="picker-dsn", exit_on_error=False, description="list DSNs")
    def _dsn_worker(self) -> None:
        try:
            dsns = discover.list_dsns()
            drivers = discover.list_drivers()
        except discover.DiscoveryError as exc:
            self.app.call_from_thread(self._status, "dsn-status", str(exc), error=True)
            return
        self.app.call_from_thread(self._dsns_listed, dsns, drivers)
        if not dsns:
            return
        try:
            user, password = _credentials(self.app)
        except Exception as exc:  # the saved password cannot be read: said, the DSNs still listed
            self.app.call_from_thread(self._status, "dsn-status", str(exc), error=True)
            return
        from textual.worker import get_current_worker

        worker = get_current_worker()
        deadline = time.monotonic() + discover.DEFAULT_DEADLINE
        for dsn in dsns:
            if worker.is_cancelled:  # the picker was closed
                return
            if time.monotonic() > deadline:  # too slow: the rest stay unread, and that is said
                self.app.call_from_thread(
                    self._status, "dsn-status", _("Stopped after {seconds:.0f} s (the time allowed to one discovery); "
                                                  "the DSNs still reading were not opened.").format(
                        seconds=discover.DEFAULT_DEADLINE), error=True)
                return
            verdict: tuple[str, Found | str]
            try:
                verdict = ("sage", discover.probe(dsn.source, user, password, timeout=discover.CONNECT_TIMEOUT,
                                                  label=dsn.name))
            except discover.NotSage as exc:
                verdict = ("other", str(exc))
            except Exception as exc:  # SourceError: its sentence; anything else in words too
                verdict = ("error", str(exc) or type(exc).__name__)
            self.app.call_from_thread(self._dsn_probed, dsn.name, verdict)
        self.app.call_from_thread(self._status, "dsn-status", self._drivers_text(drivers))

    def _drivers_text(self, drivers: list[str]) -> str:
        return _("Enter picks a DSN. Drivers installed: {drivers}.").format(drivers=", ".join(sorted(drivers, key=str.lower)) or "-")

    def _dsns_listed(self, dsns: list[discover.Dsn], drivers: list[str]) -> None:
        if not self.is_attached:
            return
        table = self.query_one("#dsns", DataTable)
        table.clear()
        for dsn in dsns:
            # Text: a str cell would be read as Rich markup (a name with [ ] would break the list)
            table.add_row(Text(dsn.name), Text(dsn.driver), Text(_("reading...")), key=dsn.name)
        if dsns:
            self._status("dsn-status", self._drivers_text(drivers))
        else:
            self._status("dsn-status", _("No ODBC DSN is defined on this machine (odbcinst -j tells where odbc.ini "
                                         "is). Drivers installed: {drivers}.").format(drivers=", ".join(sorted(drivers, key=str.lower)) or "-"))

    def _dsn_probed(self, name: str, verdict: tuple[str, Found | str]) -> None:
        if not self.is_attached:
            return
        self.dsn_verdicts[name] = verdict
        state, value = verdict
        text = found_text(value) if isinstance(value, Found) else _("not Sage") if state == "other" \
            else _("cannot be opened")
        table = self.query_one("#dsns", DataTable)
        try:
            table.update_cell(name, "company", Text(text), update_width=True)
        except Exception:  # noqa: BLE001 - the row is gone (the table was cleared)
            pass

    @on(DataTable.RowSelected, "#dsns")
    def _dsn_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        name = str(event.row_key.value)
        state, value = self.dsn_verdicts.get(name, ("", None))
        if state == "other":
            self._status("dsn-status", _("The DSN {dsn} is not a Sage 100 database; pick another.").format(
                dsn=name), error=True)
            return
        # not read yet, or it cannot be opened (the credentials, the server): picked all the same,
        # the field's Test button tells what to fix
        self._pick(f"odbc:DSN={name}", value if isinstance(value, Found) else None)

    # -- server ---------------------------------------------------------------------------------
    def _server_kind(self) -> str:
        return "postgresql" if self.query_one("#server-postgresql", ChoiceButton).value else "mssql"

    def _fill_server_inputs(self) -> None:
        """The current source's server in the inputs (a mssql:// source, or a PostgreSQL odbc: string)."""
        from bizsync_tui.engine.sage.source_spec import parse_source

        try:
            spec = parse_source(self.current)
        except ValueError:
            return
        if spec.kind == "mssql":
            host, port, instance = spec.host, str(spec.port or ""), spec.instance
        elif spec.kind == "odbc":
            pairs = {k.upper(): v for k, v in discover.split_connection_string(spec.connection_string)}
            if "postgres" not in pairs.get("DRIVER", "").lower():
                return
            self.query_one("#server-postgresql", ChoiceButton).value = True
            host, port, instance = pairs.get("SERVER", ""), pairs.get("PORT", ""), ""
        else:
            return
        self.query_one("#server-host", Input).value = host
        self.query_one("#server-port", Input).value = port
        self.query_one("#server-instance", Input).value = instance

    @on(RadioSet.Changed, "#server-kind")
    def _server_kind_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        postgresql = self._server_kind() == "postgresql"
        self.query_one("#server-port", Input).placeholder = "5432" if postgresql else "1433"
        self.query_one("#server-instance", Input).disabled = postgresql

    @on(Input.Submitted, "#server-host, #server-port, #server-instance")
    def _server_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.list_databases()

    @on(Button.Pressed, "#server-list")
    def _server_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.list_databases()

    def list_databases(self) -> None:
        try:
            server = discover.server_text(self._server_kind(), self.query_one("#server-host", Input).value,
                                          self.query_one("#server-port", Input).value,
                                          self.query_one("#server-instance", Input).value)
        except discover.DiscoveryError as exc:
            self._status("server-status", str(exc), error=True)
            return
        self.query_one("#databases", DataTable).clear()
        self.server_found = []
        self._status("server-status", _("Listing the databases of {server}...").format(server=server))
        self._server_worker(server)

    @work(thread=True, exclusive=True, group="picker-server", exit_on_error=False, description="list databases")
    def _server_worker(self, server: str) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            user, password = _credentials(self.app)
            result = discover.discover_server(server, user, password, should_stop=lambda: worker.is_cancelled)
        except Exception as exc:  # DiscoveryError, SourceError (the saved password): their sentence
            self.app.call_from_thread(self._status, "server-status", str(exc) or type(exc).__name__, error=True)
            return
        self.app.call_from_thread(self._server_listed, server, result)

    def _server_listed(self, server: str, result: discover.Discovery) -> None:
        if not self.is_attached:
            return
        table = self.query_one("#databases", DataTable)
        table.clear()
        self.server_found = list(result.found)
        for n, found in enumerate(self.server_found):
            table.add_row(Text(found.label), Text(found_text(found)), key=str(n))
        parts = [_("{n} Sage databases on {server}, {others} other databases.").format(
            n=len(result.found), server=server, others=len(result.not_sage))]
        parts += result.problems[:1] + ([result.stopped] if result.stopped else [])
        self._status("server-status", " ".join(parts), error=not result.found)
        if self.server_found:
            focus_now(table)

    @on(DataTable.RowSelected, "#databases")
    def _database_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        found = self.server_found[int(str(event.row_key.value))]
        self._pick(found.source, found)


def _credentials(app) -> tuple[str | None, str | None]:
    """The saved management credentials (in a worker); SourceError when the password cannot be read."""
    from bizsync_tui.engine.sage.sources import management_credentials

    return management_credentials(app.workspace.settings.values())  # type: ignore[attr-defined]


# -- from the company form ----------------------------------------------------------------------------

class SourceInput(Input):
    """A source field of the company form: Ctrl+O opens the picker."""

    BINDINGS = [Binding("ctrl+o", "pick_source", "Pick", id="form.pick-source")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def action_pick_source(self) -> None:
        open_source_picker(self.screen, (self.id or "").replace("-", "_"))


class PickButton(Button):
    """The Pick button beside a source field, for the mouse: the keyboard has Ctrl+O in the field, so the
    button stays out of the Tab order (which remains field, Test, next field)."""

    can_focus = False


class SourceButtons(Horizontal):
    """Test and Pick beside a source field, each as wide as its word (80 columns leave the field room)."""

    DEFAULT_CSS = """
    SourceButtons {
        width: auto;
        height: auto;
    }
    SourceButtons > Button {
        min-width: 0;
        width: auto;
    }
    """


SOURCE_FIELDS = ("accounting_source", "commercial_source")


def open_source_picker(form, field: str) -> None:
    """Open the picker for the source `field` of the company form; fill it with the pick."""
    wid = field.replace("_", "-")
    box = form.query_one(f"#{wid}", Input)
    other_field = next(f for f in SOURCE_FIELDS if f != field)
    other = form.query_one(f"#{other_field.replace('_', '-')}", Input)
    title = _("Pick the accounting file") if field == "accounting_source" else _("Pick the commercial file")
    folder = start_folder(box.value, other.value)

    def picked(result: Picked | None) -> None:
        if result is None:
            return
        fill_picked(form, field, result)

    form.app.push_screen(SourcePickerDialog(title, box.value, folder=folder), picked)


def fill_picked(form, field: str, result: Picked) -> None:
    """Put the picked source in its field (and in the other source field when it is empty and the
    database holds both kinds); for a new company, propose what is still empty."""
    wid = field.replace("_", "-")
    box = form.query_one(f"#{wid}", Input)
    box.value = result.source
    box.remove_class("-invalid")
    message = form.query_one(f"#{field}-error", Static)
    found = result.found
    if found is not None:
        message.set_class(True, "-ok")
        message.update(_("Picked: {what}.").format(what=found_text(found)))
        other_field = next(f for f in SOURCE_FIELDS if f != field)
        other = form.query_one(f"#{other_field.replace('_', '-')}", Input)
        if found.kind == discover.BOTH and not other.value.strip():
            other.value = result.source
            other.remove_class("-invalid")
            other_message = form.query_one(f"#{other_field}-error", Static)
            other_message.set_class(True, "-ok")
            other_message.update(_("Filled too: this database holds both the accounting and the commercial data."))
        model = getattr(form, "model", None)
        if model is None or getattr(model, "id", None) is None:
            _propose_worker(form, found)
    else:
        message.set_class(False, "-ok")
        message.update("")


def _propose_worker(form, found: Found) -> None:
    typed_name = form.query_one("#name", Input).value

    def taken_codes() -> None:
        from bizsync_tui.engine.admin.config import list_companies

        try:
            taken = [c.short_code for c in list_companies(form.app.workspace, groups=None)]
        except Exception:  # noqa: BLE001 - the proposal is a help: without the list, none is made
            return
        form.app.call_from_thread(apply_proposal, form, discover.propose_company(found, taken, name=typed_name))

    form.run_worker(taken_codes, thread=True, group="propose-company", exit_on_error=False,
                    description="propose company")


def apply_proposal(form, proposal: discover.Proposal) -> None:
    """Fill the dossier, name and short code that are still empty (what the admin typed stays)."""
    for wid, value in (("dossier", proposal.dossier), ("name", proposal.name), ("short-code", proposal.short_code)):
        box = form.query_one(f"#{wid}", Input)
        if value and not box.value.strip():
            box.value = value
            _revalidate(form, box)


def _revalidate(form, box: Input) -> None:
    """The message line of a field filled by the picker: what its checks say of the new value (the
    'cannot be empty' left by an earlier Tab through it goes)."""
    field = (box.id or "").replace("-", "_")
    labels = form.query(f"#{field}-error")
    result = box.validate(box.value)
    if not labels or result is None:
        return
    label = labels.first(Static)
    if result.is_valid:
        box.remove_class("-invalid")
        if "-ok" not in label.classes:
            label.update("")
    else:
        box.add_class("-invalid")
        label.remove_class("-ok")
        label.update((result.failure_descriptions or [""])[0])


__all__ = ["SourcePickerDialog", "Picked", "SageFileTree", "SourceInput", "PickButton", "SourceButtons",
           "open_source_picker", "fill_picked", "apply_proposal"]
