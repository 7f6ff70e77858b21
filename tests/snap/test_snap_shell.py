"""Snapshots of the shell and of every screen of part 1 (fixed size, clock, data; no blink)."""

from __future__ import annotations

from datetime import datetime

from tests.snap.app_factory import SIZE, SMALL, make_app, open_ws, settle
from tests.ui.journal_seed import seed_journal


def _configured(data_dir):
    from bizsync_tui.engine.admin.config import set_settings

    ws = open_ws(data_dir)
    set_settings(ws, {"portal.url": "https://platform.example.com", "portal.client_code": "ACME",
                      "portal.password": "secret-pw", "database.user": "sageadmin",
                      "database.password": "db-secret", "schedule.frequency": "workdays",
                      "schedule.times_per_day": "2", "schedule.start": "07:00", "schedule.interval_hours": "5",
                      "proxy.mode": "manual", "proxy.host": "proxy.lan", "proxy.port": "3128"})
    seed_journal(ws, 300, start=datetime(2026, 3, 15, 6, 0))
    return data_dir


def _goto(key):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
    return run_before


def test_main_screen_first_start_80x24(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "d"), terminal_size=SMALL, run_before=settle)


def test_main_screen_first_start_french(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "d", language="fr"), terminal_size=SIZE, run_before=settle)


def test_main_screen_configured_french(snap_compare, tmp_path):
    app = make_app(_configured(tmp_path / "d"), language="fr")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_help(snap_compare, tmp_path):
    app = make_app(tmp_path / "d", start="journal")
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("f8"), press=["f1"])


def test_connection_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SMALL, run_before=_goto("f2"))


def test_connection_filled(snap_compare, tmp_path):
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f2"))


def test_connection_validation_error(snap_compare, tmp_path):
    async def run_before(pilot):
        await _goto("f2")(pilot)
        await pilot.press(*"http://platform.example.com", "ctrl+s")
        await settle(pilot)
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SMALL, run_before=run_before)


def test_connection_management_tab_filled(snap_compare, tmp_path):
    async def run_before(pilot):
        await _goto("f2")(pilot)
        pilot.app.screen.query_one("#connection-tabs").active = "tab-database"
        await settle(pilot)
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_proxy_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SMALL, run_before=_goto("f3"))


def test_proxy_filled(snap_compare, tmp_path):
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f3"))


def test_proxy_validation_error(snap_compare, tmp_path):
    async def run_before(pilot):
        await _goto("f3")(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        pilot.app.screen.query_one("#proxy-host Input").focus()
        await pilot.press(*"proxy.lan", "tab", *"99999", "ctrl+s")
        await settle(pilot)
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SIZE, run_before=run_before)


def test_schedule_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SMALL, run_before=_goto("f4"))


def test_schedule_filled(snap_compare, tmp_path):
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f4"))


def test_schedule_validation_error(snap_compare, tmp_path):
    async def run_before(pilot):
        await _goto("f4")(pilot)
        pilot.app.screen.query_one("#schedule-frequency").value = "daily"
        await settle(pilot)
        pilot.app.screen.query_one("#schedule-start Input").value = "25:00"
        pilot.app.screen.query_one("#schedule-start Input").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SIZE, run_before=run_before)


def test_journal_empty(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path / "d", start="journal"), terminal_size=SMALL, run_before=_goto("f8"))


def test_journal_filled(snap_compare, tmp_path):
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f8"))


def test_journal_errors_only_80x24(snap_compare, tmp_path):
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SMALL, run_before=_goto("f8"), press=["e", "_"])


def test_journal_entry_details(snap_compare, tmp_path):
    async def run_before(pilot):
        await _goto("f8")(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
    app = make_app(_configured(tmp_path / "d"), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def _company(data_dir):
    from bizsync_tui.engine.admin.config import CompanyData, save_company

    ws = open_ws(data_dir)
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source="sqlite:/srv/sage/bijou.db",
                                 commercial_source="sqlite:/srv/sage/bijou.db", views=["cash_position"]))
    return data_dir


def test_wizard_step1_partly_ready(snap_compare, tmp_path):
    app = make_app(_company(_configured(tmp_path / "d")), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f9"))


def test_wizard_step2(snap_compare, tmp_path):
    app = make_app(_company(_configured(tmp_path / "d")), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f9"), press=["n", "_"])


def test_wizard_step3_delete_all(snap_compare, tmp_path):
    app = make_app(_company(_configured(tmp_path / "d")), start="journal")
    assert snap_compare(app, terminal_size=SIZE, run_before=_goto("f9"),
                        press=["n", "_", "down", "enter", "n", "_", "_"])
