"""The Companies and Groups `d` (issue 11 items 3 and 12): the same engine function as
`bizsync company remove` (engine.publish.records.delete_company), against the REAL platform on
loopback (tests/platform_server.py): a group's member is refused before the question is asked;
with the platform down, nothing is removed and the dialog says so; a deleted group's figures
are gone from the phone.
"""

from __future__ import annotations

import requests

from bizsync_tui.engine.admin.config import CompanyData, UserData, list_companies, save_company, save_user, set_settings
from bizsync_tui.engine.publish import runner
from tests import sage_fixture as fx
from tests.platform_server import platform_server  # noqa: F401  (the fixture)
from tests.snap.app_factory import SMALL, make_app, open_ws, settle

PASSWORD = "Phone-pass-77"


def seed(tmp_path, platform) -> None:
    ws = open_ws(tmp_path / "data")
    set_settings(ws, {"portal.url": platform.url, "portal.client_code": platform.client_code,
                      "portal.password": platform.password, "proxy.mode": "none"})
    sage = fx.sqlite_file(tmp_path / "bijou.db")
    for code in ("BIJOU", "CAFE"):
        save_company(ws, CompanyData(short_code=code, name=f"{code} SA", dossier=code,
                                     accounting_source=f"sqlite:{sage}", commercial_source=f"sqlite:{sage}",
                                     views=["sales_revenue"]))
    save_company(ws, CompanyData(short_code="BOTH", name="Both", is_group=True, members=["BIJOU", "CAFE"],
                                 views=["sales_revenue"]))
    save_user(ws, UserData(login="marie", name="Marie", password=PASSWORD,
                           grants={"BIJOU": ["sales_revenue"], "BOTH": ["sales_revenue"]}))
    assert runner.run(ws, "publish", as_of="2026-11-28").ok


def phone_status(platform, company: str) -> int:
    """The status of the phone's GET /mobile/views for `company` (or of its login when refused)."""
    login = requests.post(platform.api + "/mobile/login", timeout=10, json={
        "client_code": platform.client_code, "company_code": company, "login": "marie", "password": PASSWORD})
    if login.status_code != 200:
        return login.status_code
    return requests.get(platform.api + "/mobile/views", timeout=10,
                        headers={"Authorization": f"Bearer {login.json()['token']}"}).status_code


def dialog_text(app) -> str:
    return str(app.screen.query_one("#dialog-message").content)


async def test_member_refused_before_the_question_and_platform_down_removes_nothing(tmp_path, platform_server):  # noqa: F811
    seed(tmp_path, platform_server)
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")  # BIJOU, a member of BOTH
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ErrorDialog"  # no "Delete?" question first
        assert "member of the group BOTH" in dialog_text(app)
        await pilot.press("escape")
        await settle(pilot)

    app = make_app(tmp_path / "data", start="groups")
    platform_server.stop()
    try:
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await settle(pilot)
            assert app.screen.__class__.__name__ == "ConfirmDialog"
            await pilot.press("y")
            await settle(pilot)
            assert app.screen.__class__.__name__ == "ErrorDialog"
            assert "Nothing was removed" in dialog_text(app) and "could not be deleted" in dialog_text(app)
    finally:
        platform_server.start()
    assert [g.short_code for g in list_companies(open_ws(tmp_path / "data"), groups=True)] == ["BOTH"]
    assert phone_status(platform_server, "BOTH") == 200


async def test_deleting_a_group_deletes_its_figures_on_the_platform(tmp_path, platform_server):  # noqa: F811
    seed(tmp_path, platform_server)
    assert phone_status(platform_server, "BOTH") == 200
    app = make_app(tmp_path / "data", start="groups")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "MainScreen"
        assert app.screen.query_one("#records").row_count == 0
    ws = open_ws(tmp_path / "data")
    assert list_companies(ws, groups=True) == []
    assert [c.short_code for c in list_companies(ws)] == ["BIJOU", "CAFE"]  # the members are kept
    assert phone_status(platform_server, "BOTH") != 200
    assert phone_status(platform_server, "BIJOU") == 200
