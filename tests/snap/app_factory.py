"""One way to build the app for every UI test (pilot and snapshot): a real workspace
in a temporary data dir, a fixed clock, journal times shown in UTC, scheduler off.

    app = make_app(tmp_path / "data")                  # English, 2026-03-16 09:30
    app = make_app(tmp_path / "data", language="fr")   # French
    app = make_app(data_dir, start="journal")          # open on a section

Keep this signature stable: the Companies/Groups/Users tests use it too.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

FIXED_NOW = datetime(2026, 3, 16, 9, 30, tzinfo=timezone.utc)  # a Monday; the app shows times in UTC
SIZE = (100, 30)
SMALL = (80, 24)


def fixed_clock(now: datetime = FIXED_NOW):
    """An engine.clock.FakeClock at `now`, in UTC (advance it with .advance(minutes=...))."""
    from bizsync_tui.engine.clock import FakeClock

    return FakeClock(now, tz=timezone.utc)


def open_ws(data_dir: str | Path):
    """The workspace of a data dir (for seeding data before building the app)."""
    from bizsync_tui.engine.workspace import open_workspace

    return open_workspace(data_dir)


def make_app(data_dir: str | Path, clock=None, scheduler: bool = False,
             language: str = "en", *, start: str | None = None, **kwargs):
    """The bizsync app on the workspace of `data_dir` (created when new); `clock` is an
    engine.clock.Clock (default: fixed_clock()); scheduler False: no in-process scheduler."""
    from bizsync_tui.app import BizSyncApp

    ws = open_ws(data_dir)
    return BizSyncApp(ws, clock=clock or fixed_clock(), scheduler=scheduler, language=language,
                      tz=timezone.utc, start=start, **kwargs)


async def settle(pilot) -> None:
    """Wait until every worker is done and the screen is repainted (twice: workers may start workers)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one
            pass
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type like a person: one key per character (a space is the space key)."""
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def after_keys(*keys: str):
    """A `run_before` for snap_compare: wait for the workers, press the keys, wait again."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before
