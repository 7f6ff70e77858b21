"""Protection of the platform: failed-login throttling, response headers, database failures.

Throttling (PLATFORM_API.md, "Protection"): failed logins are counted in the
platform's database (table `login_attempt`), so the count holds across workers
and hosts sharing it. Mobile logins are counted per client + company + login
and per address; publisher Basic auth per client code and per address. Once a
key reached its limit within the window, every login on it is answered 429
`too_many_attempts` with `Retry-After` *before* any password is checked, until
the window ends. A successful login clears its account's counter. Another
account is never affected by one account's failures (only an address that
failed too often is).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import peewee

log = logging.getLogger("bizsync.platform")


@dataclass(frozen=True)
class Limits:
    window: int = 900  # seconds
    mobile_account: int = 10  # failures per client + company + login in the window
    mobile_address: int = 30  # failures per address
    publisher_account: int = 10  # failures per client code
    publisher_address: int = 30


DEFAULT_LIMITS = Limits()


def mobile_keys(limits: Limits, client_code: str, company_code: str, login: str, address: str):
    account = f"mobile|{(client_code or '').lower()}|{company_code}|{login}"
    return account, [(account, limits.mobile_account), (f"mobile-address|{address}", limits.mobile_address)]


def publisher_keys(limits: Limits, client_code: str, address: str):
    account = f"publisher|{(client_code or '').lower()}"
    return account, [(account, limits.publisher_account), (f"publisher-address|{address}", limits.publisher_address)]


TOO_MANY = ("Too many failed logins; wait {seconds} seconds before trying again (the platform counts "
            "failures per account and per address).")


# --- response headers ----------------------------------------------------------

NO_STORE = (b"cache-control", b"no-store")
NOSNIFF = (b"x-content-type-options", b"nosniff")
HSTS = (b"strict-transport-security", b"max-age=31536000")


def secure_headers(headers: list, path: str, https: bool) -> list:
    """The headers of an answer with the platform's own added (never removing one already set,
    e.g. the Content-Security-Policy of the web app's pages)."""
    names = {name.lower() for name, _ in headers}
    out = [(n, v) for n, v in headers if n.lower() != b"server"]
    if b"x-content-type-options" not in names:
        out.append(NOSNIFF)
    if path.startswith("/api/") and b"cache-control" not in names:
        out.append(NO_STORE)
    if https and b"strict-transport-security" not in names:
        out.append(HSTS)
    return out


# --- database failures -----------------------------------------------------------

def database_failure(exc: BaseException, sqlite_path: str | None):
    """(status, code, message, headers) for a database failure, after one log line saying what is
    wrong; None when `exc` is not one."""
    from playhouse.pool import MaxConnectionsExceeded

    from bizsync_tui.platform.store import MissingDatabase

    retry = {"Retry-After": "2"}
    if isinstance(exc, MaxConnectionsExceeded):
        log.warning("database connection pool exhausted (%s): requests wait for a free connection; raise "
                    "max_connections in the postgresql+pool:// URL or lower the workers", exc)
        return 503, "busy", "The platform is busy; try again in a moment.", retry
    if isinstance(exc, MissingDatabase):
        log.error("the platform database %s is missing (deleted or moved?): restore it from a backup, or "
                  "restart the platform to start an empty one", sqlite_path)
        return 503, "unavailable", ("The platform's database is unavailable; the platform operator must "
                                    "restore it (see the platform's log)."), retry
    if not isinstance(exc, (peewee.OperationalError, peewee.InterfaceError, peewee.DatabaseError)):
        return None
    text = str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        log.warning("database busy (%s); the request was answered 503", text)
        return 503, "busy", "The platform's database is busy; try again in a moment.", retry
    where = f" {sqlite_path}" if sqlite_path else ""
    if sqlite_path and not os.path.exists(sqlite_path):
        log.error("the platform database%s is missing (deleted or moved?): restore it from a backup, or "
                  "restart the platform to start an empty one (%s)", where, text)
    elif "no such table" in lowered:
        log.error("the platform database%s has lost its tables (%s): was it replaced by another file? "
                  "Restore it from a backup, or restart the platform to create them", where, text)
    elif "unable to open" in lowered or "readonly" in lowered or "read-only" in lowered \
            or "disk i/o" in lowered or "permission" in lowered:
        log.error("the platform database%s cannot be read or written (%s): check that it and its folder "
                  "exist and belong to the platform's user", where, text)
    else:
        log.error("database error (%s: %s); check the database server and the platform's database URL",
                  exc.__class__.__name__, text)
    return 503, "unavailable", ("The platform's database is unavailable; try again later, and tell the "
                                "platform operator if it lasts."), retry
