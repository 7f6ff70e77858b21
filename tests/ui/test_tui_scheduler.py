"""The scheduler inside the TUI (issue 5): a real second process holding the data dir's
scheduler lock, the take-over once it stops, a due run journaled and shown live, and
request_stop() before release() when the app closes. Injected clock, no sleeps."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from tests.snap.app_factory import fixed_clock, make_app, open_ws, settle

ROOT = Path(__file__).resolve().parents[2]

# A headless scheduler stand-in: a real process holding SchedulerLock until a line on stdin.
HOLD = r"""
import sys
from bizsync_tui.engine.schedule.scheduler import SchedulerLock
lock = SchedulerLock(sys.argv[1])
if not lock.acquire("scheduler"):
    print("busy", flush=True)
    raise SystemExit(1)
print("held", flush=True)
sys.stdin.readline()
lock.release()
print("released", flush=True)
"""


def _status(app) -> str:
    return str(app.screen.query_one("#status").render())


def _daily(data_dir, start: str) -> None:
    from bizsync_tui.engine.admin.config import set_settings

    set_settings(open_ws(data_dir), {"schedule.frequency": "daily", "schedule.times_per_day": "1",
                                     "schedule.start": start})


async def test_takes_over_when_the_headless_scheduler_stops(tmp_path):
    data = tmp_path / "data"
    _daily(data, "10:00")  # the fixed clock says 09:30: nothing is due
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(data)], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        app = make_app(data, scheduler=True, scheduler_interval=3600, start="journal")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert app.scheduler is not None and not app.scheduler.active
            assert _status(app).startswith(f"Scheduler running elsewhere: {holder.pid}@{socket.gethostname()}")
            app._scheduler_tick()  # still held: the tick changes nothing
            await settle(pilot)
            assert not app.scheduler.active and str(holder.pid) in _status(app)

            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "released"
            assert holder.wait(timeout=10) == 0

            app._scheduler_tick()  # the next tick takes the lock
            await settle(pilot)
            assert app.scheduler.active
            assert app.scheduler.lock.holder()["pid"] == os.getpid()
            assert _status(app).startswith("Scheduler: on | next run 16/03 10:00")
        # closed: the lock is free again (a new headless scheduler could start)
        from bizsync_tui.engine.schedule.scheduler import SchedulerLock

        assert SchedulerLock(data).holder() is None
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


async def test_a_due_run_is_journaled_and_shown_live(tmp_path):
    data = tmp_path / "data"
    _daily(data, "09:45")
    clock = fixed_clock()  # 2026-03-16 09:30 UTC
    app = make_app(data, clock=clock, scheduler=True, scheduler_interval=3600, start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.scheduler.active
        bar = app.screen.query_one("#journal-bar")
        assert str(bar.render()) == "The journal is empty: nothing was published yet."
        assert "no publication yet" in _status(app)

        clock.advance(minutes=16)  # 09:46: the 09:45 run is due
        app._scheduler_tick()
        await settle(pilot)
        # the real runner on an empty configuration journals what is missing (one error row)
        table = app.screen.query_one("#journal-table")
        assert table.row_count == 1
        row = table.get_row_at(0)
        # the operation as the admin reads it; the message is a Text (two lines at most in its column)
        assert row[0] == "\u2717" and row[3] == "publication" and str(row[4]).startswith("Nothing was publish")
        assert str(bar.render()).startswith("1-1 of 1")
        assert _status(app).endswith("failed")  # "last publication <real now> failed"
        assert "next run 17/03 09:45" in _status(app)

        app._scheduler_tick()  # the same slot does not run twice
        await settle(pilot)
        assert table.row_count == 1


async def test_closing_asks_a_running_publication_to_stop_then_releases(tmp_path):
    data = tmp_path / "data"
    _daily(data, "09:45")
    clock = fixed_clock()
    started, finished = threading.Event(), threading.Event()
    seen = {}

    def slow_run(ws, action, target, *, trigger):
        started.set()
        # a publication of several companies: it checks between companies whether to stop
        for _ in range(200):
            if app.scheduler.stop_requested():
                seen["stop_requested"] = True
                break
            threading.Event().wait(0.05)
        finished.set()

    app = make_app(data, clock=clock, scheduler=True, scheduler_interval=3600, start="journal",
                   scheduler_run=slow_run)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        clock.advance(minutes=16)
        app._scheduler_tick()
        for _ in range(500):  # the worker thread starts from the event loop: short pilot pauses
            if started.is_set():
                break
            await pilot.pause(0.01)
        assert started.is_set()
    # the app has closed while the run was going on
    assert finished.wait(10)
    assert seen.get("stop_requested") is True
    from bizsync_tui.engine.schedule.scheduler import SchedulerLock

    assert SchedulerLock(data).holder() is None
