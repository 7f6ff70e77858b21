"""The demo's set-up: Sage demo databases and a ready configuration in a data folder.

`prepare_demo(ws)` (re)builds the two demo Sage companies as of today
(engine.demo_data), and writes a configuration that publishes them: portal
client code and password, two companies with every view, a group of the two,
three mobile users with different grants, a schedule (daily, 3 runs from 08:00
every 4 h, French public holidays), no proxy. It never touches a folder that
holds another configuration. The platform itself is started by the command
(cli/demo_cmd.py) on a free loopback port; its address changes with each start,
so `set_platform_url(ws, url)` is called every time.

The demo users' passwords are demo data: they are kept in `demo-credentials.txt`
(mode 0600) in the data folder, so they stay the same from one run to the next
and the admin can try a mobile login. Only verifiers go to the settings database.
"""

from __future__ import annotations

import datetime as _dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from bizsync_tui.engine.admin.config import (CompanyData, UserData, get_company, get_user, save_company, save_user,
                                       set_settings)
from bizsync_tui.engine.workspace import Workspace

DEMO_CLIENT_CODE = "DEMO"
DEMO_MARK = "state.demo"  # set in a folder the demo configured
SAGE_FOLDER = "demo-sage"
PLATFORM_FOLDER = "demo-platform"
CREDENTIALS_FILE = "demo-credentials.txt"
GROUP = ("BIJGRP", "Groupe Bijou")

# login, name, grants (short code -> "all" or view ids)
DEMO_USERS = (
    ("marie", "Marie Lefèvre", {"BIJOU": "all", "BIJGRP": ["sales_revenue", "accounting_revenue", "cash_position"]}),
    ("paul", "Paul Martin", {"BIJNORD": ["sales_revenue", "top_customers_month", "order_book_month"]}),
    ("zoe", "Zoé Durand", {"BIJOU": ["sales_revenue", "top_items_month"], "BIJNORD": ["sales_revenue"]}),
)


class DemoRefused(Exception):
    """The folder holds a configuration that is not the demo's; str() says what to do."""


@dataclass
class DemoSetup:
    data_dir: Path
    client_code: str
    companies: list[tuple[str, str]]  # (short code, name), the group last
    users: list[str]
    credentials_file: Path
    as_of: _dt.date
    extra: dict = field(default_factory=dict)


def is_demo_folder(ws: Workspace) -> bool:
    return ws.settings.get(DEMO_MARK) == "1"


def _has_other_configuration(ws: Workspace) -> bool:
    from bizsync_tui.models.tables import Company, MobileUser

    if is_demo_folder(ws):
        return False
    return ws.settings.is_set("portal.url") or Company.select().exists() or MobileUser.select().exists()


def _read_credentials(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("  ") and ":" in line:
                login, _, password = line.strip().partition(": ")
                if login and password:
                    found[login] = password
    return found


def _write_credentials(path: Path, client_code: str, passwords: dict[str, str], companies: list[str]) -> None:
    text = ["bizsync demo: mobile users (demo data only; delete this file when done).",
            f"On the phone: client code {client_code}, the company short code ({', '.join(companies)}),",
            "the login and the password below.", "", "users:"]
    text += [f"  {login}: {password}" for login, password in passwords.items()]
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(text) + "\n")
    os.chmod(path, 0o600)


def prepare_demo(ws: Workspace, *, as_of: _dt.date | None = None, lines: int = 2000) -> DemoSetup:
    """Build the demo Sage files and configuration in `ws` (again on each run: data as of today)."""
    from bizsync_tui.demo.data import build_demo_companies

    if _has_other_configuration(ws):
        raise DemoRefused(f"{ws.data_dir} already holds a bizsync configuration that is not the demo's; "
                          f"run the demo in another folder with --data-dir, such as --data-dir ~/bizsync-demo.")
    as_of = as_of or _dt.date.today()
    sage = ws.data_dir / SAGE_FOLDER
    sage.mkdir(parents=True, exist_ok=True, mode=0o700)
    built = build_demo_companies(sage, lines=lines, as_of=as_of)

    ws.settings.set(DEMO_MARK, "1")
    if not ws.settings.get_secret("portal.password"):
        portal_password = secrets.token_urlsafe(18)
    else:
        portal_password = ws.settings.get_secret("portal.password")
    set_settings(ws, {
        "portal.client_code": DEMO_CLIENT_CODE, "portal.password": portal_password,
        "proxy.mode": "none", "database.user": "", "database.password": "",
        "schedule.frequency": "daily", "schedule.times_per_day": "3", "schedule.start": "08:00",
        "schedule.interval_hours": "4", "schedule.holidays": "FR",
    })

    from bizsync_tui.engine import catalogue

    companies: list[tuple[str, str]] = []
    for info in built:
        code = info["short_code"]
        existing = get_company(ws, code)
        save_company(ws, CompanyData(
            id=existing.id if existing else None, short_code=code, name=info["name"], dossier=info["dossier"],
            accounting_source=f"sqlite:{info['path']}", commercial_source=f"sqlite:{info['path']}",
            views=list(catalogue.VIEW_IDS), revenue_prefixes="70", enabled=True))
        companies.append((code, info["name"]))
    group = get_company(ws, GROUP[0])
    save_company(ws, CompanyData(id=group.id if group else None, short_code=GROUP[0], name=GROUP[1], is_group=True,
                                 members=[c for c, _ in companies], views=list(catalogue.VIEW_IDS)))
    companies.append(GROUP)

    cred_file = ws.data_dir / CREDENTIALS_FILE
    known = _read_credentials(cred_file)
    passwords: dict[str, str] = {}
    for login, name, grants in DEMO_USERS:
        existing = get_user(ws, login)
        password = known.get(login) if existing else None
        if not password:
            password = secrets.token_urlsafe(9)
        save_user(ws, UserData(id=existing.id if existing else None, login=login, name=name,
                               password=password if (not existing or login not in known) else None,
                               grants=grants))
        passwords[login] = password
    _write_credentials(cred_file, DEMO_CLIENT_CODE, passwords, [c for c, _ in companies])
    return DemoSetup(ws.data_dir, DEMO_CLIENT_CODE, companies, [u[0] for u in DEMO_USERS], cred_file, as_of)


def set_platform_url(ws: Workspace, url: str) -> None:
    """The demo platform's address of this run (its port changes from one start to the next)."""
    set_settings(ws, {"portal.url": url})


def platform_folder(ws: Workspace) -> Path:
    return ws.data_dir / PLATFORM_FOLDER
