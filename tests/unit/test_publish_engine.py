"""The publication engine against the REAL reference platform on loopback (tests/platform_server.py).

Sage data: two SQLite files with tests/sage_fixture.py's company B (NORD and SUD
hold the same rows), so every number below is worked out by hand from
company_b_docs / company_b_ledger, as of 2026-11-28:
  sales_revenue      invoices B1 1000.00 (C6, 2026-11-10) + B2 300.00 (C2, 2026-11-11)
                     month (11-01..11-28) = 1300.00, year (2026-01-01..11-28) = 1300.00
  top_customers_month  1. C6 Zeta 1000.00, 2. C2 Beta 300.00
  top_customer_outstanding  C8 Theta 800.00 (debit 2026-06-01), C5 Epsilon 100.00; total 900.00
  group GRP = NORD + SUD: sales 1300.00 + 1300.00 = 2600.00; C6 2000.00, C2 600.00

Fault injection: `Forwarder` is a small loopback TCP relay in front of the real
platform. It is a test stub ONLY for what a real platform cannot be asked to do
on demand: answer 503, or cut a connection after the request was received.
"""

from __future__ import annotations

import json
import socket
import threading

import pytest
import requests

from bizsync_tui.engine import checks
from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user, set_settings
from bizsync_tui.engine.publish.client import PlatformClient
from bizsync_tui.engine.publish.http import make_retry
from bizsync_tui.engine.publish import runner
from bizsync_tui.engine.workspace import open_workspace
from bizsync_tui.engine.publish.runner import extract_for, preview_for_user, run
from tests.platform_server import platform_server  # noqa: F401  (fixture)
from tests.sage_fixture import AS_OF, sqlite_file, write_company_b

FAST = {"retry": make_retry(total=3, backoff=0.05), "timeout": (3, 10)}
PASSWORDS = {"marie": "marie-secret-1", "paul": "paul-secret-22", "zoe": "zoe-secret-333"}
# what each user may see: company -> views (company views: see `configured`)
GRANTS = {
    "marie": {"NORD": ["sales_revenue", "top_customers_month"], "GRP": ["sales_revenue"]},
    "paul": {"SUD": ["sales_revenue", "top_customer_outstanding"]},
    "zoe": {"NORD": ["top_customer_outstanding"], "GRP": ["sales_revenue", "top_customers_month"]},
}


def mobile(platform, company: str, login: str, password: str | None = None):
    """(status, views dict or None) as a phone sees it."""
    api = platform.url + "/api/v1"
    r = requests.post(api + "/mobile/login", json={
        "client_code": platform.client_code, "company_code": company, "login": login,
        "password": password or PASSWORDS[login]}, timeout=10)
    if r.status_code != 200:
        return r.status_code, None
    v = requests.get(api + "/mobile/views", headers={"Authorization": "Bearer " + r.json()["token"]}, timeout=10)
    return v.status_code, (v.json() if v.status_code == 200 else None)


def no_secret_in_journal(*secrets: str) -> None:
    entries = journal.page(limit=1000)
    assert entries
    text = json.dumps([e.as_json() for e in entries])
    for s in secrets:
        assert s not in text


@pytest.fixture
def configured(ws, tmp_path, platform_server):  # noqa: F811
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Bijou Nord")
    sud = sqlite_file(tmp_path / "sud.db", write_company_b, name="Bijou Sud")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none",
                      "database.user": "sage", "database.password": "db-secret-pw"})
    save_company(ws, CompanyData(short_code="NORD", name="Bijou Nord", dossier="NORD01",
                                 accounting_source=f"sqlite:{nord}", commercial_source=f"sqlite:{nord}",
                                 views=["sales_revenue", "top_customers_month", "top_customer_outstanding"]))
    save_company(ws, CompanyData(short_code="SUD", name="Bijou Sud", dossier="SUD01",
                                 accounting_source=f"sqlite:{sud}", commercial_source=f"sqlite:{sud}",
                                 views=["sales_revenue", "top_customer_outstanding"]))
    save_company(ws, CompanyData(short_code="GRP", name="Bijou Groupe", is_group=True, members=["NORD", "SUD"],
                                 views=["sales_revenue", "top_customers_month"]))
    for login, grants in GRANTS.items():
        save_user(ws, UserData(login=login, name=login.title(), password=PASSWORDS[login], grants=grants))
    return ws, platform_server


def test_publish_all_then_each_user_sees_exactly_the_granted_views(configured):
    ws, platform = configured
    steps = []
    report = run(ws, "publish", as_of=AS_OF, progress=lambda d, t, label: steps.append((d, t)),
                 http_options=FAST)
    assert report.ok, [r.message for r in report.results]
    assert [(r.operation, r.company) for r in report.results] == [
        ("publish", "NORD"), ("publish", "SUD"), ("publish", "GRP"), ("users", "")]
    assert steps[0] == (0, 4) and steps[-1] == (4, 4)

    # the matrix users x companies x views
    for login, grants in GRANTS.items():
        for company in ("NORD", "SUD", "GRP"):
            status, body = mobile(platform, company, login)
            if company not in grants:
                assert status == 401, (login, company)
                continue
            assert status == 200
            assert sorted(body["views"]) == sorted(grants[company]), (login, company)
            assert body["company"]["short_code"] == company

    _, nord = mobile(platform, "NORD", "marie")
    assert nord["views"]["sales_revenue"]["month"]["amount"] == "1300.00"  # 1000.00 + 300.00
    assert nord["views"]["sales_revenue"]["year"]["amount"] == "1300.00"
    assert [(r["code"], r["amount"]) for r in nord["views"]["top_customers_month"]["rows"]] == [
        ("C6", "1000.00"), ("C2", "300.00")]
    _, grp = mobile(platform, "GRP", "zoe")
    assert grp["views"]["sales_revenue"]["month"]["amount"] == "2600.00"  # 1300.00 twice
    assert [(r["code"], r["amount"]) for r in grp["views"]["top_customers_month"]["rows"]] == [
        ("C6", "2000.00"), ("C2", "600.00")]
    _, sud = mobile(platform, "SUD", "paul")
    assert sud["views"]["top_customer_outstanding"]["total"] == "900.00"  # 800.00 + 100.00

    # the journal: one row per operation, with the figures sent
    entries = journal.page()
    assert [(e.operation, e.company, e.success) for e in reversed(entries)] == [
        ("publish", "NORD", True), ("publish", "SUD", True), ("publish", "GRP", True), ("users", "", True)]
    nord_entry = [e for e in entries if e.company == "NORD"][0]
    assert nord_entry.figures["views"]["sales_revenue"] == {"month": "1300.00", "year": "1300.00"}
    assert nord_entry.figures["as_of"] == "2026-11-28"
    assert nord_entry.trigger == "manual"
    no_secret_in_journal(platform.password, "db-secret-pw", *PASSWORDS.values())


def test_extract_for_and_preview_give_what_the_platform_serves(configured):
    ws, platform = configured
    assert run(ws, "publish", as_of=AS_OF, http_options=FAST).ok
    body = extract_for(ws, "GRP", AS_OF)
    same = extract_for(open_workspace(ws.data_dir), "GRP", AS_OF)
    assert same["views"] == body["views"]
    _, served = mobile(platform, "GRP", "zoe")
    assert served["views"] == body["views"]  # zoe is granted every view GRP publishes

    preview = preview_for_user(ws, "marie", "NORD", AS_OF)
    _, seen = mobile(platform, "NORD", "marie")
    assert preview["views"] == seen["views"]
    assert sorted(preview["views"]) == ["sales_revenue", "top_customers_month"]
    assert preview_for_user(ws, "paul", "NORD", AS_OF)["views"] == {}


def test_republish_delete_one_and_delete_all(configured):
    ws, platform = configured
    assert run(ws, "publish", as_of=AS_OF, http_options=FAST).ok
    first = journal.last_for("NORD", "publish").figures["publication_id"]
    report = run(ws, "publish", "NORD", as_of=AS_OF, trigger="cli", http_options=FAST)
    assert report.ok and [r.operation for r in report.results] == ["publish", "users"]
    second = journal.last_for("NORD", "publish")
    assert second.figures["publication_id"] != first and second.trigger == "cli"
    status, body = mobile(platform, "NORD", "marie")
    assert status == 200 and body["publication_id"] == second.figures["publication_id"]

    report = run(ws, "delete", "NORD", http_options=FAST)
    assert report.ok and report.results[0].operation == "delete"
    assert mobile(platform, "NORD", "marie")[0] == 404  # logged in, nothing published
    assert mobile(platform, "SUD", "paul")[0] == 200  # the others stay

    report = run(ws, "delete", None, http_options=FAST)
    assert report.ok and report.results[0].operation == "delete_all"
    assert mobile(platform, "SUD", "paul")[0] == 401  # users gone too
    assert mobile(platform, "GRP", "zoe")[0] == 401


def test_one_company_failing_never_stops_the_others(configured, tmp_path):
    ws, platform = configured
    broken = tmp_path / "not-sage.db"
    import sqlite3

    sqlite3.connect(broken).execute("CREATE TABLE x (a int)").connection.commit()
    save_company(ws, CompanyData(short_code="AAA", name="Broken", dossier="AAA01",
                                 accounting_source=f"sqlite:{broken}", commercial_source=f"sqlite:{broken}",
                                 views=["sales_revenue"]))
    report = run(ws, "publish", as_of=AS_OF, http_options=FAST)
    assert not report.ok
    assert [(r.company, r.success) for r in report.results] == [
        ("AAA", False), ("NORD", True), ("SUD", True), ("GRP", True), ("", True)]
    assert "not-sage.db" in report.results[0].message or "Sage" in report.results[0].message
    assert mobile(platform, "NORD", "marie")[0] == 200


def test_wrong_portal_password_gives_the_401_message_and_keeps_the_publication(configured):
    ws, platform = configured
    assert run(ws, "publish", as_of=AS_OF, http_options=FAST).ok
    _, before = mobile(platform, "NORD", "marie")
    set_settings(ws, {"portal.password": "Wrong-Pa$$word/42"})
    report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
    assert not report.ok
    message = report.results[0].message
    assert "401" in message and "portal.password" in message and "Settings > Connection" in message
    assert mobile(platform, "NORD", "marie")[1] == before
    with pytest.raises(Exception) as info:
        checks.test_portal(ws, http_options=FAST)
    assert "401" in str(info.value)
    no_secret_in_journal("Wrong-Pa$$word/42", platform.password)


def test_platform_down_then_back(configured):
    ws, platform = configured
    assert run(ws, "publish", as_of=AS_OF, http_options=FAST).ok
    _, before = mobile(platform, "NORD", "marie")
    platform.stop()
    report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
    assert not report.ok
    assert "cannot be reached" in report.results[0].message and "portal.url" in report.results[0].message
    platform.start()
    assert mobile(platform, "NORD", "marie")[1] == before  # intact after the failure
    report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
    assert report.ok
    assert mobile(platform, "NORD", "marie")[1]["publication_id"] != before["publication_id"]


# -- fault injection ------------------------------------------------------------------------
def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class Forwarder:
    """A loopback TCP relay to the platform; its first `faults` connections misbehave:
    "503" answers 503 without forwarding; "cut" forwards the request, waits until the
    platform answers (so it has stored it), then closes the client's connection."""

    def __init__(self, target_port: int, fault: str, faults: int = 1):
        self.target = ("127.0.0.1", target_port)
        self.fault, self.faults = fault, faults
        self.seen = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.sock.close()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        self.seen += 1
        if self.faults > 0:
            self.faults -= 1
            request = _read_request(conn)
            if self.fault == "503":
                body = b'{"error":{"code":"busy","message":"Platform busy; retry."}}'
                conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            else:
                up = socket.create_connection(self.target)
                up.sendall(request)
                up.recv(1)  # the platform has answered: the publication is stored
                up.close()
            conn.close()
            return
        up = socket.create_connection(self.target)

        def pipe(a, b):
            try:
                while chunk := a.recv(65536):
                    b.sendall(chunk)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pipe, args=(up, conn), daemon=True).start()
        pipe(conn, up)


def _platform_rows(platform, short_code):
    from bizsync_tui.platform.store import Store

    store = Store(platform.handle.database)
    try:
        with store.connection():
            pubs = store.Publication.select().where(store.Publication.short_code == short_code).count()
            receipts = store.Receipt.select().where(store.Receipt.short_code == short_code).count()
        return pubs, receipts
    finally:
        store.close()


def test_retry_after_a_connection_cut_mid_request_leaves_one_publication(configured):
    ws, platform = configured
    relay = Forwarder(platform.handle.port, "cut")
    try:
        set_settings(ws, {"portal.url": relay.url})
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert report.ok, [r.message for r in report.results]
        assert relay.seen >= 2  # the cut connection, then the retry
        assert "already received" in report.results[0].message  # the platform saw the same publication_id
        assert _platform_rows(platform, "NORD") == (1, 1)  # one publication, one receipt
        sent = report.results[0].figures["publication_id"]
        assert mobile(platform, "NORD", "marie")[1]["publication_id"] == sent
    finally:
        relay.close()


def test_503_then_200_is_retried(configured):
    ws, platform = configured
    relay = Forwarder(platform.handle.port, "503", faults=1)
    try:
        set_settings(ws, {"portal.url": relay.url})
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert report.ok, [r.message for r in report.results]
        assert report.results[0].message.startswith("Published 3 views")
        assert mobile(platform, "NORD", "marie")[0] == 200
    finally:
        relay.close()


def test_503_after_the_retries_names_the_server_error_and_keeps_the_publication(configured):
    ws, platform = configured
    assert run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST).ok
    _, before = mobile(platform, "NORD", "marie")
    relay = Forwarder(platform.handle.port, "503", faults=100)
    try:
        set_settings(ws, {"portal.url": relay.url})
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert not report.ok
        message = report.results[0].message
        assert "server error (503)" in message and "Platform busy; retry." in message
        assert [r.operation for r in report.failures] == ["publish", "users"]
        assert relay.seen == 8  # 2 calls (publication, users) x (the first try + 3 retries)
        assert mobile(platform, "NORD", "marie")[1] == before
    finally:
        relay.close()


def test_413_and_422_messages_from_the_real_platform(configured):
    ws, platform = configured
    client = PlatformClient(ws.settings.values(), **FAST)
    body = extract_for(ws, "NORD", AS_OF)
    body["views"]["top_customers_month"]["rows"][0]["label"] = "x" * (11 * 1024 * 1024)  # > 10 MiB unzipped
    with pytest.raises(Exception) as info:
        client.put_publication("NORD", body)
    assert info.value.kind == "too_large" and "413" in str(info.value)
    body = extract_for(ws, "NORD", AS_OF)
    body["company"]["colour"] = "red"
    with pytest.raises(Exception) as info:
        client.put_publication("NORD", body)
    assert info.value.kind == "invalid" and "422" in str(info.value)
    assert "colour" in str(info.value)
    client.close()


def test_not_ready_is_journaled_with_where_to_set_it(ws):
    report = run(ws, "publish")
    assert not report.ok
    message = report.results[0].message
    assert "Settings > Connection" in message and "bizsync company add" in message
    assert journal.last_for().message == message and journal.last_for().success is False


def test_cli_publish_and_journal(configured, capsys):
    from bizsync_tui.cli import main

    ws, platform = configured
    code = main(["publish", "--data-dir", str(ws.data_dir), "--as-of", "2026-11-28"])
    out = capsys.readouterr().out
    assert code == 0
    assert len(out.strip().splitlines()) == 4 and "NORD" in out
    set_settings(ws, {"portal.password": "not-the-password"})
    assert main(["publish", "--data-dir", str(ws.data_dir), "--company", "SUD", "--as-of", "2026-11-28"]) == 1
    capsys.readouterr()
    assert main(["journal", "--data-dir", str(ws.data_dir), "--json", "--errors"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["operation"], e["company"]) for e in entries] == [("users", ""), ("publish", "SUD")]
    assert not any(e["success"] for e in entries)
    assert entries[0]["message"].startswith("Not sent: ") and "401" in entries[1]["message"]
    assert main(["journal", "--data-dir", str(ws.data_dir), "--limit", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and "✗" in lines[0]  # newest first: the failed users upload


def test_a_group_of_different_currencies_is_refused_and_the_members_still_publish(configured, tmp_path):
    ws, platform = configured
    usd = sqlite_file(tmp_path / "usd.db", write_company_b, name="Bijou USA", devise=1)  # P_DEVISE 1 = USD
    from bizsync_tui.engine.admin.config import get_company

    sud = get_company(ws, "SUD")
    sud.accounting_source = sud.commercial_source = f"sqlite:{usd}"
    save_company(ws, sud)
    report = run(ws, "publish", as_of=AS_OF, http_options=FAST)
    outcome = {(r.operation, r.company): r for r in report.results}
    assert outcome[("publish", "NORD")].success and outcome[("publish", "SUD")].success
    grp = outcome[("publish", "GRP")]
    assert not grp.success and "USD" in grp.message and "EUR" in grp.message
    assert mobile(platform, "GRP", "zoe")[0] == 404  # never published


def test_cancel_stops_before_the_next_company(configured):
    ws, platform = configured
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 1  # let the first company through, then stop

    report = run(ws, "publish", as_of=AS_OF, cancel=cancel, http_options=FAST)
    assert report.cancelled and not report.ok
    assert [(r.company, r.success) for r in report.results] == [("NORD", True)]


def test_run_report_says_each_failure_once_from_structured_results(configured):
    """A wrong portal password: NORD fails with the 401 sentence, SUD, GRP and the users are not
    attempted; the report knows why (skipped_for) without reading any message's prefix."""
    ws, _platform = configured
    set_settings(ws, {"portal.password": "not-the-password"})
    report = run(ws, "publish", as_of=AS_OF, http_options=FAST)
    first = report.results[0]
    assert (first.company, first.success, first.skipped_for) == ("NORD", False, "")
    assert "401" in first.message
    assert [(r.operation, r.company, r.skipped_for) for r in report.results[1:]] == [
        ("publish", "SUD", first.message), ("publish", "GRP", first.message), ("users", "", first.message)]
    assert report.failure_lines() == [first.message, "SUD was not sent either.", "GRP was not sent either.",
                                      "The mobile users were not sent either."]
    assert report.outcome().splitlines() == ["0 of 4 operation(s) succeeded.", *report.failure_lines()]


def test_run_report_outcome_of_a_success_is_its_summary(configured):
    ws, _platform = configured
    report = run(ws, "publish", "SUD", as_of=AS_OF, http_options=FAST)
    assert report.ok and report.failure_lines() == []
    assert report.outcome() == "2 of 2 operation(s) succeeded."  # SUD, then the users


def test_management_credentials_are_read_in_one_place(ws):
    from bizsync_tui.engine.sage.sources import SourceError, management_credentials

    assert management_credentials(ws.settings.values()) == (None, None)
    set_settings(ws, {"database.user": " sage ", "database.password": "db-pw"})
    assert management_credentials(ws.settings.values()) == ("sage", "db-pw")
    values = {**ws.settings.values(), "database.password": None}  # what values() gives for an unreadable secret
    with pytest.raises(SourceError, match="cannot be read with this encryption key"):
        management_credentials(values)
