"""The publication wizard: checklist, jumps to missing settings, and a real publication
to the reference platform on loopback (tests/platform_server.py) from a Sage-shaped SQLite file."""

from __future__ import annotations

from tests import sage_fixture as fx
from tests.platform_server import platform_server  # noqa: F401  (the fixture)
from tests.snap.app_factory import make_app, open_ws, settle


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_empty_configuration_step_one_blocks_and_jumps(tmp_path):
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#wizard-pane")
        assert pane.state.step == 1
        assert _text(app, "#check-label-portal") == "[ ] Portal credentials"
        assert app.screen.query_one("#wizard-next").disabled
        assert pane.check_action("next", ()) is None and pane.check_action("back", ()) is None
        assert "portal credentials first" in _text(app, "#wizard-message")
        app.screen.query_one("#go-portal").press()
        await settle(pilot)
        assert app.get_screen_main().section == "connection"


def _configure(ws, platform, tmp_path):
    from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user, set_settings

    set_settings(ws, {"portal.url": platform.url, "portal.client_code": platform.client_code,
                      "portal.password": platform.password})
    sage = fx.sqlite_file(tmp_path / "sage_a.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=["sales_revenue", "cash_position"]))
    save_user(ws, UserData(login="marie", name="Marie", password="long-enough-1",
                           grants={"BIJOU": ["cash_position"]}))


async def test_wizard_publishes_to_the_real_platform(tmp_path, platform_server):  # noqa: F811
    ws = open_ws(tmp_path / "data")
    _configure(ws, platform_server, tmp_path)
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        pane = app.screen.query_one("#wizard-pane")
        # SQLite sources need no management login: every required item is ticked
        assert [_text(app, f"#check-label-{k}")[:3] for k in ("portal", "companies", "database", "users")] == \
            ["[x]"] * 4
        await pilot.press("n")
        await settle(pilot)
        assert pane.state.step == 2 and pane.check_action("back", ()) is True
        await pilot.press("n")
        await settle(pilot)
        assert pane.state.step == 3
        assert app.focused is app.screen.query_one("#wizard-target"), app.focused
        await pilot.press("down", "enter")  # the company BIJOU rather than all
        await settle(pilot)
        assert pane.state.target == "BIJOU"
        await pilot.press("f")
        await settle(pilot)
        await settle(pilot)
        assert pane.state.finished and not pane.state.running
        assert pane.report is not None and pane.report.ok, _text(app, "#wizard-report-text")
        assert _text(app, "#wizard-running").startswith("Done: ")
        assert [r.company for r in pane.report.results if r.operation == "publish"] == ["BIJOU"]
        app.screen.query_one("#wizard-journal").press()
        await settle(pilot)
        assert app.get_screen_main().section == "journal"
        table = app.screen.query_one("#journal-table")
        rows = [table.get_row_at(r) for r in range(table.row_count)]
        assert any(row[2] == "BIJOU" and row[0] == "" for row in rows)  # a success for BIJOU
        assert "OK" in _text(app, "#status")


async def test_wizard_refuses_publication_without_a_company(tmp_path, platform_server):  # noqa: F811
    from bizsync_tui.engine.admin.config import set_settings

    ws = open_ws(tmp_path / "data")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": "ACME", "portal.password": "x" * 9})
    app = make_app(tmp_path / "data", start="wizard")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#wizard-pane")
        await pilot.press("f9", "n")
        await settle(pilot)
        assert pane.state.step == 2
        assert "Publishing needs: Companies" in _text(app, "#wizard-message")
        assert pane.check_action("next", ()) is None


async def test_keys_typed_in_one_burst_all_take_effect(tmp_path):
    """F9 then b/n/f typed faster than the screen refreshes (a fast typist, keys delivered
    together over SSH): each key must reach the wizard, none is lost while a step changes
    or while the pane is mounted. The keys are posted as the terminal driver does, all at
    once, without waiting for the app between them."""
    from textual import events

    ws = open_ws(tmp_path / "data")
    from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings

    # port 9 (discard) is closed on loopback: the publication fails at once, after Finish ran
    set_settings(ws, {"portal.url": "http://127.0.0.1:9", "portal.client_code": "ACME",
                      "portal.password": "portal-secret-1", "proxy.mode": "none"})
    sage = fx.sqlite_file(tmp_path / "sage_a.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=["cash_position"]))
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, type(app.screen.query_one("#nav")))  # the tree has the focus

        def burst(*keys: str) -> None:
            for key in keys:
                app.post_message(events.Key(key, key if len(key) == 1 else None))

        # F9, then next, next, back, next: step 3 (each n/b changes the step)
        burst("f9", "n", "n", "b", "n")
        await settle(pilot)
        pane = app.screen.query_one("#wizard-pane")
        assert pane.state.step == 3, pane.state
        assert app.focused is app.screen.query_one("#wizard-target")
        # back, back, next, next at once, then Finish: the publication runs (and fails: no platform)
        burst("b", "b", "n", "n", "f")
        await settle(pilot)
        await settle(pilot)
        assert pane.state.step == 4 and pane.state.finished, pane.state
        assert pane.report is not None and not pane.report.ok
        assert app.focused is app.screen.query_one("#wizard-journal")


async def test_first_publication_without_mobile_users_is_not_reported_as_done(tmp_path, platform_server):  # noqa: F811
    """Issue 11 item 6: the platform received the company but nobody can read it: the
    wizard says so instead of 'Done'."""
    from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings

    ws = open_ws(tmp_path / "data")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password})
    sage = fx.sqlite_file(tmp_path / "sage_a.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=["cash_position"]))
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await settle(pilot)
        pane = app.screen.query_one("#wizard-pane")
        assert pane.state.finished
        head = _text(app, "#wizard-running")
        assert not head.startswith("Done"), head
        assert "nobody can read" in head and "Users (F7)" in head
        assert app.screen.query_one("#wizard-running").has_class("-warning")


async def test_wizard_report_in_french_has_no_english_operation(tmp_path, platform_server):  # noqa: F811
    """Issue 11 item 20: the report's operation names are French in the French UI."""
    ws = open_ws(tmp_path / "data")
    _configure(ws, platform_server, tmp_path)
    app = make_app(tmp_path / "data", start="journal", language="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("n", "n")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await settle(pilot)
        report = _text(app, "#wizard-report-text")
        assert "publication" in report and "utilisateurs" in report, report
        assert " publish " not in report and " users " not in report, report
        assert _text(app, "#wizard-running").startswith("Terminé"), _text(app, "#wizard-running")


async def test_delete_everything_asks_first_and_report_page_offers_no_step_keys(tmp_path):
    """Issue 11 items 4 and 18: F9, n, 'Delete the platform data', n, f asked nothing and
    deleted everything; the report page then still offered b, n and f."""
    from bizsync_tui.engine import journal
    from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings
    from bizsync_tui.screens.dialogs import ConfirmDialog

    ws = open_ws(tmp_path / "data")
    # port 9 (discard) is closed on loopback: a deletion that runs fails at once, and is journaled
    set_settings(ws, {"portal.url": "http://127.0.0.1:9", "portal.client_code": "ACME",
                      "portal.password": "portal-secret-1", "proxy.mode": "none"})
    sage = fx.sqlite_file(tmp_path / "sage_a.db")
    save_company(ws, CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                 accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                 views=["cash_position"]))
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("down", "enter")  # Delete the platform data
        await settle(pilot)
        pane = app.screen.query_one("#wizard-pane")
        assert pane.state.action == "delete"
        await pilot.press("n")
        await settle(pilot)
        assert pane.state.step == 3 and pane.state.target is None
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete everything on the platform?" in str(app.screen.query_one("#dialog-title").render())
        assert app.focused.id == "cancel"  # Enter alone deletes nothing
        await pilot.press("n")
        await settle(pilot)
        assert pane.state.step == 3 and not pane.state.running
        assert journal.last_for(operation="delete_all") is None  # nothing ran
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert pane.state.step == 4 and pane.state.finished
        assert journal.last_for(operation="delete_all") is not None  # it ran (and failed: no platform)
        shown = {b.binding.action for b in app.active_bindings.values() if b.binding.show and b.enabled}
        for action in ("back", "next", "finish"):
            assert pane.check_action(action, ()) is False
            assert not any(a.endswith(action) for a in shown), shown
