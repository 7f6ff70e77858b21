"""Snapshots of the Users section: list empty and filled, the form (identification,
views, a validation error) and the connection-info dialog."""

from __future__ import annotations

from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user
from tests.snap.app_factory import SIZE, after_keys, make_app, open_ws, settle


def seed(data_dir) -> None:
    ws = open_ws(data_dir)
    ws.settings.set("portal.url", "https://platform.example.com")
    ws.settings.set("portal.client_code", "ACME42")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                 views=["sales_revenue", "top_items_month", "accounting_revenue", "cash_position"]))
    save_company(ws, CompanyData(short_code="CAFE", name="Cafe du Port SARL", dossier="CAFE",
                                 accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                 views=[]))
    save_user(ws, UserData(login="marie", name="Marie Curie", password="marie-pass-1",
                           grants={"BIJOU": ["sales_revenue", "cash_position"]}))
    save_user(ws, UserData(login="paul", name="Paul Durand", password="paul-pass-12"))


def test_users_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "data", start="users"), terminal_size=SIZE, run_before=settle)


def test_users_filled(snap_compare, tmp_path):
    seed(tmp_path / "data")
    assert snap_compare(make_app(tmp_path / "data", start="users"), terminal_size=SIZE, run_before=settle)


def test_user_form_filled(snap_compare, tmp_path):
    seed(tmp_path / "data")


    assert snap_compare(make_app(tmp_path / "data", start="users"), terminal_size=SIZE, run_before=after_keys("enter"))


def test_user_form_views(snap_compare, tmp_path):
    seed(tmp_path / "data")

    async def open_views(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#tabs").active = "tab-views"
        await pilot.pause()
        pilot.app.screen.query_one("#grant-views").focus()
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="users"), terminal_size=SIZE, run_before=open_views)


def test_user_form_validation_error(snap_compare, tmp_path):
    async def bad_save(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("P", "a", "u", "l", "tab", "p", "a", "u", "l", "tab", "s", "h", "o", "r", "t", "ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="users"), terminal_size=SIZE, run_before=bad_save)


def test_user_connection_info(snap_compare, tmp_path):
    seed(tmp_path / "data")

    async def info(pilot):
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="users"), terminal_size=SIZE, run_before=info)
