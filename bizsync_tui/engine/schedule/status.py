"""The one status of a data dir: each publication's state (engine.monitor.state), the next
planned run (the plan) and whether a scheduler runs. `bizsync status` and the terminal
app's status line both read `current_status`, so they always say the same thing.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from bizsync_tui.engine.clock import SystemClock
from bizsync_tui.engine.locks import ProcessLock, describe_holder
from bizsync_tui.engine.monitor import alerts, state
from bizsync_tui.engine.schedule.plan import SCHEDULE_KEYS, next_runs
from bizsync_tui.i18n import _


def next_run(ws, now: datetime, tz: tzinfo | None = None) -> datetime | None:
    """The next planned publication, None when none is planned or the schedule is incomplete."""
    values = {k: ws.settings.get(k) for k in SCHEDULE_KEYS}
    try:
        runs = next_runs(values, now, 1, tz)
    except Exception:  # noqa: BLE001 - an incomplete schedule has no next run
        return None
    return runs[0] if runs else None


def scheduler_sentence(ws) -> str:
    holder = ProcessLock(ws.data_dir, name="scheduler").holder()
    if ws.settings.get("schedule.frequency") in ("", "none"):
        return _("No publication is planned (frequency none).")
    if holder is None:
        return _("No scheduler is running: start 'bizsync scheduler' (or its systemd service), or leave the "
                 "terminal app open.")
    return _("The scheduler runs in {holder}.").format(holder=describe_holder(holder))


def current_status(ws, now: datetime | None = None, *, tz: tzinfo | None = None,
                   check_alerts: bool = False) -> state.Status:
    """The status now. `check_alerts`: also send the alerts it calls for (a stale publication
    noticed by `bizsync status` while no scheduler runs); never raises for an alert."""
    now = now or SystemClock(tz).now()
    if check_alerts:
        try:
            alerts.evaluate(ws, now)
        except Exception:  # noqa: BLE001 - the status is said even when an alert cannot be
            pass
    stale_hours = state.stale_hours_of({"alert.stale_hours": ws.settings.get("alert.stale_hours")})
    return state.compute(now, stale_hours, next_run=next_run(ws, now, tz), scheduler=scheduler_sentence(ws))
