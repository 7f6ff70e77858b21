"""`bizsync publish [--company SHORT_CODE] [--delete]` and `bizsync journal [--errors] [--json]`."""

from __future__ import annotations

import json
import sys

from bizsync_tui.cli.common import CliError, data_dir_of
from bizsync_tui.i18n import _


def cmd_publish(args) -> int:
    from bizsync_tui.engine.publish.runner import run
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir_of(args))
    try:
        action = "delete" if args.delete else "publish"
        report = run(ws, action, args.company, trigger=args.trigger, as_of=args.as_of)
        for result in report.results:
            print(result.line())
        if report.cancelled:
            print("bizsync: " + _("stopped before the end."), file=sys.stderr)
        return 0 if report.ok else 1
    finally:
        ws.close()


def _local(at) -> str:
    import datetime as dt

    return at.replace(tzinfo=dt.timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def cmd_journal(args) -> int:
    from bizsync_tui.engine import journal
    from bizsync_tui.engine.workspace import open_workspace

    if args.limit is not None and args.limit < 1:
        raise CliError(_("--limit must be a number of 1 or more."))
    ws = open_workspace(data_dir_of(args))
    try:
        entries = journal.page(errors_only=args.errors, limit=args.limit or 200)
        if args.json:
            print(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
            return 0
        if not entries:
            print(_("The journal is empty.") if not args.errors else _("No error in the journal."))
            return 0
        for e in entries:
            print(f"{_local(e.at)}  {journal.outcome_line(e.success, e.operation, e.company, e.message)}")
        return 0
    finally:
        ws.close()


def register(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "publish", parents=[parent],
        help="publish (or delete) one company or all, and the mobile users; exit code 0 only if all succeeded",
        description="Extract and publish every enabled company and group (or one), then the mobile users "
                    "and their grants. With --delete, remove one company's published data (--company) "
                    "or, without --company, everything of this client (publications and users). Every operation is written to the journal.")
    p.add_argument("--company", metavar="SHORT_CODE", help="only this company or group")
    p.add_argument("--delete", action="store_true", help="delete the published data instead of publishing")
    p.add_argument("--as-of", metavar="DATE", default=None, help="extract as of this date (default: today)")
    p.add_argument("--trigger", default="cli", help=argparse_suppress())
    p.set_defaults(func=cmd_publish)

    j = subparsers.add_parser("journal", parents=[parent], help="show the publication journal, newest first",
                              description="The publication journal, newest first; an error is marked ✗.")
    j.add_argument("--errors", action="store_true", help="only the errors")
    j.add_argument("--json", action="store_true", help="a JSON list of entries")
    j.add_argument("--limit", type=int, default=None, metavar="N", help="at most N entries (default 200)")
    j.set_defaults(func=cmd_journal)


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
