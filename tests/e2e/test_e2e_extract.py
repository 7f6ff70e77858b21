"""Issue 6 "Done when": `bizsync extract --accounting sqlite:X --commercial sqlite:X --as-of D`
prints all 17 views of a small hand-made Sage-shaped file, correct to the cent (figures
worked out by hand in tests/e2e/tiny_sage.py), and the same numbers come out of the same
rows loaded into a real PostgreSQL server read through psqlODBC — with the management
credentials given on stdin (direct sources) and saved with `config set` (--company).
"""

from __future__ import annotations

import json

import pytest

from tests.e2e import tiny_sage as sage
from tests.e2e.cli import bizsync, ok
from tests.pg import pg_server  # noqa: F401  (session fixture: a real PostgreSQL 15)


@pytest.fixture(scope="module")
def tiny_a(tmp_path_factory):
    return sage.sqlite_file(tmp_path_factory.mktemp("e2e_extract") / "tiny_a.sqlite", "A")


def test_extract_sqlite_prints_all_17_views_to_the_cent(tiny_a, tmp_path):
    out = ok(tmp_path / "data", "extract", "--accounting", f"sqlite:{tiny_a}", "--commercial", f"sqlite:{tiny_a}",
             "--as-of", sage.AS_OF)
    body = json.loads(out)
    assert body["as_of"] == sage.AS_OF
    assert body["fiscal_year"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert body["company"]["name"] == "Tiny SA" and body["company"]["currency"] == "EUR"
    assert len(body["views"]) == 17
    for view_id, expected in sage.EXPECTED_A.items():
        assert body["views"][view_id] == expected, view_id
    # a wrong date format is refused with what to type
    r = bizsync(tmp_path / "data", "extract", "--accounting", f"sqlite:{tiny_a}", "--as-of", "28/11/2026")
    assert r.returncode != 0 and "YYYY-MM-DD" in r.stderr


def test_same_numbers_from_postgresql_through_odbc(pg_server, tmp_path):  # noqa: F811
    name = pg_server.create_database("e2e_tiny_a")
    conn = pg_server.connect(name)
    conn.autocommit = False
    sage.write(conn, "A", "postgresql")
    conn.close()
    src = f"odbc:DRIVER={{PostgreSQL Unicode}};SERVER={pg_server.host};PORT={pg_server.port};DATABASE={name}"
    data = tmp_path / "data"

    # direct sources: the management user on the command line, its password on stdin
    out = ok(data, "extract", "--accounting", src, "--commercial", src, "--as-of", sage.AS_OF,
             "--user", pg_server.superuser, stdin=pg_server.password + "\n")
    body = json.loads(out)
    assert len(body["views"]) == 17
    for view_id, expected in sage.EXPECTED_A.items():
        assert body["views"][view_id] == expected, view_id
    assert pg_server.password not in out

    # a configured company: the management credentials saved with `config set`
    ok(data, "config", "set", "database.user", pg_server.superuser)
    ok(data, "config", "set", "database.password", stdin=pg_server.password + "\n")
    ok(data, "company", "add", "TINYPG", "--dossier", "TINYPG", "--name", "Tiny PG", "--accounting", src,
       "--commercial", src, "--views", "all")
    body = json.loads(ok(data, "extract", "--company", "TINYPG", "--as-of", sage.AS_OF))
    assert body["company"]["short_code"] == "TINYPG"
    assert body["views"] == sage.EXPECTED_A

    # a wrong saved password: one sentence, no secret
    ok(data, "config", "set", "database.password", stdin="not-the-password\n")
    r = bizsync(data, "extract", "--company", "TINYPG", "--as-of", sage.AS_OF)
    assert r.returncode != 0 and "refused the login" in r.stderr
    assert "not-the-password" not in r.stderr
