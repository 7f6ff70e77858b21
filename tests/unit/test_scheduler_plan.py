"""The plan: next_runs for every frequency, boundary and DST change (hand-worked tables).

Paris changes to summer time on Sunday 2026-03-29 (02:00 CET -> 03:00 CEST: 02:00-02:59
does not exist) and back on Sunday 2026-10-25 (03:00 CEST -> 02:00 CET: 02:00-02:59 happens
twice). 2026-12-25 and 2027-01-01 are both Fridays, French public holidays.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bizsync_tui.engine.clock import FakeClock, SystemClock, local_zone
from bizsync_tui.engine.schedule.plan import ScheduleSettings, due_run, next_runs, resolve_local
from bizsync_tui.engine.admin.validation import ValidationError

PARIS = ZoneInfo("Europe/Paris")


def iso(runs):
    return [r.isoformat() for r in runs]


def at(text):
    return datetime.fromisoformat(text)


def test_none_plans_nothing():
    assert next_runs({"frequency": "none"}, at("2026-06-01T00:00+02:00"), 10, tz=PARIS) == []


def test_daily_three_a_day_every_four_hours():
    # 3 a day from 08:00 every 4 h = 08:00, 12:00, 16:00; strictly after 12:00 on the 1st.
    s = {"frequency": "daily", "times_per_day": 3, "start": "08:00", "interval_hours": 4}
    assert iso(next_runs(s, at("2026-06-01T12:00+02:00"), 4, tz=PARIS)) == [
        "2026-06-01T16:00:00+02:00", "2026-06-02T08:00:00+02:00",
        "2026-06-02T12:00:00+02:00", "2026-06-02T16:00:00+02:00"]


def test_24_runs_a_day_end_at_23_00():
    s = {"frequency": "daily", "times_per_day": 24, "start": "00:00", "interval_hours": 1}
    runs = next_runs(s, at("2026-06-01T00:00+02:00") - timedelta(seconds=1), 25, tz=PARIS)
    # 00:00 .. 23:00 on June 1 (24 runs), then 00:00 on June 2.
    assert [r.strftime("%d %H:%M") for r in runs] == [f"01 {h:02d}:00" for h in range(24)] + ["02 00:00"]


def test_last_run_at_23_00():
    # 2 a day from 11:00 every 12 h: 11:00 and 23:00, the last one still within the day.
    s = {"frequency": "daily", "times_per_day": 2, "start": "11:00", "interval_hours": 12}
    assert iso(next_runs(s, at("2026-06-01T12:00+02:00"), 3, tz=PARIS)) == [
        "2026-06-01T23:00:00+02:00", "2026-06-02T11:00:00+02:00", "2026-06-02T23:00:00+02:00"]


def test_a_plan_past_midnight_is_refused():
    with pytest.raises(ValidationError) as err:
        next_runs({"frequency": "daily", "times_per_day": 3, "start": "22:00", "interval_hours": 1},
                  at("2026-06-01T00:00+02:00"), 1, tz=PARIS)
    assert err.value.field == "schedule.times_per_day"


def test_weekly_on_sunday():
    # 2026-06-07, 14, 21 are Sundays; after Sunday 10:00 the same day's 09:00 is past.
    s = {"frequency": "weekly", "weekday": "sunday", "start": "09:00"}
    assert iso(next_runs(s, at("2026-06-07T10:00+02:00"), 2, tz=PARIS)) == [
        "2026-06-14T09:00:00+02:00", "2026-06-21T09:00:00+02:00"]
    assert next_runs(s, at("2026-06-07T08:59+02:00"), 1, tz=PARIS)[0].isoformat() == "2026-06-07T09:00:00+02:00"


def test_workdays_around_christmas_and_new_year_with_french_holidays():
    s = {"frequency": "workdays", "holidays": "FR", "start": "06:00"}
    # Thu 24 Dec; Fri 25 (Christmas), Sat, Sun skipped; Mon 28 .. Thu 31; Fri 1 Jan (New Year) skipped.
    assert [r.date().isoformat() for r in next_runs(s, at("2026-12-23T12:00+01:00"), 7, tz=PARIS)] == [
        "2026-12-24", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-05"]


def test_workdays_without_holidays_keep_christmas():
    s = {"frequency": "workdays", "holidays": "none", "start": "06:00"}
    assert [r.date().isoformat() for r in next_runs(s, at("2026-12-23T12:00+01:00"), 3, tz=PARIS)] == [
        "2026-12-24", "2026-12-25", "2026-12-28"]


def test_spring_forward_gap_runs_at_the_first_instant_after():
    # 02:30 does not exist on 2026-03-29: it runs at 03:00 CEST (01:00 UTC).
    s = {"frequency": "daily", "times_per_day": 2, "start": "02:30", "interval_hours": 12}
    assert iso(next_runs(s, at("2026-03-28T12:00+01:00"), 4, tz=PARIS)) == [
        "2026-03-28T14:30:00+01:00", "2026-03-29T03:00:00+02:00",
        "2026-03-29T14:30:00+02:00", "2026-03-30T02:30:00+02:00"]


def test_spring_forward_hourly_runs_once_at_03_00():
    # 02:00 moves to 03:00, where the 03:00 run already is: one run, not two.
    s = {"frequency": "daily", "times_per_day": 24, "start": "00:00", "interval_hours": 1}
    runs = next_runs(s, at("2026-03-29T00:00+01:00"), 4, tz=PARIS)
    assert iso(runs) == ["2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00",
                         "2026-03-29T04:00:00+02:00", "2026-03-29T05:00:00+02:00"]
    # The whole day: 24 slots, one lost to the gap -> 23 runs on that 23-hour day.
    day = next_runs(s, at("2026-03-28T23:30+01:00"), 30, tz=PARIS)
    assert len([r for r in day if r.date().isoformat() == "2026-03-29"]) == 23


def test_fall_back_repeated_hour_runs_once_at_its_first_occurrence():
    s = {"frequency": "daily", "times_per_day": 24, "start": "00:00", "interval_hours": 1}
    runs = next_runs(s, at("2026-10-25T00:30+02:00"), 4, tz=PARIS)
    # 02:00 happens at 00:00 UTC (CEST) and again at 01:00 UTC (CET): only the first.
    assert iso(runs) == ["2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00",
                         "2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00"]
    day = next_runs(s, at("2026-10-24T23:30+02:00"), 30, tz=PARIS)
    assert len([r for r in day if r.date().isoformat() == "2026-10-25"]) == 24  # 25-hour day, 24 runs
    # Asked from inside the repeated hour (after its first 02:00), 02:00 CET does not come again.
    assert next_runs(s, at("2026-10-25T02:30+02:00"), 1, tz=PARIS)[0].isoformat() == "2026-10-25T03:00:00+01:00"


def test_resolve_local():
    assert resolve_local(datetime(2026, 3, 29, 2, 30), PARIS).isoformat() == "2026-03-29T03:00:00+02:00"
    assert resolve_local(datetime(2026, 10, 25, 2, 30), PARIS).isoformat() == "2026-10-25T02:30:00+02:00"
    assert resolve_local(datetime(2026, 6, 1, 8, 0), PARIS).isoformat() == "2026-06-01T08:00:00+02:00"


def test_runs_are_in_the_local_zone_by_default(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    assert local_zone().key == "Europe/Paris"
    s = {"frequency": "daily", "start": "06:00"}
    (run,) = next_runs(s, at("2026-01-10T00:00+00:00"), 1)
    assert run.isoformat() == "2026-01-10T06:00:00+01:00"
    monkeypatch.setenv("TZ", "UTC")
    (run,) = next_runs(s, at("2026-01-10T00:00+00:00"), 1)
    assert run.isoformat() == "2026-01-10T06:00:00+00:00"


def test_naive_after_is_refused():
    with pytest.raises(ValueError):
        next_runs({"frequency": "daily"}, datetime(2026, 1, 1), 1, tz=PARIS)


def test_from_settings(ws):
    for key, value in {"schedule.frequency": "weekly", "schedule.weekday": "friday",
                       "schedule.times_per_day": "2", "schedule.start": "07:15",
                       "schedule.interval_hours": "3", "schedule.holidays": "FR"}.items():
        ws.settings.set(key, value)
    s = ScheduleSettings.from_settings(ws.settings)
    assert s == ScheduleSettings("weekly", "friday", 2, "07:15", 3, "FR")
    assert [t.strftime("%H:%M") for t in s.times_of_day()] == ["07:15", "10:15"]
    # 2026-06-05 is a Friday.
    assert iso(next_runs(s, at("2026-06-01T00:00+02:00"), 2, tz=PARIS)) == [
        "2026-06-05T07:15:00+02:00", "2026-06-05T10:15:00+02:00"]


def test_defaults_plan_nothing(ws):
    s = ScheduleSettings.from_settings(ws.settings)
    assert s.frequency == "none"
    assert next_runs(s, at("2026-06-01T00:00+02:00"), 5) == []


def test_due_run_once_after_missed_slots_and_catch_up_flag():
    s = {"frequency": "daily", "times_per_day": 3, "start": "08:00", "interval_hours": 4}
    since = at("2026-06-01T07:00+02:00")
    # At 08:02, only 08:00 is due, 2 minutes late: on time.
    due = due_run(s, at("2026-06-01T08:02+02:00"), since, tz=PARIS)
    assert (due.slot.isoformat(), due.trigger, due.missed) == ("2026-06-01T08:00:00+02:00", "scheduler", 1)
    # At 17:00, 08:00, 12:00 and 16:00 were missed: one run, for the latest, as a catch-up.
    due = due_run(s, at("2026-06-01T17:00+02:00"), since, tz=PARIS)
    assert (due.slot.isoformat(), due.trigger, due.missed) == ("2026-06-01T16:00:00+02:00", "catch-up", 3)
    assert due_run(s, at("2026-06-01T07:59+02:00"), since, tz=PARIS) is None


def test_fake_clock_crosses_dst_in_elapsed_time():
    clock = FakeClock(at("2026-03-29T01:30+01:00"), tz=PARIS)
    assert clock.advance(hours=1).isoformat() == "2026-03-29T03:30:00+02:00"
    assert SystemClock(PARIS).now().utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert clock.now().astimezone(timezone.utc).hour == 1
