"""Opening sources and the errors a wrong one gets, each produced for real
(SQLite files, the ODBC driver manager, FreeTDS, a PostgreSQL 15 server on loopback).
SQL Server itself cannot run here: its connection strings are checked as text and its
queries with sqlglot's T-SQL parser."""

from __future__ import annotations

import datetime as dt
import socket
import sqlite3

import pytest
import sqlglot

from bizsync_tui.engine import checks
from bizsync_tui.engine import catalogue
from bizsync_tui.engine.sage import dialect
from bizsync_tui.engine.sage import queries
from bizsync_tui.engine.sage import sources
from bizsync_tui.engine.sage.extract import extract_figures
from bizsync_tui.engine.sage.source_spec import parse_source
from bizsync_tui.engine.sage.sources import SourceError, open_source
from tests import sage_fixture as fx
from tests.pg import pg_server  # noqa: F401  (fixture)

NASTY = "p;w}d=x{y} "


@pytest.fixture(scope="module")
def sqlite_a(tmp_path_factory):
    return fx.sqlite_file(tmp_path_factory.mktemp("src") / "a.db")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_odbc_value_escaping():
    assert sources.odbc_value("plain") == "plain"
    assert sources.odbc_value("a;b") == "{a;b}"
    assert sources.odbc_value("a}b") == "{a}}b}"
    assert sources.odbc_value(NASTY) == "{p;w}}d=x{y}} }"


def test_sqlite_missing_file(tmp_path):
    with pytest.raises(SourceError) as err:
        open_source(parse_source(f"sqlite:{tmp_path}/nope.db"))
    assert "does not exist" in str(err.value) and "nope.db" in str(err.value)


def test_sqlite_not_a_database(tmp_path):
    p = tmp_path / "x.db"
    p.write_bytes(b"this is no database at all" * 100)
    with pytest.raises(SourceError) as err:
        open_source(parse_source(f"sqlite:{p}"))
    assert "not a SQLite database" in str(err.value)


def test_sqlite_is_read_only(sqlite_a):
    with open_source(parse_source(f"sqlite:{sqlite_a}")) as src:
        with pytest.raises(SourceError):
            src.query("DELETE FROM F_DOCLIGNE")
        with pytest.raises(sqlite3.OperationalError):  # the connection itself is read-only
            src._conn.execute("DELETE FROM F_DOCLIGNE")
    assert sqlite3.connect(sqlite_a).execute("SELECT COUNT(*) FROM F_DOCLIGNE").fetchone()[0] > 0


def test_missing_table_and_column(tmp_path, sqlite_a):
    for what, sql in (("F_ECRITUREC", "DROP TABLE F_ECRITUREC"),
                      ("DL_PieceBC", "ALTER TABLE F_DOCLIGNE DROP COLUMN DL_PieceBC")):
        path = tmp_path / f"{what}.db"
        fx.sqlite_file(path)
        conn = sqlite3.connect(path)
        conn.execute(sql)
        conn.commit()
        conn.close()
        for text in (f"sqlite:{path}", f"odbc:DRIVER=SQLite3;Database={path}"):
            spec = parse_source(text)
            with pytest.raises(SourceError) as err:
                extract_figures(spec, spec, as_of=fx.AS_OF)
            msg = str(err.value)
            assert what in msg and "not a Sage 100 database, or a version before 16" in msg, msg
            with pytest.raises(SourceError):
                checks.test_source(spec)


def test_no_fiscal_year(sqlite_a):
    spec = parse_source(f"sqlite:{sqlite_a}")
    with pytest.raises(SourceError) as err:
        extract_figures(spec, spec, as_of=dt.date(2020, 6, 1))  # every used slot starts later
    assert "no fiscal year" in str(err.value) and "2020-06-01" in str(err.value)


def test_test_source_success(sqlite_a):
    text = checks.test_source(parse_source(f"sqlite:{sqlite_a}"), as_of=fx.AS_OF)
    assert "Bijou SA" in text and "2026-01-01" in text and "EUR" in text
    text = checks.test_source(parse_source(f"odbc:DRIVER=SQLite3;Database={sqlite_a}"), as_of=fx.AS_OF)
    assert "Bijou SA" in text


def test_no_odbc_driver(sqlite_a):
    with pytest.raises(SourceError) as err:
        open_source(parse_source(f"odbc:DRIVER={{No Such Driver 9}};Database={sqlite_a}"))
    assert "not installed" in str(err.value)
    with pytest.raises(SourceError) as err:
        open_source(parse_source("odbc:DSN=bizsync_no_such_dsn"))
    assert "not installed" in str(err.value)


def test_odbc_dialect_detected(sqlite_a):
    with open_source(parse_source(f"odbc:DRIVER=SQLite3;Database={sqlite_a}")) as src:
        assert src.dialect.name == "sqlite" and src.kind == "odbc"


# -- PostgreSQL through psqlODBC ----------------------------------------------------------

def test_pg_password_with_special_characters(pg_server):  # noqa: F811
    pg_server.create_user("sage_reader", NASTY)
    spec = parse_source(f"odbc:{pg_server.odbc_string('postgres')}")
    with open_source(spec, "sage_reader", NASTY) as src:
        assert src.dialect.name == "postgresql"
        assert src.query("SELECT 1") == [(1,)]


def test_pg_wrong_password(pg_server):  # noqa: F811
    spec = parse_source(f"odbc:{pg_server.odbc_string('postgres')}")
    with pytest.raises(SourceError) as err:
        open_source(spec, pg_server.superuser, "wrong-Secret-42")
    msg = str(err.value)
    assert "refused the login" in msg and "wrong-Secret-42" not in msg


def test_pg_database_missing(pg_server):  # noqa: F811
    spec = parse_source(f"odbc:{pg_server.odbc_string('no_such_db')}")
    with pytest.raises(SourceError) as err:
        open_source(spec, pg_server.superuser, pg_server.password)
    assert "does not exist" in str(err.value) and "database name" in str(err.value)


def test_pg_missing_table(pg_server):  # noqa: F811
    name = pg_server.create_database("empty_sage")
    spec = parse_source(f"odbc:{pg_server.odbc_string(name)}")
    with pytest.raises(SourceError) as err:
        extract_figures(spec, spec, user=pg_server.superuser, password=pg_server.password, as_of=fx.AS_OF)
    assert "P_DOSSIER" in str(err.value).upper() and "version before 16" in str(err.value)


def test_pg_unreachable(pg_server):  # noqa: F811
    cs = pg_server.odbc_string("postgres").replace(f"PORT={pg_server.port}", f"PORT={_closed_port()}")
    with pytest.raises(SourceError) as err:
        open_source(parse_source(f"odbc:{cs}"), "u", "p", timeout=3)
    assert "cannot be reached" in str(err.value)


# -- SQL Server -----------------------------------------------------------------------------

def test_mssql_connection_strings():
    # Text only: no SQL Server can run here (a double of the server, not of our code).
    spec = parse_source("mssql://sage-srv/BIJOU?instance=SAGE100")
    cs = sources.mssql_connection_string(spec, "sa", NASTY, driver="ODBC Driver 18 for SQL Server")
    assert "DRIVER={ODBC Driver 18 for SQL Server}" in cs
    assert "SERVER=sage-srv\\SAGE100" in cs and "TrustServerCertificate=yes" in cs
    assert cs.endswith("PWD={p;w}}d=x{y}} }") and "UID=sa" in cs
    cs = sources.mssql_connection_string(parse_source("mssql://h:1500/DB"), None, None,
                                         driver="ODBC Driver 17 for SQL Server")
    assert "SERVER=h,1500" in cs and "TrustServerCertificate" not in cs and "PWD" not in cs
    cs = sources.mssql_connection_string(spec, "sa", "x", driver="FreeTDS")
    assert "SERVER=sage-srv" in cs and "INSTANCE=SAGE100" in cs
    assert sources.sqlserver_driver(["FreeTDS", "ODBC Driver 17 for SQL Server"]) == "ODBC Driver 17 for SQL Server"
    assert sources.sqlserver_driver(["SQLite3"]) is None


def test_mssql_no_driver(monkeypatch):
    # The installed driver list is replaced (we cannot uninstall FreeTDS in a test).
    monkeypatch.setattr(sources, "installed_drivers", lambda: ["SQLite3"])
    with pytest.raises(SourceError) as err:
        open_source(parse_source("mssql://h/DB"), "sa", "x")
    assert "No SQL Server ODBC driver" in str(err.value)


def test_mssql_unreachable_through_freetds():
    with pytest.raises(SourceError) as err:
        open_source(parse_source(f"mssql://127.0.0.1:{_closed_port()}/BIJOU"), "sa", "secret-pw", timeout=3)
    assert "cannot be reached" in str(err.value) and "secret-pw" not in str(err.value)


def test_tsql_text_of_every_query_parses():
    from benchmarks.baseline import careful_view_sql

    d = dialect.get("mssql")
    b = queries.Bounds(fx.AS_OF, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    texts = queries.extraction_sql(d, b)
    for view_id in catalogue.VIEW_IDS:
        texts.append(careful_view_sql(d, b, view_id, cash_prefixes=("514",)))
    texts += [queries.probe_sql(t) for t in queries.REQUIRED_COLUMNS]
    for sql in texts:
        assert "LIMIT" not in sql.upper().split("CAST(")[0] or "TOP" in sql
        tree = sqlglot.parse_one(sql, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)
        assert tree is not None
    grain = queries.sales_grain_sql(d, b)
    assert "CONVERT(datetime, '20261101', 112)" in grain and "LIMIT" not in grain
    # SQL Server groups the lines both ways in one pass; no two-row CROSS JOIN doubling them;
    # the labels joined to the grouped rows, on the unique keys
    assert "GROUPING SETS ((t.tiers, t.rep), (t.item))" in grain and "CROSS JOIN" not in grain
    assert "LEFT JOIN F_COMPTET c ON g.k = 1 AND c.CT_Num = LTRIM(RTRIM(g.code))" in grain
    ledger = queries.ledger_grain_sql(d, b)[0]
    # one CASE per entry on JM_Date / EC_Jour: no date arithmetic (it would hide JM_Date from an index)
    assert "DATEADD" not in ledger and "e.JM_Date >= CONVERT(datetime, '20260101', 112)" in ledger
    assert "SELECT TOP 5 " in careful_view_sql(d, b, "top_items_month")
