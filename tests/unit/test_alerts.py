"""Alerts with real parts: the REAL platform on loopback stopped and started (failure and
recovery), a real SMTP server (aiosmtpd, STARTTLS with the test CA of tests/tls.py and a
login), a real HTTP receiver for the webhook, an injected clock (engine.clock.FakeClock) for
the stale alert and the daily reminder, and a dead SMTP server (a closed port).

Company NORD is tests/sage_fixture.py's company B; what is alerted is worked out from the
journal the runs write: one company plus the mobile users, both failing when the
platform is down.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings
from bizsync_tui.engine.clock import FakeClock
from bizsync_tui.engine.monitor import alerts
from bizsync_tui.engine.publish.http import make_retry
from bizsync_tui.engine.publish.runner import run
from bizsync_tui.engine.schedule.scheduler import Scheduler
from bizsync_tui.engine.schedule.status import current_status
from tests.alert_receivers import free_port, smtp_server, webhook_receiver
from tests.platform_server import platform_server  # noqa: F401  (fixture)
from tests.sage_fixture import AS_OF, sqlite_file, write_company_b
from tests.tls import make_pki

FAST = {"retry": make_retry(total=1, backoff=0.01), "timeout": (2, 5)}
SMTP_USER, SMTP_PW = "alerts", "smtp-Pa55;word"
UTC = timezone.utc


@pytest.fixture
def pki(tmp_path):
    return make_pki(tmp_path / "pki")


@pytest.fixture
def mail(pki):
    with smtp_server(pki=pki, security="starttls", login=(SMTP_USER, SMTP_PW)) as box:
        yield box


@pytest.fixture
def hook():
    with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
def configured(ws, tmp_path, platform_server, pki, mail, hook):  # noqa: F811
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Bijou Nord")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none",
                      "database.user": "sage", "database.password": "db-secret-pw",
                      "tls.ca_bundle": str(pki.ca_file),
                      "alert.email.to": "ops@example.com, boss@example.com", "alert.email.from": "bizsync@example.com",
                      "alert.smtp.host": "localhost", "alert.smtp.port": str(mail.port),
                      "alert.smtp.security": "starttls", "alert.smtp.user": SMTP_USER,
                      "alert.smtp.password": SMTP_PW, "alert.webhook.url": hook.url})
    save_company(ws, CompanyData(short_code="NORD", name="Bijou Nord", dossier="NORD01",
                                 accounting_source=f"sqlite:{nord}", commercial_source=f"sqlite:{nord}",
                                 views=["sales_revenue"]))
    return ws, platform_server


def publish(ws):
    return run(ws, "publish", as_of=AS_OF, http_options=FAST)


def alert_rows():
    return [e for e in journal.page(limit=1000) if e.operation == "alert"]


def test_failure_alerted_once_then_recovered(configured, mail, hook):
    ws, platform = configured
    assert publish(ws).ok
    assert mail.messages == [] and hook.bodies == []  # all well from the start: nothing to say

    platform.stop()
    report = publish(ws)
    assert not report.ok
    mail.wait_for(1)
    hook.wait_for(1)
    message = mail.messages[0]
    assert message["Subject"] == f"bizsync {platform.client_code}: the publication of NORD, mobile users failed"
    assert message["To"] == "ops@example.com, boss@example.com"
    assert mail.envelopes[0] == ("bizsync@example.com", ["ops@example.com", "boss@example.com"])
    assert mail.logins == [SMTP_USER]  # logged in, after STARTTLS (aiosmtpd refuses a login before it)
    failure = next(r.message for r in report.results if r.company == "NORD")
    body = mail.body(0)
    assert "NORD (failing since " in body and failure in body  # names the company and what to fix
    sent = hook.bodies[0]
    assert sent["event"] == "failed" and sent["company"] == "NORD" and sent["reminder"] is False
    assert failure in sent["message"] and failure in sent["text"] and "NORD" in sent["text"]
    assert sent["at"].endswith("Z") and sent["client"] == platform.client_code
    assert [i["company"] for i in sent["items"]] == ["NORD", ""]  # the company, then the mobile users

    assert not publish(ws).ok  # a second failing run: nothing more (the runner returns after sending)
    assert len(mail.messages) == 1 and len(hook.bodies) == 1
    assert current_status(ws).code == 1

    platform.start()
    assert publish(ws).ok
    mail.wait_for(2)
    hook.wait_for(2)
    assert mail.messages[1]["Subject"] == (f"bizsync {platform.client_code}: the publication of NORD, mobile users "
                                           "works again")
    assert hook.bodies[1]["event"] == "recovered" and hook.bodies[1]["company"] == "NORD"
    assert hook.bodies[1]["message"] == ""
    assert current_status(ws).code == 0
    assert alert_rows() == []  # every alert was delivered

    # no secret in what went out or in the journal
    everything = json.dumps(hook.bodies) + "".join(m.as_string() for m in mail.messages) + \
        json.dumps([e.as_json() for e in journal.page(limit=1000)])
    for secret in (SMTP_PW, platform.password, "T0KEN-s3cret", "db-secret-pw"):
        assert secret not in everything


def test_daily_reminder_while_the_failure_lasts(configured, mail, hook):
    ws, platform = configured
    assert publish(ws).ok
    platform.stop()
    assert not publish(ws).ok
    hook.wait_for(1)
    clock = FakeClock(datetime.now(UTC))
    for hours in (1, 12, 23):  # less than a day after the alert: nothing
        assert alerts.evaluate(ws, clock.now() + timedelta(hours=hours)) == []
    assert len(hook.bodies) == 1
    clock.advance(hours=24, minutes=1)
    (note,) = alerts.evaluate(ws, clock.now())
    hook.wait_for(2)
    mail.wait_for(2)
    assert hook.bodies[1]["event"] == "failed" and hook.bodies[1]["reminder"] is True
    assert "still fails" in mail.messages[1]["Subject"]
    clock.advance(hours=20)
    assert alerts.evaluate(ws, clock.now()) == []  # one reminder a day at most
    clock.advance(hours=4, minutes=1)
    assert len(alerts.evaluate(ws, clock.now())) == 1
    assert len(hook.bodies) == 3 and len(mail.messages) == 3


def test_stale_alert_from_the_scheduler_and_from_status(configured, mail, hook):
    ws, platform = configured
    set_settings(ws, {"alert.stale_hours": "26"})
    assert publish(ws).ok
    start = datetime.now(UTC)
    clock = FakeClock(start + timedelta(hours=25))
    scheduler = Scheduler(ws, clock=clock, tz=UTC)
    try:
        assert scheduler.tick() is None  # frequency none: nothing due; 25 h < 26 h: not stale
        assert hook.bodies == []
        assert current_status(ws, clock.now()).code == 0
        clock.advance(hours=2)  # 27 h without a success
        scheduler.tick()
        hook.wait_for(1)
        mail.wait_for(1)
        assert hook.bodies[0]["event"] == "stale" and hook.bodies[0]["company"] == "NORD"
        assert "for more than 26 h" in hook.bodies[0]["text"]
        assert "no recent publication of NORD, mobile users" in mail.messages[0]["Subject"]
        status = current_status(ws, clock.now())
        assert status.code == 1 and [s.state for s in status.subjects] == ["stale", "stale"]
        clock.advance(minutes=5)
        scheduler.tick()
        assert current_status(ws, clock.now(), check_alerts=True).code == 1
        assert len(hook.bodies) == 1  # still stale: no second alert the same day
    finally:
        scheduler.release()
    assert publish(ws).ok  # a success (at the real time): recovered
    hook.wait_for(2)
    assert hook.bodies[1]["event"] == "recovered"


def test_stale_alert_sent_by_status_when_no_scheduler_runs(configured, hook):
    ws, platform = configured
    set_settings(ws, {"alert.stale_hours": "2"})
    assert publish(ws).ok
    later = datetime.now(UTC) + timedelta(hours=3)
    assert current_status(ws, later, check_alerts=True).code == 1
    hook.wait_for(1)
    assert hook.bodies[0]["event"] == "stale"


def test_dead_smtp_is_journaled_retried_and_never_holds_the_publication(configured, hook):
    ws, platform = configured
    dead = free_port()  # nothing listens there
    set_settings(ws, {"alert.smtp.port": str(dead), "alert.smtp.security": "none", "alert.smtp.user": ""})
    assert publish(ws).ok
    platform.stop()
    started = time.monotonic()
    report = publish(ws)
    took = time.monotonic() - started
    assert [(r.operation, r.company, r.success) for r in report.results] == [
        ("publish", "NORD", False), ("users", "", False)]
    assert took < 15, took  # the platform retries (FAST) plus a refused SMTP connection
    hook.wait_for(1)  # the webhook went out all the same
    (row,) = alert_rows()
    assert row.message.startswith("Alert not sent (e-mail to ops@example.com, boss@example.com, failure alert NORD)")
    assert f"127.0.0.1:{dead}" not in row.message or "refused the connection" in row.message
    assert "refused the connection" in row.message and "sent again after the next publication" in row.message
    assert SMTP_PW not in row.message

    # the mail server comes back: the next publication sends the alert that was kept (once)
    with smtp_server(security="none", port=dead) as box:
        assert not publish(ws).ok
        box.wait_for(1)
        assert "failed" in box.messages[0]["Subject"]
        assert len(hook.bodies) == 1  # the webhook had it already
        assert not publish(ws).ok
        assert len(box.messages) == 1
    assert len(alert_rows()) == 1


def test_webhook_answering_an_error_is_journaled(configured, hook, mail):
    ws, platform = configured
    hook.status = 410  # a revoked webhook
    assert publish(ws).ok
    platform.stop()
    assert not publish(ws).ok
    mail.wait_for(1)
    (row,) = alert_rows()
    assert "webhook at 127.0.0.1" in row.message and "answered 410" in row.message
    assert "T0KEN-s3cret" not in row.message


def test_alert_test_reaches_every_channel(configured, mail, hook):
    ws, _platform = configured
    deliveries = alerts.send_test(ws, datetime.now(UTC))
    assert [(d.channel, d.ok) for d in deliveries] == [("email", True), ("webhook", True)]
    mail.wait_for(1)
    hook.wait_for(1)
    assert hook.bodies[0]["event"] == "test" and "test alert" in hook.bodies[0]["text"]
    assert mail.messages[0]["X-Bizsync-Event"] == "test"


def test_alert_test_says_a_refused_login_without_the_password(configured, mail):
    ws, _platform = configured
    set_settings(ws, {"alert.smtp.password": "wrong-Pa55"})
    email, webhook = alerts.send_test(ws, datetime.now(UTC))
    assert not email.ok and webhook.ok
    assert email.message == (f"The mail server localhost:{mail.port} refused the login alerts; check the user and "
                             "password in Settings > Alerts.")


def test_ssl_and_untrusted_certificate(ws, pki, tmp_path):
    with smtp_server(pki=pki, security="ssl") as box:
        set_settings(ws, {"alert.email.to": "ops@example.com", "alert.smtp.host": "localhost",
                          "alert.smtp.port": str(box.port), "alert.smtp.security": "ssl",
                          "tls.ca_bundle": str(pki.ca_file)})
        (ok,) = alerts.send_test(ws, datetime.now(UTC))
        assert ok.ok, ok.message
        box.wait_for(1)
        other = make_pki(tmp_path / "other", ca_name="another CA")
        set_settings(ws, {"tls.ca_bundle": str(other.ca_file)})
        (refused,) = alerts.send_test(ws, datetime.now(UTC))
        assert not refused.ok
        assert "certificate this machine does not trust" in refused.message


def test_alerts_speak_ui_language(configured, hook):
    ws, platform = configured
    set_settings(ws, {"ui.language": "fr", "alert.email.to": "", "alert.smtp.host": ""})
    assert publish(ws).ok
    platform.stop()
    assert not publish(ws).ok
    hook.wait_for(1)
    assert hook.bodies[0]["text"].startswith(f"bizsync {platform.client_code} : La publication de NORD, "
                                             "utilisateurs mobiles vers la plateforme a échoué.")


def test_a_failed_send_never_fails_the_run(configured):
    ws, platform = configured
    set_settings(ws, {"alert.webhook.url": f"http://127.0.0.1:{free_port()}/nobody"})
    platform.stop()
    report = publish(ws)
    assert [r.success for r in report.results] == [False, False]
    rows = alert_rows()
    assert any("webhook at 127.0.0.1" in r.message and "could not be reached" in r.message for r in rows)


def test_alert_settings_are_checked_and_secrets_masked(ws):
    from bizsync_tui.engine.admin.config import show_settings
    from bizsync_tui.engine.admin.validation import ValidationError

    token_url = "http://hooks.example.com/services/T0KEN-s3cret"
    refusals = {
        ("alert.email.to", "ops@example.com, not-an-address"):
            "'not-an-address' is not an e-mail address; type addresses such as admin@example.com, separated by "
            "commas.",
        ("alert.smtp.security", "tls"): "The mail security must be starttls, ssl or none.",
        ("alert.smtp.port", "70000"):
            "The mail server's port must be a number from 1 to 65535, such as 587 (STARTTLS), 465 (SSL) or 25; "
            "leave it empty for the usual one.",
        ("alert.stale_hours", "-1"):
            "The hours without a successful publication before an alert must be a whole number from 0 (no such "
            "alert) to 8784, such as 26.",
        ("alert.webhook.url", token_url):
            "Use https:// for a webhook on another machine (its address carries a token); plain http:// is "
            "allowed only on this machine (127.0.0.1 or localhost).",
    }
    for (key, value), sentence in refusals.items():
        with pytest.raises(ValidationError) as refused:
            set_settings(ws, {key: value, "alert.smtp.host": "smtp.example.com"})
        assert refused.value.field == key and refused.value.message == sentence
        assert "T0KEN" not in refused.value.message
    assert ws.settings.get("alert.smtp.host") == ""  # all or nothing
    set_settings(ws, {"alert.email.to": " a@example.com ,b@example.org", "alert.smtp.security": "SSL",
                      "alert.smtp.password": "pw-123", "alert.webhook.url": token_url.replace("http:", "https:")})
    assert ws.settings.get("alert.email.to") == "a@example.com, b@example.org"
    assert ws.settings.get("alert.smtp.security") == "ssl"
    shown = dict(show_settings(ws))
    assert shown["alert.smtp.password"] == "********" and shown["alert.webhook.url"] == "********"
