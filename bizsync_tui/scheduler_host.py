"""The in-app scheduler host: the app runs the data dir's scheduler
(engine.schedule.scheduler.Scheduler) while it is open.

`SchedulerHost` is mixed into the App: every `scheduler_interval` seconds a tick runs in a
thread worker (skipped while a publication runs, paused while the wizard publishes). When
another process (a headless `bizsync scheduler`) holds the data dir's scheduler lock, the
status line says who, and every tick tries the lock again, so the app takes over once the
headless scheduler stops. A tick that published posts JournalChanged and a toast. On exit
the run in progress is asked to stop after its current company, then the lock is released.
"""

from __future__ import annotations

from textual import work

from bizsync_tui.i18n import _, pgettext
from bizsync_tui.messages import JournalChanged


class SchedulerHost:
    """Mixed into the App (which gives workspace, clock, tz, workers, set_interval...)."""

    scheduler = None  # engine.schedule.scheduler.Scheduler when this process runs it
    scheduler_owner = ""  # "pid@host" when another process holds the lock
    _scheduler_paused = False

    def init_scheduler(self, enabled: bool, interval: float, run=None) -> None:
        self.scheduler_enabled = enabled
        self.scheduler_interval = interval
        self._scheduler_run = run  # tests: the run function given to the Scheduler

    def start_scheduler(self) -> None:
        """Run the data dir's scheduler in this app; catch up a missed run at start."""
        from bizsync_tui.engine.schedule import scheduler as sched

        self.scheduler = sched.Scheduler(self.workspace, clock=self.clock, tz=self.tz, role="tui",
                                         **({"run": self._scheduler_run} if self._scheduler_run else {}))
        if not self.scheduler.acquire():
            self.scheduler_owner = self._holder_text()
        self.set_interval(self.scheduler_interval, self._scheduler_tick, name="scheduler")
        self.call_after_refresh(self._scheduler_tick)

    def stop_scheduler(self) -> None:
        if self.scheduler is not None:
            try:
                self.scheduler.request_stop()  # a run in progress stops after its current company
                self.scheduler.release()
            except Exception:  # noqa: BLE001 - the app is closing
                pass

    def scheduler_text(self) -> str:
        """The scheduler's part of the status line (blocking: call in a worker)."""
        if self.scheduler_owner:
            return _("Scheduler running elsewhere: {owner}").format(owner=self.scheduler_owner)
        if not self.scheduler_enabled:
            return _("Scheduler: off in this session")
        if self.workspace.settings.get("schedule.frequency") == "none":
            return _("Scheduler: no schedule")
        if self.scheduler is None:
            return _("Scheduler: not available")
        state = self.scheduler.status(self.clock.now()).state
        return {"running": _("Scheduler: publishing"), "invalid": _("Scheduler: schedule incomplete"),
                "stopped": _("Scheduler: waiting for the lock")}.get(state, _("Scheduler: on"))

    def _holder_text(self) -> str:
        """'pid@host' of the process holding the scheduler lock, '' when none does."""
        holder = self.scheduler.lock.holder() if self.scheduler is not None else None
        if not holder:
            return ""
        return f"{holder.get('pid') or '?'}@{holder.get('host') or '?'}"

    def pause_scheduler(self, paused: bool) -> None:
        self._scheduler_paused = paused

    def _scheduler_tick(self) -> None:
        if self._scheduler_paused or self.scheduler is None:
            return
        if any(w.group == "publish" and not w.is_finished for w in self.workers):
            return
        self._run_tick()

    @work(thread=True, exclusive=True, group="publish", exit_on_error=False, description="scheduler tick")
    def _run_tick(self) -> None:
        """One tick in a thread: it takes the lock when it is free, publishes when a run is
        due; then the status line, and the journal when it got rows, update."""
        scheduler = self.scheduler
        result = scheduler.tick(self.clock.now())
        owner = "" if scheduler.active else self._holder_text()
        self.call_from_thread(self._after_tick, result, owner)

    def _after_tick(self, result, owner: str) -> None:
        changed = owner != self.scheduler_owner
        self.scheduler_owner = owner
        if result:
            self.post_message(JournalChanged())  # journal pane and status line
            self._notify_scheduled(result)
        elif changed:
            self.refresh_status()

    def _notify_scheduled(self, result) -> None:
        """result: engine TickResult; its report is None when the run raised, or when a test's
        run function returned nothing."""
        ok = result.error is None and result.report is not None and result.report.ok
        self.notify(_("Scheduled publication: {result}").format(
            result=_("OK") if ok else pgettext("publication result", "failed")),
            severity="information" if ok else "error", timeout=10 if not ok else 5)


__all__ = ["SchedulerHost"]
