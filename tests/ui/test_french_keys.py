"""Issue 11 item 20: in the French UI a question's buttons show the French key letters (o for
oui, n for non) and those keys answer it; the journal's bar names the keys in French."""

from __future__ import annotations

from textual.widgets import Button

from tests.snap.app_factory import make_app, settle
from tests.ui.journal_seed import seed_journal
from tests.snap.app_factory import open_ws


def labels(app) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button)]


async def leave_question(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    app.screen.query_one("#mode-manual").value = True  # a change not saved
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    assert type(app.screen).__name__ == "ConfirmDialog"


async def test_french_question_uses_o_and_n(tmp_path):
    app = make_app(tmp_path / "data", start="journal", language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await leave_question(pilot)
        assert labels(app) == ["Rester (n)", "Quitter (o)"]
        await pilot.press("n")  # non: stay
        await settle(pilot)
        assert app.get_screen_main().section == "proxy"
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("o")  # oui: leave
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.get_screen_main().section == "companies"


async def test_english_question_uses_y_and_n(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await leave_question(pilot)
        assert labels(app) == ["Stay (n)", "Leave (y)"]
        await pilot.press("o")  # no meaning in English
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y")
        await settle(pilot)
        assert app.get_screen_main().section == "companies"


async def test_journal_bar_names_the_keys_in_french(tmp_path):
    seed_journal(open_ws(tmp_path / "data"), 3)
    app = make_app(tmp_path / "data", start="journal", language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        bar = str(app.screen.query_one("#journal-bar").render())
        assert bar == "1-3 sur 3   Pg préc/Pg suiv  e  Entrée", bar
