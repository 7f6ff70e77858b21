"""Two platform hosts over one PostgreSQL: two `bizsync platform serve` processes on two ports.

All state is in the database, so what one host stores the other serves, a
session opened on one is ended through the other, and failed logins are
counted across both (an attacker cannot double his guesses by alternating).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.pg import pg_server  # noqa: F401  (the session fixture)
from tests.unit.test_platform_service import assert_error, current, publication, user

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, env: dict, data_dir: Path, workers: int = 1):
    port = _free_port()
    cmd = [sys.executable, "-m", "bizsync_tui", "platform", "serve", "--port", str(port), "--database-url", url,
           "--data-dir", str(data_dir)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    api = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(api + "/openapi.json", timeout=2)
            return proc, api
        except requests.ConnectionError:
            if proc.poll() is not None:
                raise AssertionError(proc.communicate())
            assert time.monotonic() < deadline, "the platform did not start within 60 s"
            time.sleep(0.1)


def test_two_hosts_over_one_postgresql(pg_server, tmp_path):  # noqa: F811
    pytest.importorskip("psycopg2")
    name = pg_server.create_database()
    url = f"postgresql://{pg_server.superuser}@{pg_server.host}:{pg_server.port}/{name}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PGPASSWORD": pg_server.password}
    subprocess.run([sys.executable, "-m", "bizsync_tui", "platform", "client", "add", "ACME", "--database-url",
                    url, "--data-dir", str(tmp_path)], input="portal-secret-1\n", text=True, env=env, check=True,
                   capture_output=True, timeout=120)
    first, a = _serve(url, env, tmp_path / "a")
    second, b = _serve(url, env, tmp_path / "b", workers=2)
    auth = ("ACME", "portal-secret-1")
    try:
        # A publication through one host is read through the other, with its previous one.
        one, two = publication("BIJOU", views=["sales_revenue"], base=1), publication("BIJOU", views=["sales_revenue"],
                                                                                      base=2)
        for body in (one, two):
            r = requests.put(f"{a}/companies/BIJOU/publication", json=body, auth=auth, timeout=TIMEOUT)
            assert r.status_code == 200 and r.json()["status"] == "stored", r.text
        r = requests.put(f"{b}/users", auth=auth, timeout=TIMEOUT,
                         json={"users": [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]}),
                                         user("paul", "paul-pw", {"BIJOU": ["sales_revenue"]})]})
        assert r.status_code == 200, r.text
        login = {"client_code": "acme", "company_code": "BIJOU", "login": "marie", "password": "marie-pw"}
        token = requests.post(f"{a}/mobile/login", json=login, timeout=TIMEOUT).json()["token"]
        got = requests.get(f"{b}/mobile/views", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT).json()
        assert current(got) == two
        assert got["previous"] == {"as_of": "2026-11-28", "views": {"sales_revenue": one["views"]["sales_revenue"]}}
        # Logged out through b: dead on a.
        r = requests.post(f"{b}/mobile/logout", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
        assert r.status_code == 204
        assert_error(requests.get(f"{a}/mobile/views", headers={"Authorization": f"Bearer {token}"},
                                  timeout=TIMEOUT), 401, "session_invalid")

        # Failed logins alternate between the hosts: 5 + 5 failures reach the limit of 10 on both.
        wrong = {**login, "password": "guess"}
        for i in range(10):
            host = a if i % 2 == 0 else b
            r = requests.post(f"{host}/mobile/login", json=wrong, timeout=TIMEOUT,
                              headers={"X-Forwarded-For": f"198.51.100.{i + 1}"})
            assert_error(r, 401, "login_failed")
        for host in (a, b):
            r = requests.post(f"{host}/mobile/login", json=login, timeout=TIMEOUT)
            assert_error(r, 429, "too_many_attempts")
        # paul is not locked out, on either host.
        for host in (a, b):
            r = requests.post(f"{host}/mobile/login", timeout=TIMEOUT,
                              json={**login, "login": "paul", "password": "paul-pw"})
            assert r.status_code == 200, r.text
    finally:
        for proc in (first, second):
            proc.terminate()
            out, err = proc.communicate(timeout=30)
            assert "Traceback" not in err, err
