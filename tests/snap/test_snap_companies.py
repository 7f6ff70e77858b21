"""Snapshots of the Companies section: the list empty and filled, the form empty,
filled and with a validation error, and the confirmation before a delete."""

from __future__ import annotations

from datetime import datetime

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, save_company
from tests.snap.app_factory import SIZE, after_keys, make_app, open_ws, settle


def seed(data_dir) -> None:
    ws = open_ws(data_dir)
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source="sqlite:/srv/sage/bijou_cpta.db",
                                 commercial_source="sqlite:/srv/sage/bijou_gc.db",
                                 views=["sales_revenue", "top_items_month", "accounting_revenue", "cash_position"],
                                 cash_prefixes="53,54"))
    save_company(ws, CompanyData(short_code="CAFE", name="Cafe du Port SARL", dossier="CAFE",
                                 accounting_source="mssql://sage01/CAFE_CPTA", commercial_source="mssql://sage01/CAFE_GC",
                                 views=["sales_revenue"]))
    journal.record("publish", company="BIJOU", success=True, message="Published 4 views.",
                   at=datetime(2026, 3, 16, 6, 0))
    journal.record("publish", company="CAFE", success=False, message="The source cannot be opened.",
                   at=datetime(2026, 3, 16, 6, 1))


def test_companies_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=settle)


def test_companies_filled(snap_compare, tmp_path):
    seed(tmp_path / "data")
    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=settle)


def test_company_form_new(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=after_keys("n"))


def test_company_form_filled(snap_compare, tmp_path):
    seed(tmp_path / "data")


    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=after_keys("enter"))


def test_company_form_views(snap_compare, tmp_path):
    seed(tmp_path / "data")

    async def open_views(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#tabs").active = "tab-views"
        await pilot.pause()
        pilot.app.screen.query_one("#views-accounting").focus()
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=open_views)


def test_company_form_validation_error(snap_compare, tmp_path):
    async def bad_save(pilot):
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("b", "i", "j", "o", "u")  # lower case: refused
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=bad_save)


def test_company_delete_confirm(snap_compare, tmp_path):
    seed(tmp_path / "data")

    async def ask(pilot):
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=ask)


def test_companies_french_small(snap_compare, tmp_path):
    seed(tmp_path / "data")


    assert snap_compare(make_app(tmp_path / "data", start="companies", language="fr"), terminal_size=(80, 24),
                        run_before=after_keys("enter"))
