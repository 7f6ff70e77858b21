"""Discovery on the test PostgreSQL 15 server (tests/pg.py), through psqlODBC, as an admin
would run it: two Sage-shaped databases, one that is not, one the management user may not
read, found with a read-only management role; then `bizsync sources discover --server`
and `bizsync company add` with what it printed, in real processes.

The test server is shared by the test modules of one process, so other tests' databases
may be on it too: the assertions look at this module's databases (a random prefix).
"""

from __future__ import annotations

import secrets

import pytest

from bizsync_tui.engine import checks
from bizsync_tui.engine.sage import discover
from tests import sage_fixture as fx
from tests.e2e.cli import bizsync, ok
from tests.pg import pg_server  # noqa: F401  (fixture)

READER_PASSWORD = "Rd-" + secrets.token_hex(6) + ";}x"  # ; and } must survive the connection string


@pytest.fixture(scope="module")
def sage_server(pg_server):
    """sage_<t>_a: company A (entries and documents), sage_<t>_b: company B's documents only,
    plain_<t>: one table t, sage_<t>_c: Sage-shaped but the reader has no SELECT on it."""
    tag = secrets.token_hex(3)
    names = {k: f"{'plain' if k == 'plain' else 'sage'}_{tag}_{k}" for k in ("a", "b", "c", "plain")}
    reader = f"reader_{tag}"
    pg_server.create_user(reader, READER_PASSWORD)
    for key, name in names.items():
        pg_server.create_database(name)
        conn = pg_server.connect(name)
        try:
            if key == "a":
                fx.write_company_a(conn, "postgresql")
            elif key in ("b", "c"):
                fx.write_company(conn, "postgresql", name="Bijou Nord", docs=fx.company_b_docs(), ledger=fx.Ledger())
            else:
                conn.execute("CREATE TABLE t (a int)")
            if key != "c":  # read-only: SELECT, nothing else
                conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{reader}"')
        finally:
            conn.close()
    return pg_server, names, reader


def _mine(result: discover.Discovery, names: dict) -> list[tuple[str, str, str, str]]:
    ours = set(names.values())
    return [(f.label, f.source, f.name, f.kind) for f in result.found if f.label in ours]


def test_pg_server_lists_its_sage_databases(sage_server):
    server, names, reader = sage_server
    result = discover.discover_server(f"odbc:{server.odbc_string('postgres')}", reader, READER_PASSWORD)
    # psqlODBC's string of the server, DATABASE= set to each database (by name: a < b)
    assert _mine(result, names) == [
        (names["a"], f"odbc:{server.odbc_string(names['a'])}", "Bijou SA", "both"),
        (names["b"], f"odbc:{server.odbc_string(names['b'])}", "Bijou Nord", "commercial"),
    ]
    assert names["plain"] in result.not_sage and "postgres" in result.not_sage
    # the one the reader may not SELECT from: a sentence naming it, never the password
    problems = [p for p in result.problems if names["c"] in p]
    assert len(problems) == 1 and READER_PASSWORD not in problems[0]
    assert "opened, but its tables could not be read; check that the management database user may read them" \
        in problems[0]
    assert names["c"] not in result.not_sage and result.stopped == ""
    # what was found opens as a source and is a Sage company (the Test button's check)
    sentence = checks.test_source(f"odbc:{server.odbc_string(names['b'])}", reader, READER_PASSWORD,
                                  as_of=fx.AS_OF)
    assert "company 'Bijou Nord'" in sentence


def test_pg_discovery_refusals(sage_server):
    server, names, reader = sage_server
    with pytest.raises(discover.DiscoveryError) as exc:
        discover.discover_server(f"odbc:{server.odbc_string('postgres')}", reader, "wrong-Secret-42")
    assert str(exc.value).startswith("Cannot list the databases of odbc:DRIVER={PostgreSQL Unicode}")
    assert "refused the login; check the management database user and password" in str(exc.value)
    assert "wrong-Secret-42" not in str(exc.value)
    # the limit: the first database by name is looked at, the rest said
    result = discover.discover_server(f"odbc:{server.odbc_string('postgres')}", reader, READER_PASSWORD, limit=1)
    assert result.looked_at == 1 and result.stopped.startswith("Stopped after 1 databases")


def test_discover_then_add_from_the_command_line(sage_server, tmp_path):
    """The issue's "done when", from the command line: discover, then `company add` what it printed."""
    server, names, reader = sage_server
    data = tmp_path / "data"
    ok(data, "config", "set", "database.user", reader)
    ok(data, "config", "set", "database.password", stdin=READER_PASSWORD + "\n")
    r = bizsync(data, "sources", "discover", "--server", f"odbc:{server.odbc_string('postgres')}")
    assert r.returncode == 0, r.stderr
    lines = [line.split("\t") for line in r.stdout.splitlines()]
    mine = {fields[0]: fields[1:] for fields in lines if names["a"] in fields[0] or names["b"] in fields[0]}
    a_source, b_source = f"odbc:{server.odbc_string(names['a'])}", f"odbc:{server.odbc_string(names['b'])}"
    assert mine == {a_source: ["Bijou SA", "both"], b_source: ["Bijou Nord", "commercial"]}
    assert READER_PASSWORD not in r.stdout + r.stderr
    ok(data, "company", "add", "NORD", "--dossier", "NORD01", "--name", "Bijou Nord", "--accounting", b_source,
       "--commercial", b_source, "--views", "sales_revenue")
    assert b_source in ok(data, "company", "list")
