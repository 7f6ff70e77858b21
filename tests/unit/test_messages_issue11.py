"""Issue 11 items 6, 8 and 15: sentences that say what is wrong and where to fix it.

Real `bizsync` processes (tests/e2e/cli.py) and the engine functions the TUI calls;
the platform is the real one on loopback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bizsync_tui import i18n
from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.publish.runner import run
from bizsync_tui.engine.sage.source_spec import parse_source
from tests.e2e.cli import bizsync, env_for, ok
from tests.platform_server import platform_server  # noqa: F401  (fixture)
from tests.sage_fixture import AS_OF, sqlite_file, write_company_b
from tests.tls import make_pki

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def french():
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


# -- item 15: tls.ca_bundle must be a PEM file of certificates -------------------------------
def test_a_ca_bundle_that_is_not_pem_is_refused_at_config_set(tmp_path):
    data = tmp_path / "data"
    not_pem = tmp_path / "ca.der"
    not_pem.write_bytes(b"\x30\x82\x01\x0a not a PEM file")
    r = bizsync(data, "config", "set", "tls.ca_bundle", str(not_pem))
    assert r.returncode != 0
    assert f"{not_pem} is not a PEM file of certificates" in r.stderr and "openssl x509 -inform der" in r.stderr
    assert str(not_pem) not in ok(data, "config", "show")  # not saved
    cut = tmp_path / "cut.pem"
    cut.write_text("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n")
    r = bizsync(data, "config", "set", "tls.ca_bundle", str(cut))
    assert r.returncode != 0 and "has a certificate block that cannot be read" in r.stderr
    r = bizsync(data, "config", "set", "tls.ca_bundle", str(tmp_path))
    assert r.returncode != 0 and f"{tmp_path} is a folder" in r.stderr
    ca = make_pki(tmp_path / "pki").ca_file  # a real CA certificate in PEM
    ok(data, "config", "set", "tls.ca_bundle", str(ca))
    assert str(ca) in ok(data, "config", "show")


def test_the_ca_bundle_refusal_is_the_engine_s_and_in_french(ws, tmp_path, french):
    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("hello\n")
    with pytest.raises(ValidationError) as err:
        set_settings(ws, {"tls.ca_bundle": str(not_pem)})  # what the TUI's save calls
    assert err.value.field == "tls.ca_bundle"
    assert "n'est pas un fichier PEM de certificats" in err.value.message
    assert ws.settings.get("tls.ca_bundle") in ("", None)  # the previous value is kept


# -- item 15: a wrong BIZSYNC_KEY ---------------------------------------------------------------
def test_a_wrong_key_says_the_passwords_cannot_be_read(tmp_path, platform_server):  # noqa: F811
    data = tmp_path / "data"
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Nord")
    ok(data, "config", "set", "portal.url", platform_server.url)
    ok(data, "config", "set", "portal.client_code", platform_server.client_code)
    ok(data, "config", "set", "portal.password", stdin=platform_server.password + "\n")
    ok(data, "config", "set", "proxy.mode", "none")
    ok(data, "company", "add", "NORD", "--dossier", "N1", "--name", "Nord", "--accounting", f"sqlite:{nord}",
       "--commercial", f"sqlite:{nord}")
    r = bizsync(data, "publish", "--as-of", AS_OF.isoformat(), env=env_for(BIZSYNC_KEY=Fernet.generate_key().decode()))
    assert r.returncode == 1
    assert "is not complete" not in r.stdout
    assert "the saved passwords cannot be read with the encryption key from BIZSYNC_KEY" in r.stdout
    assert "'bizsync config set portal.password'" in r.stdout
    assert ok(data, "publish", "--as-of", AS_OF.isoformat())  # with the right key (the key file) it publishes


# -- item 15: source texts ----------------------------------------------------------------------
def test_a_sqlite_source_on_a_folder_says_it_is_a_folder(tmp_path):
    r = bizsync(tmp_path / "data", "extract", "--accounting", f"sqlite:{tmp_path}", "--commercial",
                f"sqlite:{tmp_path}", "--as-of", "2026-11-28")
    assert r.returncode != 0
    assert f"{tmp_path} in sqlite:{tmp_path} is a folder, not a database file" in r.stderr
    assert "does not exist" not in r.stderr and "Traceback" not in r.stderr


def test_an_mssql_address_with_a_bad_bracket_is_told_in_the_source_s_terms(tmp_path, french):
    with pytest.raises(ValueError) as err:
        parse_source("mssql://[::1/DB")
    assert "Invalid IPv6 URL" not in str(err.value)
    assert "une adresse IPv6 s'écrit entre deux crochets" in str(err.value)
    i18n.set_language("en")
    r = bizsync(tmp_path / "data", "company", "add", "X", "--dossier", "X1", "--name", "X", "--accounting",
                "mssql://[::1/DB", "--commercial", "mssql://[::1]:1433/DB")
    assert r.returncode != 0
    assert "an IPv6 address goes between a pair of brackets, as mssql://[::1]:1433/DATABASE" in r.stderr
    assert "Invalid IPv6 URL" not in r.stderr
    spec = parse_source("mssql://[::1]:1433/DB")
    assert (spec.host, spec.port, spec.database) == ("::1", 1433, "DB")
    assert parse_source(str(spec)) == spec  # stored and read back, brackets kept


# -- item 8: every "Settings > X" names a section that exists -----------------------------------
SECTIONS = {"Settings": {"Connection", "Proxy", "Schedule", "Alerts"},
            "Paramètres": {"Connexion", "Proxy", "Planification", "Alertes"}}


def test_no_message_sends_the_admin_to_a_section_that_does_not_exist():
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "bizsync_tui").rglob("*.py")]
    po = REPO / "bizsync_tui" / "locale" / "fr" / "LC_MESSAGES" / "bizsync.po"
    if po.exists():
        texts.append(po.read_text(encoding="utf-8"))
    found = {(m.group(1), m.group(2)) for t in texts for m in re.finditer(r"(Settings|Paramètres) > (\w+)", t)}
    assert ("Settings", "Connection") in found
    wrong = sorted((a, b) for a, b in found if b not in SECTIONS[a])
    assert wrong == [], wrong  # e.g. ("Settings", "Database") sent admins to nowhere


# -- item 6: publishing nothing is not a success -------------------------------------------------
def test_a_company_without_views_makes_the_run_fail_with_a_sentence(ws, tmp_path, platform_server):  # noqa: F811
    """A company kept without views (the TUI asks before saving one) publishes nothing: not a success."""
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Nord")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none"})
    save_company(ws, CompanyData(short_code="EMPTY", name="Empty SA", dossier="E1", accounting_source=f"sqlite:{nord}",
                                 commercial_source=f"sqlite:{nord}", views=[]))
    report = run(ws, "publish", as_of=AS_OF)
    assert not report.ok
    assert [(r.operation, r.company, r.success) for r in report.results] == [("publish", "EMPTY", False),
                                                                            ("users", "", True)]
    assert report.results[0].message.startswith("The company EMPTY has no view ticked; tick its views in Companies")
    assert "0 views" not in report.summary() and report.summary() == "1 of 2 operation(s) succeeded."


def test_a_run_that_publishes_no_user_says_so(ws, tmp_path, platform_server):  # noqa: F811
    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Nord")
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none"})
    save_company(ws, CompanyData(short_code="NORD", name="Nord", dossier="N1", accounting_source=f"sqlite:{nord}",
                                 commercial_source=f"sqlite:{nord}", views=["sales_revenue"]))
    report = run(ws, "publish", as_of=AS_OF)
    assert [(r.operation, r.success) for r in report.results] == [("publish", True), ("users", True)]
    assert report.results[1].message == ("Published no mobile user: nobody can read the publications yet; "
                                         "add users in Users or with 'bizsync user add'.")


def test_a_saved_bundle_that_is_not_pem_is_named_at_publish_not_the_scheme(ws, tmp_path, platform_server):  # noqa: F811
    """A bundle saved before the check (or replaced since) says what is wrong, over real HTTPS."""
    from tests.tls import serve_https

    nord = sqlite_file(tmp_path / "nord.db", write_company_b, name="Nord")
    set_settings(ws, {"portal.client_code": platform_server.client_code, "portal.password": platform_server.password,
                      "proxy.mode": "none"})
    save_company(ws, CompanyData(short_code="NORD", name="Nord", dossier="N1", accounting_source=f"sqlite:{nord}",
                                 commercial_source=f"sqlite:{nord}", views=["sales_revenue"]))
    pki = make_pki(tmp_path / "pki")
    broken = tmp_path / "ca.pem"
    broken.write_text(pki.ca_file.read_text())
    with serve_https(platform_server.handle.database, pki) as https_url:
        set_settings(ws, {"portal.url": https_url, "tls.ca_bundle": str(broken)})
        broken.write_bytes(b"\x30\x82 DER bytes, not PEM")  # the file changed after it was set
        report = run(ws, "publish", as_of=AS_OF)
    assert not report.ok
    message = report.results[0].message
    assert "scheme" not in message
    assert message.startswith(f"The CA bundle set in tls.ca_bundle cannot be used: {broken} is not a PEM file")
