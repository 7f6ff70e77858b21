"""Issue 11 items 16 and 20: a journal entry's details and a mobile user's preview read as
sentences in the UI language (no Python dict, no `delete_all`, no JSON), scroll from the
keyboard, and keep their Close button on screen at 80x24.

The preview reads a real SQLite file of the Sage schema (tests/sage_fixture.py); its amounts
are the hand-worked figures of tests/unit/test_extract_views.py at the fixture's AS_OF.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user
from tests import sage_fixture as fx
from tests.snap.app_factory import SMALL, fixed_clock, make_app, open_ws, settle

AT = datetime(2026, 3, 16, 6, 0)
GRANTS = {"marie": {"BIJGRP": ["cash_position", "sales_revenue"], "BIJOU": ["sales_revenue"]}, "paul": {}}
LONG_MESSAGE = "\n".join(f"Line {i} of a long message from the platform." for i in range(1, 61))


def seed_entries(data_dir) -> None:
    from bizsync_tui.engine import journal

    ws = open_ws(data_dir)
    journal.record("users", success=True, message="marie, paul", duration_ms=1234,
                   figures={"users": 2, "grants": GRANTS}, trigger="demo", at=AT)
    journal.record("delete_all", success=False, message="The platform refused.", duration_ms=754000,
                   trigger="cli", at=AT.replace(minute=5))
    journal.record("publish", company="BIJOU", success=True, message=LONG_MESSAGE, duration_ms=2500,
                   figures={"publication_id": "5d1c", "as_of": "2026-03-16",
                            "views": {"sales_revenue": {"month": "1234.50", "year": "98765.43"},
                                      "top_items_year": [["A3", "2910.00"], ["A2", "1850.00"]],
                                      "cash_position": {"total": "10830.25", "rows": [["512000", "10749.75"],
                                                                                      ["531000", "80.50"]]}}},
                   trigger="scheduler", at=AT.replace(minute=10))
    ws.close()


def body_text(app) -> str:
    """The dialog's text: its message (for a journal entry: every text block of the dialog)."""
    found = app.screen.query("#dialog-message")
    if found:
        return str(found.first().render())
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.screen.query(Static) if not w.id or "title" not in w.id)


async def open_entry(pilot, row: int) -> str:
    app = pilot.app
    table = app.screen.query_one("#journal-table")
    table.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)
    assert type(app.screen).__name__ == "EntryDialog"
    return body_text(app)


def assert_on_screen(app, selector: str) -> None:
    region = app.screen.query_one(selector).region
    width, height = app.size
    assert region.height > 0 and region.y >= 0 and region.bottom <= height and region.right <= width, region
    dialog = app.screen.query_one("#dialog").region
    assert dialog.contains_region(region), (dialog, region)
    # the text's area ends above the buttons: its last lines are never hidden under them
    text_area, buttons = app.screen.query_one("#dialog-scroll").region, app.screen.query_one("#dialog-buttons").region
    assert text_area.bottom <= buttons.y and text_area.y >= dialog.y, (text_area, buttons)


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_journal_details_are_sentences(tmp_path, language):
    seed_entries(tmp_path / "data")
    app = make_app(tmp_path / "data", start="journal", language=language)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f8")  # the journal, its table focused
        await settle(pilot)
        users = await open_entry(pilot, 2)  # oldest: the users step
        deleted = None
        await pilot.press("escape")
        await settle(pilot)
        deleted = await open_entry(pilot, 1)
        await pilot.press("escape")
        await settle(pilot)
        published = await open_entry(pilot, 0)
        for text in (users, deleted, published):
            assert "{'" not in text and "[[" not in text and "delete_all" not in text, text
        if language == "en":
            assert "Started by: the demo (bizsync demo)" in users
            assert "Duration: 1.2 s" in users
            assert "2 mobile users sent:" in users
            assert "  marie: BIJGRP (2 views), BIJOU (1 view)" in users
            assert "  paul: no view" in users
            assert "Operation: deletion of everything" in deleted
            assert "Company: all (this client's whole account)" in deleted
            assert "Duration: 12 min 34 s" in deleted and "Started by: the command line" in deleted
            assert "Result: \u2717 error" in deleted
            assert "  Sales revenue: month 1,234.50, fiscal year 98,765.43" in published
            assert "  Top 5 items (year): first A3 2,910.00 (2 ranked)" in published
            assert "  Cash position: total 10,830.25 (2 lines)" in published
        else:
            assert "Lancée par : la démo (bizsync demo)" in users
            assert "Durée : 1,2 s" in users
            assert "2 utilisateurs mobiles envoyés :" in users
            assert "  marie : BIJGRP (2 vues), BIJOU (1 vue)" in users
            assert "  paul : aucune vue" in users
            assert "Opération : suppression totale" in deleted
            assert "Durée : 12 min 34 s" in deleted and "Lancée par : la ligne de commande" in deleted
            assert "  CA commercial : mois 1 234,50, exercice 98 765,43" in published
            assert "  Situation de trésorerie : total 10 830,25 (2 lignes)" in published
            for english in ("Started by", "Duration", "demo)", "users sent"):
                assert english not in users.replace("(bizsync demo)", ""), english
        # the long entry: Close on screen at 80x24, the text scrolls from the keyboard
        assert_on_screen(app, "#close")
        scroll = app.screen.query_one("#dialog-scroll")
        assert scroll.max_scroll_y > 0
        assert scroll.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert scroll.scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("home")
        await settle(pilot)
        assert scroll.scroll_y == 0
        await pilot.press("enter")  # Close has the focus: Enter closes
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"


def seed_company(tmp_path) -> None:
    ws = open_ws(tmp_path / "data")
    sage = fx.sqlite_file(tmp_path / "bijou.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=["sales_revenue", "accounting_revenue", "cash_position"]))
    save_user(ws, UserData(login="marie", name="Marie Curie", password="Phone-pass-42",
                           grants={"BIJOU": ["sales_revenue", "cash_position"]}))
    ws.close()


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_preview_shows_what_the_phone_shows(tmp_path, language):
    seed_company(tmp_path)
    clock = fixed_clock(datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc))  # the fixture's AS_OF
    app = make_app(tmp_path / "data", start="users", language=language, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert type(app.screen).__name__ == "MessageDialog", body_text(app)
        text = body_text(app)
        assert "{" not in text and '"views"' not in text, text
        # hand-worked (tests/unit/test_extract_views.py EXPECTED): sales month 4975.01, year
        # 7635.01; cash 512000 10749.75 + 531000 80.50 = 10830.25; accounting_revenue not granted
        if language == "en":
            assert text.splitlines() == [
                "What marie will see on BIJOU",
                "BIJOU (Bijou SA), figures as of 2026-11-28",
                "  Sales revenue",
                "      Month: €4,975.01 · Fiscal year: €7,635.01",
                "  Cash position",
                "      Total €10,830.25 (2 lines)",
            ], text
        else:
            assert text.splitlines() == [
                "Ce que marie verra sur BIJOU",
                "BIJOU (Bijou SA), chiffres au 28/11/2026",
                "  CA commercial",
                "      Mois : 4 975,01 € · Exercice : 7 635,01 €",
                "  Situation de trésorerie",
                "      Total 10 830,25 € (2 lignes)",
            ], text
        assert_on_screen(app, "#close")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
