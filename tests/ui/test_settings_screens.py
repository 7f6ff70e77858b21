"""Settings screens through the keyboard: what is saved, what is refused and where the focus goes."""

from __future__ import annotations

from tests.snap.app_factory import make_app, open_ws, settle


async def _open(pilot, key):
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def test_portal_credentials_saved_through_the_connection_screen(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f2")
        await pilot.press(*"http://127.0.0.1:8765", "tab", *"ACME", "tab", *"s3cret-pass", "ctrl+s")
        await settle(pilot)
        pane = app.screen.query_one("#connection-pane")
        password = app.screen.query_one("#portal-password Input")
        assert password.password is True
        assert password.value == ""  # never prefilled with the secret
        assert password.placeholder == "saved (type to replace)"
        assert not pane.has_unsaved_changes()
        # saving again with the password left empty keeps the saved one
        await pilot.press("ctrl+s")
        await settle(pilot)
    ws = open_ws(tmp_path / "data")
    assert ws.settings.get("portal.url") == "http://127.0.0.1:8765"
    assert ws.settings.get("portal.client_code") == "ACME"
    assert ws.settings.get_secret("portal.password") == "s3cret-pass"


async def test_management_login_saved_on_its_tab(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f2")
        app.screen.query_one("#connection-tabs").active = "tab-database"
        await settle(pilot)
        app.screen.query_one("#database-user Input").focus()
        await pilot.press(*"sageadmin", "tab", *"db-pass-1", "ctrl+s")
        await settle(pilot)
    ws = open_ws(tmp_path / "data")
    assert ws.settings.get("database.user") == "sageadmin"
    assert ws.settings.get_secret("database.password") == "db-pass-1"


async def test_bad_url_shown_beside_its_field_focus_there_nothing_saved(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f2")
        await pilot.press(*"http://platform.example.com", "tab", *"ACME", "tab", "ctrl+s")
        await settle(pilot)
        field = app.screen.query_one("#portal-url")
        assert field.has_class("-invalid")
        assert "https://" in str(field.query_one(".field-error").render())
        assert app.focused is field.input
    ws = open_ws(tmp_path / "data")
    assert ws.settings.get("portal.client_code") == ""  # the whole form was refused


async def test_unreadable_secret_asks_to_type_it_again(tmp_path):
    from bizsync_tui.models.tables import Setting

    ws = open_ws(tmp_path / "data")
    # a token written under a key this data dir no longer has
    Setting.insert(key="portal.password", value="gAAAAABnot-a-readable-token", secret=True).execute()
    assert ws.settings.get_secret("portal.password") is None
    app = make_app(tmp_path / "data", start="connection")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#portal-password Input").placeholder == "cannot be read, type it again"


async def test_manual_proxy_saved_and_missing_port_refused(tmp_path):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f3")
        assert app.screen.query_one("#proxy-host Input").disabled  # system mode: no address
        await pilot.press("down", "enter")  # RadioSet: choose "Use this proxy"
        await settle(pilot)
        assert not app.screen.query_one("#proxy-host Input").disabled
        app.screen.query_one("#proxy-host Input").focus()
        await pilot.press(*"proxy.lan", "ctrl+s")
        await settle(pilot)
        port = app.screen.query_one("#proxy-port")
        assert port.has_class("-invalid") and app.focused is port.input
        assert open_ws(tmp_path / "data").settings.get("proxy.mode") == "system"
        await pilot.press(*"3128", "ctrl+s")
        await settle(pilot)
    ws = open_ws(tmp_path / "data")
    assert (ws.settings.get("proxy.mode"), ws.settings.get("proxy.host"), ws.settings.get("proxy.port")) == \
        ("manual", "proxy.lan", "3128")


async def test_schedule_next_five_runs_follow_the_typing(tmp_path):
    app = make_app(tmp_path / "data", start="schedule")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#schedule-pane")
        assert not app.screen.query_one("#schedule-times").display  # frequency none: no times
        app.screen.query_one("#schedule-frequency").value = "weekly"
        await settle(pilot)
        assert app.screen.query_one("#weekday-row").display
        app.screen.query_one("#schedule-weekday").value = "wednesday"
        app.screen.query_one("#schedule-times Input").value = "2"
        app.screen.query_one("#schedule-interval Input").value = "8"
        await settle(pilot)
        runs = str(app.screen.query_one("#next-runs").render()).splitlines()
        # clock: Mon 2026-03-16 09:30; Wednesdays at 06:00 and 06:00 + 8 h = 14:00
        assert runs == ["Wed 2026-03-18 06:00", "Wed 2026-03-18 14:00", "Wed 2026-03-25 06:00",
                        "Wed 2026-03-25 14:00", "Wed 2026-04-01 06:00"]
        assert pane.has_unsaved_changes()
        app.screen.query_one("#schedule-start Input").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pane.has_unsaved_changes()
    ws = open_ws(tmp_path / "data")
    assert [ws.settings.get(k) for k in ("schedule.frequency", "schedule.weekday", "schedule.times_per_day",
                                          "schedule.interval_hours")] == ["weekly", "wednesday", "2", "8"]


async def test_schedule_that_ends_after_midnight_is_refused_at_its_field(tmp_path):
    app = make_app(tmp_path / "data", start="schedule")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#schedule-frequency").value = "daily"
        await settle(pilot)
        app.screen.query_one("#schedule-times Input").value = "4"
        app.screen.query_one("#schedule-start Input").value = "20:00"
        app.screen.query_one("#schedule-interval Input").value = "2"
        app.screen.query_one("#schedule-start Input").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        times = app.screen.query_one("#schedule-times")
        assert times.has_class("-invalid") and app.focused is times.input
        assert "midnight" in str(app.screen.query_one("#next-runs").render())
    assert open_ws(tmp_path / "data").settings.get("schedule.frequency") == "none"


async def test_portal_test_button_against_the_real_platform(tmp_path, platform_server):
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, "f2")
        await pilot.press(*platform_server.url, "tab", *platform_server.client_code, "tab",
                          *platform_server.password, "ctrl+t")
        await settle(pilot)
        await settle(pilot)
        message = str(app.screen.query_one("#portal-message").render())
        assert "client code and password are right" in message
        # a wrong password: the engine's sentence, in red
        app.screen.query_one("#portal-password Input").focus()
        await pilot.press(*"wrong-password", "ctrl+t")
        await settle(pilot)
        await settle(pilot)
        label = app.screen.query_one("#portal-message")
        assert label.has_class("-error")
        assert "wrong-password" not in str(label.render())


from tests.platform_server import platform_server  # noqa: E402,F401  (the fixture)
