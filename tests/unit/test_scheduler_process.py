"""The headless `bizsync scheduler` as real processes: one per data dir, stale locks, SIGTERM/SIGINT."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bizsync_tui.engine.schedule.plan import ScheduleSettings
from bizsync_tui.engine.schedule.scheduler import STATE_LAST_SLOT, STATE_PLAN, STATE_PLAN_SINCE, SchedulerLock

REPO = Path(__file__).resolve().parents[2]


def env_for(data_dir: Path) -> dict:
    env = dict(os.environ)
    env.pop("BIZSYNC_KEY", None)
    env["BIZSYNC_HOME"] = str(data_dir)
    env["TZ"] = "Europe/Paris"
    env["PYTHONPATH"] = str(REPO)
    return env


def start(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bizsync_tui", "scheduler", "--data-dir", str(data_dir),
                             "--poll", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env_for(data_dir), cwd=REPO)


def read_until(proc: subprocess.Popen, needle: str, timeout: float = 20.0) -> str:
    """Stdout lines up to the one containing `needle` (fails on timeout or early exit)."""
    seen = []
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if needle in line:
                return "".join(seen)
    finally:
        sel.close()
    proc.kill()
    pytest.fail(f"no '{needle}' in the scheduler output: {''.join(seen)!r} / {proc.stderr.read()!r}")


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, within: float = 5.0) -> tuple[int, float, str]:
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        out, _err = proc.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"the scheduler did not stop within {within} s of {sig.name}")
    return proc.returncode, time.monotonic() - t0, out


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    return d


def test_second_scheduler_refuses_and_sigterm_stops_cleanly(data_dir):
    first = start(data_dir)
    read_until(first, "Scheduler started")
    try:
        second = subprocess.run([sys.executable, "-m", "bizsync_tui", "scheduler", "--data-dir", str(data_dir)],
                                capture_output=True, text=True, env=env_for(data_dir), cwd=REPO, timeout=30)
        assert second.returncode == 3
        assert f"process {first.pid} on host {socket.gethostname()} since " in second.stderr
        assert "stop it before starting another one" in second.stderr
        assert second.stdout == ""
        assert SchedulerLock(data_dir).holder()["pid"] == first.pid
    finally:
        code, took, out = stop(first, signal.SIGTERM)
    assert code == 0, out
    assert "SIGTERM received; stopping." in out and "Scheduler stopped." in out
    assert took < 5
    assert SchedulerLock(data_dir).holder() is None


def test_sigint_stops_cleanly(data_dir):
    proc = start(data_dir)
    read_until(proc, "Scheduler started")
    code, took, out = stop(proc, signal.SIGINT)
    assert code == 0 and "Scheduler stopped." in out


def test_headless_catch_up_on_incomplete_configuration_then_sigterm(data_dir):
    """Daily two hours before now, last handled slot three days ago, nothing configured but the schedule:
    at start one catch-up run journals what is missing; SIGTERM then stops it with exit 0."""
    from zoneinfo import ZoneInfo

    from bizsync_tui.engine import journal
    from bizsync_tui.engine.workspace import open_workspace

    # the daily time two hours before now (in the child's TZ, env_for): today's (or yesterday's)
    # slot is late by far more than the 5 minutes of tolerance whatever the hour the test runs
    # (a fixed 06:00 made the run an on-time one between 06:00 and 06:05, seen in CI)
    daily_at = (datetime.now(ZoneInfo("Europe/Paris")) - timedelta(hours=2)).strftime("%H:%M")
    ws = open_workspace(data_dir)
    try:
        ws.settings.set("schedule.frequency", "daily")
        ws.settings.set("schedule.start", daily_at)
        fingerprint = ScheduleSettings.from_settings(ws.settings).fingerprint
        three_days_ago = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat()
        ws.settings.set(STATE_PLAN, fingerprint)
        ws.settings.set(STATE_PLAN_SINCE, three_days_ago)
        ws.settings.set(STATE_LAST_SLOT, three_days_ago)
    finally:
        ws.close()
    proc = start(data_dir)
    early = read_until(proc, "finished")
    code, took, out = stop(proc, signal.SIGTERM)
    out = early + out
    assert code == 0, out
    assert "planned publications were missed" in out and "catch-up" in out
    ws = open_workspace(data_dir)
    try:
        rows = journal.page()
        # Three days off covers 3 daily slots, yet one run.
        assert [(r.trigger, r.success) for r in rows] == [("catch-up", False)]
        assert rows[0].message.startswith("Nothing was published:")
    finally:
        ws.close()


LOCK_HOLDER = """
import sys, time
from bizsync_tui.engine.schedule.scheduler import SchedulerLock
lock = SchedulerLock(sys.argv[1])
assert lock.acquire("scheduler")
print("locked", flush=True)
time.sleep(120)
"""


def test_lock_of_a_killed_process_is_taken_over(data_dir):
    child = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(data_dir)], stdout=subprocess.PIPE, text=True,
                             env=env_for(data_dir), cwd=REPO)
    try:
        assert child.stdout.readline().strip() == "locked"
        mine = SchedulerLock(data_dir)
        assert mine.acquire() is False
        assert mine.holder()["pid"] == child.pid
    finally:
        child.kill()  # SIGKILL: no chance to clean up
        child.wait(timeout=10)
        child.stdout.close()
    # The dead process left its info file behind; the kernel dropped its lock.
    assert (data_dir / "scheduler.lock.json").exists()
    mine = SchedulerLock(data_dir)
    assert mine.holder() is None
    assert mine.acquire() is True
    assert mine.holder()["pid"] == os.getpid()
    mine.release()


def test_headless_scheduler_starts_after_a_killed_one(data_dir):
    first = start(data_dir)
    read_until(first, "Scheduler started")
    first.kill()
    first.communicate(timeout=10)
    second = start(data_dir)
    read_until(second, "Scheduler started")
    code, _took, _out = stop(second)
    assert code == 0
