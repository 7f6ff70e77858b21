"""Issue 5 "Done when", last part: a headless `bizsync scheduler` left running publishes at
the planned time, with every run in the journal; a second one refuses to start; a run
missed while it was stopped is caught up once at the next start.

Waiting for a real HH:MM would take up to a minute, so the test moves the clock's zone
instead of the clock: the plan is in the machine's local time ($TZ, which may name a
zone file), and the test writes a zone file whose UTC offset (a few seconds) puts a
whole local minute LEAD (8) seconds ahead. The process, its waiting and its publication are real.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import struct
import subprocess
import sys
import time

from bizsync_tui.engine.publish.runner import PENDING
from tests.e2e import tiny_sage as sage
from tests.e2e.cli import REPO, bizsync, configure_portal, env_for, journal, mobile_views, ok, serve_platform

CLIENT, PORTAL_PW = "SCHED", "portal-pass-sched"
LEAD = 8  # seconds from writing schedule.start to the planned run


def zone_file(path, offset_seconds: int):
    """A TZif (version 1) zone with one fixed UTC offset, in seconds."""
    abbr = b"E2E\0"
    path.write_bytes(b"TZif" + b"\0" * 16 + struct.pack(">6l", 0, 0, 0, 0, 1, len(abbr))
                     + struct.pack(">lBB", offset_seconds, 0, 0) + abbr)
    return path


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def start_scheduler(data_dir, zone):
    log = open(data_dir.parent / f"scheduler-{zone.name}.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "bizsync_tui", "--data-dir", str(data_dir), "scheduler",
                             "--poll", "0.5"], stdout=log, stderr=subprocess.STDOUT, env=env_for(TZ=str(zone)),
                            cwd=str(REPO))
    return proc, log


def stop(proc, log) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(10)
    log.seek(0)
    return code, log.read()


def finished(entry: dict) -> bool:
    """A journal row the run has completed: the publisher writes the row before it sends
    (saying the outcome is not known yet) and completes it after, so a row read in between
    is not the run's outcome."""
    return entry["message"] != PENDING[entry["operation"]].format(code=entry["company"])


def wait_for_runs(data_dir, count: int, timeout: float) -> list[dict]:
    """The scheduler's publications once `count` of them are complete (or as they are at the
    deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        runs = [e for e in journal(data_dir) if e["operation"] == "publish"]
        if (len(runs) >= count and all(finished(e) for e in runs)) or time.monotonic() > deadline:
            return runs
        time.sleep(0.3)


def test_headless_scheduler_publishes_on_time_refuses_a_second_and_catches_up_once(tmp_path):
    db = sage.sqlite_file(tmp_path / "tiny_a.sqlite", "A")
    admin = tmp_path / "admin"
    with serve_platform(tmp_path / "platform") as platform:
        platform.add_client(CLIENT, PORTAL_PW)
        configure_portal(admin, platform.url, CLIENT, PORTAL_PW)
        ok(admin, "company", "add", "TINYA", "--dossier", "TINY01", "--name", "Tiny SA", "--accounting",
           f"sqlite:{db}", "--commercial", f"sqlite:{db}", "--views", "sales_revenue,cash_position")
        ok(admin, "user", "add", "marie", "--name", "Marie", "--grant", "TINYA:all", stdin="marie-pass-1\n")

        for key, value in (("schedule.frequency", "daily"), ("schedule.times_per_day", "1"),
                           ("schedule.interval_hours", "1")):
            ok(admin, "config", "set", key, value)
        # a zone in which a whole local minute is LEAD seconds away: the slot, daily, once a day
        slot = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=LEAD)).replace(microsecond=0)
        offset = -slot.second
        zone_a = zone_file(tmp_path / "zone_a", offset)
        ok(admin, "config", "set", "schedule.start", (slot + dt.timedelta(seconds=offset)).strftime("%H:%M"))
        r = bizsync(admin, "scheduler", "--next", "2", env=env_for(TZ=str(zone_a)))
        planned = [dt.datetime.fromisoformat(line) for line in r.stdout.split()]
        assert planned == [slot, slot + dt.timedelta(days=1)], r.stdout

        proc, log = start_scheduler(admin, zone_a)
        try:
            time.sleep(1.0)
            assert dt.datetime.now(dt.timezone.utc) < slot - dt.timedelta(seconds=1), "machine too slow for LEAD"
            second = bizsync(admin, "scheduler")
            assert second.returncode == 3
            assert "already runs" in second.stderr and f"process {proc.pid}" in second.stderr
            assert wait_for_runs(admin, 0, 0) == []  # nothing before the planned time
            runs = wait_for_runs(admin, 1, timeout=25)
        finally:
            code, out = stop(proc, log)
        assert code == 0 and "Scheduler stopped" in out
        assert len(runs) == 1, out
        run = runs[0]
        assert run["success"] and run["trigger"] == "scheduler" and run["company"] == "TINYA", (run["message"], out)
        # on time: not before the slot, and within seconds of it
        assert slot <= utc(run["at"]) <= slot + dt.timedelta(seconds=10), (run["at"], slot)
        users = [e for e in journal(admin) if e["operation"] == "users"]
        assert len(users) == 1 and users[0]["success"] and users[0]["trigger"] == "scheduler"
        today = ok(admin, "extract", "--company", "TINYA", "--as-of", run["figures"]["as_of"])
        status, views_status, served = mobile_views(platform.url, CLIENT, "TINYA", "marie", "marie-pass-1")
        assert (status, views_status) == (200, 200)
        assert served["publication_id"] == run["figures"]["publication_id"]
        assert served["views"] == json.loads(today)["views"]

        # the machine was off for three days (state as a scheduler that last ran then leaves it),
        # and in this zone today's slot passed 10 minutes ago: one catch-up at start, not one per day
        from bizsync_tui.engine.schedule import scheduler as engine_scheduler
        from bizsync_tui.engine.workspace import open_workspace

        ws = open_workspace(admin)
        try:
            long_ago = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)).isoformat()
            ws.settings.set(engine_scheduler.STATE_LAST_SLOT, long_ago)
            ws.settings.set(engine_scheduler.STATE_PLAN_SINCE, long_ago)
        finally:
            ws.close()
        zone_b = zone_file(tmp_path / "zone_b", offset + 600)
        proc, log = start_scheduler(admin, zone_b)
        try:
            runs = wait_for_runs(admin, 2, timeout=15)
            time.sleep(1.5)  # a few more polls: still one run
            runs = wait_for_runs(admin, 2, timeout=0)
        finally:
            code, out = stop(proc, log)
        assert code == 0
        assert len(runs) == 2, out
        catch_up = runs[0]
        assert catch_up["success"] and catch_up["trigger"] == "catch-up", catch_up
        assert "planned publications were missed" in out
