"""`bizsync demo [--no-tui]`: demo Sage data, a ready configuration, a local platform, one publication.

The reference platform is started on a free loopback port in a background
thread of this process, and runs as long as the command does: with the TUI,
until the TUI is closed; with --no-tui, until the command ends (or until
Ctrl-C with --serve, to try mobile logins meanwhile).
"""

from __future__ import annotations

import sys
import time

from bizsync_tui.cli.common import CliError
from bizsync_tui.i18n import _


def _demo_dir(args):
    """--data-dir, $BIZSYNC_HOME, else a `demo` folder beside the user's own configuration."""
    import os

    from bizsync_tui.paths import data_dir

    if getattr(args, "data_dir", None) or os.environ.get("BIZSYNC_HOME"):
        return data_dir(getattr(args, "data_dir", None))
    folder = data_dir(None) / "demo"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def cmd_demo(args) -> int:
    from bizsync_tui.demo import build as demo
    from bizsync_tui.engine.publish.runner import run
    from bizsync_tui.engine.workspace import open_workspace
    from bizsync_tui.platform.server import start_platform

    folder = _demo_dir(args)
    args.data_dir = str(folder)  # the TUI opens the same folder
    ws = open_workspace(folder)
    handle = None
    try:
        print(_("Preparing the demo in {folder} ...").format(folder=folder), flush=True)
        try:
            setup = demo.prepare_demo(ws, lines=args.lines)
        except demo.DemoRefused as exc:
            raise CliError(str(exc)) from None
        try:
            handle = start_platform(demo.platform_folder(ws), "127.0.0.1", args.port)
        except (OSError, RuntimeError) as exc:
            raise CliError(_("The demo platform could not start on 127.0.0.1 ({error}); choose another port "
                             "with --port, or free the one given.").format(error=type(exc).__name__)) from None
        handle.add_client(setup.client_code, ws.settings.get_secret("portal.password"), replace=True)
        demo.set_platform_url(ws, handle.url)
        print(_("Platform running at {url} (client code {client}) while this command runs.").format(
            url=handle.url, client=setup.client_code), flush=True)
        report = run(ws, "publish", trigger="demo")
        for result in report.results:
            print("  " + result.line())
        codes = ", ".join(code for code, _ in setup.companies)
        print(_("Companies: {codes} (the last one is the group of the others).").format(codes=codes))
        print(_("Mobile users: {users}; their demo passwords are in {file} (readable by you only).").format(
            users=", ".join(setup.users), file=setup.credentials_file))
        print(_("On the phone: client code {client}, a company short code, a login and its password.").format(
            client=setup.client_code))
        print(_("Mobile page: {url}/ (a phone-sized browser on this machine; 'bizsync user card LOGIN --data-dir "
                "{folder}' prints a user's card with its QR code).").format(url=handle.url, folder=folder),
              flush=True)
        if not report.ok:
            print("bizsync: " + _("the demo's first publication did not fully succeed; see 'bizsync journal "
                                  "--data-dir {folder}'.").format(folder=folder), file=sys.stderr)
        if args.no_tui:
            print(_("Journal: bizsync journal --data-dir {folder}").format(folder=folder))
            if args.serve:
                print(_("Serving the platform until Ctrl-C ..."), flush=True)
                try:
                    while True:
                        time.sleep(3600)
                except KeyboardInterrupt:
                    pass
            return 0 if report.ok else 1
        from bizsync_tui.cli.tui_cmd import run_tui

        ws.close()
        return run_tui(args)
    finally:
        if handle is not None:
            handle.stop()
        ws.close()


def register(subparsers, parent) -> None:
    p = subparsers.add_parser(
        "demo", parents=[parent],
        help="demo Sage data and a ready configuration publishing to a local platform; then the TUI",
        description="Build two demo Sage 100 companies, a group, three mobile users and a schedule, start "
                    "the reference platform on a free loopback port, publish once, then open the terminal "
                    "app (unless --no-tui). Without --data-dir, the demo uses its own folder beside your "
                    "configuration, never your configuration itself.")
    p.add_argument("--no-tui", action="store_true", help="print what was done and exit instead of opening the app")
    p.add_argument("--serve", action="store_true", help="with --no-tui: keep the platform running until Ctrl-C")
    p.add_argument("--port", type=int, default=0, help="the platform's port on 127.0.0.1 (default: a free one)")
    p.add_argument("--lines", type=int, default=2000, help=argparse_suppress())
    p.set_defaults(func=cmd_demo)


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
