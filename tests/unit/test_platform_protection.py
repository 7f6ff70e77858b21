"""The platform under attack (issue 12), on the real service over loopback.

Each test reproduces a finding: a stall by an anonymous gzip body, unbounded
verifier cost, unthrottled password guessing, missing headers, a world-readable
database, a 500 on an exhausted pool, a silent deleted database, bad
--token-hours, client codes that differ only by case.
"""

from __future__ import annotations

import gzip
import logging
import os
import socket
import stat
import threading
import time

import pytest
import requests

from bizsync_tui.engine.contract import make_verifier
from bizsync_tui.platform.guard import secure_headers
from bizsync_tui.platform.server import start_platform
from tests.platform_server import platform_server, run_platform  # noqa: F401  (the fixture)
from tests.unit.test_platform_cli import run_cli
from tests.unit.test_platform_service import (API, TIMEOUT, _self_signed, assert_error, login, publication, put_pub,
                                              put_users, user, views)

EMPTY_MEMBERS = gzip.compress(b"") * 519045  # ~10 MiB of empty gzip members (the finding's body)


def from_address(address: str) -> dict:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 (its default): a request "from" another address."""
    return {"X-Forwarded-For": address}


# --- 1. bodies: authenticate first, stream gzip, never block the loop ----------------------

def _status_line(sock: socket.socket, deadline: float) -> bytes:
    data = b""
    while b"\r\n" not in data:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0]


def test_an_anonymous_large_body_is_refused_before_it_is_read(platform_server):
    p = platform_server
    host, port = p.handle.host, p.handle.port
    for path in ("/api/v1/users", "/api/v1/companies/BIJOU/publication"):
        with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
            sock.sendall(f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         f"Content-Encoding: gzip\r\nContent-Length: {len(EMPTY_MEMBERS)}\r\n\r\n".encode())
            sock.sendall(EMPTY_MEMBERS[:65536])  # and then nothing more: the answer must not wait for it
            line = _status_line(sock, time.monotonic() + 20)
        assert line.startswith(b"HTTP/1.1 401"), line
    # A body where no body is expected (a login, an unknown address) is small or refused.
    r = requests.post(f"{p.api}/mobile/login", data=b"{" + b" " * 70000 + b"}", timeout=TIMEOUT,
                      headers={"Content-Type": "application/json"})
    assert_error(r, 413, "body_too_large")


def test_many_empty_gzip_members_cost_linear_time_and_block_nobody(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    uploaded = threading.Event()
    answer = {}

    def body():
        for start in range(0, len(EMPTY_MEMBERS), 1 << 20):
            yield EMPTY_MEMBERS[start:start + (1 << 20)]
        uploaded.set()

    def upload():
        # Before the fix: 98 s (quadratic, on the event loop). Now about 2 s in a worker thread.
        answer["r"] = requests.put(f"{p.api}/users", data=body(), auth=p.auth, timeout=60,
                                   headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})

    thread = threading.Thread(target=upload)
    thread.start()
    assert uploaded.wait(60)
    # While the platform inflates it, a mobile login is answered (before the fix it waited 96 s).
    r = login(p, "BIJOU", "marie", "marie-pw")
    assert r.status_code == 200, r.text
    thread.join(70)
    assert not thread.is_alive()
    # Nothing came out of the half-million members: an empty body, refused as such.
    assert_error(answer["r"], 422, "invalid_request")


# --- 2. verifier cost bounds -----------------------------------------------------------------

SALT_KEY = make_verifier("x").split("$", 4)[4]


@pytest.mark.parametrize("params", ["8192$8$1", "262144$8$1", "20000$8$1", "16384$32$16", "16384$16$1",
                                    "16384$4$1", "16384$8$3", "131072$8$4", "65536$1$1"])
def test_verifiers_outside_the_cost_bounds_are_refused(platform_server, params):
    p = platform_server
    bad = {"login": "marie", "name": "Marie", "password_verifier": f"scrypt${params}${SALT_KEY}",
           "grants": {"BIJOU": ["sales_revenue"]}}
    err = assert_error(put_users(p, [bad]), 422, "invalid_request")
    assert "'body.users.0.password_verifier'" in err["message"] and "131072" in err["message"], err


def test_verifiers_within_the_bounds_are_accepted_and_work(platform_server):
    p = platform_server
    users = [{"login": f"u{n}", "name": "U", "password_verifier": make_verifier(f"pw-{n}-{q}", n=n, p=q),
              "grants": {"BIJOU": ["sales_revenue"]}} for n, q in ((16384, 1), (131072, 2))]
    r = put_users(p, users)
    assert r.status_code == 200 and r.json() == {"users": 2, "grants": 2}, r.text
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    assert login(p, "BIJOU", "u131072", "pw-131072-2").status_code == 200


# --- 3. throttled guessing -------------------------------------------------------------------

def test_mobile_guessing_is_throttled_per_account_and_held_in_the_database(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]}),
                  user("paul", "paul-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    body = {"client_code": p.client_code, "company_code": "BIJOU", "login": "marie"}
    for i in range(10):  # 10 failures per client + company + login, from 10 addresses
        r = requests.post(f"{p.api}/mobile/login", json={**body, "password": f"guess-{i}"}, timeout=TIMEOUT,
                          headers=from_address(f"198.51.100.{i + 1}"))
        assert_error(r, 401, "login_failed")
    # The 11th, even with the right password and from a fresh address: 429, before any password check.
    r = requests.post(f"{p.api}/mobile/login", json={**body, "password": "marie-pw"}, timeout=TIMEOUT,
                      headers=from_address("198.51.100.99"))
    err = assert_error(r, 429, "too_many_attempts")
    wait = int(r.headers["Retry-After"])
    assert 0 < wait <= 900 and f"{wait} seconds" in err["message"]
    assert r.headers["Cache-Control"] == "no-store"
    # Another user is not locked out, nor marie for another company (another account key).
    assert login(p, "BIJOU", "paul", "paul-pw").status_code == 200
    # Counted in the database: another server on the same database refuses her too.
    second = start_platform(p.data_dir)
    try:
        r = requests.post(f"{second.url}{API}/mobile/login", json={**body, "password": "marie-pw"},
                          timeout=TIMEOUT)
        assert_error(r, 429, "too_many_attempts")
    finally:
        second.stop()


def test_a_successful_login_clears_its_account_counter(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    for round_ in range(2):  # 9 failures, then her password: never 429, the count starts again
        for i in range(9):
            assert_error(requests.post(f"{p.api}/mobile/login", timeout=TIMEOUT,
                                       headers=from_address(f"198.51.100.{10 * round_ + i + 1}"),
                                       json={"client_code": p.client_code, "company_code": "BIJOU",
                                             "login": "marie", "password": "typo"}), 401, "login_failed")
        assert login(p, "BIJOU", "marie", "marie-pw").status_code == 200


def test_mobile_guessing_is_throttled_per_address(platform_server):
    p = platform_server
    put_users(p, [user("paul", "paul-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    attacker = from_address("203.0.113.7")
    for i in range(30):  # 30 failures from one address, each on another login
        r = requests.post(f"{p.api}/mobile/login", timeout=TIMEOUT, headers=attacker,
                          json={"client_code": p.client_code, "company_code": "BIJOU", "login": f"who{i}",
                                "password": "guess"})
        assert_error(r, 401, "login_failed")
    r = requests.post(f"{p.api}/mobile/login", timeout=TIMEOUT, headers=attacker,
                      json={"client_code": p.client_code, "company_code": "BIJOU", "login": "paul",
                            "password": "paul-pw"})
    assert_error(r, 429, "too_many_attempts")
    assert login(p, "BIJOU", "paul", "paul-pw").status_code == 200  # paul from his own address


def test_publisher_guessing_is_throttled_per_client_code_and_per_address(platform_server):
    p = platform_server
    beta = p.add_client("BETA")
    account = f"{p.api}/account"
    for i in range(10):
        r = requests.get(account, auth=(p.client_code, f"guess-{i}"), timeout=TIMEOUT,
                         headers=from_address(f"198.51.100.{i + 1}"))
        assert_error(r, 401, "unauthorized")
    for auth in ((p.client_code, p.password), (p.client_code.lower(), p.password)):
        r = requests.get(account, auth=auth, timeout=TIMEOUT, headers=from_address("198.51.100.50"))
        assert_error(r, 429, "too_many_attempts")
        assert int(r.headers["Retry-After"]) > 0
    # An upload is refused 429 before its body is read, too.
    r = put_pub(p, publication("BIJOU"))
    assert_error(r, 429, "too_many_attempts")
    # BETA is not locked out.
    assert requests.get(account, auth=("BETA", beta), timeout=TIMEOUT).status_code == 200

    attacker = from_address("203.0.113.8")
    for i in range(30):
        r = requests.get(account, auth=(f"NOBODY{i}", "guess"), timeout=TIMEOUT, headers=attacker)
        assert_error(r, 401, "unauthorized")
    r = requests.get(account, auth=("BETA", beta), timeout=TIMEOUT, headers=attacker)
    assert_error(r, 429, "too_many_attempts")
    assert requests.get(account, auth=("BETA", beta), timeout=TIMEOUT).status_code == 200


# --- 5. headers ----------------------------------------------------------------------------

def test_security_headers_on_every_answer(platform_server):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    token = login(p, "BIJOU", "marie", "marie-pw")
    answers = [requests.get(f"{p.api}/account", auth=p.auth, timeout=TIMEOUT),
               requests.get(f"{p.api}/account", timeout=TIMEOUT),
               token, views(p, token.json()["token"]), views(p, "nope"),
               put_pub(p, publication("BIJOU", views=["sales_revenue"])),
               requests.get(f"{p.api}/nothing", timeout=TIMEOUT)]
    for r in answers:
        assert r.headers.get("Cache-Control") == "no-store", (r.url, r.headers)
        assert r.headers.get("X-Content-Type-Options") == "nosniff", (r.url, r.headers)
        assert "server" not in {k.lower() for k in r.headers}, r.headers
        assert "Strict-Transport-Security" not in r.headers  # plain HTTP (loopback)
    r = requests.get(f"{p.url}/somewhere-else", timeout=TIMEOUT)
    assert r.headers.get("X-Content-Type-Options") == "nosniff"


def test_no_docs_ui_and_the_openapi_document_stays(platform_server):
    p = platform_server
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert requests.get(f"{p.api}{path}", timeout=TIMEOUT).status_code == 404
    r = requests.get(f"{p.api}/openapi.json", timeout=TIMEOUT)
    assert r.status_code == 200 and "/api/v1/mobile/logout" in r.json()["paths"]
    assert b"cdn.jsdelivr.net" not in r.content


def test_hsts_under_tls(tmp_path):
    cert, key = _self_signed(tmp_path)
    p = run_platform(tmp_path / "tls", certfile=cert, keyfile=key)
    try:
        for r in (requests.get(f"{p.url}{API}/account", auth=p.auth, verify=str(cert), timeout=TIMEOUT),
                  requests.get(f"{p.url}{API}/mobile/views", verify=str(cert), timeout=TIMEOUT)):
            assert r.headers["Strict-Transport-Security"] == "max-age=31536000", r.headers
    finally:
        p.stop()


def test_header_middleware_keeps_a_page_content_security_policy():
    csp = (b"content-security-policy", b"default-src 'self'")
    out = secure_headers([(b"content-type", b"text/html"), csp, (b"server", b"uvicorn")], "/", False)
    assert csp in out and (b"x-content-type-options", b"nosniff") in out
    assert all(name != b"server" for name, _ in out)
    assert all(name != b"cache-control" for name, _ in out)  # the web app's pages choose their own


# --- 6. the database file is private ---------------------------------------------------------

def test_platform_db_and_its_wal_files_are_0600(tmp_path):
    folder = tmp_path / "existing"
    folder.mkdir(mode=0o755)
    old = os.umask(0o022)
    try:
        p = run_platform(folder)
    finally:
        os.umask(old)
    try:
        views(p, "any")  # the read path keeps its connection open: the -wal and -shm files stay
        put_pub(p, publication("BIJOU")).raise_for_status()
        files = [folder / n for n in ("platform.db", "platform.db-wal", "platform.db-shm")]
        assert all(f.exists() for f in files)
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, (f, oct(f.stat().st_mode))
    finally:
        p.stop()
    # A database left 0644 by an older version is tightened when opened.
    os.chmod(folder / "platform.db", 0o644)
    p = run_platform(folder, client_code="OTHER")
    p.stop()
    assert stat.S_IMODE((folder / "platform.db").stat().st_mode) == 0o600


# --- 7. database failures say what is wrong -------------------------------------------------

def test_a_deleted_database_is_named_in_the_log(platform_server, caplog):
    p = platform_server
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    token = login(p, "BIJOU", "marie", "marie-pw").json()["token"]
    assert views(p, token).status_code == 200
    for name in ("platform.db", "platform.db-wal", "platform.db-shm"):
        (p.data_dir / name).unlink(missing_ok=True)
    caplog.set_level(logging.WARNING, logger="bizsync.platform")
    for r in (requests.get(f"{p.api}/account", auth=p.auth, timeout=TIMEOUT), views(p, token)):
        err = assert_error(r, 503, "unavailable")
        assert r.headers["Retry-After"] == "2" and "operator" in err["message"]
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "bizsync.platform"]
    assert any("platform.db is missing" in line and "backup" in line for line in lines), lines
    assert not (p.data_dir / "platform.db").exists()  # no empty database made in its place


def test_an_exhausted_postgresql_pool_answers_503(tmp_path, monkeypatch, caplog):
    from tests.pg import shared_server

    pytest.importorskip("psycopg2")
    pg = shared_server()
    monkeypatch.setenv("PGPASSWORD", pg.password)
    name = pg.create_database()
    url = f"postgresql+pool://{pg.superuser}@{pg.host}:{pg.port}/{name}?max_connections=1"
    handle = start_platform(tmp_path / "pool", database_url=url)
    try:
        handle.add_client("ACME", "portal-secret-1")
        # The event loop keeps one connection for its reads of /mobile/views: with a pool of one,
        # every other request finds the pool exhausted.
        assert requests.get(f"{handle.url}{API}/mobile/views", headers={"Authorization": "Bearer x"},
                            timeout=TIMEOUT).status_code == 401
        caplog.set_level(logging.WARNING, logger="bizsync.platform")
        r = requests.get(f"{handle.url}{API}/account", auth=("ACME", "portal-secret-1"), timeout=TIMEOUT)
        err = assert_error(r, 503, "busy")
        assert r.headers["Retry-After"] == "2" and "try again" in err["message"]
        assert any("pool exhausted" in rec.getMessage() for rec in caplog.records)
    finally:
        handle.stop()


# --- 8. --token-hours ------------------------------------------------------------------------

@pytest.mark.parametrize("hours", ["1e8", "1e308", "nan", "inf", "0", "-1", "twelve", "8761"])
def test_token_hours_out_of_range_are_refused_with_a_sentence(tmp_path, monkeypatch, capsys, hours):
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "serve", "--token-hours", hours,
                                                   "--data-dir", str(tmp_path)])
    assert code == 1 and "--token-hours must be" in err and "Traceback" not in err, err
    assert "serving" not in out


def test_token_hours_within_range_give_that_lifetime(tmp_path):
    from datetime import datetime, timezone

    p = run_platform(tmp_path / "ttl", token_ttl=8760 * 3600.0)
    try:
        put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
        r = login(p, "BIJOU", "marie", "marie-pw")
        assert r.status_code == 200, r.text
        expires = datetime.strptime(r.json()["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        days = (expires - datetime.now(timezone.utc)).total_seconds() / 86400
        assert 364.9 < days <= 365.0
    finally:
        p.stop()


# --- client codes ignore case ----------------------------------------------------------------

def test_client_codes_are_one_account_whatever_the_case(platform_server, monkeypatch, capsys):
    p = platform_server  # ACME
    with pytest.raises(ValueError, match="already exists"):
        p.handle.add_client("acme", "another-password-1")
    r = requests.get(f"{p.api}/account", auth=("acme", p.password), timeout=TIMEOUT)
    assert r.status_code == 200 and r.json() == {"client_code": "ACME"}
    put_users(p, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})], auth=("Acme", p.password)).raise_for_status()
    put_pub(p, publication("BIJOU", views=["sales_revenue"])).raise_for_status()
    assert login(p, "BIJOU", "marie", "marie-pw", client="acme").status_code == 200
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "add", "aCmE", "--data-dir",
                                                   str(p.data_dir)], "portal-secret-9\n")
    assert code == 1 and "already exists" in err
    code, out, _ = run_cli(monkeypatch, capsys, ["platform", "client", "list", "--json", "--data-dir",
                                                 str(p.data_dir)])
    assert '"client_code": "ACME"' in out and out.count("client_code") == 1
