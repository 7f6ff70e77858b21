"""Publishing through a REAL squid with basic auth, and over REAL HTTPS with a test CA.

squid (tests/squid.py) is Debian's, started by the fixture; the proxy password
holds characters that must be percent-encoded in the proxy URL. The HTTPS
platform (tests/tls.py) is the real app served by uvicorn with a certificate
signed by a CA made here with cryptography. After every failure the previous
publication must still be served intact (checked with a mobile login).
"""

from __future__ import annotations

import json

import pytest
import requests

from bizsync_tui.engine import checks
from bizsync_tui.engine import journal
from bizsync_tui.engine.publish import runner
from bizsync_tui.engine.admin.config import CompanyData, UserData, save_company, save_user, set_settings
from bizsync_tui.engine.publish.http import make_retry
from bizsync_tui.engine.publish.runner import run
from tests.platform_server import platform_server  # noqa: F401  (fixture)
from tests.sage_fixture import AS_OF, sqlite_file, write_company_b
from tests.squid import squid_proxy  # noqa: F401  (fixture)
from tests.tls import make_pki, serve_https

FAST = {"retry": make_retry(total=2, backoff=0.05), "timeout": (3, 10)}


def seen_by_phone(platform) -> dict:
    """NORD as the user 'marie' sees it, straight from the platform (no proxy, plain loopback)."""
    api = platform.url + "/api/v1"
    session = requests.Session()
    session.trust_env = False
    r = session.post(api + "/mobile/login", json={"client_code": platform.client_code, "company_code": "NORD",
                                                  "login": "marie", "password": "marie-secret-1"}, timeout=10)
    assert r.status_code == 200
    v = session.get(api + "/mobile/views", headers={"Authorization": "Bearer " + r.json()["token"]}, timeout=10)
    assert v.status_code == 200
    return v.json()


@pytest.fixture
def configured(ws, tmp_path, platform_server):  # noqa: F811
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Bijou Nord")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none"})
    save_company(ws, CompanyData(short_code="NORD", name="Bijou Nord", dossier="NORD01",
                                 accounting_source=f"sqlite:{nord}", commercial_source=f"sqlite:{nord}",
                                 views=["sales_revenue", "top_customers_month"]))
    save_user(ws, UserData(login="marie", name="Marie", password="marie-secret-1",
                           grants={"NORD": ["sales_revenue"]}))
    assert run(ws, "publish", as_of=AS_OF, http_options=FAST).ok  # the publication that must survive
    return ws, platform_server


def no_secret_anywhere(*secrets: str) -> None:
    text = json.dumps([e.as_json() for e in journal.page(limit=1000)])
    for s in secrets:
        assert s not in text


def test_through_squid_with_basic_auth(configured, squid_proxy):  # noqa: F811
    ws, platform = configured
    before = seen_by_phone(platform)
    set_settings(ws, {"proxy.mode": "manual", "proxy.host": squid_proxy.host, "proxy.port": str(squid_proxy.port),
                      "proxy.user": squid_proxy.user, "proxy.password": squid_proxy.password})
    assert "through the proxy" in checks.test_proxy(ws, http_options=FAST)
    report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
    assert report.ok, [r.message for r in report.results]
    line = f":{platform.handle.port}/api/v1/companies/NORD/publication"
    assert line in squid_proxy.access_log(wait_for=line)
    after = seen_by_phone(platform)
    assert after["publication_id"] == report.results[0].figures["publication_id"] != before["publication_id"]

    # a wrong proxy password: the 407 message, and the last publication stays
    set_settings(ws, {"proxy.password": "wrong:p@ss/word"})
    report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
    assert not report.ok
    message = report.results[0].message
    assert "407" in message and "Settings > Proxy" in message and "proxy.password" in message
    with pytest.raises(Exception) as info:
        checks.test_proxy(ws, http_options=FAST)
    assert "407" in str(info.value)
    assert seen_by_phone(platform) == after
    no_secret_anywhere(squid_proxy.password, "wrong:p@ss/word", "wrong%3Ap%40ss%2Fword", platform.password)


def test_https_with_a_private_ca(configured, tmp_path):
    ws, platform = configured
    before = seen_by_phone(platform)
    pki = make_pki(tmp_path / "pki")
    other = make_pki(tmp_path / "other", ca_name="some other CA")
    with serve_https(platform.handle.database, pki) as https_url:
        # no CA bundle set: the test CA is unknown -> the TLS message, nothing changes
        set_settings(ws, {"portal.url": https_url})
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert not report.ok
        message = report.results[0].message
        assert "TLS certificate was refused" in message and "tls.ca_bundle" in message
        assert seen_by_phone(platform) == before
        # a CA bundle of another authority: refused the same way
        set_settings(ws, {"tls.ca_bundle": str(other.ca_file)})
        assert "TLS certificate was refused" in run(ws, "publish", "NORD", as_of=AS_OF,
                                                    http_options=FAST).results[0].message
        # the right CA bundle: published over HTTPS
        set_settings(ws, {"tls.ca_bundle": str(pki.ca_file)})
        assert "Connected to the platform" in checks.test_portal(ws, http_options=FAST)
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert report.ok, [r.message for r in report.results]
    assert seen_by_phone(platform)["publication_id"] == report.results[0].figures["publication_id"]


def test_https_through_squid(configured, squid_proxy, tmp_path):  # noqa: F811
    """CONNECT through squid to the HTTPS platform: passes with the right password, 407 otherwise."""
    ws, platform = configured
    pki = make_pki(tmp_path / "pki")
    with serve_https(platform.handle.database, pki) as https_url:
        set_settings(ws, {"portal.url": https_url, "tls.ca_bundle": str(pki.ca_file), "proxy.mode": "manual",
                          "proxy.host": squid_proxy.host, "proxy.port": str(squid_proxy.port),
                          "proxy.user": squid_proxy.user, "proxy.password": squid_proxy.password})
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert report.ok, [r.message for r in report.results]
        assert "CONNECT 127.0.0.1:" in squid_proxy.access_log(wait_for="CONNECT 127.0.0.1:")
        after = seen_by_phone(platform)
        set_settings(ws, {"proxy.password": "not-it-at-all"})
        report = run(ws, "publish", "NORD", as_of=AS_OF, http_options=FAST)
        assert not report.ok and "407" in report.results[0].message
        assert seen_by_phone(platform) == after
    no_secret_anywhere(squid_proxy.password, "not-it-at-all")
