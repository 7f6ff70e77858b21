"""The publication journal: one row per operation, read page by page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from bizsync_tui.models.tables import JournalEntry, utcnow


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
    """Write one journal row in its own transaction. The message must hold no secret."""
    with JournalEntry._meta.database.atomic():
        row = JournalEntry.create(
            at=at or utcnow(), operation=operation, company=company or "", success=success, message=message,
            duration_ms=duration_ms, figures=json.dumps(figures, sort_keys=True) if figures is not None else "",
            trigger=trigger)
    return _entry(row)


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
