"""`bizsync extract` through the real command line (bizsync_tui.cli.main) on real databases."""

from __future__ import annotations

import io
import json

import pytest

from bizsync_tui.cli import main
from tests import sage_fixture as fx
from tests.pg import pg_server  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    return fx.sqlite_file(base / "a.db"), fx.sqlite_file(base / "b.db", fx.write_company_b)


def _json(capsys):
    out = capsys.readouterr().out
    return json.loads(out)


def test_direct_sources(dbs, capsys):
    a, _ = dbs
    assert main(["extract", "--accounting", f"sqlite:{a}", "--commercial", f"odbc:DRIVER=SQLite3;Database={a}",
                 "--as-of", "2026-11-28", "--short-code", "BIJOU", "--dossier", "BIJOU01"]) == 0
    body = _json(capsys)
    assert body["company"] == {"short_code": "BIJOU", "dossier": "BIJOU01", "name": "Bijou SA", "currency": "EUR"}
    assert len(body["views"]) == 17
    # hand-worked in test_extract_views.py: month 4975.005, cash total 10830.25
    assert body["views"]["sales_revenue"]["month"]["amount"] == "4975.01"
    assert body["views"]["cash_position"]["total"] == "10830.25"


def test_views_and_prefix_options(dbs, capsys):
    a, _ = dbs
    assert main(["extract", "--accounting", f"sqlite:{a}", "--as-of", "2026-11-28", "--views",
                 "accounting_revenue,cash_position", "--revenue-prefixes", "701", "--cash-prefixes", "514"]) == 0
    body = _json(capsys)
    assert list(body["views"]) == ["accounting_revenue", "cash_position"]
    assert body["views"]["accounting_revenue"]["year"]["amount"] == "3600.00"  # 701 only: 1000 - 100 + 2700
    assert body["views"]["cash_position"]["total"] == "10860.25"  # + 514000's 30


def test_refusals(dbs, tmp_path, capsys):
    a, _ = dbs
    assert main(["extract", "--accounting", f"sqlite:{tmp_path}/none.db"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["extract", "--accounting", f"sqlite:{a}", "--as-of", "28/11/2026"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["extract", "--accounting", f"sqlite:{a}", "--views", "nope"]) == 1
    assert "not a view" in capsys.readouterr().err
    assert main(["extract", "--accounting", f"sqlite:{a}", "--as-of", "2019-01-01"]) == 1
    assert "no fiscal year" in capsys.readouterr().err


def test_user_password_from_stdin_on_postgresql(pg_server, monkeypatch, capsys):  # noqa: F811
    name = pg_server.create_database("cli_sage")
    conn = pg_server.connect(name)
    conn.autocommit = False
    fx.write_company_a(conn, "postgresql")
    conn.commit()
    conn.close()
    src = f"odbc:{pg_server.odbc_string(name)}"
    monkeypatch.setattr("sys.stdin", io.StringIO(pg_server.password + "\n"))
    assert main(["extract", "--accounting", src, "--user", pg_server.superuser, "--as-of", "2026-11-28",
                 "--views", "top_customer_outstanding"]) == 0
    assert _json(capsys)["views"]["top_customer_outstanding"]["total"] == "4415.01"
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-pass\n"))
    assert main(["extract", "--accounting", src, "--user", pg_server.superuser]) == 1
    err = capsys.readouterr().err
    assert "refused the login" in err and "wrong-pass" not in err


def test_company_and_group(dbs, tmp_path, capsys):
    a, b = dbs
    data = str(tmp_path / "data")
    for code, path in (("BIJOU", a), ("NORD", b)):
        assert main(["--data-dir", data, "company", "add", code, "--dossier", f"{code}01", "--name", code,
                     "--accounting", f"sqlite:{path}", "--commercial", f"sqlite:{path}", "--views", "all"]) == 0
    assert main(["--data-dir", data, "group", "add", "GRP", "--name", "Groupe", "--members", "BIJOU,NORD",
                 "--views", "sales_revenue,top_customers_month"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "extract", "--company", "BIJOU", "--as-of", "2026-11-28"]) == 0
    assert _json(capsys)["views"]["sales_revenue"]["month"]["amount"] == "4975.01"
    assert main(["--data-dir", data, "extract", "--group", "GRP", "--as-of", "2026-11-28"]) == 0
    body = _json(capsys)
    # hand-worked in test_groups_extract.py: 4975.005 + 1300 ; C6 650 + 1000 first
    assert body["views"]["sales_revenue"]["month"]["amount"] == "6275.01"
    assert body["views"]["top_customers_month"]["rows"][0]["code"] == "C6"
