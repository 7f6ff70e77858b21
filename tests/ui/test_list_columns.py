"""Issue 11 item 19 (the lists' part): no truncation where there is room. At 100 columns the
last publication and its status show whole in Companies and Groups (a long name gives way),
the French Groups header too; at 80x24 a journal error message shows on two lines."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from textual.app import App
from textual.widgets import DataTable

from bizsync_tui.engine.admin.config import CompanyData, save_company
from bizsync_tui.screens.widgets import SizedTable
from tests.snap.app_factory import make_app, open_ws, settle
from tests.ui.journal_seed import seed_journal
from tests.ui.screen_text import screen_lines

LONG_NAME = "Bijouterie du Nord et de l'Est SA"


def seed_lists(data_dir) -> None:
    from bizsync_tui.engine import journal

    ws = open_ws(data_dir)
    for code, name in (("BIJOU", LONG_NAME), ("BIJNORD", "Bijou Nord")):
        save_company(ws, CompanyData(short_code=code, name=name, dossier=code + "01", accounting_source="sqlite:/x.db",
                                     commercial_source="sqlite:/x.db", views=["sales_revenue"]))
    save_company(ws, CompanyData(short_code="BIJGRP", name="Groupe Bijou Nord et Est", is_group=True,
                                 members=["BIJOU", "BIJNORD"], views=["sales_revenue"]))
    for code in ("BIJOU", "BIJGRP"):
        journal.record("publish", company=code, success=False, message="bad", at=datetime(2026, 3, 2, 19, 22))
    ws.close()


async def row_when(pilot, code: str, shown: str, timeout: float = 20.0) -> str:
    """The row of `code` once it shows `shown`, or as it is at the deadline: the DataTable sizes
    its columns to their cells on a later refresh than the one that adds the rows (a screen read
    in between has every column as wide as its title), so wait for that condition."""
    deadline = time.monotonic() + timeout
    while True:
        # the status line names failing companies too ("failing: BIJOU, BIJGRP |"): a row is a
        # line that names the code and shows the text, wherever the status line is drawn
        rows = [line for line in screen_lines(pilot.app) if f" {code} " in line and " | " not in line]
        line = next((r for r in rows if shown in r), rows[0] if rows else "")
        if shown in line or time.monotonic() >= deadline:
            return line
        await pilot.pause(0.02)


@pytest.mark.parametrize("language,failed", [("en", "✗ failed"), ("fr", "✗ échec")])
@pytest.mark.parametrize("key,code", [("f5", "BIJOU"), ("f6", "BIJGRP")])
async def test_last_publication_shows_whole_at_100_columns(tmp_path, language, failed, key, code):
    seed_lists(tmp_path / "data")
    app = make_app(tmp_path / "data", start="journal", language=language)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        line = await row_when(pilot, code, f"2026-03-02 19:22 {failed} ")
        assert f"2026-03-02 19:22 {failed} " in line, line
        header = screen_lines(app)[1]
        title = "Dernière publication" if language == "fr" else "Last publication"
        assert f"{title} " in header, header
        assert line.index("2026-03-02") == header.index(title)  # in its own column


async def test_journal_error_message_on_two_lines_at_80x24(tmp_path):
    seed_journal(open_ws(tmp_path / "data"), 5)  # entry 3 is an error
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        lines = screen_lines(app)
        first = next(i for i, line in enumerate(lines) if "✗" in line)
        shown = " ".join(part.split("│")[0].strip() for part in
                         (lines[first].split("  CO0  ")[-1], lines[first + 1].split("││")[-1]))
        # "The accounting file cannot be opened; check its path." (53 characters) in a 20-cell column
        assert shown.startswith("The accounting file cannot be opened;"), (lines[first], lines[first + 1])


async def test_journal_page_down_moves_one_screenful_of_two_line_rows(tmp_path):
    """Errors only at 80x24: every row is two lines (the long error message), so a screen of
    19 lines holds 9 entries; PgDn moves the cursor 9 entries, not 19."""
    seed_journal(open_ws(tmp_path / "data"), 250)
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        table = app.screen.query_one("#journal-table")
        height = table.scrollable_content_region.height
        assert all(table.ordered_rows[r].height == 2 for r in range(table.row_count))
        await pilot.press("pagedown")
        await settle(pilot)
        assert table.cursor_row == height // 2, (height, table.cursor_row)
        await pilot.press("pageup")
        await settle(pilot)
        assert table.cursor_row == 0


@pytest.mark.parametrize("table_class", [DataTable, SizedTable])
async def test_cells_drawn_before_the_columns_are_sized_are_drawn_again(table_class):
    """Seen under load (the 100-column test above, 1 run in 25): a group's row stayed drawn at
    its columns' title widths ("Grou" for the name). The list had fixed-width columns (80 columns)
    filling the pane, then auto-width ones; the screen was drawn after the row was added and before
    the table sized its columns, and since the sized columns filled the same width no Resize came:
    DataTable kept the cells drawn at the old widths. SizedTable draws them again."""

    class Lists(App):
        def compose(self):
            table = table_class(id="t")
            table.add_column("Name", key="name", width=12)  # 12 + 13 and 2 x 2 of padding: 29 cells
            table.add_column("Last", key="last", width=13)
            table.add_row("Groupe Bijou", "2026-03-02 ok")
            yield table

    app = Lists()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        table = app.query_one("#t", DataTable)
        table.clear(columns=True)
        table.add_column("Name", key="name")
        table.add_column("Last", key="last")
        table.add_row("Groupe Bijou", "2026-03-02 ok", key="G")
        assert table.render_line(1).text.startswith(" Grou  2026  ")  # drawn before the table's idle
        await pilot.pause()
        await pilot.pause()
        assert table.virtual_size.width == 29  # the same width as before: no Resize
        drawn = table.render_line(1).text
        if table_class is SizedTable:
            assert drawn.startswith(" Groupe Bijou  2026-03-02 ok "), drawn
        else:  # textual==8.2.8 (pinned): the stale cells, the reason for SizedTable
            assert drawn.startswith(" Grou  2026  "), drawn
