"""A mobile user's connection card: engine.admin.card and `bizsync user card LOGIN` (real processes)."""

from __future__ import annotations

import segno

from bizsync_tui.engine.admin.card import connection_card, page_address, qr_rows
from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user
from bizsync_tui.engine.admin.validation import ValidationError
from tests.e2e.cli import bizsync

PASSWORD = "marie-secret-42"


def seed(ws, url="https://kpi.example.com/", client="ACME42") -> None:
    if url is not None:
        ws.settings.set("portal.url", url)
    if client is not None:
        ws.settings.set("portal.client_code", client)
    for code in ("BIJOU", "NORD"):
        save_company(ws, CompanyData(short_code=code, name=code + " SA", dossier=code + "01",
                                     accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                     views=["sales_revenue", "cash_position"]))
    save_user(ws, UserData(login="marie", name="Marie Curie", password=PASSWORD,
                           grants={"NORD": ["sales_revenue"], "BIJOU": ["cash_position"]}))
    save_user(ws, UserData(login="paul", name="Paul", password="paul-secret-42"))


def matrix_of(rows: list[str]) -> list[list[bool]]:
    """The modules the half blocks draw, read back (top and bottom half of each character)."""
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    out = []
    for row in rows:
        out.append([top[c] for c in row])
        out.append([bottom[c] for c in row])
    return out


def test_the_card_names_the_page_codes_and_login_and_links_them(ws):
    seed(ws)
    card = connection_card(ws, "marie")
    assert card.page_url == "https://kpi.example.com/"
    assert card.companies == ("BIJOU", "NORD")
    assert card.link == ("https://kpi.example.com/#client_code=ACME42&company_code=BIJOU&company_code=NORD"
                         "&login=marie")
    text = card.text()
    assert text.splitlines() == [
        "What Marie Curie types on the phone:",
        "",
        "Mobile page:         https://kpi.example.com/",
        "Client code:         ACME42",
        "Company short code:  one of: BIJOU, NORD",
        "Login:               marie",
        "Password:            the one you gave them",
    ]
    assert PASSWORD not in text and PASSWORD not in card.link
    assert card.complete


def test_the_qr_code_draws_exactly_segnos_symbol_of_the_link(ws):
    seed(ws)
    link = connection_card(ws, "marie").link
    rows = qr_rows(link)
    symbol = segno.make(link, error="m", micro=False)
    expected = [[bool(m) for m in row] for row in symbol.matrix_iter(scale=1, border=2)]
    drawn = matrix_of(rows)
    assert drawn[:len(expected)] == expected
    assert all(not any(row) for row in drawn[len(expected):])  # at most one blank padding row
    # 92 bytes: more than version 5-M holds (84), within 6-M (106): 41 modules + 2 x 2 of quiet zone = 45
    # columns, 45 / 2 -> 23 rows of half blocks; fits the 72-column dialog
    assert symbol.version == 6 and len(rows[0]) == 45 and len(rows) == 23


def test_page_address_and_missing_settings(ws):
    assert page_address("https://kpi.example.com") == "https://kpi.example.com/"
    assert page_address("http://127.0.0.1:8470/") == "http://127.0.0.1:8470/"
    assert page_address("") == ""
    seed(ws, url=None, client=None)
    card = connection_card(ws, "paul")
    assert card.link == "" and not card.complete
    assert "Company short code:  (no company granted yet: open the user, Views tab)" in card.text()
    assert "Mobile page:         (not set: fill in Settings, Connection)" in card.text()
    try:
        connection_card(ws, "nobody")
    except ValidationError as exc:
        assert exc.message == "There is no user nobody; run 'bizsync user list' to see them."
    else:
        raise AssertionError("no refusal for an unknown login")


def test_cli_prints_the_card_and_a_printable_qr_code(ws, tmp_path):
    seed(ws)
    ws.close()
    svg = tmp_path / "marie.svg"
    r = bizsync(ws.data_dir, "user", "card", "marie", "--svg", str(svg))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for expected in ("Mobile page:         https://kpi.example.com/", "Client code:         ACME42",
                     "one of: BIJOU, NORD", "Login:               marie",
                     "https://kpi.example.com/#client_code=ACME42&company_code=BIJOU&company_code=NORD&login=marie"):
        assert expected in out, out
    assert PASSWORD not in out and "\x1b[" not in out  # not a terminal: plain characters, ready to print
    lines = out.splitlines()
    start = lines.index("Scan to open the mobile page with these codes filled in:") + 2
    link = "https://kpi.example.com/#client_code=ACME42&company_code=BIJOU&company_code=NORD&login=marie"
    assert lines[start:start + 23] == qr_rows(link)
    assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))


def test_cli_refusals_are_one_sentence(ws):
    seed(ws, url=None)
    ws.close()
    r = bizsync(ws.data_dir, "user", "card", "nobody")
    assert r.returncode == 1
    assert r.stderr.strip() == "bizsync: There is no user nobody; run 'bizsync user list' to see them."
    r = bizsync(ws.data_dir, "user", "card", "marie")
    assert r.returncode == 1
    assert "No QR code: the platform address is not set (bizsync config set portal.url URL)." in r.stdout
    assert "Traceback" not in r.stderr
