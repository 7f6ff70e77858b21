"""Configuration operations on a real settings database."""

import pytest

from bizsync_tui.engine.admin import config
from bizsync_tui.engine.contract import check_verifier
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.models.tables import Company, Grant, MobileUser


def company(code="BIJOU", views=("sales_revenue", "cash_position"), **kw):
    data = dict(short_code=code, name=f"{code} SA", dossier=f"{code}01", accounting_source="sqlite:/tmp/a.db",
                commercial_source="sqlite:/tmp/a.db", views=list(views))
    data.update(kw)
    return config.CompanyData(**data)


def test_company_round_trip(ws):
    saved = config.save_company(ws, company(cash_prefixes="53"))
    assert saved.id is not None
    got = config.get_company(ws, "BIJOU")
    assert got.views == ["sales_revenue", "cash_position"]
    assert got.revenue_prefixes == "70" and got.cash_prefixes == "53"


def test_refused_save_changes_nothing(ws):
    config.save_company(ws, company())
    with pytest.raises(ValidationError) as err:
        config.save_company(ws, company(views=["sales_revenue", "nope"]))
    assert err.value.field == "views"
    with pytest.raises(ValidationError, match="already used by the company"):
        config.save_company(ws, company(name="Other"))
    assert Company.select().count() == 1
    assert config.get_company(ws, "BIJOU").views == ["sales_revenue", "cash_position"]


def test_short_codes_unique_across_companies_and_groups(ws):
    config.save_company(ws, company("A"))
    config.save_company(ws, company("B"))
    config.save_company(ws, config.CompanyData(short_code="GRP", name="Group", is_group=True, members=["A", "B"],
                                               views=["sales_revenue"]))
    with pytest.raises(ValidationError, match="already used by the group"):
        config.save_company(ws, company("GRP"))
    with pytest.raises(ValidationError, match="at least two"):
        config.save_company(ws, config.CompanyData(short_code="G2", name="G", is_group=True, members=["A"]))
    with pytest.raises(ValidationError, match="member of the group GRP"):
        config.remove_company(ws, "A", is_group=False)
    assert config.get_company(ws, "GRP").members == ["A", "B"]


def test_user_stores_only_a_verifier(ws):
    config.save_company(ws, company())
    config.save_user(ws, config.UserData(login="marie", name="Marie", password="correct horse",
                                         grants={"BIJOU": ["cash_position"]}))
    row = MobileUser.get(MobileUser.login == "marie")
    assert "correct horse" not in row.password_verifier
    assert row.password_verifier.startswith("scrypt$16384$8$1$")
    assert check_verifier(row.password_verifier, "correct horse")
    assert not check_verifier(row.password_verifier, "correct horsE")


def test_grant_only_for_a_published_view(ws):
    config.save_company(ws, company())
    with pytest.raises(ValidationError, match="does not publish top_items_year"):
        config.save_user(ws, config.UserData(login="bob", name="Bob", password="bob-secret-1",
                                             grants={"BIJOU": ["top_items_year"]}))
    assert MobileUser.select().count() == 0


def test_unticking_a_view_drops_its_grants(ws):
    config.save_company(ws, company())
    config.save_user(ws, config.UserData(login="bob", name="Bob", password="bob-secret-1",
                                         grants={"BIJOU": "all"}))
    assert Grant.select().count() == 2
    data = config.get_company(ws, "BIJOU")
    data.views = ["sales_revenue"]
    config.save_company(ws, data)
    assert config.get_user(ws, "bob").grants == {"BIJOU": ["sales_revenue"]}


def test_login_unique(ws):
    config.save_user(ws, config.UserData(login="bob", name="Bob", password="bob-secret-1"))
    with pytest.raises(ValidationError, match="already taken"):
        config.save_user(ws, config.UserData(login="bob", name="Other", password="password2"))


def test_users_payload_shape(ws):
    config.save_company(ws, company())
    config.save_user(ws, config.UserData(login="marie", name="Marie", password="marie-secret-1",
                                         grants={"BIJOU": ["cash_position", "sales_revenue"]}))
    body = config.users_payload(ws)
    (user,) = body["users"]
    assert user["grants"] == {"BIJOU": ["sales_revenue", "cash_position"]}
    assert set(user) == {"login", "name", "password_verifier", "grants"}


def test_settings_schedule_checked_together(ws):
    config.set_settings(ws, {"schedule.frequency": "daily", "schedule.times_per_day": "3",
                             "schedule.start": "08:00", "schedule.interval_hours": "4"})
    with pytest.raises(ValidationError, match="after midnight"):
        config.set_settings(ws, {"schedule.start": "20:00"})
    assert ws.settings.get("schedule.start") == "08:00"


def test_manual_proxy_needs_host_and_port(ws):
    with pytest.raises(ValidationError) as err:
        config.set_settings(ws, {"proxy.mode": "manual", "proxy.host": "", "proxy.port": "3128"})
    assert err.value.field == "proxy.host"
    assert ws.settings.get("proxy.mode") == "system"
    # one key at a time is checked on the whole that results, as the Proxy screen checks it
    with pytest.raises(ValidationError) as err:
        config.set_settings(ws, {"proxy.mode": "manual"})
    assert err.value.field == "proxy.host"
    config.set_settings(ws, {"proxy.mode": "manual", "proxy.host": "proxy.local", "proxy.port": "3128"})
    assert ws.settings.get("proxy.port") == "3128"
    # and taking the port away from a manual proxy is refused too
    with pytest.raises(ValidationError) as err:
        config.set_settings(ws, {}, unset=["proxy.port"])
    assert err.value.field == "proxy.port"
    assert ws.settings.get("proxy.port") == "3128"
    config.set_settings(ws, {"proxy.mode": "none"}, unset=["proxy.host", "proxy.port"])
    assert (ws.settings.get("proxy.mode"), ws.settings.get("proxy.host")) == ("none", "")


def test_settings_validated_together_all_or_nothing(ws):
    # 24 runs from the stored 06:00 end after midnight: refused alone...
    with pytest.raises(ValidationError, match="after midnight"):
        config.set_settings(ws, {"schedule.times_per_day": "24"})
    # ...accepted with the start that makes the whole valid, in one call
    config.set_settings(ws, {"schedule.times_per_day": "24", "schedule.start": "0:00"})
    assert (ws.settings.get("schedule.times_per_day"), ws.settings.get("schedule.start")) == ("24", "00:00")
    # one bad value among good ones: none of them is saved
    with pytest.raises(ValidationError) as err:
        config.set_settings(ws, {"ui.language": "fr", "proxy.port": "3128", "schedule.weekday": "someday"})
    assert err.value.field == "schedule.weekday"
    assert (ws.settings.get("ui.language"), ws.settings.get("proxy.port")) == ("", "")


def test_portal_url_with_credentials_refused_without_echo(ws):
    with pytest.raises(ValidationError) as err:
        config.set_settings(ws, {"portal.url": "https://acme:S3cret-pw@platform.example.com"})
    assert "user name or password" in err.value.message and "S3cret-pw" not in err.value.message
    with pytest.raises(ValidationError):
        config.set_settings(ws, {"portal.url": "https://acme@platform.example.com"})
    assert ws.settings.get("portal.url") == ""


def test_unset_clears_a_secret_and_restores_a_default(ws):
    config.set_settings(ws, {"portal.password": "pw-1", "schedule.start": "08:00"})
    assert ws.settings.is_set("portal.password")
    config.set_settings(ws, {}, unset=["portal.password", "schedule.start"])
    assert not ws.settings.is_set("portal.password")
    assert ws.settings.get("schedule.start") == "06:00"
    with pytest.raises(ValidationError, match="is not a setting"):
        config.set_settings(ws, {}, unset=["nope"])


def test_a_settings_database_of_schema_2_with_data_opens_with_the_switch(tmp_path):
    """The "À extraire" switch is the company table's `enabled` column, there since schema 1:
    a schema-2 database written with companies opens, its companies switched on, and the
    switch saves."""
    import sqlite3

    from bizsync_tui.engine.workspace import open_workspace
    from bizsync_tui.models import db as dbmod

    first = open_workspace(tmp_path / "v2")
    config.save_company(first, company("OLD"))
    first.close()
    raw = sqlite3.connect(tmp_path / "v2" / "settings.db")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION >= 2
    assert raw.execute("SELECT short_code, enabled FROM company").fetchall() == [("OLD", 1)]
    raw.close()
    again = open_workspace(tmp_path / "v2")
    data = config.get_company(again, "OLD")
    assert data.enabled is True
    data.enabled = False
    config.save_company(again, data)
    assert config.get_company(again, "OLD").enabled is False
    again.close()


def test_readiness(ws):
    assert [i.done for i in config.readiness(ws)] == [False, False, False, False, False]
    config.set_settings(ws, {"portal.url": "https://p.example.com", "portal.client_code": "ACME",
                             "portal.password": "pw"})
    config.save_company(ws, company())
    items = {i.key: i.done for i in config.readiness(ws)}
    # sqlite sources need no management-database login
    assert items == {"portal": True, "companies": True, "database": True, "users": False, "schedule": False}
