"""Opening a Sage source (ARCHITECTURE.md "Sage sources"), read-only.

`open_source(spec, user, password, timeout)` gives a `Source`: a connection
that only runs SELECTs, knows its SQL dialect and turns every driver error into
a `SourceError` whose text is one sentence naming the source (masked) and what
to check. Secrets never reach a message: the management password is only put
into the connection string handed to the driver.
"""

from __future__ import annotations

import os
import re
import sqlite3
from urllib.parse import quote

from bizsync_tui.engine.sage import dialect as _dialect
from bizsync_tui.i18n import N_, _
from bizsync_tui.engine.sage.queries import REQUIRED_COLUMNS, probe_sql
from bizsync_tui.engine.sage.source_spec import SourceSpec, parse_source

DEFAULT_TIMEOUT = 15  # seconds, for connecting

SQLSERVER_DRIVERS = ("ODBC Driver 18 for SQL Server", "ODBC Driver 17 for SQL Server", "FreeTDS")

NOT_SAGE = N_("it is not a Sage 100 database, or a version before 16")


class SourceError(Exception):
    """A source that cannot be read; str() is one sentence for the admin."""


# -- the management credentials -----------------------------------------------------
CANNOT_DECRYPT_DB = N_("The saved management-database password cannot be read with this encryption key; "
                       "type it again in Settings > Connection, tab 'Management files', or with "
                       "'bizsync config set database.password'.")


def management_credentials(values) -> tuple[str | None, str | None]:
    """(user, password) for the Sage sources from the settings values (`ws.settings.values()`),
    the one place they are read: None for what is not set. Raises SourceError when a user is
    set and the saved password cannot be read with this encryption key."""
    user = (values.get("database.user") or "").strip() or None
    password = values.get("database.password")
    if user and password is None:
        raise SourceError(_(CANNOT_DECRYPT_DB))
    return user, (password or None)


# -- connection strings ------------------------------------------------------------

def odbc_value(value: str) -> str:
    """An ODBC connection-string value: braced (with } doubled) when it holds ; { } = or
    edge spaces, so those survive; left bare otherwise (psqlODBC reads UID={x} literally)."""
    value = "" if value is None else str(value)
    if any(ch in value for ch in ";{}=") or value != value.strip():
        return "{" + value.replace("}", "}}") + "}"
    return value


def _with_credentials(cs: str, user: str | None, password: str | None) -> str:
    cs = cs.strip().rstrip(";")
    if user:
        cs += f";UID={odbc_value(user)}"
    if password:
        cs += f";PWD={odbc_value(password)}"
    return cs


def installed_drivers() -> list[str]:
    try:
        import pyodbc
    except ImportError:  # pragma: no cover - pyodbc is a dependency
        return []
    return list(pyodbc.drivers())


def sqlserver_driver(drivers: list[str] | None = None) -> str | None:
    """The best SQL Server ODBC driver installed, or None."""
    drivers = installed_drivers() if drivers is None else drivers
    for name in SQLSERVER_DRIVERS:
        if name in drivers:
            return name
    return None


def mssql_connection_string(spec: SourceSpec, user: str | None, password: str | None,
                            *, driver: str, timeout: int = DEFAULT_TIMEOUT) -> str:
    """The ODBC string for an `mssql://` source with `driver` (credentials included)."""
    parts = ["DRIVER={" + driver.replace("}", "}}") + "}"]
    if driver == "FreeTDS":
        parts.append(f"SERVER={odbc_value(spec.host)}")
        if spec.port:
            parts.append(f"PORT={spec.port}")
        elif spec.instance:
            parts.append(f"INSTANCE={odbc_value(spec.instance)}")
        else:
            parts.append("PORT=1433")
        parts.append("TDS_Version=7.4")
        parts.append("ClientCharset=UTF-8")
    else:
        server = spec.host
        if spec.instance and not spec.port:
            server += "\\" + spec.instance
        if spec.port:
            server += f",{spec.port}"
        parts.append(f"SERVER={odbc_value(server)}")
        if driver.startswith("ODBC Driver 18"):
            # Driver 18 encrypts by default; Sage SQL servers usually have a self-signed
            # certificate, so the connection is encrypted but the certificate trusted.
            parts.append("Encrypt=yes")
            parts.append("TrustServerCertificate=yes")
    parts.append(f"DATABASE={odbc_value(spec.database)}")
    parts.append("APP=bizsync")
    return _with_credentials(";".join(parts), user, password)


# -- the connection ------------------------------------------------------------------

class Source:
    """A read-only connection to one Sage source."""

    def __init__(self, spec: SourceSpec, conn, dialect: _dialect.Dialect, kind: str):
        self.spec = spec
        self._conn = conn
        self.dialect = dialect
        self.kind = kind  # "sqlite3" (module) or "odbc"

    def display(self) -> str:
        return self.spec.display()

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one SELECT and return its rows as tuples."""
        return list(self.rows(sql, params))

    def rows(self, sql: str, params: tuple = (), batch: int = 5000):
        """Run one SELECT and yield its rows as tuples, `batch` at a time from the driver (a
        large grouped result is never held whole)."""
        self._only_select(sql)
        try:
            cur = self._conn.cursor()
            try:
                cur.execute(sql, params) if params else cur.execute(sql)
                while True:
                    chunk = cur.fetchmany(batch)
                    if not chunk:
                        return
                    if type(chunk[0]) is tuple:  # sqlite3
                        yield from chunk
                    else:
                        for r in chunk:
                            yield tuple(r)
            finally:
                cur.close()
        except SourceError:
            raise
        except Exception as exc:  # driver errors of every kind
            raise map_error(exc, self.spec) from None

    def stage(self, table: str, sql: str) -> None:
        """SQLite only: the rows of the SELECT `sql` into the TEMP table `table` of this
        connection, for queries that read them more than once (engine.sage.queries,
        SALES_STAGE). The TEMP database is the connection's own (in a temporary file, deleted
        when the connection closes: the memory stays flat); the source is never written."""
        if self.dialect.name != _dialect.SQLITE or not table.isidentifier():
            raise ValueError("only a SQLite source stages rows, in a TEMP table named by an identifier")
        self._only_select(sql)
        try:
            cur = self._conn.cursor()
            try:
                cur.execute("PRAGMA temp_store = FILE")  # on disk whatever the build's default: flat memory
                cur.execute(f"DROP TABLE IF EXISTS temp.{table}")
                cur.execute(f"CREATE TEMP TABLE {table} AS {sql}")
            finally:
                cur.close()
        except Exception as exc:  # driver errors of every kind
            raise map_error(exc, self.spec) from None

    def _only_select(self, sql: str) -> None:
        if sql.lstrip()[:6].upper() != "SELECT":
            raise SourceError(_("bizsync only reads Sage sources; refused a statement on {source}.").format(
                source=self.display()))

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_source(spec: SourceSpec | str, user: str | None = None, password: str | None = None,
                timeout: int = DEFAULT_TIMEOUT) -> Source:
    """Open a source read-only; SourceError with one sentence when it cannot be."""
    if isinstance(spec, str):
        try:
            spec = parse_source(spec)
        except ValueError as exc:
            raise SourceError(str(exc)) from None
    if spec.kind == "sqlite":
        return _open_sqlite(spec, timeout)
    if spec.kind == "odbc":
        return _open_odbc(spec, _with_credentials(spec.connection_string, user, password), timeout)
    if spec.kind == "mssql":
        driver = sqlserver_driver()
        if driver is None:
            raise SourceError(
                _("No SQL Server ODBC driver is installed for {source}; install "
                  "'ODBC Driver 18 for SQL Server' (or FreeTDS) on this machine.").format(source=spec.display()))
        cs = mssql_connection_string(spec, user, password, driver=driver, timeout=timeout)
        return _open_odbc(spec, cs, timeout)
    raise SourceError(_("Unknown kind of source {source}; use sqlite:, odbc: or mssql://.").format(
        source=spec.display()))


def _open_sqlite(spec: SourceSpec, timeout: int) -> Source:
    path = os.path.abspath(os.path.expanduser(spec.path))
    if os.path.isdir(path):
        raise SourceError(_("{path} in {source} is a folder, not a database file; give the path of the "
                            "company's file, such as sqlite:{path}/company.db.").format(
            path=path.rstrip("/"), source=spec.display()))
    if not os.path.isfile(path):
        raise SourceError(_("The file of {source} does not exist; check the path of the source.").format(
            source=spec.display()))
    uri = "file:" + quote(path) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        raise map_error(exc, spec) from None
    return Source(spec, conn, _dialect.get(_dialect.SQLITE), "sqlite3")


def _open_odbc(spec: SourceSpec, cs: str, timeout: int) -> Source:
    try:
        import pyodbc
    except ImportError as exc:  # libodbc missing
        raise SourceError(_("The ODBC library is not installed, so {source} cannot be opened; "
                            "install unixODBC (Debian package unixodbc).").format(source=spec.display())) from exc
    try:
        try:
            conn = pyodbc.connect(cs, autocommit=True, timeout=int(timeout), readonly=True)
        except pyodbc.Error as exc:
            # Some drivers refuse the read-only attribute; bizsync only SELECTs anyway.
            if "HYC00" in str(exc) or "HY092" in str(exc) or "Optional feature" in str(exc):
                conn = pyodbc.connect(cs, autocommit=True, timeout=int(timeout))
            else:
                raise
        dbms = conn.getinfo(pyodbc.SQL_DBMS_NAME) or ""
    except Exception as exc:
        raise map_error(exc, spec) from None
    return Source(spec, conn, _dialect.dialect_of_dbms(dbms), "odbc")


# -- errors ---------------------------------------------------------------------------

_MISSING_OBJECT = re.compile(
    r"no such table:\s*(\w+)|no such column:\s*([\w.]+)|relation \"?([\w.]+)\"? does not exist"
    r"|column \"?([\w.]+)\"? does not exist|Invalid object name '([^']+)'|Invalid column name '([^']+)'",
    re.IGNORECASE)


def map_error(exc: BaseException, spec: SourceSpec) -> SourceError:
    """One sentence for a driver error. The driver text is searched, never shown raw
    (it could echo parts of the connection string)."""
    where = spec.display()
    text = " ".join(str(a) for a in getattr(exc, "args", ()) if a is not None) or str(exc)
    low = text.lower()
    m = _MISSING_OBJECT.search(text)
    if m:
        name = next(g for g in m.groups() if g)
        return SourceError(_("{source} lacks the table or column {name}: {reason}; check the source.").format(
            source=where, name=name, reason=_(NOT_SAGE)))
    if "file is not a database" in low or "not a database" in low:
        return SourceError(_("The file of {source} is not a SQLite database; check the path of the source.").format(
            source=where))
    if "unable to open database" in low:
        return SourceError(_("The file of {source} cannot be opened; check the path and its permissions.").format(
            source=where))
    if "im002" in low or "can't open lib" in low or "data source name not found" in low:
        return SourceError(_("The ODBC driver or DSN named in {source} is not installed; install it "
                             "or fix DRIVER=/DSN= in the source.").format(source=where))
    if ("password authentication failed" in low or "login failed" in low or "28000" in low
            or "28p01" in low or "authentication failed" in low or "no password supplied" in low):
        return SourceError(_("{source} refused the login; check the management database user and "
                             "password in the settings.").format(source=where))
    if ("does not exist" in low and "database" in low) or "cannot open database" in low or "4060" in low:
        return SourceError(_("The database of {source} does not exist on that server; check the database name.").format(
            source=where))
    if ("could not connect" in low or "connection refused" in low or "unable to connect" in low
            or "timeout expired" in low or "could not translate host" in low or "server is unavailable" in low
            or "adaptive server" in low or "08001" in low or "hyt00" in low or "08s01" in low
            or "network" in low or "name or service not known" in low):
        return SourceError(_("The server of {source} cannot be reached; check the host, port or instance "
                             "and that the server accepts connections.").format(source=where))
    return SourceError(_("{source} could not be read ({error}); check the source and that "
                         "the database is a Sage 100 database.").format(source=where, error=type(exc).__name__))


def check_sage_tables(src: Source, tables=None) -> None:
    """SourceError naming the first table/column bizsync needs that the source lacks."""
    for table in tables or REQUIRED_COLUMNS:
        src.query(probe_sql(table))
