"""Finding the Sage databases instead of typing their source strings (issue 16).

    discover_dir(folder)                          # Sage SQLite files under a folder
    list_dsns(), list_drivers()                   # the ODBC DSNs and drivers of this machine
    discover_dsns(user, password)                 # which DSNs are Sage databases
    discover_server("mssql://HOST[:PORT][?instance=NAME]", user, password)   # sys.databases
    discover_server("odbc:DRIVER={PostgreSQL Unicode};SERVER=...;PORT=...", user, password)  # pg_database
    probe(source, user, password)                 # one source: its company name and kind
    propose_company(found, taken)                 # dossier, name and short code for a new company

Every database is opened read-only by engine.sage.sources.open_source (SQLite through a
`mode=ro` URI, ODBC with the read-only attribute) with the management credentials, and
judged by check_sage_tables: a Sage 100 database has P_DOSSIER and every table and column
bizsync reads. Its kind is which of F_ECRITUREC (accounting) and F_DOCENTETE (commercial)
holds rows. The work is bounded: at most `limit` databases or files probed, a `deadline`
in seconds for the whole discovery, a connection timeout per database, and a folder walk
limited in depth and entries. A failure is a DiscoveryError whose text is one sentence
saying what to check; what could not be probed is listed in Discovery.problems.

Each found database carries its source string in the contract form (ARCHITECTURE.md):
`sqlite:/path`, `odbc:DSN=NAME`, `odbc:DRIVER={...};SERVER=...;DATABASE=...`,
`mssql://HOST[:PORT]/DATABASE[?instance=NAME]`; it never holds a password.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from bizsync_tui.engine.sage.source_spec import SourceSpec, parse_source
from bizsync_tui.engine.sage.sources import (DEFAULT_TIMEOUT, NOT_SAGE, Source, SourceError, check_sage_tables,
                                             odbc_value, open_source, sqlserver_driver)
from bizsync_tui.i18n import N_, _

# -- the kinds of a Sage database ------------------------------------------------------------
ACCOUNTING = "accounting"  # F_ECRITUREC has rows
COMMERCIAL = "commercial"  # F_DOCENTETE has rows
BOTH = "both"
EMPTY = "empty"  # the Sage tables, neither with a row yet
KINDS = (ACCOUNTING, COMMERCIAL, BOTH, EMPTY)

_KIND_TEXTS = {ACCOUNTING: N_("accounting"), COMMERCIAL: N_("commercial"), BOTH: N_("accounting and commercial"),
               EMPTY: N_("no entries or documents yet")}

# -- the bounds -------------------------------------------------------------------------------
DEFAULT_LIMIT = 200  # databases or files probed by one discovery
DEFAULT_DEADLINE = 60.0  # seconds for one discovery
CONNECT_TIMEOUT = 10  # seconds, for each connection (never more than what is left of the deadline)
MAX_DEPTH = 4  # folders below the one given
MAX_ENTRIES = 5000  # directory entries looked at in one folder walk
MAX_SHOWN = 500  # files or folders one folder of the file browser shows

SQLITE_HEADER = b"SQLite format 3\x00"

# -- the SQL (SELECTs only; the same text runs on SQLite, PostgreSQL and SQL Server) -------------
NAME_SQL = "SELECT MAX(D_RaisonSoc) FROM P_DOSSIER"
KIND_SQL = ("SELECT CASE WHEN EXISTS (SELECT 1 FROM F_ECRITUREC) THEN 1 ELSE 0 END, "
            "CASE WHEN EXISTS (SELECT 1 FROM F_DOCENTETE) THEN 1 ELSE 0 END")
# SQL Server: the user databases that are online, not snapshots, and that this login may open
# (master, tempdb, model and msdb are database_id 1 to 4).
SQLSERVER_DATABASES_SQL = ("SELECT name FROM sys.databases WHERE database_id > 4 AND state = 0 "
                           "AND source_database_id IS NULL AND HAS_DBACCESS(name) = 1 ORDER BY name")
POSTGRESQL_DATABASES_SQL = ("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate "
                            "AND has_database_privilege(datname, 'CONNECT') ORDER BY datname")
POSTGRESQL_DRIVERS = ("PostgreSQL Unicode", "PostgreSQL ANSI")

SERVER_EXAMPLES = N_("mssql://HOST[:PORT][?instance=NAME] for SQL Server, or odbc:DRIVER={PostgreSQL Unicode};"
                     "SERVER=HOST;PORT=5432 for PostgreSQL")


class DiscoveryError(Exception):
    """Nothing could be listed; str() is one sentence telling what to check."""


class NotSage(SourceError):
    """The database opened but is not a Sage 100 database (a table or column bizsync reads is missing)."""


@dataclass(frozen=True)
class Found:
    """One Sage database: its source string (the contract form), company name and kind."""

    source: str
    name: str
    kind: str  # ACCOUNTING, COMMERCIAL, BOTH or EMPTY
    label: str = ""  # the file (relative to the folder), the DSN or the database name

    def kind_text(self) -> str:
        return kind_text(self.kind)

    def line(self) -> str:
        """The command line's line: source, company name, kind, separated by tabs."""
        return "\t".join((self.source, _one_line(self.name), self.kind))


@dataclass
class Discovery:
    """What one discovery found, and what it could not probe."""

    found: list[Found] = field(default_factory=list)
    looked_at: int = 0  # databases or files probed
    not_sage: list[str] = field(default_factory=list)  # labels of those that are not Sage databases
    problems: list[str] = field(default_factory=list)  # one sentence each, for what could not be probed
    stopped: str = ""  # a sentence when a bound (limit, deadline) stopped the discovery early


@dataclass(frozen=True)
class Dsn:
    name: str
    driver: str

    @property
    def source(self) -> str:
        return f"odbc:DSN={self.name}"


def kind_text(kind: str) -> str:
    return _(_KIND_TEXTS.get(kind, kind))


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def clean_text(text: str) -> str:
    """A name read from a database, safe to print or show: control characters (a terminal's escape
    sequences among them) dropped, tabs and line breaks made spaces, spaces collapsed."""
    kept = [(" " if ch in "\t\n\r\x0b\x0c" else "") if unicodedata.category(ch) == "Cc" else ch
            for ch in text or ""]
    return _one_line("".join(kept))


def kind_of(has_entries: bool, has_documents: bool) -> str:
    if has_entries and has_documents:
        return BOTH
    if has_entries:
        return ACCOUNTING
    if has_documents:
        return COMMERCIAL
    return EMPTY


class _Budget:
    """The deadline and the limit of one discovery."""

    def __init__(self, limit: int, deadline: float, should_stop: Callable[[], bool] | None):
        self.limit = max(1, int(limit))
        self.seconds = float(deadline)
        self.end = time.monotonic() + self.seconds
        self.should_stop = should_stop or (lambda: False)

    def left(self) -> float:
        return self.end - time.monotonic()

    def timeout(self) -> int:
        """A connection timeout that ends before the deadline (at least 1 s)."""
        return max(1, min(CONNECT_TIMEOUT, int(self.left())))

    def over(self, result: Discovery, remaining: int) -> bool:
        """True (and result.stopped set) when the discovery must stop before the next probe."""
        if self.should_stop():
            result.stopped = _("Stopped on request; {n} not looked at.").format(n=remaining)
            return True
        if result.looked_at >= self.limit:
            result.stopped = _("Stopped after {limit} databases (the limit of one discovery); {n} not looked at: "
                               "narrow the folder or the server.").format(limit=self.limit, n=remaining)
            return True
        if self.left() <= 0:
            result.stopped = _("Stopped after {seconds:.0f} s (the time allowed to one discovery); {n} not looked "
                               "at: narrow the folder or the server, or check why it answers slowly.").format(
                seconds=self.seconds, n=remaining)
            return True
        return False


# -- one source ---------------------------------------------------------------------------------

def read_found(src: Source, label: str = "") -> Found:
    """Judge an open source: NotSage when a table bizsync reads is missing, else its Found."""
    try:
        check_sage_tables(src)
    except SourceError as exc:
        if _(NOT_SAGE) in str(exc):  # sources.map_error's sentence for a missing table or column
            raise NotSage(str(exc)) from None
        # it opened, the tables are there or not, but cannot be read: most often a missing grant
        raise SourceError(_("{source} opened, but its tables could not be read; check that the management "
                            "database user may read them (SELECT on the Sage tables).").format(
            source=src.display())) from None
    rows = src.query(NAME_SQL)
    name = clean_text(str(rows[0][0] or "")) if rows and rows[0] else ""
    flags = src.query(KIND_SQL)
    entries, documents = (bool(int(flags[0][0] or 0)), bool(int(flags[0][1] or 0))) if flags else (False, False)
    return Found(source=str(src.spec), name=name, kind=kind_of(entries, documents), label=label)


def probe(source: SourceSpec | str, user: str | None = None, password: str | None = None,
          timeout: int = DEFAULT_TIMEOUT, label: str = "") -> Found:
    """Open one source read-only and judge it: Found, NotSage, or SourceError (cannot be opened)."""
    with open_source(source, user, password, timeout) as src:
        return read_found(src, label)


def _probe_into(result: Discovery, spec: SourceSpec, label: str, user, password, budget: _Budget) -> None:
    result.looked_at += 1
    try:
        result.found.append(probe(spec, user, password, budget.timeout(), label=label))
    except NotSage:
        result.not_sage.append(label)
    except SourceError as exc:
        result.problems.append(str(exc))


# -- SQLite files ---------------------------------------------------------------------------------

def looks_like_sqlite(path: str | Path) -> bool:
    """A regular file that starts with SQLite's header (16 bytes read, nothing opened as a database)."""
    try:
        with open(path, "rb") as fp:
            return fp.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def probe_file(path: str | Path) -> Found:
    """A SQLite file judged: Found, NotSage or SourceError."""
    path = Path(path)
    return probe(SourceSpec("sqlite", path=str(path)), label=path.name)


def file_verdict(path: str | Path, timeout: int = 5) -> Found | str:
    """The file browser's view of one SQLite file: its Found, or a sentence saying why it is not a Sage
    100 database (or cannot be opened)."""
    path = Path(path)
    try:
        return probe(SourceSpec("sqlite", path=str(path)), timeout=timeout, label=path.name)
    except SourceError as exc:  # NotSage included: its sentence names the missing table
        return str(exc)


def _walk(folder: Path, budget: _Budget) -> tuple[list[Path], str]:
    """The files under `folder` that start with SQLite's header, by path, and what cut the walk short
    ("" nothing, "time" the deadline, "size" the depth or the number of entries). Hidden folders and
    folders reached through a symbolic link are not entered."""
    files: list[Path] = []
    seen = 0
    cut = ""
    pending: list[tuple[Path, int]] = [(folder, 0)]
    while pending:
        here, depth = pending.pop(0)
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            seen += 1
            if budget.left() <= 0 or budget.should_stop():
                return sorted(files), "time"
            if seen > MAX_ENTRIES:
                return sorted(files), "size"
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.startswith("."):
                        continue
                    if depth < MAX_DEPTH:
                        subfolders.append((Path(entry.path), depth + 1))
                    else:
                        cut = "size"
                elif entry.is_file() and looks_like_sqlite(entry.path):
                    files.append(Path(entry.path))
            except OSError:
                continue
        pending.extend(subfolders)
    return sorted(files), cut


def discover_dir(folder: str | Path, *, limit: int = DEFAULT_LIMIT, deadline: float = DEFAULT_DEADLINE,
                 should_stop: Callable[[], bool] | None = None) -> Discovery:
    """The Sage SQLite files under `folder` (up to MAX_DEPTH folders down), by path."""
    base = Path(os.path.expanduser(str(folder))).absolute()
    if not base.exists():
        raise DiscoveryError(_("The folder {path} does not exist; give the folder that holds the Sage files.").format(
            path=base))
    if not base.is_dir():
        raise DiscoveryError(_("{path} is a file, not a folder; give the folder that holds it.").format(path=base))
    if not os.access(base, os.R_OK | os.X_OK):
        raise DiscoveryError(_("The folder {path} cannot be read by this user; fix its permissions or give another "
                               "folder.").format(path=base))
    budget = _Budget(limit, deadline, should_stop)
    files, cut = _walk(base, budget)
    result = Discovery()
    for n, path in enumerate(files):
        if budget.over(result, len(files) - n):
            break
        label = str(path.relative_to(base))
        _probe_into(result, SourceSpec("sqlite", path=str(path)), label, None, None, budget)
    if cut == "time" and not result.stopped:
        result.stopped = _("Stopped after {seconds:.0f} s (the time allowed to one discovery) while looking through "
                           "the folders; give a folder nearer the files.").format(seconds=budget.seconds)
    elif cut == "size" and not result.stopped:
        result.stopped = _("Only the first {depth} levels of folders and {entries} entries were looked at; give a "
                           "folder nearer the files to see the others.").format(depth=MAX_DEPTH, entries=MAX_ENTRIES)
    return result


# -- ODBC DSNs and drivers -------------------------------------------------------------------------

def _pyodbc():
    try:
        import pyodbc
    except ImportError:
        raise DiscoveryError(_("The ODBC library is not installed, so no DSN or driver can be listed; install "
                               "unixODBC (Debian package unixodbc).")) from None
    return pyodbc


def list_dsns() -> list[Dsn]:
    """The DSNs of this machine (unixODBC: the user's odbc.ini or $ODBCINI, and the system's odbc.ini in
    /etc or $ODBCSYSINI), each with its driver, by name."""
    pyodbc = _pyodbc()
    try:
        sources = pyodbc.dataSources()
    except pyodbc.Error:
        raise DiscoveryError(_("The ODBC driver manager could not list the DSNs; check odbc.ini (odbcinst -j "
                               "tells where it is).")) from None
    return sorted((Dsn(str(name), str(driver or "")) for name, driver in (sources or {}).items()),
                  key=lambda d: d.name.lower())


def list_drivers() -> list[str]:
    """The ODBC drivers installed (odbcinst.ini), in the driver manager's order."""
    pyodbc = _pyodbc()
    try:
        return [str(d) for d in pyodbc.drivers()]
    except pyodbc.Error:
        raise DiscoveryError(_("The ODBC driver manager could not list the drivers; check odbcinst.ini "
                               "(odbcinst -j tells where it is).")) from None


def discover_dsns(user: str | None = None, password: str | None = None, *, dsns: Iterable[Dsn] | None = None,
                  limit: int = DEFAULT_LIMIT, deadline: float = DEFAULT_DEADLINE,
                  should_stop: Callable[[], bool] | None = None) -> Discovery:
    """Which DSNs are Sage databases, each opened read-only with the management credentials."""
    dsns = list(list_dsns() if dsns is None else dsns)
    budget = _Budget(limit, deadline, should_stop)
    result = Discovery()
    for n, dsn in enumerate(dsns):
        if budget.over(result, len(dsns) - n):
            break
        _probe_into(result, SourceSpec("odbc", connection_string=f"DSN={dsn.name}"), dsn.name, user, password,
                    budget)
    return result


# -- servers --------------------------------------------------------------------------------------

def split_connection_string(text: str) -> list[tuple[str, str]]:
    """An ODBC connection string as (key, value) pairs, in order; {braced} values unbraced ('}}' is '}')."""
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in "; ":
            i += 1
        if i >= n:
            break
        eq = text.find("=", i)
        if eq < 0:
            pairs.append((text[i:].strip(), ""))
            break
        key = text[i:eq].strip()
        i = eq + 1
        if i < n and text[i] == "{":
            i += 1
            value = []
            while i < n:
                if text[i] == "}":
                    if i + 1 < n and text[i + 1] == "}":
                        value.append("}")
                        i += 2
                        continue
                    i += 1
                    break
                value.append(text[i])
                i += 1
            pairs.append((key, "".join(value)))
            semi = text.find(";", i)
            i = n if semi < 0 else semi + 1
        else:
            semi = text.find(";", i)
            end = n if semi < 0 else semi
            pairs.append((key, text[i:end].strip()))
            i = end + 1
    return pairs


def join_connection_string(pairs: Iterable[tuple[str, str]]) -> str:
    out = []
    for key, value in pairs:
        # DRIVER={...} stays braced, as drivers are written; other values only when they must be
        out.append(f"{key}={{{value.replace('}', '}}')}}}" if key.upper() == "DRIVER" else f"{key}={odbc_value(value)}")
    return ";".join(out)


def with_database(connection_string: str, database: str) -> str:
    """The connection string with DATABASE= set to `database` (replaced where it is, else added last)."""
    pairs = split_connection_string(connection_string)
    for n, (key, _value) in enumerate(pairs):
        if key.upper() in ("DATABASE", "DBNAME"):
            pairs[n] = (key, database)
            break
    else:
        pairs.append(("DATABASE", database))
    return join_connection_string(pairs)


def server_spec(text: str) -> SourceSpec:
    """The SQL Server of `mssql://HOST[:PORT][?instance=NAME]` (a database in it is ignored), as the
    spec of its master database; DiscoveryError with the sentence of the source parser otherwise."""
    from urllib.parse import urlsplit

    text = (text or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() != "mssql":
        raise DiscoveryError(_("Give the server as {examples}.").format(examples=_(SERVER_EXAMPLES)))
    query = f"?{parts.query}" if parts.query else ""
    try:
        spec = parse_source(f"mssql://{parts.netloc}/master{query}")
    except ValueError as exc:
        raise DiscoveryError(str(exc)) from None
    return spec


def server_text(kind: str, host: str, port: str = "", instance: str = "", *,
                drivers: list[str] | None = None) -> str:
    """The server string of the picker's inputs: kind "mssql" -> mssql://HOST[:PORT][?instance=NAME],
    kind "postgresql" -> odbc:DRIVER={PostgreSQL Unicode};SERVER=HOST;PORT=PORT (the psqlODBC driver
    installed). DiscoveryError with a sentence for what is missing."""
    host, port, instance = (host or "").strip(), (port or "").strip(), (instance or "").strip()
    if not host:
        raise DiscoveryError(_("Type the server's name or address."))
    if port and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise DiscoveryError(_("The port must be a number from 1 to 65535, such as 1433 (SQL Server) or 5432 "
                               "(PostgreSQL); leave it empty for the default."))
    if kind == "postgresql":
        if instance:
            raise DiscoveryError(_("A PostgreSQL server has no instance name; leave it empty and give the port."))
        installed = list_drivers() if drivers is None else drivers
        driver = next((d for d in POSTGRESQL_DRIVERS if d in installed), None)
        if driver is None:
            raise DiscoveryError(_("No PostgreSQL ODBC driver is installed; install psqlODBC (Debian package "
                                   "odbc-postgresql)."))
        pairs = [("DRIVER", driver), ("SERVER", host), ("PORT", port or "5432")]
        return "odbc:" + join_connection_string(pairs)
    if any(ch in host for ch in "/?#@ "):
        raise DiscoveryError(_("Type only the server's name or address (no / ? # @ or space), such as sage-srv."))
    name = f"[{host}]" if ":" in host and not host.startswith("[") else host
    text = f"mssql://{name}"
    if port:
        text += f":{port}"
    if instance:
        text += f"?instance={instance}"
    return text


def _database_names(src: Source, sql: str) -> list[str]:
    rows = src.query(sql)
    return [str(r[0]) for r in rows if r and r[0] is not None]


def discover_server(text: str, user: str | None = None, password: str | None = None, *,
                    limit: int = DEFAULT_LIMIT, deadline: float = DEFAULT_DEADLINE,
                    should_stop: Callable[[], bool] | None = None) -> Discovery:
    """The Sage databases of a SQL Server (`mssql://HOST[:PORT][?instance=NAME]`, sys.databases) or of
    a server reached through an ODBC string (`odbc:...`: pg_database on PostgreSQL, sys.databases on
    SQL Server; any other kind of database: only the one the string names), each probed read-only
    with the management credentials."""
    text = (text or "").strip()
    budget = _Budget(limit, deadline, should_stop)
    lower = text.lower()
    if lower.startswith("mssql:"):
        master = server_spec(text)
        if sqlserver_driver() is None:
            raise DiscoveryError(_("No SQL Server ODBC driver is installed, so {server} cannot be asked for its "
                                   "databases; install 'ODBC Driver 18 for SQL Server' (or FreeTDS).").format(
                server=text))
        try:
            with open_source(master, user, password, budget.timeout()) as src:
                names = _database_names(src, SQLSERVER_DATABASES_SQL)
        except SourceError as exc:
            raise DiscoveryError(_("Cannot list the databases of {server}: {error}").format(
                server=text, error=str(exc))) from None
        specs = [(name, replace(master, database=name)) for name in names]
    elif lower.startswith("odbc:"):
        try:
            spec = parse_source(text)
        except ValueError as exc:
            raise DiscoveryError(str(exc)) from None
        try:
            with open_source(spec, user, password, budget.timeout()) as src:
                names = _names_on(src)
        except SourceError as exc:
            raise DiscoveryError(_("Cannot list the databases of {server}: {error}").format(
                server=spec.display(), error=str(exc))) from None
        if names is None:  # a kind of server that does not list its databases: the one named
            specs = [(_database_label(spec), spec)]
        else:
            specs = [(name, SourceSpec("odbc", connection_string=with_database(spec.connection_string, name)))
                     for name in names]
    else:
        raise DiscoveryError(_("Give the server as {examples}.").format(examples=_(SERVER_EXAMPLES)))
    result = Discovery()
    for n, (label, each) in enumerate(specs):
        if budget.over(result, len(specs) - n):
            break
        _probe_into(result, each, label, user, password, budget)
    return result


def _names_on(src: Source) -> list[str] | None:
    """The database names a server lists, or None when it is not a server that lists them."""
    if src.dialect.name == "postgresql":
        return _database_names(src, POSTGRESQL_DATABASES_SQL)
    if src.dialect.name == "sqlite":
        return None
    try:
        return _database_names(src, SQLSERVER_DATABASES_SQL)
    except SourceError:  # not SQL Server after all (the dialect layer's default)
        return None


def _database_label(spec: SourceSpec) -> str:
    for key, value in split_connection_string(spec.connection_string):
        if key.upper() in ("DATABASE", "DBNAME", "DSN"):
            return value
    return spec.display()


# -- a new company from a discovered database --------------------------------------------------------

_CODE_MAX = 17


def _ascii_upper(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return folded.upper()


def _code_words(text: str) -> list[str]:
    return [w for w in re.split(r"[^A-Z0-9]+", _ascii_upper(text)) if w]


def propose_short_code(name: str, taken: Iterable[str] = ()) -> str:
    """A short code from a company name: upper-case letters and digits, not among `taken`.

    The first word of three characters or more ("Le Cafe du Port" -> CAFE); when it is taken, the
    words run together ("Bijou Nord" -> BIJOUNORD); then the first word with 2, 3, ... ("BIJOU2").
    '' when the name has no letter or digit."""
    words = _code_words(name)
    if not words:
        return ""
    taken_codes = {t.strip().upper() for t in taken}
    first = next((w for w in words if len(w) >= 3), words[0])[:_CODE_MAX]
    for candidate in (first, "".join(words)[:_CODE_MAX]):
        if candidate not in taken_codes:
            return candidate
    for n in range(2, 10_000):
        suffix = str(n)
        candidate = first[:_CODE_MAX - len(suffix)] + suffix
        if candidate not in taken_codes:
            return candidate
    return ""


def propose_dossier(found: Found) -> str:
    """A dossier number from where the database is: its database name (SQL Server, PostgreSQL), its DSN
    or its file name without the extension, in upper-case letters and digits; else from the company
    name."""
    label = Path(found.label).stem if found.source.startswith("sqlite:") else found.label
    code = "".join(_code_words(label))[:_CODE_MAX]
    return code or "".join(_code_words(found.name))[:_CODE_MAX]


@dataclass(frozen=True)
class Proposal:
    dossier: str
    name: str
    short_code: str


def propose_company(found: Found, taken: Iterable[str] = (), *, name: str = "") -> Proposal:
    """What a new company picked from `found` could be called (every field editable): the short code
    from `name` when the admin already typed one, else from the company name of the database."""
    return Proposal(dossier=propose_dossier(found), name=found.name[:69],
                    short_code=propose_short_code(name.strip() or found.name, taken))
