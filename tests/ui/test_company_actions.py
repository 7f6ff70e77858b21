"""The Companies pane's actions and the Users pane's connection info and preview,
against the REAL reference platform on loopback (tests/platform_server.py): what
the app did is checked the way a phone sees it, through the platform's mobile API.

The configuration is seeded through the engine (the walkthrough test types it);
the Sage source is a real SQLite file of the Sage schema (tests/sage_fixture.py).
"""

from __future__ import annotations

import requests

from bizsync_tui.engine.admin.config import CompanyData, UserData, list_companies, save_company, save_user, set_settings
from tests import sage_fixture as fx
from tests.platform_server import platform_server  # noqa: F401  (the fixture)
from tests.snap.app_factory import SMALL, make_app, open_ws, settle

MOBILE_PASSWORD = "Phone-pass-42"
PUBLISHED = ["sales_revenue", "accounting_revenue", "cash_position"]  # ticked on BIJOU
GRANTED = ["sales_revenue", "cash_position"]  # granted to marie


def seed(tmp_path, url: str, client_code: str, password: str) -> None:
    ws = open_ws(tmp_path / "data")
    set_settings(ws, {"portal.url": url, "portal.client_code": client_code, "portal.password": password})
    sage = fx.sqlite_file(tmp_path / "bijou.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=list(PUBLISHED)))
    save_user(ws, UserData(login="marie", name="Marie Curie", password=MOBILE_PASSWORD,
                           grants={"BIJOU": list(GRANTED)}))


def phone_views(platform) -> requests.Response:
    """What marie's phone gets for BIJOU: log in, then GET the views."""
    login = requests.post(platform.api + "/mobile/login", timeout=10, json={
        "client_code": platform.client_code, "company_code": "BIJOU", "login": "marie",
        "password": MOBILE_PASSWORD})
    assert login.status_code == 200, login.text
    return requests.get(platform.api + "/mobile/views", timeout=10,
                        headers={"Authorization": f"Bearer {login.json()['token']}"})


def screen_name(app) -> str:
    return type(app.screen).__name__


def dialog_text(app) -> str:
    return str(app.screen.query_one("#dialog-message").render())


async def test_publish_delete_data_failure_and_delete_company(tmp_path, platform_server):  # noqa: F811
    platform = platform_server
    seed(tmp_path, platform.url, platform.client_code, platform.password)
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#records").row_count == 1

        # -- p: publish now -> the journal says success, the phone sees its views --------
        await pilot.press("p")
        await settle(pilot)
        assert screen_name(app) == "MainScreen"  # no error dialog
        await pilot.press("f8")
        await settle(pilot)
        journal = app.screen.query_one("#journal-table")
        rows = [journal.get_row_at(r) for r in range(journal.row_count)]
        assert any(row[2] == "BIJOU" and row[0] == "" for row in rows), rows  # a success, no cross
        answer = phone_views(platform)
        assert answer.status_code == 200, answer.text
        # published: sales_revenue, accounting_revenue, cash_position; marie: sales_revenue, cash_position
        assert sorted(answer.json()["views"]) == ["cash_position", "sales_revenue"]
        first_publication = answer.json()["publication_id"]

        # -- x: delete the published data, after a dialog that says what is lost ---------
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert screen_name(app) == "ConfirmDialog"
        assert "BIJOU" in dialog_text(app) and "deleted" in dialog_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert screen_name(app) == "MainScreen"
        answer = phone_views(platform)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "no_publication", answer.text

        # -- publish again; then the platform stops: the error is shown, nothing is lost -
        await pilot.press("p")
        await settle(pilot)
        second = phone_views(platform)
        assert second.status_code == 200 and second.json()["publication_id"] != first_publication
        platform.stop()
        try:
            await pilot.press("p")
            await settle(pilot)
            assert screen_name(app) == "ErrorDialog"
            assert "Publication of BIJOU" in str(app.screen.query_one("#dialog-title").render())
            error = dialog_text(app)
            # the runner's sentence: which address, what happened, what to check
            assert "cannot be reached (connection refused)" in error, error
            assert "check the platform address" in error, error
            assert platform.password not in error
            # the cause once; the users, skipped for the same cause, in a few words after it
            assert error.count("cannot be reached") == 1, error
            assert error.splitlines()[-1] == "The mobile users were not sent either.", error
            await pilot.press("escape")
            await pilot.pause()
            last = str(app.screen.query_one("#records").get_row_at(0)[-1])
            assert last.endswith("\u2717"), last  # the list's last publication (80 columns): the original's cross
        finally:
            platform.start()
        answer = phone_views(platform)
        assert answer.status_code == 200 and answer.json()["publication_id"] == second.json()["publication_id"]

        # -- d: delete the company -> its platform data first, then the configuration ----
        await pilot.press("d")
        await pilot.pause()
        assert screen_name(app) == "ConfirmDialog"
        assert "BIJOU" in dialog_text(app) and "platform will be deleted" in dialog_text(app)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert screen_name(app) == "MainScreen", dialog_text(app)
        assert app.screen.query_one("#records").row_count == 0
    assert list_companies(open_ws(tmp_path / "data")) == []
    answer = phone_views(platform)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "no_publication", answer.text


async def test_users_connection_info_and_preview(tmp_path):
    # the connection info and the preview read the settings and the Sage file only
    seed(tmp_path, "https://kpi.example.com", "ACME", "portal-secret-9")
    app = make_app(tmp_path / "data", start="users")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert screen_name(app) == "ConnectionCardDialog"  # a MessageDialog with the QR code
        info = dialog_text(app)
        for expected in ("https://kpi.example.com", "ACME", "BIJOU", "marie"):
            assert expected in info, info
        assert MOBILE_PASSWORD not in info and "portal-secret-9" not in info
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("v")
        await settle(pilot)
        assert screen_name(app) == "MessageDialog", dialog_text(app)
        head, _newline, body = dialog_text(app).partition("\n")
        assert head == "What marie will see on BIJOU"
        # ticked on BIJOU: sales_revenue, accounting_revenue, cash_position; granted: two of them
        # the views as the phone titles them (tests/ui/test_details_readable.py checks the figures)
        titles = [line.strip() for line in body.splitlines() if line.startswith("  ") and not line.startswith("   ")]
        assert titles == ["Sales revenue", "Cash position"], body
