"""A throwaway PostgreSQL 15 server on loopback, for tests (TOOLCHAIN.md).

    from tests.pg import pg_server  # noqa: F401  (the session fixture)

    def test_x(pg_server):
        name = pg_server.create_database("sage_a")          # fresh, empty
        conn = pg_server.connect(name)                        # pyodbc, autocommit
        src = f"odbc:{pg_server.odbc_string(name)}"          # for engine.sources (no password in it)

The cluster is created once per test session with initdb (run as the
`postgres` user through runuser, since initdb refuses root), listens on
127.0.0.1 at a random free port with `fsync=off`, and asks for a password
(scram-sha-256) so that a wrong password is refused for real. It is stopped and
deleted at the end of the session. Tests are skipped when the PostgreSQL
server binaries or the psqlODBC driver are missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")
ODBC_DRIVER = "PostgreSQL Unicode"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    for cand in PG_BIN_CANDIDATES:
        if (Path(cand) / "initdb").exists():
            return Path(cand)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


@dataclass
class PgServer:
    host: str
    port: int
    superuser: str
    password: str
    bin_dir: Path
    data_dir: Path
    _databases: list = field(default_factory=list)

    def odbc_string(self, database: str = "postgres") -> str:
        """A psqlODBC connection string without credentials."""
        return (f"DRIVER={{{ODBC_DRIVER}}};SERVER={self.host};PORT={self.port};DATABASE={database};"
                "UseServerSidePrepare=1")

    def connect(self, database: str = "postgres", *, user: str | None = None, password: str | None = None):
        import pyodbc

        user = user or self.superuser
        password = self.password if password is None else password
        pw = "{" + password.replace("}", "}}") + "}"
        return pyodbc.connect(f"{self.odbc_string(database)};UID={user};PWD={pw}", autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        """Create a fresh empty database and return its name."""
        name = name or f"db_{secrets.token_hex(4)}"
        conn = self.connect()
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        self._databases.append(name)
        return name

    def create_user(self, name: str, password: str) -> None:
        """A login role (password given in SQL: the test chooses it; quotes doubled)."""
        conn = self.connect()
        try:
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')
            literal = password.replace("'", "''")
            conn.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{literal}'")
        finally:
            conn.close()


def start_pg() -> PgServer:
    bin_dir = _pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found")
    import pyodbc

    if ODBC_DRIVER not in pyodbc.drivers():
        raise RuntimeError("psqlODBC driver not installed")
    base = Path(tempfile.mkdtemp(prefix="bizsync-pg-"))
    os.chmod(base, 0o755)  # traversable by the postgres user
    data = base / "data"
    pwfile = base / "pw"
    password = "pg-" + secrets.token_hex(8)
    pwfile.write_text(password + "\n")
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(pwfile, "postgres")
    subprocess.run(run_as + [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "scram-sha-256",
                             "--pwfile", str(pwfile), "-E", "UTF8", "--locale", "C"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port = _free_port()
    opts = f"-c fsync=off -c listen_addresses=127.0.0.1 -p {port} -k {base} -c full_page_writes=off"
    subprocess.run(run_as + [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"),
                             "-w", "-t", "30", "start"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = PgServer("127.0.0.1", port, "postgres", password, bin_dir, data)
    deadline = time.time() + 20
    while True:
        try:
            server.connect().close()
            break
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    return server


def stop_pg(server: PgServer) -> None:
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    subprocess.run(run_as + [str(server.bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-m", "immediate",
                             "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(server.data_dir.parent, ignore_errors=True)


_SERVER: PgServer | None = None
_FAILED: str | None = None


def shared_server() -> PgServer:
    """One server per test process, however many modules import the fixture
    (each import registers its own fixture definition)."""
    global _SERVER, _FAILED
    if _SERVER is None and _FAILED is None:
        try:
            _SERVER = start_pg()
        except Exception as exc:  # no server binaries or driver here
            _FAILED = str(exc)
        else:
            import atexit

            atexit.register(stop_pg, _SERVER)
    if _SERVER is None:
        pytest.skip(f"PostgreSQL not available: {_FAILED}")
    return _SERVER


@pytest.fixture(scope="session")
def pg_server():
    return shared_server()
