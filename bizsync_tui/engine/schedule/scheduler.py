"""The publication scheduler service: the lock, catch-up, and the waiting loop.

- The plan (`ScheduleSettings`, `next_runs`, `due_run`...) is pure and lives in plan.py.
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

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Callable

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine import journal
from bizsync_tui.engine.publish.runner import RunReport, run
from bizsync_tui.engine.locks import ProcessLock, describe_holder  # noqa: F401 (re-exported)
from bizsync_tui.engine.clock import Clock, SystemClock
from bizsync_tui.engine.monitor import alerts
from bizsync_tui.engine.schedule.plan import (DEFAULT_TOLERANCE, UTC, DueRun, ScheduleSettings, due_run,
                                               next_runs)
from bizsync_tui.i18n import _

log = logging.getLogger("bizsync.scheduler")
log.addHandler(logging.NullHandler())  # silent unless a handler is set up (the headless command does)

# Internal state (never shown by `config show`).
STATE_LAST_SLOT = "state.scheduler.last_slot"  # the last planned instant handled (ISO, with offset)
STATE_LAST_RUN = "state.scheduler.last_run"  # when the last scheduled run started (ISO, with offset)
STATE_PLAN = "state.scheduler.plan"  # fingerprint of the schedule the last slot belongs to
STATE_PLAN_SINCE = "state.scheduler.plan_since"  # when the scheduler first saw that schedule
ALERT_CHECK_EVERY = timedelta(minutes=1)  # stale publications are checked this often


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
    report: RunReport | None = None  # what the run function returned (None when it raised)
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
        self._alerts_checked: datetime | None = None  # when the alerts were last checked

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
                self._check_alerts(now)
                return None
            self._last_problem = None
            due = due_run(schedule, now, self._baseline(schedule, now), self.tz, self.tolerance)
            if due is None:
                self._check_alerts(now)  # a due run's runner checks them itself
                return None
            return self._do_run(due, now)
        finally:
            self._tick_mutex.release()

    def _check_alerts(self, now: datetime) -> None:
        """Stale publications (and changes seen by no runner), at most once a minute."""
        if self._alerts_checked is not None and abs(now - self._alerts_checked) < ALERT_CHECK_EVERY:
            return
        self._alerts_checked = now
        try:
            alerts.evaluate(self.ws, now)
        except Exception:
            log.exception("The alert check failed; it will try again.")

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
        ok = report.ok if isinstance(report, RunReport) else None  # a test's run function may return nothing
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
