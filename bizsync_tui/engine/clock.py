"""Clocks: the machine's time in its local zone, or a hand-driven one for tests.

Every datetime a clock gives is aware and carries a zone that knows the
daylight-saving rules (a `ZoneInfo` when the machine's zone can be named), so
adding hours and converting across a DST change stays right.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_zone() -> tzinfo:
    """The machine's time zone: `$TZ` if it names a zone, else /etc/localtime, else the current fixed offset."""
    name = os.environ.get("TZ")
    if name is not None:
        name = name.lstrip(":")
        if name == "":
            return ZoneInfo("UTC")
        try:
            if name.startswith("/"):
                with open(name, "rb") as fh:
                    return ZoneInfo.from_file(fh, key=name)
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass  # a POSIX rule string such as CET-1CEST: fall through
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "/zoneinfo/"
        if marker in target:
            return ZoneInfo(target.split(marker, 1)[1])
        with open("/etc/localtime", "rb") as fh:
            return ZoneInfo.from_file(fh, key="localtime")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    return datetime.now().astimezone().tzinfo  # fixed offset: last resort


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in the machine's local zone."""
        ...


class SystemClock:
    """The machine's clock."""

    def __init__(self, tz: tzinfo | None = None):
        self._tz = tz

    def now(self) -> datetime:
        return datetime.now(self._tz or local_zone())


class FakeClock:
    """A clock that moves only when told (tests): `advance(...)` or `set(...)`."""

    def __init__(self, start: datetime, tz: tzinfo | None = None):
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._tz = tz
        self._now = start

    def now(self) -> datetime:
        return self._now.astimezone(self._tz or local_zone())

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = when

    def advance(self, delta: timedelta | None = None, **kwargs) -> datetime:
        """Move forward by `delta` or by timedelta(**kwargs) of real (elapsed) time."""
        step = delta if delta is not None else timedelta(**kwargs)
        # Elapsed time is added in UTC so that a DST change is crossed correctly.
        self._now = (self._now.astimezone(ZoneInfo("UTC")) + step)
        return self.now()
