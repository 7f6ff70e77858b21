"""`bizsync demo`: demo Sage files, a ready configuration, the real platform on loopback, one publication."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys

import pytest
import requests

from bizsync_tui.demo import build as demo
from bizsync_tui.engine.admin.config import CompanyData, save_company
from bizsync_tui.engine.publish.runner import run


def _bizsync(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("BIZSYNC_HOME", "BIZSYNC_KEY")}
    return subprocess.run([sys.executable, "-m", "bizsync_tui", *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def test_demo_no_tui_publishes_and_journals(tmp_path):
    folder = tmp_path / "demo"
    first = _bizsync("demo", "--no-tui", "--data-dir", str(folder), "--lines", "400")
    assert first.returncode == 0, first.stdout + first.stderr
    url = re.search(r"Platform running at (http://127\.0\.0\.1:\d+)", first.stdout).group(1)

    journal = _bizsync("journal", "--data-dir", str(folder), "--json")
    entries = json.loads(journal.stdout)
    done = {(e["operation"], e["company"]) for e in entries if e["success"]}
    assert {("publish", "BIJOU"), ("publish", "BIJNORD"), ("publish", "BIJGRP"), ("users", "")} <= done
    assert all(e["trigger"] == "demo" for e in entries)

    creds = folder / demo.CREDENTIALS_FILE
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    passwords = dict(re.findall(r"^  (\w+): (\S+)$", creds.read_text(), re.M))
    assert sorted(passwords) == ["marie", "paul", "zoe"]
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(folder)
    try:
        portal_password = ws.settings.get_secret("portal.password")
        assert ws.settings.get("portal.url") == url
        assert ws.settings.get("schedule.frequency") == "daily" and ws.settings.get("schedule.holidays") == "FR"
    finally:
        ws.close()
    for secret in [portal_password, *passwords.values()]:
        assert secret not in first.stdout + first.stderr + journal.stdout

    # a second run: same users' passwords, the platform's new address saved
    second = _bizsync("demo", "--no-tui", "--data-dir", str(folder), "--lines", "400")
    assert second.returncode == 0, second.stdout + second.stderr
    url2 = re.search(r"Platform running at (http://127\.0\.0\.1:\d+)", second.stdout).group(1)
    assert dict(re.findall(r"^  (\w+): (\S+)$", creds.read_text(), re.M)) == passwords
    ws = open_workspace(folder)
    try:
        assert ws.settings.get("portal.url") == url2
    finally:
        ws.close()


def test_demo_users_see_their_grants_on_the_demo_platform(ws):
    from bizsync_tui.platform.server import start_platform

    setup = demo.prepare_demo(ws, lines=300)
    handle = start_platform(demo.platform_folder(ws))
    try:
        handle.add_client(setup.client_code, ws.settings.get_secret("portal.password"), replace=True)
        demo.set_platform_url(ws, handle.url)
        assert run(ws, "publish", trigger="demo").ok
        passwords = dict(re.findall(r"^  (\w+): (\S+)$", setup.credentials_file.read_text(), re.M))
        grants = {login: g for login, _, g in demo.DEMO_USERS}
        for login in ("paul", "zoe"):
            for company, views in grants[login].items():
                r = requests.post(handle.url + "/api/v1/mobile/login", timeout=10, json={
                    "client_code": "DEMO", "company_code": company, "login": login, "password": passwords[login]})
                assert r.status_code == 200
                seen = requests.get(handle.url + "/api/v1/mobile/views", timeout=10,
                                    headers={"Authorization": "Bearer " + r.json()["token"]}).json()
                assert sorted(seen["views"]) == sorted(views)
        r = requests.post(handle.url + "/api/v1/mobile/login", timeout=10, json={
            "client_code": "DEMO", "company_code": "BIJOU", "login": "paul", "password": passwords["paul"]})
        assert r.status_code == 401  # paul has no grant on BIJOU
    finally:
        handle.stop()


def test_demo_refuses_a_folder_with_another_configuration(ws, tmp_path):
    db = tmp_path / "x.db"
    db.write_bytes(b"")
    save_company(ws, CompanyData(short_code="REAL", name="Real company", dossier="REAL01",
                                 accounting_source=f"sqlite:{db}", commercial_source=f"sqlite:{db}"))
    with pytest.raises(demo.DemoRefused) as info:
        demo.prepare_demo(ws)
    assert "--data-dir" in str(info.value)
