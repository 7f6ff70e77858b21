"""Issue 11 item 19, the navigation part: the footer kept F1 Help and F10 Quit off screen when
a section's keys filled it (the journal at 80 columns, and at 100 its "F10" without "Quit"; French
at 100), and a terminal resized from 100 to 80 columns kept the wide lists and journal.

Each test failed before the fix: the footer's F1/F10 keys lay beyond its right edge, and the
Dossier / Operation columns stayed after the resize."""

from __future__ import annotations

from datetime import datetime

from textual.widgets._footer import FooterKey

from tests.seeding import company
from tests.snap.app_factory import make_app, open_ws, settle
from tests.ui.journal_seed import seed_journal


def shown_keys(app) -> list[str]:
    """'key description' of each footer key drawn whole inside the footer, left to right."""
    footer = app.screen.query_one("Footer")
    right = footer.region.right
    keys = sorted(footer.query(FooterKey), key=lambda k: k.region.x)
    return [f"{k.key_display} {k.description}".strip() for k in keys
            if k.region.width and k.region.right <= right]


def all_keys(app) -> list[str]:
    footer = app.screen.query_one("Footer")
    return [f"{k.key_display} {k.description}".strip() for k in footer.query(FooterKey)]


async def test_journal_footer_keeps_help_and_quit_at_80_columns(tmp_path):
    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        keys = shown_keys(app)
        assert "F1 Help" in keys and "F10 Quit" in keys and "^P palette" in keys, keys
        # what fits of the journal's own keys, in order; the others are in F1's list
        assert keys == ["PgUp Newer page", "PgDn Older page", "Enter Details", "F1 Help", "F10 Quit", "^P palette"]
        assert shown_keys(app) == all_keys(app)  # nothing drawn beyond the edge


async def test_journal_footer_says_quit_at_100_columns(tmp_path):
    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        keys = shown_keys(app)
        assert keys[-3:] == ["F1 Help", "F10 Quit", "^P palette"], keys
        assert "e Errors only" in keys  # only what does not fit is left out (r Refresh)
        assert "r Refresh" not in keys


async def test_french_footers_keep_quit_at_100_columns(tmp_path):
    company(open_ws(tmp_path / "d"), "BIJOU")
    app = make_app(tmp_path / "d", start="journal", language="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("f8", "f5", "f7"):
            await pilot.press(key)
            await settle(pilot)
            keys = shown_keys(app)
            assert "F1 Aide" in keys and "F10 Quitter" in keys, (key, keys)
            assert shown_keys(app) == all_keys(app), key


async def test_footer_decides_again_when_the_terminal_is_resized(tmp_path):
    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert "e Errors only" in shown_keys(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        keys = shown_keys(app)
        assert "F10 Quit" in keys and "e Errors only" not in keys, keys
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert "e Errors only" in shown_keys(app)


def _titles(table) -> list[str]:
    return [str(c.label) for c in table.ordered_columns]


async def test_companies_list_narrows_when_resized_to_80_columns(tmp_path):
    ws = open_ws(tmp_path / "d")
    company(ws, "BIJOU", "Bijouterie Martin SA")
    company(ws, "CAFE", "Café des Arts")
    app = make_app(tmp_path / "d", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#records")
        assert _titles(table) == ["Short code", "Dossier", "Name", "Views", "Last publication"]
        table.move_cursor(row=1)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert _titles(table) == ["Code", "Name", "Views", "Published"]
        assert table.row_count == 2 and table.get_row_at(1)[:2] == ["CAFE", "Café des Arts"]
        assert app.screen.query_one("#centre").children[0].current().short_code == "CAFE"  # still chosen
        # the four columns fit the pane: nothing to scroll sideways
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= table.size.width
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert _titles(table) == ["Short code", "Dossier", "Name", "Views", "Last publication"]
        assert table.get_row_at(0)[1] == "BIJOU01"


async def test_journal_drops_the_operation_column_when_resized_to_80_columns(tmp_path):
    seed_journal(open_ws(tmp_path / "d"), 5, start=datetime(2026, 3, 15, 6, 0))
    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        table = app.screen.query_one("#journal-table")
        assert _titles(table) == [" ", "Time", "Company", "Operation", "Message"]
        wide_time = table.get_row_at(0)[1]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert _titles(table) == [" ", "Time", "Company", "Message"]
        assert table.row_count == 5
        assert table.get_row_at(0)[1] == wide_time[8:10] + "/" + wide_time[5:7] + wide_time[10:]  # 2026-03-15 10:00 -> 15/03 10:00
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert _titles(table) == [" ", "Time", "Company", "Operation", "Message"]
        assert table.get_row_at(0)[1] == wide_time
