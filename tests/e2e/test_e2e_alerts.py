"""Issue 14 "Done when", as an admin runs it: real `bizsync` processes, a platform started with
`bizsync platform serve` (stopped and started again), a real SMTP server (aiosmtpd with
STARTTLS under the test CA and a login) and a real HTTP receiver for the webhook, in
this test's process.

With alerts configured, stopping the platform makes the next publication send one e-mail
and one webhook naming the company and what to fix; a second failing run sends nothing
more; restarting the platform sends "recovered"; `bizsync status` exits 1 then 0.
"""

from __future__ import annotations

import json

from tests.alert_receivers import smtp_server, webhook_receiver
from tests.e2e import tiny_sage as sage
from tests.e2e.cli import bizsync, configure_portal, journal, ok, serve_platform
from tests.tls import make_pki

CLIENT, PORTAL_PW = "ACME", "Portal-pw-alerts-1"
SMTP_PW = "Smtp;pw=alerts 2"


def test_done_when_failure_recovery_and_status(tmp_path):
    pki = make_pki(tmp_path / "pki")
    a_db = sage.sqlite_file(tmp_path / "tiny_a.sqlite", "A")
    admin = tmp_path / "admin"
    with serve_platform(tmp_path / "platform") as platform, \
            smtp_server(pki=pki, security="starttls", login=("bizsync", SMTP_PW)) as mail, \
            webhook_receiver() as hook:
        platform.add_client(CLIENT, PORTAL_PW)
        configure_portal(admin, platform.url, CLIENT, PORTAL_PW)
        ok(admin, "config", "set", "database.user", "sage")
        ok(admin, "config", "set", "database.password", stdin="db-pw\n")
        ok(admin, "company", "add", "TINYA", "--dossier", "TINY01", "--name", "Tiny SA", "--accounting",
           f"sqlite:{a_db}", "--commercial", f"sqlite:{a_db}", "--views", "sales_revenue")
        ok(admin, "config", "set", "alert.email.to", "ops@example.com", "alert.email.from", "bizsync@example.com",
           "alert.smtp.host", "localhost", "alert.smtp.port", str(mail.port), "alert.smtp.security", "starttls",
           "alert.smtp.user", "bizsync", "tls.ca_bundle", str(pki.ca_file))
        ok(admin, "config", "set", "alert.smtp.password", stdin=SMTP_PW + "\n")
        ok(admin, "config", "set", "alert.webhook.url", stdin=hook.url + "\n")

        assert bizsync(admin, "status").returncode == 2  # nothing published yet
        assert "sent: e-mail to ops@example.com" in ok(admin, "alert", "test")
        mail.wait_for(1)
        hook.wait_for(1)
        assert hook.bodies[0]["event"] == "test"

        ok(admin, "publish", "--as-of", sage.AS_OF)
        assert bizsync(admin, "status").returncode == 0
        assert len(mail.messages) == 1 and len(hook.bodies) == 1  # all well: no alert

        platform.stop()
        r = bizsync(admin, "publish", "--as-of", sage.AS_OF)
        assert r.returncode == 1
        fix = next(e["message"] for e in journal(admin) if e["company"] == "TINYA")
        assert "publish again" in fix  # the journal's sentence says what to fix
        mail.wait_for(2)
        hook.wait_for(2)
        failed = hook.bodies[1]
        assert failed["event"] == "failed" and failed["company"] == "TINYA"
        assert fix in failed["message"] and "TINYA" in failed["text"] and fix in failed["text"]
        assert mail.messages[1]["Subject"] == f"bizsync {CLIENT}: the publication of TINYA, mobile users failed"
        assert fix in mail.body(1)

        r = bizsync(admin, "publish", "--as-of", sage.AS_OF)  # a second failing run: nothing more
        assert r.returncode == 1
        assert len(mail.messages) == 2 and len(hook.bodies) == 2
        r = bizsync(admin, "status")
        assert r.returncode == 1
        assert r.stdout.splitlines()[0] == "Publication problems: failing: TINYA, mobile users."

        platform.start()
        ok(admin, "publish", "--as-of", sage.AS_OF)
        mail.wait_for(3)
        hook.wait_for(3)
        assert hook.bodies[2]["event"] == "recovered" and hook.bodies[2]["company"] == "TINYA"
        assert "works again" in mail.messages[2]["Subject"]
        r = bizsync(admin, "status", "--json")
        assert r.returncode == 0 and json.loads(r.stdout)["status"] == "ok"
        assert len(mail.messages) == 3 and len(hook.bodies) == 3
        assert not [e for e in journal(admin) if e["operation"] == "alert"]  # nothing failed to go out
        shown = ok(admin, "config", "show")
        assert SMTP_PW not in shown and "T0KEN-s3cret" not in shown
