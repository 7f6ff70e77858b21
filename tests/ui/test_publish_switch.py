"""The original's "À extraire" switch in the company and group forms (issue 14 part 4): a
company or group switched off is left out of "publish all" and of the schedule
(engine.publish.runner), still published by name; the form shows the saved state and saves a
change, and keeps everything else of the record."""

from __future__ import annotations

from textual.widgets import Checkbox

from bizsync_tui.engine.admin.config import CompanyData, UserData, get_company, get_user, save_company, save_user
from tests.snap.app_factory import SMALL, make_app, open_ws, settle


def seed(data_dir) -> None:
    ws = open_ws(data_dir)
    for code in ("BIJOU", "CAFE"):
        save_company(ws, CompanyData(short_code=code, name=f"{code} SA", dossier=code, accounting_source="sqlite:/a",
                                     commercial_source="sqlite:/a", views=["sales_revenue", "cash_position"]))
    save_company(ws, CompanyData(short_code="BOTH", name="Both", is_group=True, members=["BIJOU", "CAFE"],
                                 views=["sales_revenue"], enabled=False))
    save_user(ws, UserData(login="marie", name="Marie", password="marie-pass-1", grants={"BIJOU": "all"}))


async def test_company_form_switches_publication_off_and_keeps_the_rest(tmp_path):
    seed(tmp_path / "data")
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # BIJOU
        await settle(pilot)
        box = app.screen.query_one("#enabled", Checkbox)
        assert box.value is True
        box.focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MainScreen"
    ws = open_ws(tmp_path / "data")
    bijou = get_company(ws, "BIJOU")
    assert bijou.enabled is False and bijou.views == ["sales_revenue", "cash_position"]
    assert get_company(ws, "CAFE").enabled is True
    assert get_user(ws, "marie").grants == {"BIJOU": ["sales_revenue", "cash_position"]}


async def test_group_form_shows_and_switches_it_back_on(tmp_path):
    seed(tmp_path / "data")
    app = make_app(tmp_path / "data", start="groups")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # BOTH, saved switched off
        await settle(pilot)
        box = app.screen.query_one("#enabled", Checkbox)
        assert box.value is False
        box.focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MainScreen"
    both = get_company(open_ws(tmp_path / "data"), "BOTH")
    assert both.enabled is True and both.members == ["BIJOU", "CAFE"]


async def test_a_new_company_is_switched_on(tmp_path):
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#enabled", Checkbox).value is True


async def test_the_switch_reads_without_colour(tmp_path):
    """Its X shows only when on (NO_COLOR, monochrome terminals), as the radio buttons' dot."""
    seed(tmp_path / "data")
    app = make_app(tmp_path / "data", start="groups")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # BOTH, switched off
        await settle(pilot)
        box = app.screen.query_one("#enabled", Checkbox)
        assert "X" not in box.render().plain
        box.value = True
        await pilot.pause()
        assert "X" in box.render().plain
