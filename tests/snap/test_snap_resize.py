"""Snapshots of issue 11 item 19's navigation part: a terminal resized from 100 to 80
columns gets the narrow list (and a footer that still shows F1 and F10), and the French
journal's footer at 100 columns keeps "F10 Quitter" (it ended "F10" before)."""

from __future__ import annotations

from tests.snap.app_factory import SIZE, SMALL, make_app, settle
from tests.snap.test_snap_companies import seed


def test_companies_resized_to_80x24(snap_compare, tmp_path):
    seed(tmp_path / "data")

    async def run_before(pilot):
        await settle(pilot)
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SIZE, run_before=run_before)


def test_journal_french_footer(snap_compare, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(make_app(tmp_path / "data", start="journal", language="fr"), terminal_size=SIZE,
                        run_before=run_before)
