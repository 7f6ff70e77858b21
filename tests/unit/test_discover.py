"""Finding the Sage databases (engine.sage.discover, issue 16), on real files and drivers.

A folder of real SQLite files (Sage-shaped ones of every kind, non-Sage ones, a text file),
the DSNs of a test odbc.ini read by the real unixODBC driver manager (ODBCINI/ODBCSYSINI in
a subprocess, so no cached driver list interferes) and opened through the SQLite3 ODBC
driver, and a real FreeTDS connection refused by a closed port. There is no SQL Server on
this machine: its discovery query is checked as text with sqlglot's T-SQL parser, as the
extraction queries are (tests/unit/test_sources.py).
"""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlglot

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.sage import discover, queries
from bizsync_tui.engine.sage.discover import Found
from bizsync_tui.engine.sage.source_spec import SourceSpec, parse_source
from bizsync_tui.engine.sage.sources import mssql_connection_string
from tests import sage_fixture as fx

REPO = Path(__file__).resolve().parents[2]


def sage_db(path: Path, *, name: str, entries: bool, documents: bool) -> Path:
    """A Sage-shaped SQLite file: company B's ledger and/or documents, or neither."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    fx.write_company(conn, "sqlite", name=name, docs=fx.company_b_docs() if documents else fx.Docs(),
                     ledger=fx.company_b_ledger() if entries else fx.Ledger())
    conn.commit()
    conn.close()
    return path


def plain_db(path: Path, sql: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    """bijou.db (company A: both), compta/nord_cpta.db (entries only), gc/nord_gc.db (documents
    only), empty.db (the Sage tables, no row but P_DOSSIER's), other.db (one table t),
    partial.db (a P_DOSSIER without the columns bizsync reads), notes.txt and fake.db (text),
    .hidden/secret.db (Sage, in a hidden folder)."""
    base = tmp_path / "sage"
    base.mkdir()
    fx.sqlite_file(base / "bijou.db")
    sage_db(base / "compta" / "nord_cpta.db", name="Bijou Nord", entries=True, documents=False)
    sage_db(base / "gc" / "nord_gc.db", name="Bijou Nord", entries=False, documents=True)
    sage_db(base / "empty.db", name="Nouvelle SARL", entries=False, documents=False)
    plain_db(base / "other.db", "CREATE TABLE t (a int); INSERT INTO t VALUES (1);")
    plain_db(base / "partial.db", "CREATE TABLE P_DOSSIER (D_RaisonSoc varchar(35));")
    (base / "notes.txt").write_text("not a database\n")
    (base / "fake.db").write_text("SQLite format 2 (a text file named .db)\n")
    (base / ".hidden").mkdir()
    fx.sqlite_file(base / ".hidden" / "secret.db")
    return base


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- a folder -----------------------------------------------------------------------------------

def test_folder_lists_the_sage_files_with_name_and_kind(folder):
    before = digest(folder)
    result = discover.discover_dir(folder)
    # by path: bijou.db < compta/... < empty.db < gc/... (other.db and partial.db are not Sage)
    assert [(f.source, f.name, f.kind, f.label) for f in result.found] == [
        (f"sqlite:{folder}/bijou.db", "Bijou SA", "both", "bijou.db"),
        (f"sqlite:{folder}/compta/nord_cpta.db", "Bijou Nord", "accounting", "compta/nord_cpta.db"),
        (f"sqlite:{folder}/empty.db", "Nouvelle SARL", "empty", "empty.db"),
        (f"sqlite:{folder}/gc/nord_gc.db", "Bijou Nord", "commercial", "gc/nord_gc.db"),
    ]
    assert result.not_sage == ["other.db", "partial.db"]  # the text files are never opened
    assert result.looked_at == 6 and result.problems == [] and result.stopped == ""
    # read-only: not a byte changed, no journal or WAL file left behind
    assert digest(folder) == before
    # each line is what `company add --accounting` takes
    line = result.found[1].line()
    assert line == f"sqlite:{folder}/compta/nord_cpta.db\tBijou Nord\taccounting"
    assert parse_source(line.split("\t")[0]) == SourceSpec("sqlite", path=f"{folder}/compta/nord_cpta.db")


def test_folder_bounds(folder):
    result = discover.discover_dir(folder, limit=2)
    assert [f.label for f in result.found] == ["bijou.db", "compta/nord_cpta.db"]
    assert result.looked_at == 2
    assert result.stopped == ("Stopped after 2 databases (the limit of one discovery); 4 not looked at: "
                              "narrow the folder or the server.")
    result = discover.discover_dir(folder, deadline=0)
    assert result.found == [] and result.stopped.startswith("Stopped after 0 s")


def test_folder_depth_is_bounded(tmp_path):
    base = tmp_path / "deep"
    sage_db(base / "a" / "b" / "c" / "d" / "four.db", name="Four", entries=True, documents=True)
    sage_db(base / "a" / "b" / "c" / "d" / "e" / "five.db", name="Five", entries=True, documents=True)
    result = discover.discover_dir(base)
    assert [f.label for f in result.found] == ["a/b/c/d/four.db"]  # 4 folders down: looked at; 5: not
    assert result.stopped.startswith("Only the first 4 levels of folders")


def test_folder_refusals(tmp_path):
    with pytest.raises(discover.DiscoveryError) as exc:
        discover.discover_dir(tmp_path / "nowhere")
    assert str(exc.value) == f"The folder {tmp_path}/nowhere does not exist; give the folder that holds the Sage files."
    (tmp_path / "f.db").write_text("x")
    with pytest.raises(discover.DiscoveryError) as exc:
        discover.discover_dir(tmp_path / "f.db")
    assert str(exc.value) == f"{tmp_path}/f.db is a file, not a folder; give the folder that holds it."


def test_file_verdicts(folder):
    found = discover.file_verdict(folder / "gc" / "nord_gc.db")
    assert found == Found(f"sqlite:{folder}/gc/nord_gc.db", "Bijou Nord", "commercial", "nord_gc.db")
    other = discover.file_verdict(folder / "other.db")
    assert isinstance(other, str) and "lacks the table or column P_DOSSIER" in other
    partial = discover.file_verdict(folder / "partial.db")
    assert isinstance(partial, str) and "D_DebutExo01" in partial  # the first column bizsync reads that is missing
    assert discover.looks_like_sqlite(folder / "bijou.db")
    assert not discover.looks_like_sqlite(folder / "fake.db") and not discover.looks_like_sqlite(folder / "notes.txt")


# -- ODBC DSNs (the real driver manager, in a subprocess with its own odbc.ini) -------------------

def _odbc_env(tmp_path: Path, folder: Path) -> dict:
    import os

    ini = tmp_path / "odbc"
    ini.mkdir()
    (ini / "odbcinst.ini").write_text("[SQLite3]\nDescription=SQLite3 ODBC Driver\nDriver=libsqlite3odbc.so\n")
    (ini / "odbc.ini").write_text("")  # no system DSN
    (tmp_path / "user-odbc.ini").write_text(textwrap.dedent(f"""\
        [SAGE_BIJOU]
        Driver=SQLite3
        Database={folder}/bijou.db

        [compta_nord]
        Driver=SQLite3
        Database={folder}/compta/nord_cpta.db

        [OTHER]
        Driver=SQLite3
        Database={folder}/other.db
        """))
    env = {k: v for k, v in os.environ.items() if k not in ("BIZSYNC_HOME", "BIZSYNC_KEY")}
    env.update(ODBCSYSINI=str(ini), ODBCINI=str(tmp_path / "user-odbc.ini"),
               PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
    return env


PROBE_DSNS = """
import json
from bizsync_tui.engine.sage import discover
result = discover.discover_dsns()
print(json.dumps({"dsns": [[d.name, d.driver] for d in discover.list_dsns()], "drivers": discover.list_drivers(),
                  "found": [[f.source, f.name, f.kind, f.label] for f in result.found], "not_sage": result.not_sage,
                  "problems": result.problems}))
"""


def test_dsns_from_a_test_odbc_ini(tmp_path, folder):
    pytest.importorskip("pyodbc")
    env = _odbc_env(tmp_path, folder)
    r = subprocess.run([sys.executable, "-c", PROBE_DSNS], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["dsns"] == [["compta_nord", "SQLite3"], ["OTHER", "SQLite3"], ["SAGE_BIJOU", "SQLite3"]]
    assert out["drivers"] == ["SQLite3"]
    # each DSN opened through the SQLite3 ODBC driver and judged
    assert out["found"] == [["odbc:DSN=compta_nord", "Bijou Nord", "accounting", "compta_nord"],
                            ["odbc:DSN=SAGE_BIJOU", "Bijou SA", "both", "SAGE_BIJOU"]]
    assert out["not_sage"] == ["OTHER"] and out["problems"] == []
    # and the command line without --dir/--server lists the same, one line each
    r = subprocess.run([sys.executable, "-m", "bizsync_tui", "--data-dir", str(tmp_path / "data"), "sources",
                        "discover"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["odbc:DSN=compta_nord\tBijou Nord\taccounting",
                                     "odbc:DSN=SAGE_BIJOU\tBijou SA\tboth"]
    assert r.stderr.strip() == "Not a Sage 100 database (1): OTHER."


# -- SQL Server: no server here; the text, the strings, and a real refusal ------------------------

def test_sql_server_discovery_text_parses_as_tsql():
    """No SQL Server runs on this machine: the discovery's queries are parsed as T-SQL."""
    for sql in (discover.SQLSERVER_DATABASES_SQL, discover.NAME_SQL, discover.KIND_SQL,
                *(queries.probe_sql(t) for t in queries.REQUIRED_COLUMNS)):
        tree = sqlglot.parse_one(sql, read="tsql", error_level=sqlglot.ErrorLevel.RAISE)
        assert tree is not None and "LIMIT" not in sql.upper()
    tree = sqlglot.parse_one(discover.SQLSERVER_DATABASES_SQL, read="tsql")
    assert tree.find(sqlglot.exp.Table).name == "databases"  # sys.databases
    assert tree.find(sqlglot.exp.Table).db == "sys"
    where = tree.args["where"].sql(dialect="tsql")
    for condition in ("database_id > 4", "state = 0", "source_database_id IS NULL", "HAS_DBACCESS(name) = 1"):
        assert condition in where
    # the same kind probe runs for real on SQLite (below) and PostgreSQL (test_discover_pg)
    assert discover.kind_of(True, False) == "accounting" and discover.kind_of(False, False) == "empty"


def test_sql_server_strings():
    master = discover.server_spec("mssql://sage-srv?instance=SAGE100")
    assert master == SourceSpec("mssql", host="sage-srv", database="master", instance="SAGE100")
    assert discover.server_spec("mssql://sage-srv:1433/BIJOU") == SourceSpec("mssql", host="sage-srv", port=1433,
                                                                              database="master")
    # a database found there has the contract's source string
    from dataclasses import replace

    assert str(replace(master, database="BIJOU")) == "mssql://sage-srv/BIJOU?instance=SAGE100"
    cs = mssql_connection_string(master, "sage", None, driver="FreeTDS")
    assert "SERVER=sage-srv;INSTANCE=SAGE100" in cs and "DATABASE=master" in cs
    assert discover.server_text("mssql", "sage-srv", "", "SAGE100") == "mssql://sage-srv?instance=SAGE100"
    assert discover.server_text("mssql", "::1", "1433") == "mssql://[::1]:1433"
    assert discover.server_text("postgresql", "db.lan", "", drivers=["FreeTDS", "PostgreSQL Unicode"]) == \
        "odbc:DRIVER={PostgreSQL Unicode};SERVER=db.lan;PORT=5432"
    for bad, sentence in ((("mssql", " "), "Type the server's name or address."),
                          (("mssql", "h", "99999"), "The port must be a number from 1 to 65535"),
                          (("mssql", "h/db"), "Type only the server's name or address"),
                          (("postgresql", "h", "", "X"), "A PostgreSQL server has no instance name")):
        with pytest.raises(discover.DiscoveryError) as exc:
            discover.server_text(*bad, drivers=["PostgreSQL Unicode"])
        assert str(exc.value).startswith(sentence)
    with pytest.raises(discover.DiscoveryError) as exc:
        discover.server_text("postgresql", "h", drivers=["FreeTDS"])
    assert "install psqlODBC" in str(exc.value)
    for bad in ("sage-srv", "http://sage-srv", ""):
        with pytest.raises(discover.DiscoveryError) as exc:
            discover.discover_server(bad)
        assert str(exc.value).startswith("Give the server as mssql://HOST[:PORT][?instance=NAME]")
    with pytest.raises(discover.DiscoveryError) as exc:
        discover.discover_server("mssql://sage-srv:99999")
    assert "port" in str(exc.value)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sql_server_unreachable_is_one_sentence():
    """A real FreeTDS connection to a port nobody listens on."""
    pyodbc = pytest.importorskip("pyodbc")
    if "FreeTDS" not in pyodbc.drivers():
        pytest.skip("FreeTDS is not installed")
    port = _closed_port()
    with pytest.raises(discover.DiscoveryError) as exc:
        discover.discover_server(f"mssql://127.0.0.1:{port}", "sage", "Secret-42", deadline=20)
    text = str(exc.value)
    assert text == (f"Cannot list the databases of mssql://127.0.0.1:{port}: The server of "
                    f"mssql://127.0.0.1:{port}/master cannot be reached; check the host, port or instance and "
                    "that the server accepts connections.")
    assert "Secret-42" not in text


# -- ODBC connection strings -------------------------------------------------------------------------

def test_connection_string_database_replaced():
    cs = "DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=5433;Database=postgres;UseServerSidePrepare=1"
    assert discover.with_database(cs, "sage_a") == (
        "DRIVER={PostgreSQL Unicode};SERVER=127.0.0.1;PORT=5433;Database=sage_a;UseServerSidePrepare=1")
    assert discover.with_database("DSN=PG", "x;y") == "DSN=PG;DATABASE={x;y}"
    assert discover.split_connection_string("DRIVER={a}}b};X= 1 ;;Y={;}") == [("DRIVER", "a}b"), ("X", "1"),
                                                                             ("Y", ";")]
    assert discover.join_connection_string([("DRIVER", "a}b"), ("Y", ";")]) == "DRIVER={a}}b};Y={;}"


# -- a new company's proposals --------------------------------------------------------------------------

@pytest.mark.parametrize("name, taken, code", [
    ("Bijou SA", [], "BIJOU"),
    ("Bijou SA", ["BIJOU"], "BIJOUSA"),             # the first word taken: the words together
    ("Bijou SA", ["bijou", "BIJOUSA"], "BIJOU2"),   # both taken: a number (taken compared in upper case)
    ("Bijou SA", ["BIJOU", "BIJOUSA", "BIJOU2"], "BIJOU3"),
    ("Le Café du Port", [], "CAFE"),                # the first word of 3 characters or more, accents folded
    ("Société Générale des Eaux", [], "SOCIETE"),
    ("Internationalisation Corp", [], "INTERNATIONALISAT"),  # 17 characters at most
    ("SA", [], "SA"),
    ("!!!", [], ""),
])
def test_short_code_proposal(name, taken, code):
    assert discover.propose_short_code(name, taken) == code
    if code:
        assert validation.short_code(code) == code


def test_company_proposal():
    found = Found("sqlite:/srv/sage/compta/nord_cpta.db", "Bijou Nord", "accounting", "compta/nord_cpta.db")
    assert discover.propose_company(found, ["BIJOU"]) == discover.Proposal("NORDCPTA", "Bijou Nord", "BIJOUNORD")
    # the admin typed a name: the code follows it
    assert discover.propose_company(found, [], name="Nord Bijoux").short_code == "NORD"
    server = Found("mssql://sage-srv/BIJOU_2026?instance=SAGE100", "Bijou SA", "both", "BIJOU_2026")
    assert discover.propose_company(server).dossier == "BIJOU2026"
    assert discover.propose_dossier(Found("odbc:DSN=x", "Café Été", "both", "")) == "CAFEETE"
    for proposal in (discover.propose_company(found), discover.propose_company(server)):
        validation.dossier(proposal.dossier)


def test_a_server_that_never_answers_is_bounded():
    """A real listener that accepts and never speaks: FreeTDS and psqlODBC give up at the connection
    timeout, which the deadline caps (3 s here): a sentence, not a hang. The bound is generous (the
    machine is shared); it tells a hang from the timeout, it does not measure speed."""
    import threading
    import time

    pyodbc = pytest.importorskip("pyodbc")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    servers = [f"odbc:DRIVER={{PostgreSQL Unicode}};SERVER=127.0.0.1;PORT={port}"]
    if "FreeTDS" in pyodbc.drivers():
        servers.append(f"mssql://127.0.0.1:{port}")
    try:
        for server in servers:
            start = time.monotonic()
            with pytest.raises(discover.DiscoveryError) as exc:
                discover.discover_server(server, "sage", "Secret-42", deadline=3)
            assert time.monotonic() - start < 30
            assert "cannot be reached; check the host, port or instance" in str(exc.value)
        assert accepted  # the connections did reach the listener
    finally:
        listener.close()
        for conn in accepted:
            conn.close()


def test_a_name_with_control_characters_is_printed_clean(tmp_path):
    """D_RaisonSoc is data of the database: a terminal escape, a tab or a line break in it must not
    reach the terminal nor break the command line's one line per database."""
    path = sage_db(tmp_path / "odd.db", name="Bijou\x1b[2J\tSA\nNord\x07", entries=True, documents=False)
    found = discover.probe_file(path)
    assert found.name == "Bijou[2J SA Nord"
    assert found.line() == f"sqlite:{path}\tBijou[2J SA Nord\taccounting"
