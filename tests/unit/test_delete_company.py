"""engine.publish.records.delete_company, the one deletion of the CLI and the TUI (issue 11 item
3, issue 10 item 3), against the REAL platform on loopback: the refusals come before anything,
the platform data goes first, and a platform that cannot be reached removes nothing."""

from __future__ import annotations

import pytest
import requests

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, UserData, get_company, save_company, save_user, set_settings
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.publish import runner
from bizsync_tui.engine.publish.records import PlatformDataKept, delete_company
from tests import sage_fixture as fx
from tests.platform_server import platform_server  # noqa: F401  (the fixture)

PASSWORD = "Phone-pass-55"


def seed(ws, tmp_path, platform) -> None:
    set_settings(ws, {"portal.url": platform.url, "portal.client_code": platform.client_code,
                      "portal.password": platform.password, "proxy.mode": "none"})
    sage = fx.sqlite_file(tmp_path / "sage.db")
    for code in ("BIJOU", "CAFE", "SOLO"):
        save_company(ws, CompanyData(short_code=code, name=code, dossier=code, accounting_source=f"sqlite:{sage}",
                                     commercial_source=f"sqlite:{sage}", views=["sales_revenue", "cash_position"]))
    save_company(ws, CompanyData(short_code="BOTH", name="Both", is_group=True, members=["BIJOU", "CAFE"],
                                 views=["sales_revenue"]))
    save_user(ws, UserData(login="marie", name="Marie", password=PASSWORD,
                           grants={"SOLO": ["cash_position"], "BIJOU": ["sales_revenue"]}))
    assert runner.run(ws, "publish", as_of="2026-11-28").ok


def views_of(platform, company: str) -> requests.Response:
    login = requests.post(platform.api + "/mobile/login", timeout=10, json={
        "client_code": platform.client_code, "company_code": company, "login": "marie", "password": PASSWORD})
    assert login.status_code == 200, login.text
    return requests.get(platform.api + "/mobile/views", timeout=10,
                        headers={"Authorization": f"Bearer {login.json()['token']}"})


def test_platform_data_first_then_the_record(ws, tmp_path, platform_server):  # noqa: F811
    seed(ws, tmp_path, platform_server)
    assert views_of(platform_server, "SOLO").json()["views"]["cash_position"]["total"] is not None
    done = delete_company(ws, "SOLO", is_group=False, trigger="cli")
    assert done.platform_deleted and "Deleted the published data of SOLO" in done.message
    assert get_company(ws, "SOLO") is None
    gone = views_of(platform_server, "SOLO")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "no_publication"
    last = journal.last_for(company="SOLO")
    assert (last.operation, last.success, last.trigger) == ("delete", True, "cli")
    assert views_of(platform_server, "BIJOU").status_code == 200  # the others untouched


def test_refusals_before_anything(ws, tmp_path, platform_server):  # noqa: F811
    seed(ws, tmp_path, platform_server)
    rows = journal.count()
    with pytest.raises(ValidationError, match="member of the group BOTH"):
        delete_company(ws, "BIJOU", is_group=False)
    with pytest.raises(ValidationError, match="no group SOLO"):
        delete_company(ws, "SOLO", is_group=True)
    with pytest.raises(ValidationError, match="no company NOPE"):
        delete_company(ws, "NOPE", is_group=False)
    assert journal.count() == rows  # no platform call was even journaled
    assert views_of(platform_server, "BIJOU").status_code == 200


def test_unreachable_platform_removes_nothing_unless_told(ws, tmp_path, platform_server):  # noqa: F811
    seed(ws, tmp_path, platform_server)
    platform_server.stop()
    try:
        with pytest.raises(PlatformDataKept) as err:
            delete_company(ws, "BOTH", is_group=True)
        assert err.value.message.startswith("Nothing was removed: the published data of BOTH could not be deleted")
        assert "'bizsync group remove BOTH --keep-platform-data'" in err.value.message
        assert platform_server.password not in err.value.message
        assert get_company(ws, "BOTH") is not None
        last = journal.last_for(company="BOTH")
        assert (last.operation, last.success) == ("delete", False)
        done = delete_company(ws, "BOTH", is_group=True, keep_platform_data=True)
        assert not done.platform_deleted and "left on the platform" in done.message
        assert get_company(ws, "BOTH") is None
    finally:
        platform_server.start()
    assert views_of(platform_server, "BIJOU").status_code == 200


def test_never_published_without_a_platform_is_removed_here(ws):
    save_company(ws, CompanyData(short_code="OOPS", name="Oops", dossier="O1", accounting_source="sqlite:/a",
                                 commercial_source="sqlite:/a", views=["sales_revenue"]))
    done = delete_company(ws, "OOPS", is_group=False)
    assert not done.platform_deleted and "never published from here" in done.message
    assert get_company(ws, "OOPS") is None and journal.count() == 0
