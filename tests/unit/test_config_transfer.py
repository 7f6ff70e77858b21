"""The configuration as a file (engine.admin.transfer) on real settings databases."""

from __future__ import annotations

import tomllib

import pytest

from bizsync_tui.engine.admin import config, transfer
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.contract import check_verifier
from bizsync_tui.engine.workspace import open_workspace
from bizsync_tui.models.tables import Company, MobileUser

SECRETS = {"portal.password": "Portal-secret-1", "database.password": "Db-secret-22", "proxy.password": "Px-333"}


def populate(ws):
    config.set_settings(ws, {"portal.url": "https://platform.example.com", "portal.client_code": "ACME",
                             "database.user": "sage", "proxy.mode": "manual", "proxy.host": "proxy.lan",
                             "proxy.port": "3128", "schedule.frequency": "workdays", "schedule.start": "07:30",
                             "schedule.holidays": "FR", **SECRETS})
    config.save_company(ws, config.CompanyData(
        short_code="BIJOU", name="Bijou SA", dossier="BIJOU01", accounting_source="mssql://srv/BIJOU?instance=SAGE",
        commercial_source="mssql://srv/BIJOUGC", views=["sales_revenue", "cash_position"], cash_prefixes="53,54"))
    config.save_company(ws, config.CompanyData(
        short_code="AARDV", name="Aardvark", dossier="AA1", accounting_source="odbc:DSN=AA",
        commercial_source="odbc:DSN=AAGC", views=["sales_revenue", "top_items_month"], enabled=False))
    config.save_company(ws, config.CompanyData(short_code="GRP", name="Groupe", is_group=True,
                                               members=["BIJOU", "AARDV"], views=["sales_revenue"]))
    config.save_user(ws, config.UserData(login="marie", name="Marie Curie", password="marie-pass-1",
                                         grants={"BIJOU": "all", "GRP": ["sales_revenue"]}))
    config.save_user(ws, config.UserData(login="paul.d@acme", name="Paul", password="paul-pass-22",
                                         grants={"AARDV": ["top_items_month"]}))


@pytest.fixture
def other(tmp_path):
    """Opens another data dir *when called*: the models are bound to one database at a time,
    so the first workspace must not be used after it."""
    opened = []

    def open_other():
        opened.append(open_workspace(tmp_path / f"other{len(opened)}"))
        return opened[-1]

    yield open_other
    for w in opened:
        w.close()


def test_export_holds_the_configuration_and_never_a_secret(ws):
    populate(ws)
    text = transfer.export_toml(ws)
    for secret in SECRETS.values():
        assert secret not in text
    assert "scrypt$" not in text
    assert [line for line in text.splitlines() if "password" in line and not line.startswith("#")] == []
    data = tomllib.loads(text)
    assert list(data) == ["settings", "companies", "groups", "users"]
    assert data["settings"]["portal"] == {"url": "https://platform.example.com", "client_code": "ACME"}
    assert data["settings"]["proxy"] == {"mode": "manual", "host": "proxy.lan", "port": "3128", "user": ""}
    assert data["settings"]["schedule"]["start"] == "07:30" and data["settings"]["schedule"]["holidays"] == "FR"
    assert list(data["companies"]) == ["AARDV", "BIJOU"]  # by short code, whatever the order of creation
    assert data["companies"]["BIJOU"] == {
        "dossier": "BIJOU01", "name": "Bijou SA", "accounting": "mssql://srv/BIJOU?instance=SAGE",
        "commercial": "mssql://srv/BIJOUGC", "views": ["sales_revenue", "cash_position"],
        "revenue_prefixes": "70", "cash_prefixes": "53,54", "enabled": True}
    assert data["companies"]["AARDV"]["enabled"] is False
    assert data["groups"] == {"GRP": {"name": "Groupe", "members": ["AARDV", "BIJOU"], "views": ["sales_revenue"],
                                      "enabled": True}}
    # grants as explicit lists (marie was granted BIJOU "all"); paul's login needs quoting and round-trips
    assert data["users"]["marie"] == {"name": "Marie Curie", "grants": {"BIJOU": ["sales_revenue", "cash_position"],
                                                                        "GRP": ["sales_revenue"]}}
    assert data["users"]["paul.d@acme"] == {"name": "Paul", "grants": {"AARDV": ["top_items_month"]}}
    assert transfer.export_toml(ws) == text  # stable


def test_import_twice_changes_nothing_and_rebuilds_the_same_configuration(ws, other):
    populate(ws)
    text = transfer.export_toml(ws)
    assert transfer.import_toml(ws, text).changes == []
    passwords = {"marie": "marie-pass-1", "paul.d@acme": "a-new-pass-9"}
    other = other()
    first = transfer.import_toml(other, text, passwords=passwords)
    assert "company BIJOU: added" in first.changes and "group GRP: added" in first.changes
    assert "user paul.d@acme: added" in first.changes
    assert 'setting schedule.start: "06:00" -> "07:30"' in first.changes
    assert transfer.export_toml(other) == text
    assert transfer.import_toml(other, text, passwords=passwords).changes == []
    assert check_verifier(MobileUser.get(MobileUser.login == "paul.d@acme").password_verifier, "a-new-pass-9")
    # the secrets stay where they were: not set on the other side
    assert not other.settings.is_set("portal.password")


def test_changes_are_listed_and_a_dry_run_saves_nothing(ws):
    populate(ws)
    data = transfer.export_data(ws)
    data["companies"]["BIJOU"]["name"] = "Bijou et Cie"
    data["companies"]["BIJOU"]["views"] = ["sales_revenue"]
    data["settings"]["schedule"]["start"] = "08:00"
    data["users"]["marie"]["grants"] = {"BIJOU": "all"}
    dry = transfer.import_data(ws, data, dry_run=True)
    assert dry.changes == [
        'setting schedule.start: "07:30" -> "08:00"',
        'company BIJOU: name "Bijou SA" -> "Bijou et Cie"',
        "company BIJOU: views sales_revenue,cash_position -> sales_revenue",
        "user marie: grants BIJOU:sales_revenue,cash_position; GRP:sales_revenue -> BIJOU:sales_revenue",
    ]
    assert config.get_company(ws, "BIJOU").name == "Bijou SA"
    assert ws.settings.get("schedule.start") == "07:30"
    assert config.get_user(ws, "marie").grants == {"BIJOU": ["sales_revenue", "cash_position"],
                                                   "GRP": ["sales_revenue"]}
    done = transfer.import_data(ws, data)
    assert done.changes == dry.changes
    assert config.get_company(ws, "BIJOU").views == ["sales_revenue"]
    assert config.get_user(ws, "marie").grants == {"BIJOU": ["sales_revenue"]}


def test_a_refused_record_changes_nothing_and_is_named(ws):
    populate(ws)
    data = transfer.export_data(ws)
    data["settings"]["ui"]["language"] = "fr"
    data["companies"]["NEW"] = {"dossier": "N1", "name": "New", "accounting": "sqlite:/tmp/n.db",
                                "commercial": "sqlite:/tmp/n.db"}
    data["companies"]["BIJOU"]["views"] = ["sales_revenue", "no_such_view"]
    with pytest.raises(ValidationError) as err:
        transfer.import_data(ws, data)
    assert err.value.message.startswith("company BIJOU: ") and "no_such_view" in err.value.message
    assert Company.get_or_none(Company.short_code == "NEW") is None
    assert ws.settings.get("ui.language") == ""
    # the file's schedule is checked as a whole too
    data = transfer.export_data(ws)
    data["settings"]["schedule"]["times_per_day"] = "24"
    with pytest.raises(ValidationError, match="^settings: 24 runs"):
        transfer.import_data(ws, data)


def test_new_users_need_a_password(ws, other):
    populate(ws)
    text = transfer.export_toml(ws)
    other = other()
    with pytest.raises(ValidationError) as err:
        transfer.import_toml(other, text, passwords={"marie": "marie-pass-1"})
    assert "paul.d@acme" in err.value.message and "marie" not in err.value.message.split("need")[0]
    assert Company.select().count() == 0
    with pytest.raises(ValidationError, match="at least 8 characters"):
        transfer.import_toml(other, text, passwords={"marie": "short", "paul.d@acme": "long-enough-1"})
    assert MobileUser.select().count() == 0


@pytest.mark.parametrize("text, words", [
    ("[settings\nportal.url = 1", "not a valid configuration file"),
    ("[clients.X]\nname = 'x'", "unknown section [clients]"),
    ("[settings.portal]\npassword = 'x'", "portal.password is a password and never goes in the file"),
    ("[settings.portal]\nnope = 'x'", "'portal.nope' is not a setting"),
    ("[companies.X]\nname = 'x'\ncolour = 'red'", "'colour' is not a field"),
    ("[companies.X]\nname = 'x'", "company X is new here and needs dossier, accounting, commercial"),
    ("[companies.X]\nenabled = 'no'\ndossier='X'\nname='x'\naccounting='sqlite:/a'\ncommercial='sqlite:/a'",
     "enabled must be true or false"),
    ("[groups.G]\nname = 'G'\nmembers = ['A']", "at least two member companies"),
    ("[users.bob]\nname = 'Bob'\ngrants = { NOPE = 'all' }", "no company or group NOPE"),
])
def test_bad_files_are_refused_with_a_sentence(ws, text, words):
    with pytest.raises(ValidationError) as err:
        transfer.import_toml(ws, text, source="acme.toml", passwords={"bob": "bob-pass-123"})
    assert words in err.value.message
    assert Company.select().count() == 0 and MobileUser.select().count() == 0


def test_passwords_file_must_be_private(tmp_path):
    path = tmp_path / "pw.txt"
    path.write_text("# new users\nmarie:pass word:with colon\n\npaul:paul-pass-1\n")
    path.chmod(0o640)
    with pytest.raises(ValidationError, match="chmod 600"):
        transfer.read_passwords(path)
    path.chmod(0o600)
    assert transfer.read_passwords(path) == {"marie": "pass word:with colon", "paul": "paul-pass-1"}
    path.write_text("marie\n")
    with pytest.raises(ValidationError, match="Line 1 .* is not login:password"):
        transfer.read_passwords(path)
    with pytest.raises(ValidationError, match="no file"):
        transfer.read_passwords(tmp_path / "missing.txt")


def test_a_changed_password_is_reported_once(ws):
    populate(ws)
    text = transfer.export_toml(ws)
    assert transfer.import_toml(ws, text, passwords={"marie": "marie-pass-1"}).changes == []  # the same one
    assert transfer.import_toml(ws, text, passwords={"marie": "marie-pass-2"}).changes == \
        ["user marie: password changed"]
    assert transfer.import_toml(ws, text, passwords={"marie": "marie-pass-2"}).changes == []
