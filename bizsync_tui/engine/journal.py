"""The publication journal: one row per operation, read page by page.

An operation that changes the platform is journaled before it starts
(`begin`: a row that already says the operation did not finish) and completed
after (`finish`), so a publisher killed during an upload still leaves its row,
and a journal that cannot be written stops the run before anything is sent.
A write that fails raises JournalUnavailable, whose text says why in a sentence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee

from bizsync_tui.i18n import N_, _
from bizsync_tui.models.db import BUSY_TIMEOUT_MS, DB_FILE
from bizsync_tui.models.tables import JournalEntry, utcnow


#: the journal's operation codes as the admin reads them (the journal screen, the wizard's
#: report, the command line's lines)
OPERATION_NAMES = {"publish": N_("publication"), "delete": N_("deletion"), "delete_all": N_("deletion of everything"),
                   "users": N_("mobile users"), "check": N_("check")}


def operation_name(operation: str) -> str:
    """'publish' -> 'publication' ('publication' in French), 'delete_all' -> 'deletion of everything'."""
    return _(OPERATION_NAMES[operation]) if operation in OPERATION_NAMES else operation


def outcome_line(success: bool, operation: str, company: str, message: str) -> str:
    """'ok publication  BIJOU     Published 17 views ...' ('✗' for a failure), in the UI language:
    one operation as the command line prints it (`publish`, `journal`, `demo`)."""
    mark = "ok" if success else "\u2717"
    return f"{mark:2} {operation_name(operation):13} {company or '-':9} {message}"


class JournalUnavailable(Exception):
    """The journal cannot be written; str() is one sentence for the admin."""


def storage_problem(exc: BaseException, path: str | Path | None = None) -> str | None:
    """One sentence for an error of the settings database or of its folder, or None if not one.

    `path` is the settings database (or the data dir) the error concerns.
    """
    errno = getattr(exc, "errno", None)
    if isinstance(exc, OSError) and getattr(exc, "filename", None):
        path = exc.filename
    where = str(path) if path is not None else _("the data dir")
    text = str(exc).lower()
    if isinstance(exc, OSError) and errno == 21:  # EISDIR
        return _("{path} is a folder where bizsync expects a file; move it away, then try again.").format(
            path=where)
    if isinstance(exc, OSError) and errno == 20:  # ENOTDIR
        return _("a part of {path} is a file, not a folder; choose another data dir with --data-dir.").format(
            path=where)
    if "disk i/o" in text and path is not None and _disk_full(Path(path)):
        return _("the disk holding {path} is full; free some space there, then try again.").format(path=where)
    if "locked" in text or "busy" in text:
        return _("the settings database ({path}) has been kept busy by another program for more than "
                 "{seconds} seconds; wait for the other bizsync (a publication, the scheduler, a save) to "
                 "finish or close it, then try again.").format(path=where, seconds=BUSY_TIMEOUT_MS // 1000)
    if "readonly" in text or "read-only" in text or errno in (30, 13, 1):  # EROFS, EACCES, EPERM
        return _("{path} cannot be written (read-only, or not this user's); make the data dir and its files "
                 "writable by this user, or choose another with --data-dir, then try again.").format(path=where)
    if "disk is full" in text or "no space" in text or errno in (28, 122):  # ENOSPC, EDQUOT
        return _("the disk holding {path} is full; free some space there, then try again.").format(path=where)
    if "unable to open" in text or "disk i/o" in text:
        return _("{path} cannot be opened or written (a missing, unreadable or failing disk); check that the "
                 "data dir exists and is writable by this user, then try again.").format(path=where)
    if "malformed" in text or "not a database" in text:
        return _("{path} is damaged or is not a bizsync settings database; restore it from a backup, or "
                 "choose another data dir with --data-dir.").format(path=where)
    return None


def _disk_full(path: Path) -> bool:
    import shutil

    for folder in (path, *path.parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free < 64 * 1024
            except OSError:
                return False
    return False


def _database_path() -> str | None:
    data_dir = getattr(JournalEntry._meta.database.obj, "bizsync_data_dir", None)
    if data_dir is None:
        return None
    return str(Path(data_dir) / DB_FILE)


def _unavailable(exc: BaseException) -> JournalUnavailable:
    why = storage_problem(exc, _database_path()) or _(
        "the settings database refused the write ({error}); check the data dir, then try again.").format(
        error=type(exc).__name__)
    return JournalUnavailable(_("The journal cannot be written: {why}").format(why=why))


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime  # UTC, naive
    operation: str
    company: str
    success: bool
    message: str
    duration_ms: int
    figures: dict | None
    trigger: str

    def as_json(self) -> dict:
        return {
            "id": self.id, "at": self.at.isoformat(timespec="seconds") + "Z", "operation": self.operation,
            "company": self.company, "success": self.success, "message": self.message,
            "duration_ms": self.duration_ms, "figures": self.figures, "trigger": self.trigger,
        }


def _entry(row: JournalEntry) -> Entry:
    figures = json.loads(row.figures) if row.figures else None
    return Entry(row.id, row.at, row.operation, row.company, bool(row.success), row.message,
                 row.duration_ms, figures, row.trigger)


def record(operation: str, *, company: str = "", success: bool, message: str, duration_ms: int = 0,
           figures: dict | None = None, trigger: str = "manual", at: datetime | None = None) -> Entry:
    """Write one journal row in its own transaction. The message must hold no secret.

    Raises JournalUnavailable when the row cannot be written (busy, read-only or full)."""
    try:
        with JournalEntry._meta.database.atomic():
            row = JournalEntry.create(
                at=at or utcnow(), operation=operation, company=company or "", success=success, message=message,
                duration_ms=duration_ms, figures=json.dumps(figures, sort_keys=True) if figures is not None else "",
                trigger=trigger)
    except (peewee.OperationalError, peewee.DatabaseError) as exc:
        raise _unavailable(exc) from None
    return _entry(row)


def begin(operation: str, *, company: str = "", message: str, trigger: str = "manual") -> Entry:
    """The row of an operation about to change the platform, written before it starts.

    `message` says what it means if nothing completes the row (the publisher stopped
    during the operation); the row counts as a failure until `finish` completes it.
    """
    return record(operation, company=company, success=False, message=message, trigger=trigger)


def finish(entry: Entry, *, success: bool, message: str, duration_ms: int = 0,
           figures: dict | None = None) -> Entry:
    """Complete a row written by `begin` with the outcome. Raises JournalUnavailable."""
    values = {JournalEntry.success: success, JournalEntry.message: message, JournalEntry.duration_ms: duration_ms,
              JournalEntry.figures: json.dumps(figures, sort_keys=True) if figures is not None else ""}
    try:
        with JournalEntry._meta.database.atomic():
            JournalEntry.update(values).where(JournalEntry.id == entry.id).execute()
    except (peewee.OperationalError, peewee.DatabaseError) as exc:
        raise _unavailable(exc) from None
    return Entry(entry.id, entry.at, entry.operation, entry.company, success, message, duration_ms, figures,
                 entry.trigger)


def page(*, before_id: int | None = None, errors_only: bool = False, limit: int = 200) -> list[Entry]:
    """Newest first; keyset paging: pass the last id of a page to read the next one."""
    query = JournalEntry.select()
    if errors_only:
        query = query.where(JournalEntry.success == False)  # noqa: E712
    if before_id is not None:
        query = query.where(JournalEntry.id < before_id)
    return [_entry(r) for r in query.order_by(JournalEntry.id.desc()).limit(limit)]


def page_after(after_id: int, *, errors_only: bool = False, limit: int = 200) -> list[Entry]:
    """The page just newer than `after_id`, newest first (for paging back up)."""
    query = JournalEntry.select().where(JournalEntry.id > after_id)
    if errors_only:
        query = query.where(JournalEntry.success == False)  # noqa: E712
    rows = list(query.order_by(JournalEntry.id.asc()).limit(limit))
    return [_entry(r) for r in reversed(rows)]


def count(*, errors_only: bool = False) -> int:
    query = JournalEntry.select()
    if errors_only:
        query = query.where(JournalEntry.success == False)  # noqa: E712
    return query.count()


def get(entry_id: int) -> Entry | None:
    row = JournalEntry.get_or_none(JournalEntry.id == entry_id)
    return _entry(row) if row else None


def last_for(company: str | None = None, operation: str | None = None) -> Entry | None:
    query = JournalEntry.select()
    if company is not None:
        query = query.where(JournalEntry.company == company)
    if operation is not None:
        query = query.where(JournalEntry.operation == operation)
    row = query.order_by(JournalEntry.id.desc()).first()
    return _entry(row) if row else None
