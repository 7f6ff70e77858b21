"""The publication journal: newest first, a cross marks an error; read page by page
(keyset paging in engine.journal) so that 100 000 entries open at once."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from bizsync_tui.i18n import _, register_fr
from bizsync_tui.screens.widgets import local_time, translate_bindings

register_fr({
    "Time": "Heure",
    "Company": "Société",
    "Operation": "Opération",
    "Message": "Message",
    "Details": "Détails",
    "Errors only": "Erreurs seules",
    "All entries": "Toutes les entrées",
    "Newer page": "Page plus récente",
    "Older page": "Page plus ancienne",
    "Newest": "Plus récentes",
    "Refresh": "Actualiser",
    "The journal is empty: nothing was published yet.": "Le journal est vide : rien n'a encore été publié.",
    "No error in the journal.": "Aucune erreur dans le journal.",
    "{first}-{last} of {total}": "{first}-{last} sur {total}",
    "errors only": "erreurs seules",
    "Journal entry {id}": "Entrée {id} du journal",
    "Result": "Résultat",
    "success": "succès",
    "error": "erreur",
    "Started by": "Lancée par",
    "Duration": "Durée",
    "Figures": "Chiffres",
    "Close": "Fermer",
    "publish": "publication", "delete": "suppression", "delete_all": "suppression totale",
    "users": "utilisateurs", "check": "vérification",
    "manual": "manuel", "cli": "ligne de commande", "wizard": "assistant", "scheduler": "planificateur",
    "catch-up": "rattrapage",
})

PAGE_SIZE = 100


def fmt_count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


class JournalTable(DataTable):
    """PgUp / PgDn at the table's edges load the newer / older page."""

    BINDINGS = [
        Binding("pagedown", "older", "Older page", id="journal.older"),
        Binding("pageup", "newer", "Newer page", id="journal.newer"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)

    def action_older(self) -> None:
        pane = self.parent
        if self.row_count and self.cursor_row < self.row_count - 1:
            self.move_cursor(row=min(self.row_count - 1, self.cursor_row + self.scrollable_content_region.height))
            return
        pane.older()

    def action_newer(self) -> None:
        pane = self.parent
        if self.cursor_row > 0:
            self.move_cursor(row=max(0, self.cursor_row - self.scrollable_content_region.height))
            return
        pane.newer()


class EntryDialog(ModalScreen[None]):
    """One journal entry in full."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close")]

    def __init__(self, entry, tz=None) -> None:
        super().__init__()
        translate_bindings(self)
        self.entry = entry
        self.tz = tz

    def compose(self) -> ComposeResult:
        e = self.entry
        when = local_time(e.at, self.tz).strftime("%Y-%m-%d %H:%M:%S")
        lines = [
            f"{_('Time')}: {when}",
            f"{_('Company')}: {e.company or '-'}",
            f"{_('Operation')}: {_(e.operation)}",
            f"{_('Result')}: {_('success') if e.success else _('error')}",
            f"{_('Started by')}: {_(e.trigger)}",
            f"{_('Duration')}: {e.duration_ms / 1000:.1f} s",
        ]
        if e.figures:
            figures = ", ".join(f"{k}: {v}" for k, v in sorted(e.figures.items()))
            lines.append(f"{_('Figures')}: {figures}")
        with Vertical(classes="dialog", id="entry-box"):
            yield Label(_("Journal entry {id}").format(id=e.id), classes="dialog-title")
            yield Static(Text("\n".join(lines)), classes="dialog-body")
            yield Static(Text(e.message), classes="dialog-body entry-message")
            yield Label("Esc: " + _("Close"), classes="dialog-hint")


class JournalPane(Vertical):
    """Newest first; PgDn/PgUp page through; e toggles errors only; Enter opens an entry."""

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
        self.total = 0

    def compose(self) -> ComposeResult:
        table = JournalTable(id="journal-table", cursor_type="row", zebra_stripes=True)
        table.add_column(" ", key="mark", width=1)
        table.add_column(_("Time"), key="time", width=16)
        table.add_column(_("Company"), key="company", width=9)
        table.add_column(_("Operation"), key="operation", width=11)
        table.add_column(_("Message"), key="message")
        yield table
        yield Static("", id="journal-bar")

    def on_mount(self) -> None:
        self.load_page(None, 0)

    def on_resize(self) -> None:
        if self.entries:
            self._show(self.entries, self.page_offset, self.total, "keep")

    def focus_first(self) -> None:
        self.query_one(JournalTable).focus()

    # -- paging ---------------------------------------------------------------
    def older(self) -> None:
        if self.entries and self.page_offset + len(self.entries) < self.total:
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

    @work(thread=True, exclusive=True, group="journal", exit_on_error=False)
    def load_page(self, where, offset: int, cursor: str = "top") -> None:
        from bizsync_tui.engine import journal

        errors = self.errors_only
        if where is None:
            entries = journal.page(errors_only=errors, limit=PAGE_SIZE)
        elif where[0] == "before":
            entries = journal.page(before_id=where[1], errors_only=errors, limit=PAGE_SIZE)
        else:
            entries = journal.page_after(where[1], errors_only=errors, limit=PAGE_SIZE)
        total = journal.count(errors_only=errors)
        if where is not None and where[0] == "after" and len(entries) < PAGE_SIZE:
            offset = 0
        self.app.call_from_thread(self._show, entries, offset, total, cursor)

    def _show(self, entries, offset: int, total: int, cursor: str) -> None:
        self.entries, self.page_offset, self.total = entries, offset, total
        table = self.query_one(JournalTable)
        tz = self.app.tz
        # the message column takes what is left of the pane (the full text is in the entry dialog)
        room = max(12, (self.size.width or 80) - (1 + 16 + 9 + 11) - 2 * 5 - 2)
        previous = table.cursor_row
        with self.app.batch_update():
            table.clear()
            for e in entries:
                when = local_time(e.at, tz).strftime("%Y-%m-%d %H:%M")
                first_line = e.message.splitlines()[0] if e.message else ""
                if len(first_line) > room:
                    first_line = first_line[:room - 3] + "..."
                table.add_row("" if e.success else "✗", when, e.company or "-", _(e.operation), first_line,
                              key=str(e.id))
            if entries:
                row = {"top": 0, "bottom": len(entries) - 1}.get(cursor, min(previous, len(entries) - 1))
                table.move_cursor(row=row)
        bar = self.query_one("#journal-bar", Static)
        if not entries:
            bar.update(_("No error in the journal.") if self.errors_only
                       else _("The journal is empty: nothing was published yet."))
        else:
            text = _("{first}-{last} of {total}").format(
                first=fmt_count(offset + 1), last=fmt_count(offset + len(entries)), total=fmt_count(total))
            if self.errors_only:
                text += " (" + _("errors only") + ")"
            bar.update(text + "   PgUp/PgDn  e  Enter")

    @on(DataTable.RowSelected, "#journal-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        entry_id = int(event.row_key.value)
        entry = next((e for e in self.entries if e.id == entry_id), None)
        if entry is not None:
            self.app.push_screen(EntryDialog(entry, self.app.tz))
