"""`bizsync scheduler --next 10 --from ...` against hand-worked tables (TZ=Europe/Paris).

Paris: CET (+01:00) in winter, CEST (+02:00) in summer. 2026-03-29 02:00 CET jumps to
03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET. 2026-03-22/29, 2026-10-25
are Sundays; 2026-12-25 and 2027-01-01 are Fridays (French public holidays).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DAILY_0230_1430 = dict(frequency="daily", times_per_day="2", start="02:30", interval_hours="12")
HOURLY = dict(frequency="daily", times_per_day="24", start="00:00", interval_hours="1")
WORKDAYS_FR = dict(frequency="workdays", times_per_day="1", start="06:00", holidays="FR")
SUNDAY_3 = dict(frequency="weekly", weekday="sunday", times_per_day="3", start="01:30", interval_hours="1")

TABLES = {
    "daily, 02:30 missing on spring-forward day -> 03:00 CEST": (DAILY_0230_1430, "2026-03-27T00:00", """
2026-03-27T02:30:00+01:00
2026-03-27T14:30:00+01:00
2026-03-28T02:30:00+01:00
2026-03-28T14:30:00+01:00
2026-03-29T03:00:00+02:00
2026-03-29T14:30:00+02:00
2026-03-30T02:30:00+02:00
2026-03-30T14:30:00+02:00
2026-03-31T02:30:00+02:00
2026-03-31T14:30:00+02:00"""),
    "hourly on spring-forward day: 02:00 merges into 03:00": (HOURLY, "2026-03-29T00:30", """
2026-03-29T01:00:00+01:00
2026-03-29T03:00:00+02:00
2026-03-29T04:00:00+02:00
2026-03-29T05:00:00+02:00
2026-03-29T06:00:00+02:00
2026-03-29T07:00:00+02:00
2026-03-29T08:00:00+02:00
2026-03-29T09:00:00+02:00
2026-03-29T10:00:00+02:00
2026-03-29T11:00:00+02:00"""),
    "same, --from given in UTC": (HOURLY, "2026-03-28T23:30+00:00", """
2026-03-29T01:00:00+01:00
2026-03-29T03:00:00+02:00
2026-03-29T04:00:00+02:00
2026-03-29T05:00:00+02:00
2026-03-29T06:00:00+02:00
2026-03-29T07:00:00+02:00
2026-03-29T08:00:00+02:00
2026-03-29T09:00:00+02:00
2026-03-29T10:00:00+02:00
2026-03-29T11:00:00+02:00"""),
    "hourly on fall-back day: 02:00 once (CEST)": (HOURLY, "2026-10-25T00:30", """
2026-10-25T01:00:00+02:00
2026-10-25T02:00:00+02:00
2026-10-25T03:00:00+01:00
2026-10-25T04:00:00+01:00
2026-10-25T05:00:00+01:00
2026-10-25T06:00:00+01:00
2026-10-25T07:00:00+01:00
2026-10-25T08:00:00+01:00
2026-10-25T09:00:00+01:00
2026-10-25T10:00:00+01:00"""),
    "hourly, last run 23:00 then the next day": (HOURLY, "2026-06-01T21:30", """
2026-06-01T22:00:00+02:00
2026-06-01T23:00:00+02:00
2026-06-02T00:00:00+02:00
2026-06-02T01:00:00+02:00
2026-06-02T02:00:00+02:00
2026-06-02T03:00:00+02:00
2026-06-02T04:00:00+02:00
2026-06-02T05:00:00+02:00
2026-06-02T06:00:00+02:00
2026-06-02T07:00:00+02:00"""),
    "workdays, French holidays 25 Dec and 1 Jan skipped": (WORKDAYS_FR, "2026-12-23T12:00", """
2026-12-24T06:00:00+01:00
2026-12-28T06:00:00+01:00
2026-12-29T06:00:00+01:00
2026-12-30T06:00:00+01:00
2026-12-31T06:00:00+01:00
2027-01-04T06:00:00+01:00
2027-01-05T06:00:00+01:00
2027-01-06T06:00:00+01:00
2027-01-07T06:00:00+01:00
2027-01-08T06:00:00+01:00"""),
    "weekly on Sunday across spring-forward": (SUNDAY_3, "2026-03-22T00:00", """
2026-03-22T01:30:00+01:00
2026-03-22T02:30:00+01:00
2026-03-22T03:30:00+01:00
2026-03-29T01:30:00+01:00
2026-03-29T03:00:00+02:00
2026-03-29T03:30:00+02:00
2026-04-05T01:30:00+02:00
2026-04-05T02:30:00+02:00
2026-04-05T03:30:00+02:00
2026-04-12T01:30:00+02:00"""),
    "weekly on Sunday across fall-back": (SUNDAY_3, "2026-10-24T00:00", """
2026-10-25T01:30:00+02:00
2026-10-25T02:30:00+02:00
2026-10-25T03:30:00+01:00
2026-11-01T01:30:00+01:00
2026-11-01T02:30:00+01:00
2026-11-01T03:30:00+01:00
2026-11-08T01:30:00+01:00
2026-11-08T02:30:00+01:00
2026-11-08T03:30:00+01:00
2026-11-15T01:30:00+01:00"""),
}


def bizsync(data_dir, *args):
    env = dict(os.environ)
    env.pop("BIZSYNC_KEY", None)
    env["BIZSYNC_HOME"] = str(data_dir)
    env["TZ"] = "Europe/Paris"
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "bizsync_tui", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=60)


def configure(data_dir, values):
    from bizsync_tui.engine.admin.config import set_settings
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir)
    try:
        set_settings(ws, {f"schedule.{k}": v for k, v in values.items()})
    finally:
        ws.close()


@pytest.mark.parametrize("name", list(TABLES))
def test_next_10_matches_the_hand_worked_table(tmp_path, name):
    values, start, table = TABLES[name]
    configure(tmp_path, values)
    out = bizsync(tmp_path, "scheduler", "--data-dir", str(tmp_path), "--next", "10", "--from", start)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == table.split()


def test_next_with_no_schedule_prints_nothing(tmp_path):
    out = bizsync(tmp_path, "scheduler", "--data-dir", str(tmp_path), "--next", "10", "--from", "2026-06-01T00:00")
    assert out.returncode == 0 and out.stdout == ""
    assert "no publication is planned" in out.stderr


def test_next_from_inside_the_gap_is_read_as_03_00(tmp_path):
    configure(tmp_path, HOURLY)
    out = bizsync(tmp_path, "scheduler", "--data-dir", str(tmp_path), "--next", "1", "--from", "2026-03-29T02:30")
    assert out.stdout.split() == ["2026-03-29T04:00:00+02:00"]  # 02:30 is read as 03:00 CEST; next is 04:00


def test_bad_from_and_from_without_next_are_refused(tmp_path):
    out = bizsync(tmp_path, "scheduler", "--data-dir", str(tmp_path), "--next", "3", "--from", "tomorrow")
    assert out.returncode == 1 and "ISO 8601" in out.stderr and out.stdout == ""
    out = bizsync(tmp_path, "scheduler", "--data-dir", str(tmp_path), "--from", "2026-06-01T00:00")
    assert out.returncode == 1 and "--from goes with --next" in out.stderr
