"""Issue 11 item 5: the platform is never ahead of the journal.

A second, real process holds the settings database's write lock (sqlite3, BEGIN
IMMEDIATE) while `run` publishes to the REAL platform on loopback
(tests/platform_server.py). Sage data: tests/sage_fixture.py's company B, whose
sales as of 2026-11-28 are invoices B1 1000.00 + B2 300.00 = 1300.00 (month and year).
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user, set_settings
from bizsync_tui.engine.publish.http import make_retry
from bizsync_tui.engine.publish.runner import run
from tests.platform_server import platform_server  # noqa: F401  (fixture)
from tests.sage_fixture import AS_OF, sqlite_file, write_company_b

FAST = {"retry": make_retry(total=2, backoff=0.05), "timeout": (3, 10)}
HOLDER = r"""
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")  # the write lock, as a save or a publication in another process holds it
print("locked", flush=True)
if float(sys.argv[2]) > 0:
    time.sleep(float(sys.argv[2]))  # the lock's duration is the scenario itself
else:
    sys.stdin.readline()
db.execute("ROLLBACK")
print("released", flush=True)
"""


def hold_lock(ws, seconds: float = 0) -> subprocess.Popen:
    """A process that holds the write lock for `seconds` (0: until its stdin closes)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(ws.data_dir / "settings.db"), str(seconds)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def phone(platform, password="marie-pw-1"):
    """The publication marie's phone reads for NORD: (publication_id, as_of, sales month) or None."""
    api = platform.url + "/api/v1"
    r = requests.post(api + "/mobile/login", json={"client_code": platform.client_code, "company_code": "NORD",
                                                   "login": "marie", "password": password}, timeout=10)
    if r.status_code != 200:
        return None
    v = requests.get(api + "/mobile/views", headers={"Authorization": "Bearer " + r.json()["token"]}, timeout=10)
    body = v.json()
    return body["publication_id"], body["as_of"], body["views"]["sales_revenue"]["month"]["amount"]


@pytest.fixture
def configured(ws, tmp_path, platform_server):  # noqa: F811
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Bijou Nord")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none",
                      "database.user": "sage", "database.password": "db-secret-pw"})
    save_company(ws, CompanyData(short_code="NORD", name="Bijou Nord", dossier="NORD01",
                                 accounting_source=f"sqlite:{nord}", commercial_source=f"sqlite:{nord}",
                                 views=["sales_revenue"]))
    save_user(ws, UserData(login="marie", name="Marie", password="marie-pw-1", grants={"NORD": ["sales_revenue"]}))
    return ws, platform_server


def test_a_database_busy_beyond_the_timeout_stops_before_anything_is_sent(configured):
    ws, platform = configured
    assert run(ws, "publish", as_of=AS_OF, http_options=FAST).ok
    first = phone(platform)
    assert first[1:] == ("2026-11-28", "1300.00")
    rows = [e.as_json() for e in journal.page()]
    holder = hold_lock(ws)
    try:
        ws.db.execute_sql("PRAGMA busy_timeout = 300")  # this connection gives up after 0.3 s, not 60 s
        report = run(ws, "publish", as_of="2026-11-27", http_options=FAST)  # no exception
    finally:
        ws.db.execute_sql("PRAGMA busy_timeout = 60000")
        holder.stdin.close()
        assert holder.stdout.readline().strip() == "released"
        holder.wait(10)
    assert not report.ok
    assert [(r.operation, r.company, r.success, r.entry_id) for r in report.results] == [
        ("publish", "NORD", False, None), ("users", "", False, None)]
    assert report.results[0].message.startswith("Not started: The journal cannot be written: the settings database")
    assert "kept busy by another program" in report.results[0].message
    assert report.results[1].message.startswith("Not sent: The journal cannot be written")
    assert phone(platform) == first  # the platform still has the publication the journal records
    assert [e.as_json() for e in journal.page()] == rows


def test_a_database_busy_longer_than_ten_seconds_is_waited_for(configured):
    ws, platform = configured
    holder = hold_lock(ws, seconds=12)  # longer than the 10 s bizsync used to wait
    start = time.monotonic()
    try:
        report = run(ws, "publish", as_of=AS_OF, http_options=FAST)
        waited = time.monotonic() - start
    finally:
        assert holder.stdout.readline().strip() == "released"
        holder.wait(10)
    assert report.ok, [r.message for r in report.results]
    assert waited > 10
    assert [(e.operation, e.company, e.success) for e in journal.page()] == [("users", "", True),
                                                                            ("publish", "NORD", True)]
    assert phone(platform)[1:] == ("2026-11-28", "1300.00")

