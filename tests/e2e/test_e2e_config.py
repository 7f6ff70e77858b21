"""Issue 14 parts 4-5 and issue 11 item 3, as a user runs them: real `bizsync` processes and a
real `bizsync platform serve`, the phone played by requests.

- a set-up scripted in a few calls (`config set KEY VALUE KEY VALUE`), kept as a file
  (`config export`), applied to a fresh data dir (`config import --passwords`), and
  `config export | config import --dry-run -` reporting no change;
- the "À extraire" switch: `company set X --enabled no` leaves X out of `publish` for all
  while `publish --company X` still publishes it;
- `company remove X` deletes X's data on the platform first (the phone no longer gets its
  figures), refuses a group's member before touching anything, and with the platform down
  refuses, removing nothing, until `--keep-platform-data` is given.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.e2e import tiny_sage as sage
from tests.e2e.cli import REPO, bizsync, env_for, journal, mobile_views, ok, serve_platform

CLIENT, PORTAL_PW = "CFGCO", "portal-pass-config"
MARIE_PW, PAUL_PW = "marie-pass-cfg", "paul-pass-cfg"


def set_up(admin, url, a_db, b_db):
    ok(admin, "config", "set", "portal.url", url, "portal.client_code", CLIENT, "proxy.mode", "none",
       "schedule.frequency", "daily", "schedule.start", "00:00", "schedule.times_per_day", "24")
    ok(admin, "config", "set", "portal.password", stdin=PORTAL_PW + "\n")
    for code, db, views in (("TINYA", a_db, "all"), ("TINYB", b_db, "sales_revenue,cash_position")):
        ok(admin, "company", "add", code, "--dossier", code, "--name", code, "--accounting", f"sqlite:{db}",
           "--commercial", f"sqlite:{db}", "--views", views)
    ok(admin, "user", "add", "marie", "--name", "Marie", "--grant", "TINYA:sales_revenue", "--grant",
       "TINYA:cash_position", "--grant", "TINYB:all", stdin=MARIE_PW + "\n")


def phone(platform, company, login="marie", password=MARIE_PW):
    return mobile_views(platform.url, CLIENT, company, login, password)


def test_scripted_set_up_kept_as_a_file_and_applied_elsewhere(tmp_path):
    a_db = sage.sqlite_file(tmp_path / "a.sqlite", "A")
    b_db = sage.sqlite_file(tmp_path / "b.sqlite", "B")
    admin = tmp_path / "admin"
    with serve_platform(tmp_path / "platform") as platform:
        platform.add_client(CLIENT, PORTAL_PW)
        set_up(admin, platform.url, a_db, b_db)
        # the repeated --grant for TINYA added up (issue 11 item 13)
        assert "TINYA:sales_revenue,cash_position" in ok(admin, "user", "list")

        # the configuration as a file: a pipe into a dry run reports no change
        pipe = subprocess.run(
            f"{sys.executable} -m bizsync_tui --data-dir {admin} config export | "
            f"{sys.executable} -m bizsync_tui --data-dir {admin} config import --dry-run -",
            shell=True, capture_output=True, text=True, env=env_for(), cwd=str(REPO), timeout=120)
        assert pipe.returncode == 0, pipe.stderr
        assert pipe.stdout.strip() == "No change: the configuration is already as the file says."
        exported = ok(admin, "config", "export")
        assert PORTAL_PW not in exported and "scrypt$" not in exported
        (tmp_path / "acme.toml").write_text(exported)

        # another data dir (another machine): the file, the portal password, the users' passwords
        other = tmp_path / "other"
        r = bizsync(other, "config", "import", str(tmp_path / "acme.toml"))
        assert r.returncode == 1 and "marie" in r.stderr and "--passwords" in r.stderr
        assert "TINYA" not in ok(other, "company", "list")  # refused: nothing was applied
        pw_file = tmp_path / "passwords.txt"
        pw_file.write_text(f"marie:{MARIE_PW}\n")
        pw_file.chmod(0o644)
        r = bizsync(other, "config", "import", str(tmp_path / "acme.toml"), "--passwords", str(pw_file))
        assert r.returncode == 1 and "chmod 600" in r.stderr
        pw_file.chmod(0o600)
        out = ok(other, "config", "import", str(tmp_path / "acme.toml"), "--passwords", str(pw_file))
        assert "company TINYA: added" in out and "user marie: added" in out
        assert ok(other, "config", "import", str(tmp_path / "acme.toml"), "--passwords", str(pw_file)).strip() == \
            "No change: the configuration is already as the file says."
        assert ok(other, "config", "export") == exported
        ok(other, "config", "set", "portal.password", stdin=PORTAL_PW + "\n")
        r = bizsync(other, "publish", "--as-of", sage.AS_OF)
        assert r.returncode == 0, r.stdout + r.stderr
        status, views_status, served = phone(platform, "TINYA")
        assert (status, views_status) == (200, 200)
        assert served["views"] == {v: sage.EXPECTED_A[v] for v in ("sales_revenue", "cash_position")}


def test_switched_off_company_and_removal_with_its_platform_data(tmp_path):
    a_db = sage.sqlite_file(tmp_path / "a.sqlite", "A")
    b_db = sage.sqlite_file(tmp_path / "b.sqlite", "B")
    admin = tmp_path / "admin"
    with serve_platform(tmp_path / "platform") as platform:
        platform.add_client(CLIENT, PORTAL_PW)
        set_up(admin, platform.url, a_db, b_db)

        # "À extraire" off: left out of publish-all, still published by name
        ok(admin, "company", "set", "TINYB", "--enabled", "no", "--name", "Tiny Nord")
        listed = {line.split()[0]: line.split() for line in ok(admin, "company", "list").splitlines()[1:]}
        assert listed["TINYB"][2:6] == ["Tiny", "Nord", "2", "no"] and listed["TINYA"][4] == "yes"
        assert "TINYB:sales_revenue,cash_position" in ok(admin, "user", "list")  # the rename kept the grants
        r = bizsync(admin, "publish", "--as-of", sage.AS_OF)
        assert r.returncode == 0, r.stdout + r.stderr
        published = [e["company"] for e in journal(admin) if e["operation"] == "publish"]
        assert published == ["TINYA"]
        assert phone(platform, "TINYB")[1] != 200
        ok(admin, "publish", "--company", "TINYB", "--as-of", sage.AS_OF)
        status, views_status, served = phone(platform, "TINYB")
        assert (status, views_status) == (200, 200)
        assert served["company"]["short_code"] == "TINYB" and set(served["views"]) == {"sales_revenue", "cash_position"}

        # a group's member is refused before anything: no platform call, nothing journaled
        ok(admin, "group", "add", "GRP", "--name", "Groupe", "--members", "TINYA,TINYB", "--views", "sales_revenue")
        before = len(journal(admin))
        r = bizsync(admin, "company", "remove", "TINYA")
        assert r.returncode == 1 and "member of the group GRP" in r.stderr
        assert len(journal(admin)) == before
        assert phone(platform, "TINYA")[1] == 200

        # the platform down: refused, nothing removed, and how to force it
        ok(admin, "group", "remove", "GRP")
        platform.stop()
        r = bizsync(admin, "company", "remove", "TINYA")
        assert r.returncode == 1, r.stdout
        assert "Nothing was removed" in r.stderr and "--keep-platform-data" in r.stderr
        assert "TINYA" in ok(admin, "company", "list")
        platform.start()
        assert phone(platform, "TINYA")[1] == 200  # the figures are still there

        # removed: the platform data first, then the company
        r = bizsync(admin, "company", "remove", "TINYA")
        assert r.returncode == 0, r.stderr
        assert "Deleted the published data of TINYA from the platform" in r.stdout
        assert "TINYA" not in ok(admin, "company", "list")
        status, views_status, served = phone(platform, "TINYA")
        assert not (status == 200 and views_status == 200), served
        last = journal(admin)[0]
        assert (last["operation"], last["company"], last["success"]) == ("delete", "TINYA", True)
        # the other company is untouched
        assert phone(platform, "TINYB")[:2] == (200, 200)

        # --keep-platform-data: removed here only, the phone keeps the last publication
        r = bizsync(admin, "company", "remove", "TINYB", "--keep-platform-data")
        assert r.returncode == 0 and "left on the platform" in r.stdout
        assert "TINYB" not in ok(admin, "company", "list")
        assert os.path.exists(admin / "settings.db")
