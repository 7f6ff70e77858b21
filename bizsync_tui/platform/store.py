"""The platform's storage, through peewee: SQLite by default, PostgreSQL as option.

Nothing lives in a worker's memory that another worker could contradict:
clients, publications, users, mobile sessions and failed-login counters are all
rows, so several workers (or hosts) can share one PostgreSQL database. A worker
only caches the *immutable* part: a publication, once stored, never changes
(a new one is a new row with a new random tag), so its ready JSON can be kept.

Each `Store` builds its own model classes bound to its own database, so two
platforms can run in one process (tests) without sharing a global.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import peewee as pw

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.contract import check_verifier, make_verifier, parse_verifier

log = logging.getLogger("bizsync.platform")

DB_FILE_NAME = "platform.db"
CLIENT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_CLIENT_PASSWORD = 8
RECEIPTS_KEPT = 50  # publication ids remembered per company, for safe retries
RELEASES_KEPT = 2  # the current publication of a company and the one before it

# Verifier cost bounds (PLATFORM_API.md, "Protection").
SCRYPT_N_MIN, SCRYPT_N_MAX = 16384, 131072
SCRYPT_R_ALLOWED = (8,)
SCRYPT_P_ALLOWED = (1, 2)

AMOUNT_VIEWS = frozenset(v.id for v in catalogue.VIEWS if v.shape == catalogue.AMOUNT)


def utcnow() -> datetime:
    """Now in UTC, naive (how both SQLite and PostgreSQL store it here)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verifier_bounds_problem(verifier: str) -> str | None:
    """A sentence when the verifier's scrypt parameters are outside the allowed bounds, else None."""
    parts = verifier.split("$") if isinstance(verifier, str) else []
    if len(parts) == 6 and parts[0] == "scrypt" and all(x.isdigit() and len(x) < 10 for x in parts[1:4]):
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        if not (SCRYPT_N_MIN <= n <= SCRYPT_N_MAX) or n & (n - 1) or r not in SCRYPT_R_ALLOWED \
                or p not in SCRYPT_P_ALLOWED:
            return ("password_verifier must use N a power of two from 16384 to 131072, r=8 and p 1 or 2 "
                    "(e.g. scrypt$16384$8$1$...)")
    try:
        parse_verifier(verifier)
    except ValueError as exc:
        return str(exc)
    return None


def check_bounded(verifier: str, password: str) -> bool:
    """Check a password, refusing (False) any verifier outside the cost bounds without running it."""
    if verifier_bounds_problem(verifier) is not None:
        return False
    try:
        return check_verifier(verifier, password)
    except (ValueError, MemoryError):
        return False


def token_hours_problem(hours) -> str | None:
    """A sentence when `hours` is not a usable token lifetime, else None."""
    try:
        value = float(hours)
    except (TypeError, ValueError):
        return "--token-hours must be a number of hours, e.g. 12."
    if not math.isfinite(value) or value < 1 / 60 or value > 8760:
        return ("--token-hours must be a number of hours from 0.02 (one minute) to 8760 (one year), "
                "e.g. 12.")
    return None


_SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1, "synchronous": "normal"}


def _private_file(path: Path) -> None:
    """Create the SQLite file 0600 (SQLite gives its -wal and -shm files the same mode)."""
    if path.exists():
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except OSError:
            pass
        return
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            try:
                os.chmod(side, 0o600)
            except OSError:
                pass


class MissingDatabase(Exception):
    """The SQLite file the platform was started on is gone."""


def database_for(database: str | Path) -> pw.Database:
    """A peewee database from a URL (`postgresql://...`, `sqlite:///...`) or a SQLite file path."""
    text = str(database)
    if "://" in text:
        from playhouse.db_url import connect

        if text.startswith(("postgres://", "postgresql://", "postgresql+pool://", "postgres+pool://")):
            try:
                import psycopg2  # noqa: F401
            except ImportError:
                raise ValueError("A PostgreSQL database URL needs the psycopg2 package; "
                                 "install it with: pip install psycopg2-binary.") from None
        if text.startswith("sqlite"):
            return connect(text, pragmas=_SQLITE_PRAGMAS)
        return connect(text)
    path = Path(text)
    if path.is_dir():
        path = path / DB_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    old_umask = os.umask(0o077)  # -wal and -shm files too
    try:
        _private_file(path)
    finally:
        os.umask(old_umask)
    return _SqliteFile(str(path), pragmas=_SQLITE_PRAGMAS)


class _SqliteFile(pw.SqliteDatabase):
    """A SQLite file opened read-write only if it exists: a deleted file is an error, not a new empty one."""

    def _connect(self):
        if not os.path.exists(self.database):
            raise MissingDatabase(self.database)
        old_umask = os.umask(0o077)
        try:
            return super()._connect()
        finally:
            os.umask(old_umask)


class DummyVerifier:
    """A verifier for no password, checked when a login is unknown so that the
    answer takes as long as for a known login with a wrong password."""

    _value: str | None = None

    @classmethod
    def get(cls) -> str:
        if cls._value is None:
            cls._value = make_verifier(secrets.token_urlsafe(16))
        return cls._value


@dataclass
class LoginResult:
    token: str
    expires_at: str


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Release:
    """One stored publication, ready to serve: JSON bytes per view, parsed once per worker."""

    __slots__ = ("tag", "head", "views", "as_of")

    def __init__(self, tag: str, body: dict):
        self.tag = tag
        head = {k: v for k, v in body.items() if k != "views"}
        # '{"publication_id":...,"fiscal_year":{...}' without the closing brace
        self.head = _dumps(head)[:-1].encode("utf-8")
        self.views = {k: _dumps(v).encode("utf-8") for k, v in body.get("views", {}).items()}
        self.as_of = body.get("as_of")

    def serve(self, granted, previous: "Release | None") -> bytes:
        """The answer of GET /mobile/views: this publication with `granted` views, and `previous`."""
        parts = [self.head, b',"views":{']
        parts.append(b",".join(b'"' + v.encode("ascii") + b'":' + self.views[v] for v in granted if v in self.views))
        parts.append(b'},"previous":')
        if previous is None:
            parts.append(b"null")
        else:
            amounts = b",".join(b'"' + v.encode("ascii") + b'":' + previous.views[v]
                                for v in granted if v in AMOUNT_VIEWS and v in previous.views)
            parts.append(b'{"as_of":' + _dumps(previous.as_of).encode("utf-8") + b',"views":{' + amounts + b"}}")
        parts.append(b"}")
        return b"".join(parts)


class Store:
    def __init__(self, database: str | Path):
        self.db = database_for(database)
        self.is_sqlite = isinstance(self.db, pw.SqliteDatabase)
        self.sqlite_path = self.db.database if isinstance(self.db, _SqliteFile) else None
        db = self.db

        class Base(pw.Model):
            class Meta:
                database = db

        class Client(Base):
            code = pw.CharField(max_length=64, unique=True)
            verifier = pw.CharField(max_length=300)
            created_at = pw.DateTimeField(default=utcnow)

        class Publication(Base):
            """Version 1 storage (one row per company); read once to migrate into `release`."""
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            short_code = pw.CharField(max_length=32)
            publication_id = pw.CharField(max_length=64)
            body = pw.TextField()
            received_at = pw.DateTimeField(default=utcnow)

            class Meta:
                indexes = ((("client", "short_code"), True),)

        class PubRelease(Base):
            """A company's publications, newest last; at most RELEASES_KEPT per company."""
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            short_code = pw.CharField(max_length=32)
            publication_id = pw.CharField(max_length=64)
            tag = pw.CharField(max_length=32, unique=True)  # random: a cache key never reused
            body = pw.TextField()  # the whole publication, one JSON document
            received_at = pw.DateTimeField(default=utcnow)

            class Meta:
                table_name = "pub_release"
                indexes = ((("client", "short_code", "id"), False),)

        class Receipt(Base):
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            short_code = pw.CharField(max_length=32)
            publication_id = pw.CharField(max_length=64)

            class Meta:
                indexes = ((("client", "short_code", "publication_id"), True),)

        class MobileUser(Base):
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            login = pw.CharField(max_length=64)
            name = pw.CharField(max_length=200)
            verifier = pw.CharField(max_length=300)
            grants = pw.TextField()  # JSON {short_code: [view ids]}

            class Meta:
                indexes = ((("client", "login"), True),)

        class Session(Base):
            """A mobile token (its SHA-256). Deleted, never flagged, when it ends: it cannot come back."""
            token_hash = pw.CharField(max_length=64, unique=True)
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            login = pw.CharField(max_length=64)
            company_code = pw.CharField(max_length=32)
            verifier_digest = pw.CharField(max_length=64)
            views = pw.TextField()  # JSON list: the views granted now (kept current by each users upload)
            expires_at = pw.BigIntegerField(index=True)  # Unix seconds

            class Meta:
                table_name = "mobile_session"

        class Attempt(Base):
            """Failed logins per key (an account or an address), in a fixed window."""
            key = pw.CharField(max_length=64, unique=True)  # SHA-256 of the key text
            window_start = pw.BigIntegerField(index=True)
            failures = pw.IntegerField(default=0)

            class Meta:
                table_name = "login_attempt"

        # `Publication`: a company's stored publications (the current one and the one before it)
        self.Client, self.Publication, self.Release, self.Receipt = Client, PubRelease, PubRelease, Receipt
        self.LegacyPublication = Publication
        self.MobileUser, self.Session, self.Attempt = MobileUser, Session, Attempt
        self.models = [Client, Publication, PubRelease, Receipt, MobileUser, Session, Attempt]
        self._releases: dict[str, Release] = {}
        self._answers: dict[tuple, tuple[bytes, str]] = {}
        self._sql_views: str | None = None
        self._counted = threading.local()
        with self.db.connection_context():
            self.db.create_tables(self.models, safe=True)
            self._migrate()

    def _migrate(self) -> None:
        """Publications stored by version 1 (table `publication`) become releases, once."""
        P, R = self.LegacyPublication, self.Release
        if not P.select().exists():
            return
        with self.write():
            for row in P.select():
                if not R.select().where((R.client == row.client_id) & (R.short_code == row.short_code)).exists():
                    R.create(client=row.client_id, short_code=row.short_code, publication_id=row.publication_id,
                             tag=secrets.token_hex(16), body=row.body, received_at=row.received_at)
            P.delete().execute()

    # --- plumbing ------------------------------------------------------------

    def connection(self):
        return self.db.connection_context()

    def write(self):
        """A write transaction; on SQLite take the write lock at once (no upgrade deadlock)."""
        if self.is_sqlite:
            return self.db.atomic("IMMEDIATE")
        return self.db.atomic()

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    def _client_by_code(self, code: str):
        """The client of a code, compared without case (ACME and acme are one account)."""
        if not code:
            return None
        C = self.Client
        return C.select().where(pw.fn.LOWER(C.code) == code.lower()).order_by(C.id).first()

    # --- publisher accounts (operator side) --------------------------------

    def add_client(self, code: str, password: str, *, replace: bool = False) -> bool:
        """Create a publisher account; True when created, False when its password was replaced."""
        if not CLIENT_CODE_RE.match(code or ""):
            raise ValueError("A client code is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
        if len(password) < MIN_CLIENT_PASSWORD:
            raise ValueError(f"The portal password must have at least {MIN_CLIENT_PASSWORD} characters.")
        verifier = make_verifier(password)
        with self.connection(), self.write():
            existing = self._client_by_code(code)
            if existing is None:
                self.Client.create(code=code, verifier=verifier)
                return True
            if not replace:
                raise ValueError(f"Client '{existing.code}' already exists (client codes ignore case); "
                                 f"add --replace to give it a new password.")
            existing.verifier = verifier
            existing.save()
            return False

    def list_clients(self) -> list[dict]:
        with self.connection():
            out = []
            for client in self.Client.select().order_by(self.Client.code):
                companies = (self.Release.select(self.Release.short_code).distinct()
                             .where(self.Release.client == client))
                out.append({
                    "client_code": client.code,
                    "created_at": _iso(client.created_at) if isinstance(client.created_at, datetime)
                    else str(client.created_at),
                    "publications": companies.count(),
                    "users": self.MobileUser.select().where(self.MobileUser.client == client).count(),
                })
            return out

    def remove_client(self, code: str) -> bool:
        with self.connection(), self.write():
            client = self._client_by_code(code)
            if client is None:
                return False
            self._delete_data(client.id)
            client.delete_instance()
            return True

    def client_code(self, client_id: int) -> str:
        with self.connection():
            return self.Client.get_by_id(client_id).code

    # --- publisher calls -----------------------------------------------------

    def authenticate_client(self, code: str, password: str) -> int | None:
        """The client's id when code and password match, else None (same work either way)."""
        with self.connection():
            client = self._client_by_code(code)
        verifier = client.verifier if client is not None else DummyVerifier.get()
        ok = check_bounded(verifier, password)
        return client.id if (client is not None and ok) else None

    def put_publication(self, client_id: int, short_code: str, body: dict) -> str:
        """Store `body` as the company's publication; 'stored' or 'unchanged' (a retry).

        The one before it stays as the company's previous publication; older ones go.
        """
        pub_id = body["publication_id"]
        R, Rel = self.Receipt, self.Release
        text = _dumps(body)
        company = (Rel.client == client_id) & (Rel.short_code == short_code)
        with self.connection(), self.write():
            seen = R.select().where((R.client == client_id) & (R.short_code == short_code)
                                    & (R.publication_id == pub_id)).exists()
            if seen:
                return "unchanged"
            Rel.create(client=client_id, short_code=short_code, publication_id=pub_id,
                       tag=secrets.token_hex(16), body=text, received_at=utcnow())
            keep = Rel.select(Rel.id).where(company).order_by(Rel.id.desc()).limit(RELEASES_KEPT)
            Rel.delete().where(company & Rel.id.not_in(keep)).execute()
            R.insert(client=client_id, short_code=short_code, publication_id=pub_id).on_conflict_ignore().execute()
            keep = (R.select(R.id).where((R.client == client_id) & (R.short_code == short_code))
                    .order_by(R.id.desc()).limit(RECEIPTS_KEPT))
            R.delete().where((R.client == client_id) & (R.short_code == short_code)
                             & R.id.not_in(keep)).execute()
            return "stored"

    def delete_publication(self, client_id: int, short_code: str) -> None:
        """Remove the company's publication and the previous one (and the retry receipts)."""
        R, Rel = self.Receipt, self.Release
        with self.connection(), self.write():
            Rel.delete().where((Rel.client == client_id) & (Rel.short_code == short_code)).execute()
            R.delete().where((R.client == client_id) & (R.short_code == short_code)).execute()

    def replace_users(self, client_id: int, users: list[dict]) -> tuple[int, int]:
        """Replace the client's users; end for good (delete) every session whose user is gone,
        whose password changed or whose company grant was withdrawn; keep the others' views current."""
        U, S = self.MobileUser, self.Session
        rows = [{"client": client_id, "login": u["login"], "name": u["name"],
                 "verifier": u["password_verifier"],
                 "grants": json.dumps(u["grants"], separators=(",", ":"))} for u in users]
        by_login = {u["login"]: u for u in users}
        digests = {u["login"]: _digest(u["password_verifier"]) for u in users}
        with self.connection(), self.write():
            U.delete().where(U.client == client_id).execute()
            for start in range(0, len(rows), 200):
                U.insert_many(rows[start:start + 200]).execute()
            ended, changed = [], []
            for sid, login, company, digest, views in (S.select(S.id, S.login, S.company_code, S.verifier_digest,
                                                                S.views).where(S.client == client_id).tuples()):
                u = by_login.get(login)
                granted = (u["grants"].get(company) or []) if u is not None else []
                if u is None or digests[login] != digest or not granted:
                    ended.append(sid)
                elif _dumps(granted) != views:
                    changed.append((sid, _dumps(granted)))
            for start in range(0, len(ended), 500):
                S.delete().where(S.id.in_(ended[start:start + 500])).execute()
            for sid, views in changed:
                S.update(views=views).where(S.id == sid).execute()
        return len(rows), sum(len(u["grants"]) for u in users)

    def delete_data(self, client_id: int) -> None:
        with self.connection(), self.write():
            self._delete_data(client_id)

    def _delete_data(self, client_id: int) -> None:
        for model in (self.Session, self.MobileUser, self.Receipt, self.Release, self.LegacyPublication):
            model.delete().where(model.client == client_id).execute()

    # --- failed-login counters -----------------------------------------------

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def throttled(self, keys: list[tuple[str, int]], window: int, now: int | None = None) -> int:
        """Seconds to wait when one of the (key, limit) pairs reached its limit in the window, else 0.

        `self.counted` is then the set of key texts that have a counter (to clear on success)."""
        now = int(time.time()) if now is None else now
        A = self.Attempt
        hashed = {self._key(k): (k, limit) for k, limit in keys}
        wait = 0
        counted = set()
        with self.connection():
            for key, start, failures in (A.select(A.key, A.window_start, A.failures)
                                         .where(A.key.in_(list(hashed))).tuples()):
                text, limit = hashed[key]
                counted.add(text)
                if start + window > now and failures >= limit:
                    wait = max(wait, start + window - now)
        self._counted.counted = counted
        return wait

    def has_counter(self, key: str) -> bool:
        """Whether the last `throttled()` of this thread saw a counter for `key`."""
        return key in getattr(self._counted, "counted", ())

    def record_failure(self, keys: list[str], window: int, now: int | None = None) -> None:
        """Count one failed login against each key (a new window when the last one is over)."""
        now = int(time.time()) if now is None else now
        A = self.Attempt
        with self.connection(), self.write():
            for text in keys:
                key = self._key(text)
                row = A.get_or_none(A.key == key)
                if row is None:
                    A.insert(key=key, window_start=now, failures=1).on_conflict(
                        conflict_target=[A.key], update={A.failures: A.failures + 1}).execute()
                elif row.window_start + window <= now:
                    A.update(window_start=now, failures=1).where(A.key == key).execute()
                else:
                    A.update(failures=A.failures + 1).where(A.key == key).execute()
            A.delete().where(A.window_start < now - 2 * window).execute()

    def forget_failures(self, key: str) -> None:
        """A successful login clears its account's counter (not the address's)."""
        A = self.Attempt
        with self.connection():
            A.delete().where(A.key == self._key(key)).execute()

    # --- mobile calls --------------------------------------------------------

    def find_mobile_user(self, client_code: str, login: str):
        C, U = self.Client, self.MobileUser
        with self.connection():
            return (U.select(U, C).join(C)
                    .where((pw.fn.LOWER(C.code) == (client_code or "").lower()) & (U.login == login)).first())

    def mobile_login(self, client_code: str, company_code: str, login: str, password: str,
                     ttl: timedelta) -> LoginResult | None:
        """A new token when all four fields are right, else None.

        The password is checked against a verifier in every case (a dummy one
        when the client or login is unknown), so a wrong field cannot be told
        from another by the time the answer takes.
        """
        user = self.find_mobile_user(client_code, login)
        verifier = user.verifier if user is not None else DummyVerifier.get()
        if user is not None and verifier_bounds_problem(verifier) is not None:
            verifier = DummyVerifier.get()  # stored before the bounds: never run its cost
            user = None
        ok = check_bounded(verifier, password)
        if user is None or not ok:
            return None
        grants = json.loads(user.grants)
        views = grants.get(company_code)
        if not views:
            return None
        token = secrets.token_urlsafe(32)
        now = time.time()
        expires = int(now + ttl.total_seconds())
        S = self.Session
        with self.connection(), self.write():
            S.delete().where(S.expires_at < int(now)).execute()
            S.create(token_hash=hash_token(token), client=user.client_id, login=user.login,
                     company_code=company_code, verifier_digest=_digest(user.verifier),
                     views=_dumps(views), expires_at=expires)
        return LoginResult(token=token, expires_at=_iso(datetime.fromtimestamp(expires, timezone.utc)))

    def logout(self, token: str) -> bool:
        """End a session for good; True when there was one."""
        S = self.Session
        with self.connection():
            return S.delete().where(S.token_hash == hash_token(token)).execute() > 0

    # The read of GET /mobile/views: one indexed query (the session, and the company's last
    # two publications' ids and tags). Bodies come from the per-worker cache of releases.
    def _views_sql(self) -> str:
        q = self.db.param
        return ("SELECT s.client_id, s.company_code, s.views, s.expires_at, r.id, r.tag "
                "FROM mobile_session s LEFT JOIN pub_release r "
                "ON r.client_id = s.client_id AND r.short_code = s.company_code "
                f"WHERE s.token_hash = {q} ORDER BY r.id DESC LIMIT {RELEASES_KEPT}")

    def _rows(self, sql: str, params: tuple, cursor=None) -> list:
        if cursor is not None:
            cursor.execute(sql, params)
            return cursor.fetchall()
        with self.connection():
            return self.db.execute_sql(sql, params).fetchall()

    PREPARED_VIEWS = "bizsync_views"

    def prepare(self, cursor) -> bool:
        """On PostgreSQL, prepare the read of /mobile/views on this connection (parsed and planned once)."""
        if self.is_sqlite:
            return False
        sql = self._views_sql().replace(self.db.param, "$1", 1)
        cursor.execute("DEALLOCATE ALL")  # a pooled connection may come back with it already prepared
        cursor.execute(f"PREPARE {self.PREPARED_VIEWS} (text) AS {sql}")
        return True

    def read_session(self, token: str, cursor=None, prepared: bool = False):
        """(views granted as JSON text, [release tags newest first]) of a live token, else None.

        `cursor`: a DB-API cursor to use (the event loop's own connection); else a fresh connection.
        `prepared`: that connection has the statement of `prepare()`.
        """
        if prepared:
            sql = f"EXECUTE {self.PREPARED_VIEWS} ({self.db.param})"
        else:
            if self._sql_views is None:
                self._sql_views = self._views_sql()
            sql = self._sql_views
        rows = self._rows(sql, (hash_token(token),), cursor)
        if not rows:
            return None
        _client, _company, views, expires, _rid, _tag = rows[0]
        if int(expires) <= time.time():
            return None
        return views, [row[5] for row in rows if row[5] is not None]

    def release(self, tag: str, cursor=None) -> Release | None:
        """The stored publication of a tag, parsed once and then cached (it never changes)."""
        cached = self._releases.get(tag)
        if cached is not None:
            return cached
        rows = self._rows(f"SELECT body FROM pub_release WHERE tag = {self.db.param}", (tag,), cursor)
        if not rows:
            return None
        rel = Release(tag, json.loads(rows[0][0]))
        if len(self._releases) >= 512:
            self._releases.clear()
        self._releases[tag] = rel
        return rel

    def session_of(self, token: str):
        """(granted view ids, release tags newest first) of a live token, else None."""
        found = self.read_session(token)
        return None if found is None else (json.loads(found[0]), found[1])

    def mobile_answer(self, token: str, cursor=None, prepared: bool = False):
        """GET /mobile/views for a token: (body bytes, etag); None: no live session;
        False: nothing published for the company.

        One indexed query per call; the answer of a (grant, publication, previous)
        triple is built once per worker and kept (all three parts are immutable
        or part of the key, so the cache can never serve a stale answer).
        """
        found = self.read_session(token, cursor, prepared)
        if found is None:
            return None
        views, tags = found
        if not tags:
            return False
        key = (views, *tags)
        hit = self._answers.get(key)
        if hit is not None:
            return hit
        current = self.release(tags[0], cursor)
        if current is None:
            return False
        previous = self.release(tags[1], cursor) if len(tags) > 1 else None
        body = current.serve(json.loads(views), previous)
        etag = '"' + hashlib.sha256("|".join(key).encode("utf-8")).hexdigest()[:32] + '"'
        if len(self._answers) >= 4096:
            self._answers.clear()
        self._answers[key] = (body, etag)
        return body, etag

    def publication_of(self, client_id: int, short_code: str) -> dict | None:
        """The company's current publication as stored (for the operator and tests)."""
        R = self.Release
        with self.connection():
            row = (R.select(R.body).where((R.client == client_id) & (R.short_code == short_code))
                   .order_by(R.id.desc()).first())
            return json.loads(row.body) if row is not None else None
