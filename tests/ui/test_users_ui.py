"""Pilot tests of the Users pane: add a user with grants, refusals beside their
field, generated password shown once, delete after confirmation, connection info."""

from __future__ import annotations

from bizsync_tui.engine.admin.config import CompanyData, UserData, list_users, save_company, save_user
from bizsync_tui.screens.user_form import PASSWORD_ALPHABET, generate_password
from tests.snap.app_factory import make_app, open_ws, settle, type_text


def seed(data_dir) -> None:
    ws = open_ws(data_dir)
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                 views=["sales_revenue", "accounting_revenue", "cash_position"]))
    save_company(ws, CompanyData(short_code="CAFE", name="Cafe SARL", dossier="CAFE01",
                                 accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                 views=["top_items_month"]))


def test_generated_password_is_strong():
    seen = {generate_password() for _ in range(50)}
    assert len(seen) == 50
    for pw in seen:
        assert len(pw) == 16 and set(pw) <= set(PASSWORD_ALPHABET)
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw)


async def test_add_user_with_grants(tmp_path):
    seed(tmp_path / "data")
    app = make_app(tmp_path / "data", start="users")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Marie Curie")
        await pilot.press("tab")
        await type_text(pilot, "marie")
        await pilot.press("ctrl+g")  # generate: shown once in a dialog, both fields filled
        await pilot.pause()
        assert app.screen.__class__.__name__ == "MessageDialog"
        shown = app.screen.copy_text
        assert shown in str(app.screen.query_one("#dialog-message").content)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#password").value == shown == app.screen.query_one("#password-confirm").value
        app.screen.query_one("#tabs").active = "tab-views"
        await pilot.pause()
        # BIJOU is highlighted first: only the 3 views it publishes are offered
        checklist = app.screen.query_one("#grant-views")
        assert checklist.option_count == 3
        checklist.focus()
        checklist.highlighted = 1  # catalogue order: sales revenue, accounting revenue, cash position
        await pilot.press("space")
        app.screen.query_one("#grant-companies").focus()
        await pilot.press("down")  # CAFE
        await pilot.pause()
        assert app.screen.query_one("#grant-views").option_count == 1
        app.screen.query_one("#grant-views").focus()
        await pilot.press("a")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#records").row_count == 1
    users = list_users(open_ws(tmp_path / "data"))
    assert [(u.login, u.name) for u in users] == [("marie", "Marie Curie")]
    assert users[0].grants == {"BIJOU": ["accounting_revenue"], "CAFE": ["top_items_month"]}


async def test_password_mismatch_shown_beside_the_second_field(tmp_path):
    app = make_app(tmp_path / "data", start="users")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Paul")
        await pilot.press("tab")
        await type_text(pilot, "paul")
        await pilot.press("tab")
        await type_text(pilot, "long-enough-1")
        await pilot.press("tab", "tab")  # past the Generate button
        await type_text(pilot, "long-enough-2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused.id == "password-confirm"
        assert "differ" in str(app.screen.query_one("#password_confirm-error").content)
    assert list_users(open_ws(tmp_path / "data")) == []


async def test_connection_info_says_what_the_phone_needs_without_the_password(tmp_path):
    """(Deleting a user: tests/ui/test_record_lists.py, with the companies and groups.)"""
    seed(tmp_path / "data")
    ws = open_ws(tmp_path / "data")
    ws.settings.set("portal.url", "https://platform.example.com")
    ws.settings.set("portal.client_code", "ACME42")
    save_user(ws, UserData(login="marie", name="Marie", password="secret-pass-1", grants={"BIJOU": ["cash_position"]}))
    app = make_app(tmp_path / "data", start="users")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        text = str(app.screen.query_one("#dialog-message").content)
        for expected in ("https://platform.example.com", "ACME42", "BIJOU", "marie"):
            assert expected in text
        assert "secret-pass-1" not in text
