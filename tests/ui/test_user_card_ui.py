"""The Users screen's connection info at 80x24: the card of engine.admin.card with its QR code, scrollable."""

from __future__ import annotations

from bizsync_tui.engine.admin.card import qr_rows
from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user
from tests.snap.app_factory import SMALL, make_app, open_ws, settle

PASSWORD = "marie-secret-42"
LINK = "https://kpi.example.com/#client_code=ACME42&company_code=BIJOU&company_code=NORD&login=marie"


def seed(data_dir) -> None:
    ws = open_ws(data_dir)
    ws.settings.set("portal.url", "https://kpi.example.com")
    ws.settings.set("portal.client_code", "ACME42")
    for code in ("BIJOU", "NORD"):
        save_company(ws, CompanyData(short_code=code, name=code + " SA", dossier=code + "01",
                                     accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                     views=["sales_revenue"]))
    save_user(ws, UserData(login="marie", name="Marie Curie", password=PASSWORD,
                           grants={"BIJOU": ["sales_revenue"], "NORD": ["sales_revenue"]}))


async def test_connection_info_shows_the_card_and_its_qr_code_scrolling_at_80x24(tmp_path):
    seed(tmp_path / "data")
    app = make_app(tmp_path / "data", start="users")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "ConnectionCardDialog"
        text = str(screen.query_one("#dialog-message").render())
        assert "Mobile page:         https://kpi.example.com/" in text
        assert "Company short code:  one of: BIJOU, NORD" in text and PASSWORD not in text
        assert str(screen.query_one("#card-qr").render()) == "\n".join(qr_rows(LINK))
        assert str(screen.query_one("#card-link").render()) == LINK
        body = screen.query_one("#card-body")
        # 7 lines of text, the caption, 23 rows of QR code and the link do not fit in 24 rows: it scrolls
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        assert app.focused.id == "close"
        await pilot.press("down")
        await pilot.pause()
        assert body.scroll_y == 1 and app.focused.id == "close"
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        assert screen.query_one("#card-link").region.bottom <= body.region.bottom  # the link is in view
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("c")  # copies the page's address with the codes, never a password
        await pilot.pause()
        assert app.clipboard == LINK
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ != "ConnectionCardDialog"
