"""The shell: where the app opens, F-key navigation, unsaved-changes question, help, status line."""

from __future__ import annotations

from datetime import datetime

from tests.snap.app_factory import make_app, open_ws, settle


def _main(app):
    return app.get_screen_main()


async def test_empty_configuration_opens_on_the_wizard(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _main(app).section == "wizard"
        assert app.screen.query_one("#wizard-title").render().plain.startswith("Step 1 of 3")


async def test_configured_workspace_opens_on_the_journal(tmp_path):
    ws = open_ws(tmp_path / "data")
    from bizsync_tui.engine.admin.config import set_settings

    set_settings(ws, {"portal.url": "http://127.0.0.1:9", "portal.client_code": "ACME", "portal.password": "secret-1"})
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _main(app).section == "journal"


async def test_f_keys_show_each_section(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, section in (("f2", "connection"), ("f3", "proxy"), ("f4", "schedule"), ("f5", "companies"),
                             ("f6", "groups"), ("f7", "users"), ("f9", "wizard"), ("f8", "journal")):
            await pilot.press(key)
            await settle(pilot)
            assert _main(app).section == section, key
            assert app.screen.query_one("#centre").children, section


async def test_leaving_a_changed_form_asks_first(tmp_path):
    app = make_app(tmp_path / "data", start="connection")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"ACME")  # focus is on the platform address
        await pilot.press("f8")
        await settle(pilot)
        assert _main(app).section == "connection"  # a question is on screen
        assert app.screen is not _main(app)
        await pilot.press("n")  # stay
        await settle(pilot)
        assert _main(app).section == "connection"
        assert app.screen.query_one("#portal-url Input").value == "ACME"
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("y")  # leave
        await settle(pilot)
        assert _main(app).section == "journal"
    ws = open_ws(tmp_path / "data")
    assert ws.settings.get("portal.url") == ""  # nothing saved


async def test_f1_shows_help_and_escape_closes_it(tmp_path):
    from bizsync_tui.screens.help import HelpScreen

    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.render()) for w in app.screen.query(".help-keys"))
        assert "Errors only" in text  # the journal's own keys are listed
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


async def test_status_line_shows_the_last_publication_and_the_next_run(tmp_path):
    from bizsync_tui.engine import journal
    from bizsync_tui.engine.admin.config import set_settings

    ws = open_ws(tmp_path / "data")
    set_settings(ws, {"schedule.frequency": "daily", "schedule.start": "18:00"})
    journal.record("publish", company="BIJOU", success=False, message="x", at=datetime(2026, 3, 16, 6, 0))
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#status").render())
        assert "Scheduler: off in this session" in text
        # the clock says Monday 2026-03-16 09:30 UTC: the next daily 18:00 run is the same day
        assert "next run 16/03 18:00" in text
        assert "last publication 16/03 06:00 failed" in text


async def test_scheduler_held_by_another_process_is_shown(tmp_path):
    from bizsync_tui.engine.schedule.scheduler import SchedulerLock

    ws = open_ws(tmp_path / "data")
    other = SchedulerLock(ws.data_dir)
    assert other.acquire("scheduler")
    try:
        app = make_app(tmp_path / "data", scheduler=True, start="journal")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            text = str(app.screen.query_one("#status").render())
            assert "Scheduler running elsewhere: " in text
            assert app.scheduler is not None and not app.scheduler.active  # it retries at each tick
    finally:
        other.release()


async def test_in_process_scheduler_takes_the_lock(tmp_path):
    app = make_app(tmp_path / "data", scheduler=True, start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.scheduler is not None and app.scheduler.active
        assert "Scheduler: no schedule" in str(app.screen.query_one("#status").render())
    assert not app.scheduler.active  # released on exit


async def test_palette_lists_the_main_actions(tmp_path):
    from bizsync_tui.commands import BizSyncCommands

    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = BizSyncCommands(app.screen)
        names = [hit.display for hit in [h async for h in provider.discover()]]
        assert "Publish now (publication wizard)" in names
        assert "Open the alert settings (e-mail, webhook)" in names
        assert len(names) == 10
