"""The configuration commands, run as a user runs them: as subprocesses."""

import os
import subprocess
import sys

import pytest


def bizsync(data_dir, *args, stdin=""):
    env = dict(os.environ)
    env.pop("BIZSYNC_KEY", None)
    env["BIZSYNC_HOME"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "bizsync_tui", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


PORTAL_PW = "Portal;pw}=1"
DB_PW = "Db:secret=2"
PROXY_PW = "Proxy@pw/3"
USER_PWS = {"marie": "marie-pass-1", "paul": "paul-pass-22", "zoe": "zoe-pass-333"}


def full_setup(home):
    steps = [
        (("config", "set", "portal.url", "https://platform.example.com"), ""),
        (("config", "set", "portal.client_code", "ACME"), ""),
        (("config", "set", "portal.password"), PORTAL_PW + "\n"),
        (("config", "set", "database.user", "sage"), ""),
        (("config", "set", "database.password"), DB_PW + "\n"),
        (("config", "set", "proxy.mode", "manual", "proxy.host", "proxy.example.com", "proxy.port", "3128",
          "proxy.user", "alice"), ""),
        (("config", "set", "proxy.password"), PROXY_PW + "\n"),
        (("config", "set", "schedule.frequency", "workdays", "schedule.times_per_day", "3",
          "schedule.interval_hours", "4", "schedule.start", "08:00", "schedule.holidays", "FR"), ""),
        (("company", "add", "BIJOU", "--dossier", "BIJOU01", "--name", "Bijou SA", "--accounting",
          "mssql://sage-srv/BIJOU?instance=SAGE100", "--commercial", "mssql://sage-srv/BIJOU?instance=SAGE100",
          "--views", "all"), ""),
        (("company", "add", "OR", "--dossier", "OR2", "--name", "Or et Argent", "--accounting", "odbc:DSN=ORMAE",
          "--commercial", "odbc:DSN=ORGCM", "--views", "sales_revenue,cash_position"), ""),
        (("user", "add", "marie", "--name", "Marie Curie", "--grant", "BIJOU:all", "--grant", "OR:cash_position"),
         USER_PWS["marie"] + "\n"),
        (("user", "add", "paul", "--name", "Paul Dupont", "--grant", "BIJOU:sales_revenue,top_items_month"),
         USER_PWS["paul"] + "\n"),
        (("user", "add", "zoe", "--name", "Zoe", "--grant", "OR:all"), USER_PWS["zoe"] + "\n"),
    ]
    for args, stdin in steps:
        r = bizsync(home, *args, stdin=stdin)
        assert r.returncode == 0, (args, r.stderr)


@pytest.fixture(scope="module")
def configured_template(tmp_path_factory):
    home = tmp_path_factory.mktemp("configured") / "home"
    full_setup(home)
    return home


@pytest.fixture
def configured(configured_template, tmp_path):
    import shutil

    home = tmp_path / "configured"
    shutil.copytree(configured_template, home)
    return home


def test_full_configuration_by_script_and_no_password_on_disk(configured):
    home = configured
    show = bizsync(home, "config", "show")
    assert show.returncode == 0
    lines = dict(line.split(" = ", 1) for line in show.stdout.splitlines())
    assert lines["portal.password"] == "********"
    assert lines["proxy.host"] == "proxy.example.com"
    assert lines["schedule.frequency"] == "workdays"
    for pw in (PORTAL_PW, DB_PW, PROXY_PW, *USER_PWS.values()):
        assert pw not in show.stdout
    companies = bizsync(home, "company", "list").stdout
    assert "BIJOU" in companies and "Or et Argent" in companies and " 17 " in companies
    users = bizsync(home, "user", "list").stdout
    assert "paul" in users and "BIJOU:sales_revenue,top_items_month" in users
    assert "OR:sales_revenue,cash_position" in bizsync(home, "user", "list").stdout  # zoe: OR:all
    # nothing on disk holds a password in clear (database, WAL, key file, anything else)
    for root, _dirs, files in os.walk(home):
        for name in files:
            blob = open(os.path.join(root, name), "rb").read()
            for pw in (PORTAL_PW, DB_PW, PROXY_PW, *USER_PWS.values()):
                assert pw.encode() not in blob, name


def test_secret_on_the_command_line_is_refused(home):
    r = bizsync(home, "config", "set", "portal.password", "visible")
    assert r.returncode != 0
    assert "leave it off the command line" in r.stderr
    assert "visible" not in bizsync(home, "config", "show").stdout


def test_refused_command_changes_nothing(home):
    assert bizsync(home, "config", "set", "proxy.port", "3128").returncode == 0
    r = bizsync(home, "config", "set", "proxy.port", "70000")
    assert r.returncode == 1 and "from 1 to 65535" in r.stderr and "Nothing was changed" in r.stderr
    assert "proxy.port = 3128" in bizsync(home, "config", "show").stdout
    r = bizsync(home, "company", "add", "bad", "--dossier", "D", "--name", "N", "--accounting", "sqlite:/a",
                "--commercial", "sqlite:/a")
    assert r.returncode == 1 and "short code" in r.stderr
    r = bizsync(home, "config", "set", "nope.key", "1")
    assert r.returncode == 1 and "is not a setting" in r.stderr


def test_user_grant_refusals(home):
    assert bizsync(home, "company", "add", "BIJOU", "--dossier", "B1", "--name", "B", "--accounting", "sqlite:/a",
                   "--commercial", "sqlite:/a", "--views", "sales_revenue").returncode == 0
    r = bizsync(home, "user", "add", "bob", "--name", "Bob", "--grant", "BIJOU:cash_position", stdin="password-1\n")
    assert r.returncode == 1 and "does not publish cash_position" in r.stderr
    r = bizsync(home, "user", "add", "bob", "--name", "Bob", "--grant", "NOPE:all", stdin="password-1\n")
    assert r.returncode == 1 and "no company or group NOPE" in r.stderr
    r = bizsync(home, "user", "add", "bob", "--name", "Bob", stdin="")
    assert r.returncode == 1 and "standard input" in r.stderr
    assert "bob" not in bizsync(home, "user", "list").stdout


def test_remove_commands(configured):
    home = configured
    assert bizsync(home, "user", "remove", "paul").returncode == 0
    assert "paul" not in bizsync(home, "user", "list").stdout
    # the platform (platform.example.com through proxy.example.com) cannot be reached: nothing is removed
    r = bizsync(home, "company", "remove", "OR")
    assert r.returncode == 1 and "Nothing was removed" in r.stderr and "--keep-platform-data" in r.stderr
    assert "Or et Argent" in bizsync(home, "company", "list").stdout
    r = bizsync(home, "company", "remove", "OR", "--keep-platform-data")
    assert r.returncode == 0 and "left on the platform" in r.stdout
    assert "Or et Argent" not in bizsync(home, "company", "list").stdout
    r = bizsync(home, "company", "remove", "OR")
    assert r.returncode == 1 and "no company OR" in r.stderr


def test_groups_commands(configured):
    home = configured
    assert bizsync(home, "group", "add", "ALL", "--name", "Tout", "--members", "BIJOU,OR",
                   "--views", "sales_revenue").returncode == 0
    out = bizsync(home, "group", "list").stdout
    assert "ALL" in out and "BIJOU,OR" in out
    r = bizsync(home, "group", "add", "G1", "--name", "x", "--members", "BIJOU")
    assert r.returncode == 1 and "at least two" in r.stderr
    assert bizsync(home, "group", "remove", "ALL", "--keep-platform-data").returncode == 0
    assert "ALL" not in bizsync(home, "group", "list").stdout


def test_key_rotate_command(configured):
    home = configured
    before = (home / "bizsync.key").read_text()
    r = bizsync(home, "key", "rotate")
    assert r.returncode == 0 and "Re-encrypted 3 secret(s)" in r.stdout
    assert (home / "bizsync.key").read_text() != before
    assert "portal.password = ********" in bizsync(home, "config", "show").stdout


@pytest.mark.parametrize("cmd", [[], ["config"], ["config", "set"], ["company", "add"], ["user", "add"],
                                 ["group", "add"], ["key", "rotate"]])
def test_help_everywhere(home, cmd):
    r = bizsync(home, *cmd, "--help")
    assert r.returncode == 0 and "usage: bizsync" in r.stdout


def test_data_dir_before_or_after_the_command(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "BIZSYNC_HOME"}
    env["HOME"] = str(tmp_path / "fakehome")
    env["XDG_DATA_HOME"] = str(tmp_path / "fakehome" / "data")
    for i, args in enumerate([["--data-dir", str(tmp_path / "a"), "config", "set", "portal.client_code", "A1"],
                              ["config", "set", "portal.client_code", "B2", "--data-dir", str(tmp_path / "b")]]):
        r = subprocess.run([sys.executable, "-m", "bizsync_tui", *args], capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "a" / "settings.db").exists() and (tmp_path / "b" / "settings.db").exists()
    assert not (tmp_path / "fakehome").exists()


def test_company_without_views_publishes_every_view(home):
    r = bizsync(home, "company", "add", "BIJOU", "--dossier", "B1", "--name", "B", "--accounting", "sqlite:/a",
                "--commercial", "sqlite:/a")
    assert r.returncode == 0, r.stderr
    assert bizsync(home, "company", "list").stdout.splitlines()[1].split()[:4] == ["BIJOU", "B1", "B", "17"]


# -- issue 14 part 4: a scriptable configuration ------------------------------------------------
def show(home) -> dict:
    return dict(line.split(" = ", 1) for line in bizsync(home, "config", "show").stdout.splitlines())


def test_config_set_several_keys_validated_together(home):
    r = bizsync(home, "config", "set", "schedule.times_per_day", "24")
    assert r.returncode == 1 and "after midnight" in r.stderr and "Nothing was changed" in r.stderr
    r = bizsync(home, "config", "set", "schedule.times_per_day", "24", "schedule.start", "00:00",
                "schedule.frequency", "daily")
    assert r.returncode == 0, r.stderr
    values = show(home)
    assert (values["schedule.times_per_day"], values["schedule.start"], values["schedule.frequency"]) == \
        ("24", "00:00", "daily")
    # one refused value: none saved
    r = bizsync(home, "config", "set", "ui.language", "fr", "proxy.port", "99999")
    assert r.returncode == 1 and "from 1 to 65535" in r.stderr
    assert show(home)["ui.language"] == ""
    r = bizsync(home, "config", "set", "ui.language", "fr", "proxy.port")
    assert r.returncode == 1 and "proxy.port has no value" in r.stderr
    r = bizsync(home, "config", "set", "ui.language", "fr", "portal.password", "visible-pw")
    assert r.returncode == 1 and "leave it off the command line" in r.stderr and "visible-pw" not in r.stderr


def test_config_set_help_lists_every_key(home):
    from bizsync_tui.models.settings import SETTING_DEFS

    r = bizsync(home, "config", "set", "--help")
    assert r.returncode == 0
    lines = {line.split()[0]: line for line in r.stdout.splitlines() if line.startswith("  ") and line.split()}
    for d in SETTING_DEFS:
        assert d.key in lines, d.key
    assert "system" in lines["proxy.mode"] and "manual" in lines["proxy.mode"]
    assert "secret" in lines["portal.password"]


def test_empty_secret_refused_and_unset_clears(home):
    assert bizsync(home, "config", "set", "portal.password", stdin="first-pw\n").returncode == 0
    r = bizsync(home, "config", "set", "portal.password", stdin="\n")
    assert r.returncode == 1 and "empty" in r.stderr and "config unset portal.password" in r.stderr
    assert show(home)["portal.password"] == "********"
    r = bizsync(home, "config", "unset", "portal.password", "schedule.start")
    assert r.returncode == 0
    assert "portal.password cleared." in r.stdout and "schedule.start set back to its default, 06:00." in r.stdout
    assert show(home)["portal.password"] == "(not set)"


def test_manual_proxy_without_address_refused(home):
    r = bizsync(home, "config", "set", "proxy.mode", "manual")
    assert r.returncode == 1 and "needs its address" in r.stderr and "proxy.host HOST proxy.port PORT" in r.stderr
    assert show(home)["proxy.mode"] == "system"
    r = bizsync(home, "config", "set", "proxy.mode", "manual", "proxy.host", "proxy.lan")
    assert r.returncode == 1 and "needs its port" in r.stderr
    assert bizsync(home, "config", "set", "proxy.mode", "manual", "proxy.host", "proxy.lan",
                   "proxy.port", "3128").returncode == 0
    r = bizsync(home, "config", "unset", "proxy.host")
    assert r.returncode == 1 and show(home)["proxy.host"] == "proxy.lan"


def test_portal_url_holding_a_password_refused(home):
    r = bizsync(home, "config", "set", "portal.url", "https://acme:Hidden-pw9@platform.example.com")
    assert r.returncode == 1 and "user name or password" in r.stderr and "Hidden-pw9" not in r.stderr + r.stdout
    assert show(home)["portal.url"] == ""


def test_edit_in_place_keeps_what_is_not_named(configured):
    home = configured
    r = bizsync(home, "company", "set", "OR", "--name", "Or & Argent SAS", "--enabled", "no")
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line for line in bizsync(home, "company", "list").stdout.splitlines()}
    assert "Or & Argent SAS" in rows["OR"] and "  no  " in rows["OR"] and "  yes  " in rows["BIJOU"]
    assert "odbc:DSN=ORMAE" in rows["OR"]  # the sources were kept
    users = {line.split()[0]: line for line in bizsync(home, "user", "list").stdout.splitlines()}
    assert "OR:cash_position" in users["marie"] and "OR:sales_revenue,cash_position" in users["zoe"]
    # user set: the name changes, the grants stay; a --grant replaces that company's grant only
    assert bizsync(home, "user", "set", "paul", "--name", "Paul Durand").returncode == 0
    assert bizsync(home, "user", "set", "marie", "--grant", "OR:sales_revenue", "--grant", "BIJOU:none").returncode == 0
    users = {line.split()[0]: line for line in bizsync(home, "user", "list").stdout.splitlines()}
    assert "Paul Durand" in users["paul"] and "BIJOU:sales_revenue,top_items_month" in users["paul"]
    assert users["marie"].split()[-1] == "OR:sales_revenue"
    # a new password from stdin only
    r = bizsync(home, "user", "set", "zoe", "--password", stdin="zoe-new-pass-1\n")
    assert r.returncode == 0, r.stderr
    from bizsync_tui.engine.contract import check_verifier
    from bizsync_tui.engine.workspace import open_workspace
    from bizsync_tui.models.tables import MobileUser

    ws = open_workspace(home)
    assert check_verifier(MobileUser.get(MobileUser.login == "zoe").password_verifier, "zoe-new-pass-1")
    ws.close()
    # group set
    assert bizsync(home, "company", "set", "OR", "--enabled", "yes").returncode == 0
    assert bizsync(home, "group", "add", "ALL", "--name", "Tout", "--members", "BIJOU,OR").returncode == 0
    assert bizsync(home, "group", "set", "ALL", "--name", "Tout le groupe", "--enabled", "no",
                   "--views", "sales_revenue").returncode == 0
    line = bizsync(home, "group", "list").stdout.splitlines()[1]
    assert line.split()[:4] == ["ALL", "Tout", "le", "groupe"] and line.split()[-2:] == ["1", "no"]
    r = bizsync(home, "company", "set", "NOPE", "--name", "x")
    assert r.returncode == 1 and "no company NOPE" in r.stderr
    r = bizsync(home, "company", "set", "OR", "--enabled", "maybe")
    assert r.returncode == 1 and "yes or no" in r.stderr


def test_repeated_grant_for_one_company_adds_up(home):
    assert bizsync(home, "company", "add", "BIJOU", "--dossier", "B1", "--name", "B", "--accounting", "sqlite:/a",
                   "--commercial", "sqlite:/a").returncode == 0
    r = bizsync(home, "user", "add", "bob", "--name", "Bob", "--grant", "BIJOU:sales_revenue",
                "--grant", "BIJOU:cash_position,top_items_month", stdin="password-1\n")
    assert r.returncode == 0, r.stderr
    assert "BIJOU:sales_revenue,top_items_month,cash_position" in bizsync(home, "user", "list").stdout


def test_remove_never_published_company_without_a_platform(home):
    # a first set-up, no platform yet: removing a mistyped company needs no platform
    assert bizsync(home, "company", "add", "OOPS", "--dossier", "O1", "--name", "O", "--accounting", "sqlite:/a",
                   "--commercial", "sqlite:/a").returncode == 0
    r = bizsync(home, "company", "remove", "OOPS")
    assert r.returncode == 0 and "never published from here" in r.stdout
