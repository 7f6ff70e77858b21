"""The platform's storage, through peewee: SQLite by default, PostgreSQL as option.

Nothing lives in a worker's memory: clients, publications, users and mobile
tokens are all rows, so several workers can share one PostgreSQL database.

Each `Store` builds its own model classes bound to its own database, so two
platforms can run in one process (tests) without sharing a global.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import peewee as pw

from bizsync_tui.engine.contract import check_verifier, make_verifier

DB_FILE_NAME = "platform.db"
CLIENT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_CLIENT_PASSWORD = 8
RECEIPTS_KEPT = 50  # publication ids remembered per company, for safe retries


def utcnow() -> datetime:
    """Now in UTC, naive (how both SQLite and PostgreSQL store it here)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def database_for(database: str | Path) -> pw.Database:
    """A peewee database from a URL (`postgresql://...`, `sqlite:///...`) or a SQLite file path."""
    text = str(database)
    if "://" in text:
        from playhouse.db_url import connect

        if text.startswith(("postgres://", "postgresql://")):
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
    return pw.SqliteDatabase(str(path), pragmas=_SQLITE_PRAGMAS)


_SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1, "synchronous": "normal"}


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


class Store:
    def __init__(self, database: str | Path):
        self.db = database_for(database)
        self.is_sqlite = isinstance(self.db, pw.SqliteDatabase)
        db = self.db

        class Base(pw.Model):
            class Meta:
                database = db

        class Client(Base):
            code = pw.CharField(max_length=64, unique=True)
            verifier = pw.CharField(max_length=300)
            created_at = pw.DateTimeField(default=utcnow)

        class Publication(Base):
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            short_code = pw.CharField(max_length=32)
            publication_id = pw.CharField(max_length=64)
            body = pw.TextField()  # the whole publication, one JSON document
            received_at = pw.DateTimeField(default=utcnow)

            class Meta:
                indexes = ((("client", "short_code"), True),)

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

        class Token(Base):
            token_hash = pw.CharField(max_length=64, unique=True)
            client = pw.ForeignKeyField(Client, on_delete="CASCADE")
            login = pw.CharField(max_length=64)
            company_code = pw.CharField(max_length=32)
            verifier_digest = pw.CharField(max_length=64)  # a password change ends the session
            expires_at = pw.DateTimeField(index=True)

        self.Client, self.Publication, self.Receipt = Client, Publication, Receipt
        self.MobileUser, self.Token = MobileUser, Token
        self.models = [Client, Publication, Receipt, MobileUser, Token]
        with self.db.connection_context():
            self.db.create_tables(self.models, safe=True)

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

    # --- publisher accounts (operator side) --------------------------------

    def add_client(self, code: str, password: str, *, replace: bool = False) -> bool:
        """Create a publisher account; True when created, False when its password was replaced."""
        if not CLIENT_CODE_RE.match(code or ""):
            raise ValueError("A client code is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
        if len(password) < MIN_CLIENT_PASSWORD:
            raise ValueError(f"The portal password must have at least {MIN_CLIENT_PASSWORD} characters.")
        verifier = make_verifier(password)
        with self.connection(), self.write():
            existing = self.Client.get_or_none(self.Client.code == code)
            if existing is None:
                self.Client.create(code=code, verifier=verifier)
                return True
            if not replace:
                raise ValueError(f"Client '{code}' already exists; add --replace to give it a new password.")
            existing.verifier = verifier
            existing.save()
            return False

    def list_clients(self) -> list[dict]:
        with self.connection():
            out = []
            for client in self.Client.select().order_by(self.Client.code):
                out.append({
                    "client_code": client.code,
                    "created_at": _iso(client.created_at) if isinstance(client.created_at, datetime)
                    else str(client.created_at),
                    "publications": self.Publication.select().where(self.Publication.client == client).count(),
                    "users": self.MobileUser.select().where(self.MobileUser.client == client).count(),
                })
            return out

    def remove_client(self, code: str) -> bool:
        with self.connection(), self.write():
            client = self.Client.get_or_none(self.Client.code == code)
            if client is None:
                return False
            self._delete_data(client.id)
            client.delete_instance()
            return True

    # --- publisher calls -----------------------------------------------------

    def authenticate_client(self, code: str, password: str) -> int | None:
        """The client's id when code and password match, else None (same work either way)."""
        with self.connection():
            client = self.Client.get_or_none(self.Client.code == code) if code else None
        verifier = client.verifier if client is not None else DummyVerifier.get()
        ok = check_verifier(verifier, password)
        return client.id if (client is not None and ok) else None

    def put_publication(self, client_id: int, short_code: str, body: dict) -> str:
        """Store `body` as the company's publication; 'stored' or 'unchanged' (a retry)."""
        pub_id = body["publication_id"]
        P, R = self.Publication, self.Receipt
        with self.connection(), self.write():
            seen = R.select().where((R.client == client_id) & (R.short_code == short_code)
                                    & (R.publication_id == pub_id)).exists()
            if seen:
                return "unchanged"
            (P.insert(client=client_id, short_code=short_code, publication_id=pub_id,
                      body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                      received_at=utcnow())
             .on_conflict(conflict_target=[P.client, P.short_code],
                          update={P.publication_id: pub_id,
                                  P.body: json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                                  P.received_at: utcnow()})
             .execute())
            R.insert(client=client_id, short_code=short_code, publication_id=pub_id).on_conflict_ignore().execute()
            keep = (R.select(R.id).where((R.client == client_id) & (R.short_code == short_code))
                    .order_by(R.id.desc()).limit(RECEIPTS_KEPT))
            R.delete().where((R.client == client_id) & (R.short_code == short_code)
                             & R.id.not_in(keep)).execute()
            return "stored"

    def delete_publication(self, client_id: int, short_code: str) -> None:
        P, R = self.Publication, self.Receipt
        with self.connection(), self.write():
            P.delete().where((P.client == client_id) & (P.short_code == short_code)).execute()
            R.delete().where((R.client == client_id) & (R.short_code == short_code)).execute()

    def replace_users(self, client_id: int, users: list[dict]) -> tuple[int, int]:
        U = self.MobileUser
        rows = [{"client": client_id, "login": u["login"], "name": u["name"],
                 "verifier": u["password_verifier"],
                 "grants": json.dumps(u["grants"], separators=(",", ":"))} for u in users]
        with self.connection(), self.write():
            U.delete().where(U.client == client_id).execute()
            for start in range(0, len(rows), 200):
                U.insert_many(rows[start:start + 200]).execute()
        return len(rows), sum(len(u["grants"]) for u in users)

    def delete_data(self, client_id: int) -> None:
        with self.connection(), self.write():
            self._delete_data(client_id)

    def _delete_data(self, client_id: int) -> None:
        for model in (self.Token, self.MobileUser, self.Receipt, self.Publication):
            model.delete().where(model.client == client_id).execute()

    # --- mobile calls --------------------------------------------------------

    def mobile_login(self, client_code: str, company_code: str, login: str, password: str,
                     ttl: timedelta) -> LoginResult | None:
        """A new token when all four fields are right, else None.

        The password is checked against a verifier in every case (a dummy one
        when the client or login is unknown), so a wrong field cannot be told
        from another by the time the answer takes.
        """
        C, U = self.Client, self.MobileUser
        with self.connection():
            user = (U.select(U, C).join(C)
                    .where((C.code == client_code) & (U.login == login)).first())
        verifier = user.verifier if user is not None else DummyVerifier.get()
        try:
            ok = check_verifier(verifier, password)
        except (ValueError, MemoryError):
            ok = False
        if user is None or not ok:
            return None
        grants = json.loads(user.grants)
        if not grants.get(company_code):
            return None
        token = secrets.token_urlsafe(32)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        expires = now + ttl
        T = self.Token
        with self.connection(), self.write():
            T.delete().where(T.expires_at < now).execute()
            T.create(token_hash=hash_token(token), client=user.client_id, login=user.login,
                     company_code=company_code, verifier_digest=_digest(user.verifier),
                     expires_at=expires)
        return LoginResult(token=token, expires_at=_iso(expires))

    def session_of(self, token: str):
        """(client_id, company_code, granted view ids) of a live token, else None.

        The grant is read now, not at login: a user removed, a password changed
        or a grant withdrawn by the last users upload ends the session at once.
        """
        T, U = self.Token, self.MobileUser
        with self.connection():
            row = T.get_or_none(T.token_hash == hash_token(token))
            if row is None:
                return None
            expires = row.expires_at
            if isinstance(expires, str):
                expires = datetime.fromisoformat(expires)
            if expires <= datetime.now(timezone.utc).replace(tzinfo=None):
                return None
            user = U.get_or_none((U.client == row.client_id) & (U.login == row.login))
            if user is None or _digest(user.verifier) != row.verifier_digest:
                return None
            views = json.loads(user.grants).get(row.company_code) or []
            if not views:
                return None
            return row.client_id, row.company_code, views

    def publication_of(self, client_id: int, short_code: str) -> dict | None:
        P = self.Publication
        with self.connection():
            row = P.get_or_none((P.client == client_id) & (P.short_code == short_code))
            return json.loads(row.body) if row is not None else None
