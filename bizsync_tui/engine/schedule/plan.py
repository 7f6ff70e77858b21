"""The pure plan of publications: the schedule settings and the instants they plan.

- `ScheduleSettings` is the schedule of the settings, checked (engine.admin.validation).
- `next_runs(schedule, after, count)` is the one pure function that turns the
  schedule settings into planned instants (the schedule screen, `bizsync
  scheduler --next` and the scheduler all use it); `iter_runs` is its generator.
- `due_run(schedule, now, since)` says which planned run is due (pure too).
- `resolve_local` turns a local wall time into an instant across DST changes.

No clock, no lock, no database: the service that acts on the plan is scheduler.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Iterator, Mapping

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.clock import local_zone
from bizsync_tui.i18n import _
from bizsync_tui.models.settings import SCHEDULE_KEYS

UTC = timezone.utc
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
