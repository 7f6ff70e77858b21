"""The journal screen: newest first, a cross for errors, keyset pages, errors only, details."""

from __future__ import annotations

from tests.snap.app_factory import make_app, open_ws, settle
from tests.ui.journal_seed import seed_journal


def _bar(app) -> str:
    return str(app.screen.query_one("#journal-bar").render())


async def test_pages_errors_only_and_details(tmp_path):
    seed_journal(open_ws(tmp_path / "data"), 250)
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        table = app.screen.query_one("#journal-table")
        assert _bar(app).startswith("1-100 of 250")
        # newest first: entry 249 at 2026-03-01 06:00 + 249 min = 10:09
        assert table.get_row_at(0)[1] == "2026-03-01 10:09"
        # entry 248 is an error (248 % 7 == 3): the second row has the cross
        assert table.get_row_at(1)[0] == "✗" and table.get_row_at(0)[0] == ""
        await pilot.press("pagedown")  # first press moves to the page's bottom row...
        while table.cursor_row < table.row_count - 1:
            await pilot.press("pagedown")
        await pilot.press("pagedown")  # ...then the next one loads the older page
        await settle(pilot)
        assert _bar(app).startswith("101-200 of 250")
        assert table.get_row_at(0)[1] == "2026-03-01 08:29"  # entry 149
        for _ in range(3):
            await pilot.press("pagedown")
            while table.cursor_row < table.row_count - 1:
                await pilot.press("pagedown")
        await settle(pilot)
        assert _bar(app).startswith("201-250 of 250")
        assert table.row_count == 50
        table.move_cursor(row=0)
        await pilot.press("pageup")
        await settle(pilot)
        assert _bar(app).startswith("101-200 of 250")
        # errors only: i % 7 == 3 for i in 0..249 -> 3, 10, ..., 248: (248 - 3) / 7 + 1 = 36
        await pilot.press("e")
        await settle(pilot)
        assert _bar(app).startswith("1-36 of 36 (errors only)")
        assert all(table.get_row_at(r)[0] == "✗" for r in range(table.row_count))
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        from bizsync_tui.screens.journal import EntryDialog

        assert isinstance(app.screen, EntryDialog)
        assert app.screen.entry.message == "The accounting file cannot be opened; check its path."
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, EntryDialog)


async def test_empty_journal_says_so(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _bar(app) == "The journal is empty: nothing was published yet."
