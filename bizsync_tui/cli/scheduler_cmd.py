"""`bizsync scheduler [--next N [--from DATETIME]]`: the headless scheduler, or the plan."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import datetime

from bizsync_tui.cli.common import CliError, data_dir_of
from bizsync_tui.i18n import _

# Exit code of a second scheduler refused because another one holds the data dir.
EXIT_HELD = 3


def register(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "scheduler", parents=[parent],
        help="run the publication scheduler in the foreground (for systemd), or list the next planned runs",
        description="Without --next: run the scheduler in the foreground, logging to standard output, until "
                    "SIGTERM or Ctrl+C. Only one scheduler runs per data dir (the terminal app counts as one). "
                    "With --next N: print the next N planned publications (ISO 8601 with UTC offset, one a line) "
                    "and exit.")
    p.add_argument("--next", type=int, metavar="N", dest="next_count", default=None,
                   help="print the next N planned runs and exit")
    p.add_argument("--from", dest="from_", metavar="DATETIME", default=None,
                   help="with --next: list the runs after this moment (ISO 8601; without an offset it is local time; "
                        "default: now)")
    p.add_argument("--poll", type=float, default=5.0, help=argparse.SUPPRESS)  # seconds between checks
    p.set_defaults(func=cmd_scheduler)


def parse_from(text: str, tz) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(_("'{value}' is not a date and time; write it as ISO 8601, such as 2026-03-29T00:00 "
                         "or 2026-03-29T00:00+01:00.").format(value=text)) from None
    if value.tzinfo is None:
        from bizsync_tui.engine.schedule.plan import resolve_local

        value = resolve_local(value, tz)
    return value


def _schedule(ws):
    from bizsync_tui.engine.schedule.plan import ScheduleSettings
    from bizsync_tui.engine.admin.validation import ValidationError

    try:
        return ScheduleSettings.from_settings(ws.settings)
    except ValidationError as exc:
        raise CliError(_("{message} (setting {key}; change it with 'bizsync config set').").format(
            message=exc.message, key=exc.field)) from None


def cmd_next(args) -> int:
    from bizsync_tui.engine.clock import local_zone
    from bizsync_tui.engine.schedule.plan import next_runs
    from bizsync_tui.engine.workspace import open_workspace

    if args.next_count < 1 or args.next_count > 10000:
        raise CliError(_("--next takes a number of runs from 1 to 10000."))
    tz = local_zone()
    after = parse_from(args.from_, tz) if args.from_ else datetime.now(tz)
    ws = open_workspace(data_dir_of(args))
    try:
        schedule = _schedule(ws)
    finally:
        ws.close()
    runs = next_runs(schedule, after, args.next_count, tz)
    if not runs:
        print("bizsync: " + _("no publication is planned (schedule.frequency is none); "
                              "set one with 'bizsync config set schedule.frequency daily'."), file=sys.stderr)
    for when in runs:
        print(when.isoformat())
    return 0


class _LocalTimeFormatter(logging.Formatter):
    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        from bizsync_tui.engine.clock import local_zone

        return datetime.fromtimestamp(record.created, local_zone()).isoformat(timespec="seconds")


def _setup_logging() -> logging.Handler:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_LocalTimeFormatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("bizsync")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def cmd_serve(args) -> int:
    from bizsync_tui.engine.schedule.scheduler import Scheduler, describe_holder
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir_of(args))
    sched = Scheduler(ws, role="scheduler")
    if not sched.acquire():
        holder = sched.lock.holder()
        ws.close()
        raise CliError(_("A scheduler already runs for {path}: {holder}; stop it before starting another "
                         "one.").format(path=ws.data_dir, holder=describe_holder(holder)), code=EXIT_HELD)
    handler = _setup_logging()
    log = logging.getLogger("bizsync.scheduler")
    stop = threading.Event()

    def on_signal(signum, _frame):
        name = signal.Signals(signum).name
        if stop.is_set():
            log.info("%s received again; still finishing the publication in progress.", name)
        else:
            log.info("%s received; stopping.", name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        schedule_text = "unreadable schedule settings"
        try:
            from bizsync_tui.engine.schedule.plan import ScheduleSettings

            schedule_text = ScheduleSettings.from_settings(ws.settings).describe()
        except Exception:
            pass
        log.info("Scheduler started for %s (pid %s): %s.", ws.data_dir, sched.lock.holder().get("pid"), schedule_text)
        sched.serve(stop, poll_seconds=max(0.2, args.poll))
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        sched.release()
        ws.close()
        log.info("Scheduler stopped.")
        logging.getLogger("bizsync").removeHandler(handler)
        sys.stdout.flush()
    return 0


def cmd_scheduler(args) -> int:
    if args.next_count is not None:
        return cmd_next(args)
    if args.from_:
        raise CliError(_("--from goes with --next; run 'bizsync scheduler --next 10 --from DATETIME'."))
    return cmd_serve(args)
