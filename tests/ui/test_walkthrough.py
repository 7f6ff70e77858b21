"""Issue 3's "Done when", as a Pilot test: in an 80x24 terminal, keyboard only (no
click, no widget poked from the test), a new admin goes from an empty data dir to a
successful first publication on the REAL reference platform (tests/platform_server.py,
uvicorn on loopback), then a phone (the platform's mobile API, through requests) sees
exactly the views that were both published for the company and granted to the user.

The Sage source is a real SQLite file of the Sage schema (tests/sage_fixture.py).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from tests import sage_fixture as fx
from tests.platform_server import platform_server  # noqa: F401  (the fixture)
from tests.snap.app_factory import SMALL, make_app, settle, type_text

MOBILE_PASSWORD = "Phone-pass-42"


def focused_id(app) -> str:
    widget = app.focused
    return f"{type(widget).__name__}#{widget.id}" if widget is not None else "nothing"


async def tab_to(pilot, wanted: str, *, back: bool = False, limit: int = 25) -> None:
    """Press Tab (or Shift+Tab) until the widget `wanted` (an id, or a class name after '.')
    has the focus: proves it is reachable by the keyboard. Fails after `limit` presses."""
    seen = []
    for _i in range(limit):
        widget = pilot.app.focused
        if widget is not None and (widget.id == wanted or type(widget).__name__ == wanted.lstrip(".")):
            return
        seen.append(focused_id(pilot.app))
        await pilot.press("shift+tab" if back else "tab")  # waits until the app is idle
    raise AssertionError(f"{wanted} cannot be reached with {'Shift+' if back else ''}Tab; the focus went {seen}")


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


@pytest.fixture
def short_dir():
    """A short folder for the Sage file: its path is typed key by key (~50 ms a key)."""
    path = Path(tempfile.mkdtemp(prefix="bz", dir="/tmp"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


async def test_new_admin_reaches_a_first_publication_by_keyboard(tmp_path, short_dir, platform_server):  # noqa: F811
    platform = platform_server
    sage = fx.sqlite_file(short_dir / "a.db")  # company A of the Sage fixture
    app = make_app(tmp_path / "data")  # an empty data dir
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        main = app.get_screen_main()
        # -- a first-time admin lands on the wizard, nothing ticked ----------------------
        assert main.section == "wizard"
        assert shown(app, "#check-label-portal") == "[ ] Portal credentials"

        # -- Connection (F2): portal URL, client code, password; Save and test ------------
        await pilot.press("f2")
        await settle(pilot)
        assert main.section == "connection"
        assert app.focused is app.screen.query_one("#portal-url Input"), focused_id(app)
        await type_text(pilot, platform.url)
        await pilot.press("tab")
        await type_text(pilot, platform.client_code)
        await pilot.press("tab")
        await type_text(pilot, platform.password)
        await tab_to(pilot, "portal-test")
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        message = app.screen.query_one("#portal-message")
        assert message.has_class("-success"), shown(app, "#portal-message")
        assert shown(app, "#portal-message") not in ("", "Testing...")
        assert platform.password not in shown(app, "#portal-message")

        # -- Management files tab: reached by Shift+Tab to the tabs, then Right ----------
        await tab_to(pilot, ".ContentTabs", back=True)
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.query_one("#connection-tabs").active == "tab-database"
        # a SQLite source needs no management login: nothing is typed here (readiness
        # counts the database item done once every company reads SQLite files)

        # -- Companies (F5): n, the Identification tab, then the Views tab ---------------
        await pilot.press("f5")
        await settle(pilot)
        assert main.section == "companies"
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompanyFormScreen"
        assert focused_id(app) == "Input#dossier"
        await type_text(pilot, "BIJOU01")
        await pilot.press("tab")
        await type_text(pilot, "Bijou SA")
        await pilot.press("tab")
        await type_text(pilot, "BIJOU")
        await tab_to(pilot, "accounting-source")
        await type_text(pilot, f"sqlite:{sage}")
        await tab_to(pilot, "commercial-source")
        await type_text(pilot, f"sqlite:{sage}")
        await tab_to(pilot, ".ContentTabs", back=True)
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.query_one("#tabs").active == "tab-views"
        await tab_to(pilot, "views-accounting")
        # catalogue order of the accounting views: accounting_revenue, top_customer_outstanding,
        # top_supplier_outstanding, cash_position: tick the 1st and the 4th
        await pilot.press("space", "down", "down", "down", "space")
        await tab_to(pilot, "views-commercial")
        await pilot.press("space")  # the 1st commercial view: sales_revenue
        await pilot.press("f2")  # save (Ctrl+S may be eaten by XON/XOFF on some terminals)
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen", focused_id(app)
        from bizsync_tui.engine.admin.config import list_companies, list_users

        [company] = list_companies(app.workspace)
        assert (company.short_code, company.dossier, company.name) == ("BIJOU", "BIJOU01", "Bijou SA")
        assert company.accounting_source == company.commercial_source == f"sqlite:{sage}"
        assert company.views == ["sales_revenue", "accounting_revenue", "cash_position"]

        # -- Users (F7): name, login, password twice; Views: BIJOU, two of its views -----
        await pilot.press("f7")
        await settle(pilot)
        assert main.section == "users"
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "UserFormScreen"
        assert focused_id(app) == "Input#name"
        await type_text(pilot, "Marie Curie")
        await pilot.press("tab")
        await type_text(pilot, "marie")
        await tab_to(pilot, "password")
        await type_text(pilot, MOBILE_PASSWORD)
        await tab_to(pilot, "password-confirm")
        await type_text(pilot, MOBILE_PASSWORD)
        await tab_to(pilot, ".ContentTabs", back=True)
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.query_one("#tabs").active == "tab-views"
        await tab_to(pilot, "grant-companies")
        await pilot.press("enter")  # BIJOU (the only company)
        await tab_to(pilot, "grant-views")
        # BIJOU publishes, in catalogue order: sales_revenue, accounting_revenue, cash_position;
        # grant the 1st and the 3rd
        await pilot.press("space", "down", "down", "space")
        await pilot.press("f2")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen", focused_id(app)
        [user] = list_users(app.workspace)
        assert (user.login, user.name) == ("marie", "Marie Curie")
        assert user.grants == {"BIJOU": ["sales_revenue", "cash_position"]}

        # -- the wizard (F9): step 1 all done, 2 publish, 3 all companies, Finish -------
        await pilot.press("f9")
        await settle(pilot)
        assert main.section == "wizard"
        pane = app.screen.query_one("#wizard-pane")
        assert [shown(app, f"#check-label-{k}")[:3] for k in ("portal", "companies", "database", "users")] \
            == ["[x]"] * 4
        await pilot.press("n")
        await settle(pilot)
        assert pane.state.step == 2 and pane.state.action == "publish"
        await pilot.press("n")
        await settle(pilot)
        assert pane.state.step == 3 and pane.state.target is None  # all companies and groups
        await pilot.press("f")
        await settle(pilot)
        await settle(pilot)
        assert pane.state.finished and not pane.state.running
        assert pane.report is not None and pane.report.ok, shown(app, "#wizard-report-text")
        assert shown(app, "#wizard-running").startswith("Done: ")
        assert "\u2717" not in shown(app, "#wizard-report-text")

        # -- the journal: the focus is on "Open the journal"; Enter ------------------------
        assert focused_id(app) == "Button#wizard-journal"
        await pilot.press("enter")
        await settle(pilot)
        assert main.section == "journal"
        table = app.screen.query_one("#journal-table")
        rows = [table.get_row_at(r) for r in range(table.row_count)]
        bijou = [row for row in rows if row[2] == "BIJOU"]
        assert bijou and all(row[0] == "" for row in bijou), rows  # success rows, no cross
        assert "OK" in shown(app, "#status")

    # -- the phone: marie sees exactly the views ticked for BIJOU AND granted to her ----
    login = requests.post(platform.api + "/mobile/login", timeout=10, json={
        "client_code": platform.client_code, "company_code": "BIJOU", "login": "marie",
        "password": MOBILE_PASSWORD})
    assert login.status_code == 200, login.text
    views = requests.get(platform.api + "/mobile/views", timeout=10,
                         headers={"Authorization": f"Bearer {login.json()['token']}"})
    assert views.status_code == 200, views.text
    body = views.json()
    assert body["company"]["short_code"] == "BIJOU"
    # ticked on the company: sales_revenue, accounting_revenue, cash_position;
    # granted to marie: sales_revenue, cash_position -> accounting_revenue is not served
    assert sorted(body["views"]) == ["cash_position", "sales_revenue"]
