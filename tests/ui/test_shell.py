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
        # "Everywhere": every section's own F key, as the tree shows them
        for line in ("F2  Connection", "F3  Proxy", "F4  Schedule", "F5  Companies", "F6  Groups",
                     "F7  Users", "F8  Journal", "F9  Publication wizard", "F10  Quit"):
            assert line in text, text
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


async def _palette_options(app, pilot) -> list[str]:
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    options: list[str] = []
    for _attempt in range(100):  # the palette fills its list from async providers: wait, with a deadline
        await pilot.pause(0.05)
        listing = app.screen.query_one(CommandList)
        options = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        if len(options) >= 10:
            break
    return options


async def test_palette_offers_bizsync_commands_only_in_the_ui_language(tmp_path):
    """Issue 11 item 18: no Keys / Maximize / Screenshot / Theme, and French in the French UI."""
    app = make_app(tmp_path / "data", start="journal", language="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        options = await _palette_options(app, pilot)
        assert "Ouvrir le journal de publication" in " ".join(options), options
        for textual_own in ("Keys", "Maximize", "Screenshot", "Theme", "Quit the application"):
            assert not any(textual_own in o for o in options), options
    assert app.COMMANDS == {__import__("bizsync_tui.commands", fromlist=["x"]).BizSyncCommands}


async def test_f1_works_inside_the_company_form(tmp_path):
    from bizsync_tui.screens.help import HelpScreen

    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = " ".join(str(k.render()) for k in app.screen.query(".help-keys"))
        assert "Save" in keys and "Cancel" in keys
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form


async def test_journal_help_lists_enter(tmp_path):
    from bizsync_tui.screens.help import HelpScreen

    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = " ".join(str(k.render()) for k in app.screen.query(".help-keys"))
        assert "Enter  Details" in keys, keys


async def test_copy_says_where_it_went_through_osc52(tmp_path, monkeypatch):
    """Issue 11 item 21: the copy goes through App.copy_to_clipboard (OSC 52) and the toast
    says it went to the terminal's clipboard (tmux: its set-clipboard option)."""
    from bizsync_tui.screens.dialogs import MessageDialog

    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(MessageDialog("Card", "some text", copy_text="text to copy"))
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == "text to copy"  # what App.copy_to_clipboard keeps after writing OSC 52
        texts = [str(n.message) for n in app._notifications]
        assert any("OSC 52" in t and "set-clipboard" in t for t in texts), texts
        assert not any(t.startswith("Copied to the clipboard") for t in texts)


async def test_help_lists_the_sections_in_french(tmp_path):
    from bizsync_tui.screens.help import HelpScreen

    app = make_app(tmp_path / "data", start="journal", language="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.render()) for w in app.screen.query(".help-keys"))
        for line in ("F2  Connexion", "F5  Sociétés", "F7  Utilisateurs", "F8  Journal"):
            assert line in text, text
