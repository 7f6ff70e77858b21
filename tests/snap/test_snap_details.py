"""Snapshots of the long texts at 80x24 (issue 11 item 16): a mobile user's preview as the
phone shows it, and a journal entry in French with its figures, each with its Close button on
screen; the preview scrolled to its end with the keyboard."""

from __future__ import annotations

from datetime import datetime, timezone

from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user
from tests import sage_fixture as fx
from tests.snap.app_factory import SMALL, fixed_clock, make_app, open_ws, settle
from tests.ui.test_details_readable import seed_entries

VIEWS = ["sales_revenue", "order_book_month", "top_customers_month", "top_items_year", "accounting_revenue",
         "top_customer_outstanding", "top_supplier_outstanding", "cash_position"]


def seed_preview(tmp_path):
    ws = open_ws(tmp_path / "data")
    sage = fx.sqlite_file(tmp_path / "bijou.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=VIEWS))
    save_user(ws, UserData(login="marie", name="Marie Curie", password="Phone-pass-42", grants={"BIJOU": VIEWS}))
    ws.close()
    # the fixture's AS_OF, so that the figures are those of tests/unit/test_extract_views.py
    return make_app(tmp_path / "data", start="users", clock=fixed_clock(datetime(2026, 11, 28, 9, 0,
                                                                                     tzinfo=timezone.utc)))


def _keys(*keys):
    async def run_before(pilot):
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


def test_user_preview_80x24(snap_compare, tmp_path):
    assert snap_compare(seed_preview(tmp_path), terminal_size=SMALL, run_before=_keys("v"))


def test_user_preview_scrolled_to_the_end(snap_compare, tmp_path):
    assert snap_compare(seed_preview(tmp_path), terminal_size=SMALL, run_before=_keys("v", "end"))


def test_journal_entry_french_80x24(snap_compare, tmp_path):
    seed_entries(tmp_path / "data")
    app = make_app(tmp_path / "data", start="journal", language="fr")
    assert snap_compare(app, terminal_size=SMALL, run_before=_keys("f8", "down", "down", "enter"))
