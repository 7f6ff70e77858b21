"""The state of each publication, computed from the journal: what `bizsync status`, the TUI's
status line and the alerts all read.

A subject is an enabled company, an enabled group, or the mobile users (the `users`
operation that ends every publication). For each: the last success, the last attempt,
since when it fails (the first failure after the last success), the failure's sentence,
and whether it is stale (no success for `alert.stale_hours`, counted from the last
success, or from the company's creation when it never succeeded).

Journal rows without a company (a run refused before it reached the companies) are not
counted: they say nothing of one company, and a run refused because another one is
running is not a failure.

Exit codes (ARCHITECTURE.md): 0 all well, 1 any failing or stale, 2 nothing ever published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from peewee import fn

from bizsync_tui.i18n import _
from bizsync_tui.models.tables import Company, JournalEntry

UTC = timezone.utc
USERS = "users"  # the subject key of the mobile users (short codes are upper case)
OK, FAILING, STALE, NEVER = "ok", "failing", "stale", "never"


def _aware(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if at else None


@dataclass(frozen=True)
class SubjectState:
    key: str  # short code, or USERS
    kind: str  # company | group | users
    name: str
    last_success: datetime | None  # aware, UTC
    last_attempt: datetime | None
    last_ok: bool | None  # the last attempt's outcome (None: never attempted)
    failing_since: datetime | None  # when it started failing (None: not failing)
    message: str  # the last failure's sentence: what to fix ('' when the last attempt succeeded)
    stale: bool
    last_id: int = 0  # the journal id of the last attempt

    @property
    def state(self) -> str:
        if self.last_ok is False:
            return FAILING
        if self.stale:
            return STALE
        if self.last_success is None:
            return NEVER
        return OK

    @property
    def label(self) -> str:
        return _("mobile users") if self.key == USERS else self.key

    def as_json(self) -> dict:
        return {"subject": self.key, "kind": self.kind, "name": self.name, "state": self.state,
                "last_success": _iso(self.last_success), "last_attempt": _iso(self.last_attempt),
                "failing_since": _iso(self.failing_since), "stale": self.stale, "message": self.message}


@dataclass(frozen=True)
class Status:
    at: datetime  # when it was computed (aware)
    subjects: list[SubjectState]
    stale_hours: int
    next_run: datetime | None = None
    scheduler: str = ""  # one sentence on the scheduler, when the caller knows it
    last_entry: int = 0  # the journal's newest id (the TUI polls it)
    extra: dict = field(default_factory=dict)

    @property
    def failing(self) -> list[SubjectState]:
        return [s for s in self.subjects if s.state == FAILING]

    @property
    def stale(self) -> list[SubjectState]:
        return [s for s in self.subjects if s.state == STALE]

    @property
    def ever_published(self) -> bool:
        return any(s.last_success is not None for s in self.subjects)

    @property
    def code(self) -> int:
        """0 all well, 1 any failing or stale, 2 nothing ever published."""
        if not self.ever_published:
            return 2
        return 1 if (self.failing or self.stale) else 0

    @property
    def overall(self) -> str:
        return {0: OK, 1: FAILING if self.failing else STALE, 2: NEVER}[self.code]

    def as_json(self) -> dict:
        return {"status": self.overall, "exit_code": self.code, "at": _iso(self.at),
                "next_run": self.next_run.isoformat(timespec="minutes") if self.next_run else None,
                "stale_hours": self.stale_hours, "scheduler": self.scheduler,
                "subjects": [s.as_json() for s in self.subjects]}

    def headline(self) -> str:
        """One sentence: all well, what fails, what is stale, or nothing published yet."""
        if self.code == 2:
            if not self.subjects:
                return _("Nothing was ever published: there is no company to publish.")
            failing = self.failing
            if failing:
                return _("Nothing was ever published; failing: {codes}.").format(
                    codes=", ".join(s.label for s in failing))
            return _("Nothing was ever published yet.")
        parts = []
        if self.failing:
            parts.append(_("failing: {codes}").format(codes=", ".join(s.label for s in self.failing)))
        if self.stale:
            parts.append(_("stale: {codes}").format(codes=", ".join(s.label for s in self.stale)))
        if not parts:
            return _("All publications are well.")
        return _("Publication problems: {what}.").format(what="; ".join(parts))

    def short(self) -> str:
        """A few words for the TUI's status line ('' when all is well)."""
        parts = []
        if self.failing:
            parts.append(_("failing: {codes}").format(codes=", ".join(s.label for s in self.failing)))
        if self.stale:
            parts.append(_("stale: {codes}").format(codes=", ".join(s.label for s in self.stale)))
        return "; ".join(parts)


def subjects_of() -> list[tuple[str, str, str, datetime | None]]:
    """(key, kind, name, created_at) of what is published: enabled companies, groups, then the users."""
    rows = list(Company.select().where(Company.enabled == True)  # noqa: E712
                .order_by(Company.is_group, Company.short_code))
    out = [(c.short_code, "group" if c.is_group else "company", c.name, _aware(c.created_at)) for c in rows]
    if rows:
        out.append((USERS, "users", _("mobile users"), min(s[3] for s in out if s[3] is not None)
                    if any(s[3] for s in out) else None))
    return out


def _journal_key(key: str) -> tuple[str, str]:
    return ("users", "") if key == USERS else ("publish", key)


def last_entry_id() -> int:
    """The journal's newest id (0 when empty): cheap, for polling."""
    return JournalEntry.select(fn.MAX(JournalEntry.id)).scalar() or 0


def compute(now: datetime, stale_hours: int = 0, *, next_run: datetime | None = None,
            scheduler: str = "") -> Status:
    """The state of every subject at `now` (aware) from the journal."""
    now = now.astimezone(UTC)
    subjects = subjects_of()
    out = []
    limit = timedelta(hours=stale_hours) if stale_hours > 0 else None
    for key, kind, name, created in subjects:
        operation, company = _journal_key(key)
        mine = (JournalEntry.operation == operation) & (JournalEntry.company == company)
        # newest first by id: the rows looked for are the latest ones, found without a full scan
        last_row = JournalEntry.select().where(mine).order_by(JournalEntry.id.desc()).first()
        ok_row = last_row if (last_row is None or last_row.success) else (
            JournalEntry.select().where(mine & (JournalEntry.success == True))  # noqa: E712
            .order_by(JournalEntry.id.desc()).first())
        last_success = _aware(ok_row.at) if ok_row else None
        failing_since, message, last_ok, last_attempt, last_id = None, "", None, None, 0
        if last_row is not None and not last_row.success:
            first = (JournalEntry.select(fn.MIN(JournalEntry.id))
                     .where(mine & (JournalEntry.success == False)  # noqa: E712
                            & (JournalEntry.id > (ok_row.id if ok_row else 0))).scalar())
            failing_since = _aware(JournalEntry.get_by_id(first).at) if first else _aware(last_row.at)
            message, last_ok, last_attempt, last_id = last_row.message, False, _aware(last_row.at), last_row.id
        elif last_row is not None:
            last_ok, last_attempt, last_id = True, last_success, last_row.id
        reference = last_success or created
        stale = bool(limit and reference is not None and now - reference > limit)
        out.append(SubjectState(key, kind, name, last_success, last_attempt, last_ok, failing_since, message,
                                stale, last_id))
    return Status(now, out, stale_hours, next_run, scheduler, last_entry_id())


def stale_hours_of(values: dict) -> int:
    try:
        return max(0, int(str(values.get("alert.stale_hours") or "0").strip() or "0"))
    except ValueError:
        return 0
