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
        (("config", "set", "proxy.mode", "manual"), ""),
        (("config", "set", "proxy.host", "proxy.example.com"), ""),
        (("config", "set", "proxy.port", "3128"), ""),
        (("config", "set", "proxy.user", "alice"), ""),
        (("config", "set", "proxy.password"), PROXY_PW + "\n"),
        (("config", "set", "schedule.frequency", "workdays"), ""),
        (("config", "set", "schedule.times_per_day", "3"), ""),
        (("config", "set", "schedule.interval_hours", "4"), ""),
        (("config", "set", "schedule.start", "08:00"), ""),
        (("config", "set", "schedule.holidays", "FR"), ""),
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
    assert bizsync(home, "company", "remove", "OR").returncode == 0
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
    assert bizsync(home, "group", "remove", "ALL").returncode == 0


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
