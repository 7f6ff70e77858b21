"""The connection card of a mobile user: what they type on the phone, and a QR code that opens the page.

ConnectionCardDialog(card) -> ModalScreen[None], a MessageDialog whose body
scrolls (up/down, page up/down, home/end) so that the card and its QR code
read at 80x24. The card comes from engine.admin.card.connection_card, the
same function as `bizsync user card LOGIN`. c copies the page's address with
the codes filled in. The QR code is drawn black on white, as cameras expect.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from bizsync_tui.engine.admin.card import ConnectionCard, qr_rows
from bizsync_tui.i18n import _
from bizsync_tui.screens.dialogs import SCROLL_BINDINGS, MessageDialog


class ConnectionCardDialog(MessageDialog):
    DEFAULT_CSS = """
    ConnectionCardDialog > #dialog {
        width: 72;
        height: 90%;
    }
    ConnectionCardDialog #card-body {
        height: 1fr;
        margin-bottom: 1;
    }
    ConnectionCardDialog #card-qr {
        width: auto;
        color: black;
        background: white;
    }
    ConnectionCardDialog #card-link, ConnectionCardDialog #card-hint {
        width: 100%;
        margin-top: 1;
    }
    """

    BINDINGS = [
        *SCROLL_BINDINGS,
    ]

    def __init__(self, card: ConnectionCard) -> None:
        self.card = card
        super().__init__(_("Connection info for {login}").format(login=card.login), card.text(),
                         copy_text=card.link or None)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            with VerticalScroll(id="card-body", can_focus=False):
                yield Static(self.message_text, id="dialog-message", markup=False)
                if self.card.link:
                    yield Static(_("Scan to open the mobile page with these codes filled in:"), id="card-hint",
                                 markup=False)
                    yield Static("\n".join(qr_rows(self.card.link)), id="card-qr", markup=False)
                    yield Static(self.card.link, id="card-link", markup=False)
                else:
                    yield Static(_("No QR code: the platform address is not set (Settings, Connection)."),
                                 id="card-hint", markup=False)
            with Horizontal(id="dialog-buttons"):
                if self.copy_text is not None:
                    yield Button(f"{_('Copy')} (c)", id="copy")
                yield Button(_("Close"), id="close", variant="primary")

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#card-body", VerticalScroll)
        {"up": body.scroll_up, "down": body.scroll_down, "page_up": body.scroll_page_up,
         "page_down": body.scroll_page_down, "home": body.scroll_home, "end": body.scroll_end}[how](animate=False)
