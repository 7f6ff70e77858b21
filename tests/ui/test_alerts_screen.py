"""Settings > Alerts through the keyboard (Pilot): what is saved, secrets masked and never
prefilled, a refused address beside its field, Save and test against a real SMTP server
(aiosmtpd) and a real webhook receiver; and the status line, which follows a publication
journaled by another process within seconds."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time

from bizsync_tui.engine.admin.config import CompanyData, save_company
from tests.alert_receivers import smtp_server, webhook_receiver
from tests.snap.app_factory import make_app, open_ws, settle


async def _fill(pilot, app, field_id: str, text: str) -> None:
    app.screen.query_one(f"#{field_id} Input").focus()
    await pilot.pause()
    await pilot.press(*text)


async def test_alerts_saved_secrets_masked_and_tested(tmp_path):
    with smtp_server(security="none") as mail, webhook_receiver() as hook:
        app = make_app(tmp_path / "data", start="alerts")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#centre").border_title == "Alerts"
            await _fill(pilot, app, "alert-to", "ops@example.com")
            await _fill(pilot, app, "alert-host", "127.0.0.1")
            await _fill(pilot, app, "alert-port", str(mail.port))
            app.screen.query_one("#alert-security").value = "none"
            await _fill(pilot, app, "alert-webhook", hook.url)
            await _fill(pilot, app, "alert-stale", "26")
            webhook = app.screen.query_one("#alert-webhook Input")
            assert webhook.password is True  # the address carries a token: masked like a password
            await pilot.press("ctrl+t")  # save and test
            await settle(pilot)
            deadline = time.monotonic() + 15
            message = app.screen.query_one("#alerts-message")
            while "webhook" not in str(message.render()):
                assert time.monotonic() < deadline, str(message.render())
                await pilot.pause(0.05)
            shown = str(message.render())
            assert shown == "Sent: e-mail to ops@example.com.\nSent: webhook at 127.0.0.1."
            assert message.has_class("-success")
            assert webhook.value == "" and webhook.placeholder == "saved (type to replace)"
            assert app.screen.query_one("#alert-password Input").password is True
        assert len(mail.messages) == 1 and hook.bodies[0]["event"] == "test"
    ws = open_ws(tmp_path / "data")
    assert ws.settings.get("alert.email.to") == "ops@example.com"
    assert ws.settings.get("alert.smtp.security") == "none"
    assert ws.settings.get("alert.stale_hours") == "26"
    assert ws.settings.get_secret("alert.webhook.url") == hook.url
    from bizsync_tui.models.tables import Setting

    stored = Setting.get(Setting.key == "alert.webhook.url")
    assert stored.secret and "T0KEN" not in stored.value  # encrypted at rest


async def test_bad_address_refused_beside_its_field(tmp_path):
    app = make_app(tmp_path / "data", start="alerts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _fill(pilot, app, "alert-to", "ops-at-example")
        await _fill(pilot, app, "alert-host", "smtp.example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = app.screen.query_one("#alert-to")
        assert field.has_class("-invalid")
        assert str(field.query_one(".field-error").render()).startswith("'ops-at-example' is not an e-mail address")
        assert app.focused is field.input
    ws = open_ws(tmp_path / "data")
    assert ws.settings.get("alert.smtp.host") == ""  # all or nothing


async def test_test_without_channel_says_what_to_set_in_french(tmp_path):
    app = make_app(tmp_path / "data", start="alerts", language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#centre").border_title == "Alertes"
        app.screen.query_one("#alert-to Input").focus()  # the pane's keys act from its fields
        await pilot.pause()
        await pilot.press("ctrl+t")
        await settle(pilot)
        deadline = time.monotonic() + 10
        message = app.screen.query_one("#alerts-message")
        while "canal" not in str(message.render()):
            assert time.monotonic() < deadline, str(message.render())
            await pilot.pause(0.05)
        assert str(message.render()).startswith("Aucun canal d'alerte n'est renseigné")


async def test_status_line_follows_a_publication_journaled_by_another_process(tmp_path):
    ws = open_ws(tmp_path / "data")
    save_company(ws, CompanyData(short_code="ALPHA", name="Alpha", dossier="ALPHA01",
                                 accounting_source="sqlite:/nowhere.db", commercial_source="sqlite:/nowhere.db",
                                 views=["sales_revenue"]))
    app = make_app(tmp_path / "data", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.status_line_text.endswith("no publication yet")
        # another process (a `bizsync publish` from cron, say) journals a failure of ALPHA
        subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            from bizsync_tui.engine.workspace import open_workspace
            from bizsync_tui.engine import journal
            ws = open_workspace({str(tmp_path / "data")!r})
            journal.record("publish", company="ALPHA", success=False, trigger="cli",
                           message="The accounting file cannot be opened; check its path.")
        """)], check=True, timeout=60)
        deadline = time.monotonic() + 15
        while "failing: ALPHA" not in app.status_line_text:
            assert time.monotonic() < deadline, app.status_line_text
            await asyncio.sleep(0.1)
        assert app.status_line_text == "Scheduler: off in this session | failing: ALPHA | last publication " + \
            app.status_line_text.split("last publication ")[1]
        assert app.status_line_text.endswith(" failed")
        shown = str(app.screen.query_one("#status").render())
        assert shown.startswith("Scheduler: off in this session | failing: ALPHA |")
