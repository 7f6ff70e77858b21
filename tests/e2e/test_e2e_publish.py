"""Issue 4 "Done when", as a user runs it: a platform started with `bizsync platform serve`
(a real process), a configuration made with the CLI, `bizsync publish`, and a phone
(requests) that logs in and sees exactly what it was granted, with the numbers
`bizsync extract` prints; directly, through a real squid with basic auth, and over
real HTTPS (`platform serve --tls-cert/--tls-key`, test CA from tests/tls.py).
Also issue 2's "no password in clear anywhere on disk", after publishing.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.e2e import tiny_sage as sage
from tests.e2e.cli import (bizsync, configure_portal, files_holding, journal, mobile_views, ok, serve_platform)
from tests.squid import squid_proxy  # noqa: F401  (module fixture: real squid, basic auth)
from tests.tls import make_pki

AS_OF = sage.AS_OF
CLIENT, PORTAL_PW = "ACME", "Portal;pw}=1 e2e"
DB_PW = "Db:secret=2 e2e"
USER_PW = {"marie": "marie-pass-e2e", "paul": "paul-pass-e2e", "zoe": "zoe-pass-e2e"}
VIEWS_A = list(sage.EXPECTED_A)  # TINYA publishes all 17 views
VIEWS_B = ["sales_revenue", "cash_position"]
GRANTS = {  # login -> company -> views granted
    "marie": {"TINYA": VIEWS_A, "TINYB": ["cash_position"]},
    "paul": {"TINYA": ["sales_revenue", "top_items_month"]},
    "zoe": {"TINYB": VIEWS_B},
}


def configure_admin(data_dir, url, a_db, b_db):
    configure_portal(data_dir, url, CLIENT, PORTAL_PW)
    ok(data_dir, "config", "set", "database.user", "sage")
    ok(data_dir, "config", "set", "database.password", stdin=DB_PW + "\n")
    ok(data_dir, "company", "add", "TINYA", "--dossier", "TINY01", "--name", "Tiny SA", "--accounting",
       f"sqlite:{a_db}", "--commercial", f"sqlite:{a_db}", "--views", "all")
    ok(data_dir, "company", "add", "TINYB", "--dossier", "TINY02", "--name", "Tiny Nord", "--accounting",
       f"sqlite:{b_db}", "--commercial", f"sqlite:{b_db}", "--views", ",".join(VIEWS_B))
    for login, grants in GRANTS.items():
        args = [a for company, views in grants.items() for a in ("--grant", f"{company}:{','.join(views)}")]
        ok(data_dir, "user", "add", login, "--name", login.title(), *args, stdin=USER_PW[login] + "\n")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e_publish")
    a_db = sage.sqlite_file(base / "tiny_a.sqlite", "A")
    b_db = sage.sqlite_file(base / "tiny_b.sqlite", "B")
    with serve_platform(base / "platform") as platform:
        platform.add_client(CLIENT, PORTAL_PW)
        admin = base / "admin"
        configure_admin(admin, platform.url, a_db, b_db)
        yield {"base": base, "platform": platform, "admin": admin, "a": a_db, "b": b_db}


def copy_admin(world, name):
    """A copy of the configured admin data dir (settings database and its key file)."""
    target = world["base"] / name
    shutil.copytree(world["admin"], target)
    return target


def assert_phone_matrix(url, *, expected_views, ca=None, deleted=()):
    """Every user x company: granted -> exactly the granted views with the expected data; else 401."""
    for login in GRANTS:
        for company in ("TINYA", "TINYB"):
            login_status, views_status, body = mobile_views(url, CLIENT, company, login, USER_PW[login], ca=ca)
            granted = GRANTS[login].get(company)
            if not granted:
                assert login_status == 401 and body["error"]["code"] == "login_failed", (login, company)
                continue
            assert login_status == 200, (login, company, body)
            if company in deleted:
                assert views_status == 404 and body["error"]["code"] == "no_publication", (login, company)
                continue
            assert views_status == 200, (login, company, body)
            assert sorted(body["views"]) == sorted(granted), (login, company)
            for view_id in granted:
                assert body["views"][view_id] == expected_views[company][view_id], (login, company, view_id)


def extract_company(data_dir, code):
    return json.loads(ok(data_dir, "extract", "--company", code, "--as-of", AS_OF))


def test_publish_phone_sees_its_grants_delete_and_platform_down(world):
    admin, platform = world["admin"], world["platform"]
    r = bizsync(admin, "publish", "--as-of", AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr

    # what `bizsync extract` prints is what the phone gets, and both are the hand-worked figures
    ext_a, ext_b = extract_company(admin, "TINYA"), extract_company(admin, "TINYB")
    assert ext_a["company"] == {"short_code": "TINYA", "dossier": "TINY01", "name": "Tiny SA", "currency": "EUR"}
    assert ext_a["fiscal_year"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert ext_a["views"] == sage.EXPECTED_A  # all 17, hand-worked
    # company B alone: sales 900.00 (G1) month and year; cash 512000 = 100.00
    assert ext_b["views"]["sales_revenue"]["month"]["amount"] == "900.00"
    assert ext_b["views"]["cash_position"]["total"] == "100.00"
    assert_phone_matrix(platform.url, expected_views={"TINYA": ext_a["views"], "TINYB": ext_b["views"]})

    entries = journal(admin)
    assert [(e["operation"], e["company"], e["success"]) for e in reversed(entries)] == [
        ("publish", "TINYA", True), ("publish", "TINYB", True), ("users", "", True)]
    published_b = next(e for e in entries if e["company"] == "TINYB")["figures"]["publication_id"]

    # issue 2: no password in clear in any file of the admin's or the platform's data dir
    secrets = [PORTAL_PW, DB_PW, *USER_PW.values()]
    assert files_holding(admin, secrets) == []
    assert files_holding(platform.folder, secrets) == []

    # delete one company's publication: its users see "nothing published", the other company stays
    r = bizsync(admin, "publish", "--delete", "--company", "TINYA")
    assert r.returncode == 0, r.stdout + r.stderr
    assert_phone_matrix(platform.url, expected_views={"TINYB": ext_b["views"]}, deleted=("TINYA",))
    newest = journal(admin)[0]
    assert (newest["operation"], newest["company"], newest["success"]) == ("delete", "TINYA", True)

    # the platform stops: publish fails with the "cannot be reached" message, exit code non-zero
    assert platform.stop() == 0  # serve exits 0 on SIGTERM
    r = bizsync(admin, "publish", "--as-of", AS_OF)
    assert r.returncode != 0
    assert "cannot be reached" in r.stdout + r.stderr
    failed = [e for e in journal(admin) if not e["success"]]
    assert {e["company"] for e in failed} >= {"TINYA", "TINYB"}
    assert all("cannot be reached" in e["message"] for e in failed)
    assert not any(PORTAL_PW in e["message"] for e in failed)

    # back on the same port with the same data: the previous publication of TINYB is still served
    platform.start()
    status, views_status, body = mobile_views(platform.url, CLIENT, "TINYB", "zoe", USER_PW["zoe"])
    assert (status, views_status) == (200, 200)
    assert body["publication_id"] == published_b and body["views"] == ext_b["views"]
    # and publishing again succeeds and brings TINYA back
    r = bizsync(admin, "publish", "--as-of", AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    assert_phone_matrix(platform.url, expected_views={"TINYA": ext_a["views"], "TINYB": ext_b["views"]})


def test_publish_through_squid_with_basic_auth(world, squid_proxy):  # noqa: F811
    admin = copy_admin(world, "admin_squid")
    platform = world["platform"]
    ok(admin, "config", "set", "proxy.mode", "manual", "proxy.host", squid_proxy.host,
       "proxy.port", str(squid_proxy.port))  # checked together: a manual proxy needs its address
    ok(admin, "config", "set", "proxy.user", squid_proxy.user)
    ok(admin, "config", "set", "proxy.password", stdin=squid_proxy.password + "\n")
    r = bizsync(admin, "publish", "--as-of", AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    # squid carried the publication (it logs the full URL of a plain-HTTP request)
    log = squid_proxy.access_log(wait_for="/api/v1/companies/TINYB/publication")
    assert f"127.0.0.1:{platform.port}/api/v1/companies/TINYA/publication" in log
    assert f"127.0.0.1:{platform.port}/api/v1/users" in log
    assert_phone_matrix(platform.url, expected_views={"TINYA": extract_company(admin, "TINYA")["views"],
                                                      "TINYB": extract_company(admin, "TINYB")["views"]})
    assert files_holding(admin, [squid_proxy.password]) == []

    ok(admin, "config", "set", "proxy.password", stdin="wrong-proxy-pass\n")
    r = bizsync(admin, "publish", "--as-of", AS_OF)
    assert r.returncode != 0
    assert "(407)" in r.stdout and "proxy.password" in r.stdout
    assert "wrong-proxy-pass" not in r.stdout + r.stderr


def test_publish_over_https_direct_and_through_squid(world, squid_proxy):  # noqa: F811
    pki = make_pki(world["base"] / "pki")
    with serve_platform(world["base"] / "platform_tls", tls=(pki.cert_file, pki.key_file), ca=pki.ca_file) as tls:
        tls.add_client(CLIENT, PORTAL_PW)
        admin = copy_admin(world, "admin_tls")
        ok(admin, "config", "set", "portal.url", tls.url)
        assert tls.url.startswith("https://")

        # no CA bundle: the test CA is unknown to this machine -> the TLS message
        r = bizsync(admin, "publish", "--as-of", AS_OF)
        assert r.returncode != 0 and "TLS certificate was refused" in r.stdout

        ok(admin, "config", "set", "tls.ca_bundle", str(pki.ca_file))
        r = bizsync(admin, "publish", "--as-of", AS_OF)
        assert r.returncode == 0, r.stdout + r.stderr
        expected = {"TINYA": extract_company(admin, "TINYA")["views"],
                    "TINYB": extract_company(admin, "TINYB")["views"]}
        assert expected["TINYA"]["sales_revenue"] == sage.EXPECTED_A["sales_revenue"]
        assert_phone_matrix(tls.url, expected_views=expected, ca=pki.ca_file)

        # HTTPS through squid (CONNECT tunnel with basic auth)
        ok(admin, "config", "set", "proxy.mode", "manual", "proxy.host", squid_proxy.host,
           "proxy.port", str(squid_proxy.port))
        ok(admin, "config", "set", "proxy.user", squid_proxy.user)
        ok(admin, "config", "set", "proxy.password", stdin=squid_proxy.password + "\n")
        r = bizsync(admin, "publish", "--delete", "--company", "TINYB")
        assert r.returncode == 0, r.stdout + r.stderr
        assert f"CONNECT 127.0.0.1:{tls.port}" in squid_proxy.access_log(wait_for=f"CONNECT 127.0.0.1:{tls.port}")
        assert_phone_matrix(tls.url, expected_views=expected, ca=pki.ca_file, deleted=("TINYB",))
