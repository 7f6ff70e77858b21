"""A mobile user's connection card: what they type on the phone, and a QR code that opens the page.

`connection_card(ws, login)` is the one function behind `bizsync user card LOGIN`
and the Users screen's "Connection info": the mobile page's address (the
platform's `/`, from `portal.url`), the client code, the company short codes the
user is granted, the login, and the page's address with those filled in
(`/#client_code=..&company_code=..&login=..`, one `company_code` per granted
company; the page reads the fragment, which never reaches a server) for the QR
code. A password is never part of a card.

`qr_rows(text)` draws a QR code with half-block characters (two modules per
character cell, "ink" = dark module), for a terminal or a printed page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bizsync_tui.engine.admin.config import get_user
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.i18n import _

QR_BORDER = 2  # quiet zone, in modules (the standard asks 4; 2 reads well on a screen and saves rows)


@dataclass(frozen=True)
class ConnectionCard:
    login: str
    name: str
    page_url: str  # "" when portal.url is not set
    client_code: str  # "" when portal.client_code is not set
    companies: tuple[str, ...]  # granted company (and group) short codes, sorted

    @property
    def link(self) -> str:
        """The page's address with the codes filled in ("" without a page address)."""
        return card_link(self.page_url, self.client_code, self.companies, self.login)

    @property
    def complete(self) -> bool:
        return bool(self.page_url and self.client_code and self.companies)

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines, translated; never a password."""
        not_set = _("(not set: fill in Settings, Connection)")
        if not self.companies:
            company = _("(no company granted yet: open the user, Views tab)")
        elif len(self.companies) == 1:
            company = self.companies[0]
        else:
            company = _("one of: {codes}").format(codes=", ".join(self.companies))
        return [
            (_("Mobile page"), self.page_url or not_set),
            (_("Client code"), self.client_code or not_set),
            (_("Company short code"), company),
            (_("Login"), self.login),
            (_("Password"), _("the one you gave them")),
        ]

    def text(self) -> str:
        """The card as lines to read or print (the QR code apart: `qr_rows(card.link)`)."""
        rows = [(_("{label}:").format(label=label), value) for label, value in self.rows()]
        width = max(len(label) for label, _v in rows) + 1
        lines = [_("What {name} types on the phone:").format(name=self.name), ""]
        lines += [f"{label.ljust(width)} {value}" for label, value in rows]
        return "\n".join(lines)


def page_address(portal_url: str | None) -> str:
    """The mobile page's address: the platform's `/` ("" when the platform address is not set)."""
    url = (portal_url or "").strip()
    return url.rstrip("/") + "/" if url else ""


def card_link(page_url: str, client_code: str, companies, login: str) -> str:
    if not page_url:
        return ""
    parts = []
    if client_code:
        parts.append("client_code=" + quote(client_code, safe=""))
    parts += ["company_code=" + quote(code, safe="") for code in companies]
    parts.append("login=" + quote(login, safe=""))
    return page_url + "#" + "&".join(parts)


def connection_card(ws: Workspace, login: str) -> ConnectionCard:
    """The card of the mobile user `login`; ValidationError when there is no such user."""
    user = get_user(ws, login)
    if user is None:
        raise ValidationError("login", _("There is no user {login}; run 'bizsync user list' to see them.")
                              .format(login=login))
    settings = ws.settings
    return ConnectionCard(login=user.login, name=user.name, page_url=page_address(settings.get("portal.url")),
                          client_code=settings.get("portal.client_code") or "",
                          companies=tuple(sorted(user.grants)))


def qr_rows(text: str, *, border: int = QR_BORDER) -> list[str]:
    """A QR code of `text` (error correction M) as rows of half blocks: '█' both modules dark, '▀' the
    upper one, '▄' the lower one, ' ' neither. Print dark on light (paper, or a light-on-dark terminal
    with the colours inverted) so that phone cameras read it."""
    import segno

    code = segno.make(text, error="m", micro=False)
    matrix = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=border)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyph = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return ["".join(glyph[(top, bottom)] for top, bottom in zip(upper, lower))
            for upper, lower in zip(matrix[0::2], matrix[1::2])]


def save_qr_svg(text: str, path: str, *, scale: int = 8) -> None:
    """The same QR code as an SVG file, for a printed card (standard 4-module quiet zone)."""
    import segno

    segno.make(text, error="m", micro=False).save(path, kind="svg", scale=scale, border=4)
