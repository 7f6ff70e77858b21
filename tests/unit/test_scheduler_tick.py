"""Scheduler.tick with an injected clock: on-time runs, catch-up, failures, live schedule changes.

The run function is either the real engine.runner.run (on an incomplete configuration,
where it journals what is missing without any network) or a recording function.
"""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bizsync_tui.engine import journal
from bizsync_tui.engine.clock import FakeClock
from bizsync_tui.engine.schedule.scheduler import STATE_LAST_RUN, STATE_LAST_SLOT, Scheduler, SchedulerLock

PARIS = ZoneInfo("Europe/Paris")


def at(text):
    return datetime.fromisoformat(text)


class Recorder:
    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def __call__(self, ws, action, target, *, trigger):
        self.calls.append((action, target, trigger))
        if self.fail:
            raise RuntimeError("boom")
        return None


def configure(ws, **values):
    for key, value in values.items():
        ws.settings.set(f"schedule.{key}", str(value))


@pytest.fixture
def three_a_day(ws):
    # 08:00, 12:00, 16:00 every day.
    configure(ws, frequency="daily", times_per_day=3, start="08:00", interval_hours=4)
    return ws


def make(ws, clock, run):
    s = Scheduler(ws, run=run, clock=clock, tz=PARIS)
    assert s.acquire()
    return s


def test_runs_on_time_once_per_slot(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    rec = Recorder()
    s = make(three_a_day, clock, rec)
    try:
        assert s.tick() is None  # first sight of the schedule: plans from now
        clock.set(at("2026-06-01T07:59:59+02:00"))
        assert s.tick() is None
        clock.set(at("2026-06-01T08:00:20+02:00"))
        result = s.tick()
        assert (result.slot.isoformat(), result.trigger, result.missed) == ("2026-06-01T08:00:00+02:00", "scheduler", 1)
        assert rec.calls == [("publish", None, "scheduler")]
        clock.set(at("2026-06-01T08:01+02:00"))
        assert s.tick() is None  # not twice
        clock.set(at("2026-06-01T12:00+02:00"))
        assert s.tick().slot.isoformat() == "2026-06-01T12:00:00+02:00"
        assert len(rec.calls) == 2
        assert three_a_day.settings.get(STATE_LAST_SLOT) == "2026-06-01T12:00:00+02:00"
        assert three_a_day.settings.get(STATE_LAST_RUN) == "2026-06-01T12:00:00+02:00"
        st = s.status()
        assert (st.state, st.next_run.isoformat()) == ("waiting", "2026-06-01T16:00:00+02:00")
        assert st.holder["pid"] > 0
    finally:
        s.release()


def test_catch_up_after_hours_off_runs_once(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    first = make(three_a_day, clock, Recorder())
    first.tick()
    clock.set(at("2026-06-01T08:00+02:00"))
    first.tick()
    first.release()  # the app closes after the 08:00 run
    # Restart at 17:30: 12:00 and 16:00 were missed -> one catch-up run.
    clock.set(at("2026-06-01T17:30+02:00"))
    rec = Recorder()
    again = make(three_a_day, clock, rec)
    try:
        result = again.tick()
        assert (result.slot.isoformat(), result.trigger, result.missed) == ("2026-06-01T16:00:00+02:00", "catch-up", 2)
        assert again.tick() is None
        clock.set(at("2026-06-01T23:00+02:00"))
        assert again.tick() is None
        assert rec.calls == [("publish", None, "catch-up")]
        clock.set(at("2026-06-02T08:00:05+02:00"))
        assert again.tick().trigger == "scheduler"  # then back on plan
    finally:
        again.release()


def test_catch_up_after_days_runs_once_and_is_journaled_by_the_real_runner(three_a_day):
    """Incomplete configuration (no portal, no company): the real runner journals what is missing."""
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    s = Scheduler(three_a_day, clock=clock, tz=PARIS)  # default run function: engine.runner.run
    assert s.acquire()
    try:
        s.tick()
        s.release()
        # Off from Monday 07:00 to Thursday 10:00: 3 days x 3 slots + Thursday 08:00 = 10 missed.
        clock.set(at("2026-06-04T10:00+02:00"))
        assert s.acquire()
        result = s.tick()
        assert (result.trigger, result.missed, result.slot.isoformat()) == ("catch-up", 10, "2026-06-04T08:00:00+02:00")
        assert s.tick() is None
        rows = journal.page()
        assert len(rows) == 1
        assert rows[0].trigger == "catch-up" and rows[0].success is False
        assert rows[0].message.startswith("Nothing was published:")
        # The failed run does not stop the plan: 12:00 runs, on time.
        clock.set(at("2026-06-04T12:00:30+02:00"))
        assert s.tick().trigger == "scheduler"
        assert [r.trigger for r in journal.page()] == ["scheduler", "catch-up"]
    finally:
        s.release()


def test_a_run_that_raises_is_journaled_and_the_next_one_still_happens(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    rec = Recorder(fail=True)
    s = make(three_a_day, clock, rec)
    try:
        s.tick()
        clock.set(at("2026-06-01T08:00+02:00"))
        result = s.tick()
        assert result.error == "RuntimeError"
        (row,) = journal.page()
        assert row.success is False and row.trigger == "scheduler" and "unexpected error" in row.message
        clock.set(at("2026-06-01T12:00+02:00"))
        assert s.tick().slot.isoformat() == "2026-06-01T12:00:00+02:00"
        assert len(rec.calls) == 2
    finally:
        s.release()


def test_schedule_change_applies_without_restart(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    rec = Recorder()
    s = make(three_a_day, clock, rec)
    try:
        s.tick()
        clock.set(at("2026-06-01T07:30+02:00"))
        configure(three_a_day, times_per_day=1, start="07:45")
        assert s.tick() is None
        assert s.status().next_run.isoformat() == "2026-06-01T07:45:00+02:00"
        clock.set(at("2026-06-01T07:45:10+02:00"))
        assert s.tick().slot.isoformat() == "2026-06-01T07:45:00+02:00"
        clock.set(at("2026-06-01T08:00+02:00"))
        assert s.tick() is None  # the old 08:00 slot is gone
        configure(three_a_day, frequency="none")
        clock.set(at("2026-06-02T07:45+02:00"))
        assert s.tick() is None
        assert s.status().state == "off"
        assert len(rec.calls) == 1
    finally:
        s.release()


def test_a_newly_set_schedule_does_not_catch_up_earlier_slots(three_a_day):
    # First sight at 13:00: 08:00 and 12:00 of that day were never planned by this scheduler.
    clock = FakeClock(at("2026-06-01T13:00+02:00"), tz=PARIS)
    rec = Recorder()
    s = make(three_a_day, clock, rec)
    try:
        assert s.tick() is None
        assert rec.calls == []
    finally:
        s.release()


def test_invalid_schedule_does_not_stop_the_scheduler(ws):
    # Stored directly (past validation): 3 runs from 22:00 every hour would cross midnight.
    configure(ws, frequency="daily", times_per_day=3, start="22:00", interval_hours=1)
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    s = make(ws, clock, Recorder())
    try:
        assert s.tick() is None
        st = s.status()
        assert st.state == "invalid" and "midnight" in st.message
        configure(ws, times_per_day=1)
        assert s.tick() is None
        assert s.status().next_run.isoformat() == "2026-06-01T22:00:00+02:00"
    finally:
        s.release()


def test_no_tick_while_another_holds_the_lock(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    other = SchedulerLock(three_a_day.data_dir)
    assert other.acquire("tui")
    rec = Recorder()
    s = Scheduler(three_a_day, run=rec, clock=clock, tz=PARIS)
    try:
        assert not s.acquire()
        clock.set(at("2026-06-01T09:00+02:00"))
        assert s.tick() is None
        st = s.status()
        assert st.state == "held-elsewhere" and st.holder["role"] == "tui"
        assert st.next_run.isoformat() == "2026-06-01T12:00:00+02:00"  # the plan is shown all the same
        assert "the terminal app" in st.message
        other.release()
        assert s.status().state == "stopped"
        s.tick()  # takes the free lock over, plans from now
        assert s.active and rec.calls == []
    finally:
        s.release()
        other.release()


def test_serve_finishes_the_run_in_progress_then_stops(three_a_day):
    """The stop request arrives during the run: the run completes and its slot is saved."""
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    stop = threading.Event()
    s0 = make(three_a_day, clock, Recorder())
    s0.tick()
    s0.release()
    clock.set(at("2026-06-01T08:00:01+02:00"))
    done = []

    def run(ws, action, target, *, trigger):
        stop.set()  # SIGTERM arrives mid-run
        done.append(trigger)

    s = make(three_a_day, clock, run)
    try:
        s.serve(stop, poll_seconds=60)  # returns without waiting 60 s
        assert done == ["scheduler"]
        assert three_a_day.settings.get(STATE_LAST_SLOT) == "2026-06-01T08:00:00+02:00"
    finally:
        s.release()


def test_request_stop_blocks_new_runs(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    rec = Recorder()
    s = make(three_a_day, clock, rec)
    try:
        s.tick()
        s.request_stop()
        clock.set(at("2026-06-01T08:00+02:00"))
        assert s.tick() is None and rec.calls == []
    finally:
        s.release()


def test_status_while_a_run_is_in_progress(three_a_day):
    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    seen = []
    s = Scheduler(three_a_day, run=lambda ws, action, target, *, trigger: seen.append(s.status().state),
                  clock=clock, tz=PARIS)
    assert s.acquire()
    try:
        s.tick()
        assert s.status().state == "waiting"
        clock.set(at("2026-06-01T08:00+02:00"))
        s.tick()
        assert seen == ["running"]
        assert s.status().state == "waiting"
    finally:
        s.release()


def test_serve_runs_each_planned_slot_as_the_clock_moves(three_a_day):
    """serve() in a thread, its waiting driven by the schedule library (polls every 50 ms);
    the injected clock jumps to each planned time; the real runner journals each run."""
    from bizsync_tui.engine.publish.runner import run as real_run

    clock = FakeClock(at("2026-06-01T07:00+02:00"), tz=PARIS)
    ran = threading.Event()

    def run(ws, action, target, *, trigger):
        report = real_run(ws, action, target, trigger=trigger)
        ran.set()
        return report

    s = make(three_a_day, clock, run)
    assert s.tick() is None  # first sight of the schedule at 07:00, before the thread starts
    stop = threading.Event()
    worker = threading.Thread(target=s.serve, args=(stop,), kwargs={"poll_seconds": 0.05})
    worker.start()
    try:
        for planned in ("2026-06-01T08:00:02+02:00", "2026-06-01T12:00:02+02:00"):
            clock.set(at(planned))
            assert ran.wait(10), f"no run for {planned}"
            ran.clear()
    finally:
        stop.set()
        worker.join(5)
        s.release()
    assert not worker.is_alive()
    assert [r.trigger for r in journal.page()] == ["scheduler", "scheduler"]
    assert three_a_day.settings.get(STATE_LAST_SLOT) == "2026-06-01T12:00:00+02:00"
