"""The publication scheduler: the plan, the lock, catch-up, and the waiting loop.

- `next_runs(schedule, after, count)` is the one pure function that turns the
  schedule settings into planned instants (the schedule screen, `bizsync
  scheduler --next` and the scheduler all use it).
- `due_run(schedule, now, since)` says which planned run is due (pure too).
- `SchedulerLock` keeps one scheduler per data dir across processes and SSH
  sessions (fcntl.flock, released by the kernel when the holder dies).
- `Scheduler` ties them to a workspace: `tick()` re-reads the settings, runs the
  publication when one is due (through the one run function) and remembers the
  last planned slot handled, so that a run missed while nothing was running is
  caught up once at start. The TUI calls `tick()` from a timer in a worker
  thread; `serve()` is the headless loop, its waiting driven by the `schedule`
  library, and it stops within a second when its stop event is set.

No Textual import here (engine layer).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Callable, Iterator, Mapping

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine import journal
from bizsync_tui.engine.publish.runner import run
from bizsync_tui.engine.locks import ProcessLock, describe_holder  # noqa: F401 (re-exported)
from bizsync_tui.engine.clock import Clock, SystemClock, local_zone
from bizsync_tui.i18n import _, register_fr

log = logging.getLogger("bizsync.scheduler")
log.addHandler(logging.NullHandler())  # silent unless a handler is set up (the headless command does)

UTC = timezone.utc
SCHEDULE_KEYS = ("schedule.frequency", "schedule.weekday", "schedule.times_per_day", "schedule.start",
                 "schedule.interval_hours", "schedule.holidays")
# Internal state (never shown by `config show`).
STATE_LAST_SLOT = "state.scheduler.last_slot"  # the last planned instant handled (ISO, with offset)
STATE_LAST_RUN = "state.scheduler.last_run"  # when the last scheduled run started (ISO, with offset)
STATE_PLAN = "state.scheduler.plan"  # fingerprint of the schedule the last slot belongs to
STATE_PLAN_SINCE = "state.scheduler.plan_since"  # when the scheduler first saw that schedule
# A planned run started later than this after its planned time is journaled as a catch-up.
DEFAULT_TOLERANCE = timedelta(minutes=5)
_MAX_EMPTY_DAYS = 3700  # a plan with no run day in ten years is treated as empty


# -- the plan ------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleSettings:
    frequency: str = "none"  # none | daily | workdays | weekly
    weekday: str = "monday"  # for weekly
    times_per_day: int = 1
    start: str = "06:00"  # HH:MM, local time
    interval_hours: int = 1
    holidays: str = "none"  # 'none' or a country code (workdays skip its public holidays)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> "ScheduleSettings":
        """From a mapping with keys 'frequency'... or 'schedule.frequency'...; checked by engine.validation.

        Raises validation.ValidationError when a value is not acceptable.
        """
        def pick(name: str, default):
            for key in (name, f"schedule.{name}"):
                if key in values and values[key] is not None:
                    return values[key]
            return default

        d = cls()
        frequency, times, start, interval = validation.schedule(
            str(pick("frequency", d.frequency)).strip().lower(), pick("times_per_day", d.times_per_day),
            str(pick("start", d.start)), pick("interval_hours", d.interval_hours))
        weekday = str(pick("weekday", d.weekday)).strip().lower()
        if weekday not in validation.WEEKDAYS:
            raise validation.ValidationError(
                "schedule.weekday",
                _("The weekday must be monday, tuesday, wednesday, thursday, friday, saturday or sunday."))
        return cls(frequency, weekday, times, start, interval,
                   validation.holidays_country(str(pick("holidays", d.holidays))))

    @classmethod
    def from_settings(cls, settings) -> "ScheduleSettings":
        """From the saved settings (`ws.settings`); raises ValidationError if they do not make a plan."""
        return cls.from_dict({key: settings.get(key) for key in SCHEDULE_KEYS})

    @property
    def fingerprint(self) -> str:
        if self.frequency == "none":
            return "none"
        return "|".join((self.frequency, self.weekday, str(self.times_per_day), self.start,
                         str(self.interval_hours), self.holidays))

    def times_of_day(self) -> list[time]:
        hour, minute = (int(p) for p in self.start.split(":"))
        first = hour * 60 + minute
        out = []
        for i in range(self.times_per_day):
            m = first + i * self.interval_hours * 60
            if m >= 24 * 60:
                break  # validation refuses this; never wrap to the next day
            out.append(time(m // 60, m % 60))
        return out

    def describe(self) -> str:
        """One line for logs and status: 'workdays (holidays: FR) at 08:00, 12:00'."""
        if self.frequency == "none":
            return _("no planned publication (frequency none)")
        times = ", ".join(t.strftime("%H:%M") for t in self.times_of_day())
        if self.frequency == "daily":
            return _("every day at {times}").format(times=times)
        if self.frequency == "weekly":
            return _("every {weekday} at {times}").format(weekday=self.weekday, times=times)
        if self.holidays != "none":
            return _("working days except {country} public holidays at {times}").format(
                country=self.holidays, times=times)
        return _("working days at {times}").format(times=times)


def _as_schedule(schedule: "ScheduleSettings | Mapping[str, Any]") -> ScheduleSettings:
    return schedule if isinstance(schedule, ScheduleSettings) else ScheduleSettings.from_dict(schedule)


@functools.lru_cache(maxsize=16)
def _holiday_calendar(country: str):
    import holidays as holidays_lib

    return holidays_lib.country_holidays(country)


def is_run_day(schedule: ScheduleSettings, day: date) -> bool:
    if schedule.frequency == "daily":
        return True
    if schedule.frequency == "weekly":
        return day.weekday() == validation.WEEKDAYS.index(schedule.weekday)
    if schedule.frequency == "workdays":
        if day.weekday() >= 5:
            return False
        return schedule.holidays == "none" or day not in _holiday_calendar(schedule.holidays)
    return False


def _wall(instant: datetime, tz: tzinfo) -> datetime:
    # Through UTC: astimezone() to the datetime's own tzinfo would return it unchanged.
    return instant.astimezone(UTC).astimezone(tz).replace(tzinfo=None)


def resolve_local(naive: datetime, tz: tzinfo) -> datetime:
    """The instant of a local wall time: the first occurrence when it happens twice
    (DST fall-back), the first instant after the gap when it does not exist (spring-forward)."""
    first = naive.replace(tzinfo=tz, fold=0)
    if _wall(first, tz) == naive:
        return _normal(first, tz)
    # In a gap. fold=0 and fold=1 use the offsets before and after the change, which
    # give one instant before the gap and one after it; find the change between them.
    a = int(naive.replace(tzinfo=tz, fold=1).timestamp())
    b = int(first.timestamp())
    lo, hi = min(a, b), max(a, b)
    if _wall(datetime.fromtimestamp(lo, UTC), tz) >= naive:  # not a plain gap: be safe
        return datetime.fromtimestamp(lo, UTC).astimezone(tz)
    while hi - lo > 1:  # invariant: wall(lo) < naive <= wall(hi)
        mid = (lo + hi) // 2
        if _wall(datetime.fromtimestamp(mid, UTC), tz) >= naive:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC).astimezone(tz)


def _normal(instant: datetime, tz: tzinfo) -> datetime:
    return instant.astimezone(UTC).astimezone(tz)


def iter_runs(schedule: "ScheduleSettings | Mapping[str, Any]", after: datetime,
              tz: tzinfo | None = None) -> Iterator[datetime]:
    """Planned instants strictly after `after`, in order, without end (none: nothing)."""
    sched = _as_schedule(schedule)
    if after.tzinfo is None:
        raise ValueError("next_runs needs an aware datetime")
    if sched.frequency == "none":
        return
    zone = tz or local_zone()
    slots = sched.times_of_day()
    day = after.astimezone(zone).date() - timedelta(days=1)  # a gap may push a slot past midnight
    last_yielded: datetime | None = None
    empty_days = 0
    while empty_days < _MAX_EMPTY_DAYS:
        if is_run_day(sched, day):
            empty_days = 0
            for t in slots:
                instant = resolve_local(datetime.combine(day, t), zone)
                if instant <= after or (last_yielded is not None and instant <= last_yielded):
                    continue  # before the window, or two slots meeting after a DST gap: once
                last_yielded = instant
                yield instant
        else:
            empty_days += 1
        day += timedelta(days=1)


def next_runs(schedule: "ScheduleSettings | Mapping[str, Any]", after: datetime, count: int,
              tz: tzinfo | None = None) -> list[datetime]:
    """The next `count` planned runs strictly after `after`, as aware datetimes in the local zone
    (or `tz`). Empty for frequency none. Raises ValidationError for a schedule that makes no plan."""
    out: list[datetime] = []
    if count <= 0:
        return out
    for instant in iter_runs(schedule, after, tz):
        out.append(instant)
        if len(out) >= count:
            break
    return out


@dataclass(frozen=True)
class DueRun:
    slot: datetime  # the latest planned instant now due
    trigger: str  # "scheduler" (on time) or "catch-up" (late: the app or machine was off or busy)
    missed: int  # how many planned instants this one run covers (>1 after a gap)


def due_run(schedule: "ScheduleSettings | Mapping[str, Any]", now: datetime, since: datetime,
            tz: tzinfo | None = None, tolerance: timedelta = DEFAULT_TOLERANCE) -> DueRun | None:
    """The run due at `now` when every planned slot up to `since` was handled: at most one,
    however many slots were missed; a catch-up when the latest slot is late by more than `tolerance`."""
    latest = None
    covered = 0
    for instant in iter_runs(schedule, since, tz):
        if instant > now:
            break
        latest = instant
        covered += 1
    if latest is None:
        return None
    trigger = "catch-up" if now - latest > tolerance else "scheduler"
    return DueRun(latest, trigger, covered)


# -- one scheduler per data dir --------------------------------------------------------------
class SchedulerLock(ProcessLock):
    """The one-scheduler-per-data-dir lock: `<data dir>/scheduler.lock` (see engine.locks)."""

    def __init__(self, data_dir: str | os.PathLike, clock: Clock | None = None):
        super().__init__(data_dir, clock=clock, name="scheduler")


# -- the scheduler of one workspace -----------------------------------------------------------
@dataclass(frozen=True)
class TickResult:
    slot: datetime
    trigger: str
    missed: int
    started_at: datetime
    finished_at: datetime
    report: Any = None  # what the run function returned
    error: str | None = None  # set when the run function raised


@dataclass(frozen=True)
class SchedulerStatus:
    state: str  # stopped | held-elsewhere | off | invalid | waiting | running
    next_run: datetime | None
    holder: dict | None  # who holds the data dir's scheduler lock (this process when active)
    last_run: datetime | None
    message: str  # one sentence for a status line or a log


def _parse_instant(text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


_UNSET = object()


def _default_run(ws, action="publish", target=None, *, trigger="scheduler", cancel=None):
    return run(ws, action, target, trigger=trigger, cancel=cancel)


class Scheduler:
    """The scheduler of one workspace.

    `run` is the function that publishes everything and journals it
    (default: engine.runner.run); it is called as run(ws, "publish", None, trigger=...)
    with trigger "scheduler" or "catch-up".
    """

    def __init__(self, ws, *, run: Callable[..., Any] | None = None, clock: Clock | None = None,
                 tz: tzinfo | None = None, tolerance: timedelta = DEFAULT_TOLERANCE,
                 lock: SchedulerLock | None = None, role: str = "scheduler"):
        self.ws = ws
        self._run = run or _default_run
        self._pass_cancel = run is None
        self._stop: threading.Event | None = None  # serve()'s stop event
        self._stopping = threading.Event()  # request_stop(): a run in progress ends after its current company
        self.clock = clock or SystemClock(tz)
        self.tz = tz
        self.tolerance = tolerance
        self.lock = lock or SchedulerLock(ws.data_dir, self.clock)
        self.role = role
        self._tick_mutex = threading.Lock()
        self._running_since: datetime | None = None
        self._last_next: Any = _UNSET  # the next run last logged by serve()
        self._last_problem: str | None = None  # the schedule problem last logged

    # lock -------------------------------------------------------------------
    def acquire(self) -> bool:
        """Become the data dir's scheduler; False (and nothing runs) when another process is."""
        return self.lock.acquire(self.role)

    def release(self) -> None:
        self.lock.release()

    @property
    def active(self) -> bool:
        return self.lock.held

    # state ------------------------------------------------------------------
    def _get(self, key: str) -> str:
        return self.ws.settings.get(key)

    def _set(self, key: str, value: str) -> None:
        self.ws.settings.set(key, value)

    def _baseline(self, schedule: ScheduleSettings, now: datetime) -> datetime:
        """The instant up to which every planned slot counts as handled.

        A schedule the scheduler has not seen before (first start, or changed in
        the TUI or by `config set`) plans from the moment it is first seen: its
        earlier slots are not caught up.
        """
        if self._get(STATE_PLAN) != schedule.fingerprint or _parse_instant(self._get(STATE_PLAN_SINCE)) is None:
            with self.ws.atomic():
                self._set(STATE_PLAN, schedule.fingerprint)
                self._set(STATE_PLAN_SINCE, now.isoformat())
            return now
        since = _parse_instant(self._get(STATE_PLAN_SINCE))
        last = _parse_instant(self._get(STATE_LAST_SLOT))
        return max(since, last) if last is not None else since

    def last_run(self) -> datetime | None:
        return _parse_instant(self._get(STATE_LAST_RUN))

    # the work -----------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> TickResult | None:
        """Run the publication if one is due; return what ran, or None.

        Re-reads the schedule each time (a change applies without restart). Does
        nothing unless this object holds the data dir's lock (it tries to take it
        when free, so a TUI takes over when a headless scheduler stops). Never
        raises for a bad schedule or a failing run: those are logged/journaled.
        """
        if not self._tick_mutex.acquire(blocking=False):
            return None  # a tick is already running (e.g. a long publication)
        try:
            if self.stop_requested():
                return None
            if not self.lock.held and not self.acquire():
                return None
            now = now or self.clock.now()
            try:
                schedule = ScheduleSettings.from_settings(self.ws.settings)
            except validation.ValidationError as exc:
                if exc.message != self._last_problem:
                    log.warning("The schedule settings make no plan: %s", exc.message)
                self._last_problem = exc.message
                return None
            self._last_problem = None
            due = due_run(schedule, now, self._baseline(schedule, now), self.tz, self.tolerance)
            if due is None:
                return None
            return self._do_run(due, now)
        finally:
            self._tick_mutex.release()

    def _do_run(self, due: DueRun, now: datetime) -> TickResult:
        if due.missed > 1:
            log.info("%d planned publications were missed (latest planned %s); running one %s now.",
                     due.missed, due.slot.isoformat(), due.trigger)
        else:
            log.info("Publication planned %s starts (%s).", due.slot.isoformat(), due.trigger)
        self._running_since = now
        self._set(STATE_LAST_RUN, now.isoformat())
        report, error = None, None
        try:
            if self._pass_cancel:
                report = self._run(self.ws, "publish", None, trigger=due.trigger, cancel=self.stop_requested)
            else:
                report = self._run(self.ws, "publish", None, trigger=due.trigger)
        except Exception as exc:  # the run function journals its own failures; this is a bug path
            error = type(exc).__name__
            log.exception("The scheduled publication stopped on an unexpected error.")
            try:
                journal.record("publish", success=False, trigger=due.trigger,
                               message=_("The scheduled publication stopped on an unexpected error ({error}); "
                                         "see the scheduler log, then publish again from the wizard.").format(
                                   error=error))
            except Exception:
                log.exception("The journal could not record the failure.")
        finally:
            # Persist after the run: a run cut short by a crash is caught up at the next start.
            try:
                self._set(STATE_LAST_SLOT, due.slot.isoformat())
            except Exception:
                log.exception("The scheduler state could not be saved.")
            self._running_since = None
        finished = self.clock.now()
        ok = getattr(report, "success", getattr(report, "ok", None))
        log.info("Publication planned %s finished%s.", due.slot.isoformat(),
                 "" if ok is None else (" successfully" if ok else " with errors (see the journal)"))
        return TickResult(due.slot, due.trigger, due.missed, now, finished, report, error)

    def status(self, now: datetime | None = None) -> SchedulerStatus:
        """State, next run and lock holder, for the TUI's status line or a log.

        The next run is given even when another process holds the lock (the plan is the same).
        """
        now = now or self.clock.now()
        last = self.last_run()
        holder = self.lock.holder()
        nxt, problem, next_text = None, None, ""
        try:
            schedule = ScheduleSettings.from_settings(self.ws.settings)
        except validation.ValidationError as exc:
            problem = exc.message
        else:
            upcoming = next_runs(schedule, now, 1, self.tz)
            nxt = upcoming[0] if upcoming else None
            next_text = _("Next publication {when}.").format(when=nxt.isoformat(timespec="minutes")) if nxt else ""
        if not self.lock.held:
            if holder is not None:
                if problem is not None:
                    text = _("The scheduler runs in {holder}.")
                elif nxt is not None:
                    text = _("The scheduler runs in {holder}; next publication {when}.")
                else:
                    text = _("The scheduler runs in {holder}; no publication is planned (frequency none).")
                return SchedulerStatus("held-elsewhere", nxt, holder, last, text.format(
                    holder=describe_holder(holder), when=nxt.isoformat(timespec="minutes") if nxt else ""))
            return SchedulerStatus("stopped", nxt, None, last, _("The scheduler is not running."))
        if self._running_since is not None:
            return SchedulerStatus("running", nxt, holder, last, _("A scheduled publication is running."))
        if problem is not None:
            return SchedulerStatus("invalid", None, holder, last, problem)
        if nxt is None:
            return SchedulerStatus("off", None, holder, last, _("No publication is planned (frequency none)."))
        return SchedulerStatus("waiting", nxt, holder, last, next_text)

    def request_stop(self) -> None:
        """Ask a publication in progress to stop after the company it is on (the TUI calls this on exit)."""
        self._stopping.set()

    def stop_requested(self) -> bool:
        return self._stopping.is_set() or (self._stop is not None and self._stop.is_set())

    # headless loop ------------------------------------------------------------------------
    def serve(self, stop: threading.Event, *, poll_seconds: float = 5.0) -> None:
        """Tick now and then every `poll_seconds` until `stop` is set (waits at most 1 s at a time,
        so it stops within a second; a publication in progress is finished first)."""
        import schedule as schedule_lib

        self._stop = stop
        jobs = schedule_lib.Scheduler()
        jobs.every(poll_seconds).seconds.do(self._safe_tick)
        self._safe_tick()
        while not stop.is_set():
            jobs.run_pending()
            idle = jobs.idle_seconds
            stop.wait(min(1.0, max(0.05, idle if idle is not None else 1.0)))
        jobs.clear()
        self._stop = None

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:
            log.exception("The scheduler tick failed; it will try again.")
        try:
            st = self.status()
        except Exception:
            return
        if st.next_run != self._last_next:
            self._last_next = st.next_run
            log.info(st.message)


register_fr({
    "no planned publication (frequency none)": "aucune publication planifiée (fréquence none)",
    "The weekday must be monday, tuesday, wednesday, thursday, friday, saturday or sunday.":
        "Le jour de la semaine doit être monday, tuesday, wednesday, thursday, friday, saturday ou sunday.",
    "every day at {times}": "tous les jours à {times}",
    "every {weekday} at {times}": "chaque semaine, le {weekday}, à {times}",
    "working days except {country} public holidays at {times}":
        "les jours ouvrés, hors jours fériés ({country}), à {times}",
    "working days at {times}": "les jours ouvrés à {times}",
    "The scheduler is not running.": "Le planificateur n'est pas démarré.",
    "A scheduled publication is running.": "Une publication planifiée est en cours.",
    "No publication is planned (frequency none).": "Aucune publication n'est planifiée (fréquence none).",
    "The scheduler runs in {holder}.": "Le planificateur s'exécute dans {holder}.",
    "Next publication {when}.": "Prochaine publication : {when}.",
    "The scheduler runs in {holder}; next publication {when}.":
        "Le planificateur s'exécute dans {holder} ; prochaine publication : {when}.",
    "The scheduler runs in {holder}; no publication is planned (frequency none).":
        "Le planificateur s'exécute dans {holder} ; aucune publication n'est planifiée (fréquence none).",
    "The scheduled publication stopped on an unexpected error ({error}); see the scheduler log, then publish again from the wizard.":
        "La publication planifiée s'est arrêtée sur une erreur inattendue ({error}) ; consultez le journal "
        "du planificateur, puis publiez de nouveau depuis l'assistant.",
})
