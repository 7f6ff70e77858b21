"""The platform over a real PostgreSQL server, with two servers sharing it (as two workers would)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
import requests

from bizsync_tui.platform.server import start_platform
from tests.unit.test_platform_service import API, current, login, publication, put_pub, put_users, user, views

PG_BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None,
                                reason="PostgreSQL 15 server binaries are not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():
    pytest.importorskip("psycopg2")
    base = Path(tempfile.mkdtemp(prefix="bizsync-pg-"))
    os.chmod(base, 0o777)  # initdb runs as the postgres user: it must reach its folder
    data = base / "data"
    port = _free_port()
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(as_pg + [str(PG_BIN / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
                            "--no-sync"], check=True, capture_output=True, timeout=60)
    subprocess.run(as_pg + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                            f"-c fsync=off -c listen_addresses=127.0.0.1 -p {port} -k {base}", "start"],
                   check=True, capture_output=True, timeout=60)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_pg + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


class Running:
    def __init__(self, handle, code, password):
        self.handle, self.client_code, self.password = handle, code, password

    url = property(lambda self: self.handle.url)
    auth = property(lambda self: (self.client_code, self.password))


def test_two_servers_on_one_postgresql(pg_url, tmp_path):
    first = start_platform(tmp_path / "a", database_url=pg_url)
    second = start_platform(tmp_path / "b", database_url=pg_url)
    try:
        first.add_client("PGCLIENT", "pg-portal-pw")
        a, b = Running(first, "PGCLIENT", "pg-portal-pw"), Running(second, "PGCLIENT", "pg-portal-pw")
        assert not (tmp_path / "a" / "platform.db").exists()  # the URL wins over the data folder

        body = publication("BIJOU", views=["sales_revenue", "cash_position"])
        assert put_pub(a, body).json()["status"] == "stored"
        assert put_pub(b, body).json()["status"] == "unchanged"  # a retry landing on the other worker
        put_users(b, [user("marie", "marie-pw", {"BIJOU": ["cash_position"]})]).raise_for_status()
        token = login(a, "BIJOU", "marie", "marie-pw").json()["token"]
        got = views(b, token).json()  # logged in on one worker, read on the other
        assert got["views"] == {"cash_position": body["views"]["cash_position"]}

        # Both workers replace the same company at once: no error, and one whole publication wins.
        bodies = [publication("BIJOU", views=["sales_revenue"], base=100 + i) for i in range(8)]
        codes = []

        def push(server, items):
            for item in items:
                codes.append(put_pub(server, item).status_code)

        threads = [threading.Thread(target=push, args=(a, bodies[:4])),
                   threading.Thread(target=push, args=(b, bodies[4:]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert codes == [200] * 8
        put_users(a, [user("marie", "marie-pw", {"BIJOU": ["sales_revenue"]})]).raise_for_status()
        token = login(b, "BIJOU", "marie", "marie-pw").json()["token"]
        assert current(views(a, token).json()) in [dict(x) for x in bodies]

        assert requests.delete(f"{b.url}{API}/data", auth=b.auth, timeout=10).status_code == 204
        assert views(a, token).status_code == 401
    finally:
        first.stop()
        second.stop()
