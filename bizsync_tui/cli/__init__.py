"""The `bizsync` command line.

Each command module exposes `register(subparsers, parent)` where `parent` is the
argparse parent parser holding `--data-dir`; the handler it sets with
`set_defaults(func=...)` takes the parsed args and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from bizsync_tui import __version__
from bizsync_tui.cli import common
from bizsync_tui.cli.common import CliError
from bizsync_tui.i18n import _

# Command modules, in help order. Imported lazily so `bizsync --help` stays fast.
COMMAND_MODULES = (
    "bizsync_tui.cli.demo_cmd",
    "bizsync_tui.cli.config_cmds",
    "bizsync_tui.cli.card_cmd",  # `user card`: after config_cmds, which declares `user`
    "bizsync_tui.cli.extract_cmd",
    "bizsync_tui.cli.publish_cmds",
    "bizsync_tui.cli.scheduler_cmd",
    "bizsync_tui.cli.monitor_cmds",
    "bizsync_tui.cli.sources_cmd",
    "bizsync_tui.cli.platform_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    from bizsync_tui.cli.help_fr import translate_argparse, translate_parser

    translate_argparse()  # argparse's own words (usage:, options, its errors) in the UI language
    parent = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a --data-dir given before the command is not reset by the subcommand's default
    parent.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="folder of the settings database and key (default: $BIZSYNC_HOME or the user's data folder)")
    parser = argparse.ArgumentParser(
        prog="bizsync", parents=[parent],
        description="Publish Sage 100 key business indicators to a mobile platform. "
                    "Without a command, opens the terminal app.")
    parser.add_argument("--version", action="version", version=f"bizsync {__version__}")
    parser.add_argument("--no-mouse", action="store_true", help="ignore the mouse in the terminal app")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, parent)
    return translate_parser(parser)  # the help texts, written in English, in the UI language


def main(argv: list[str] | None = None) -> int:
    from bizsync_tui import i18n

    # The engine's sentences follow the locale; the terminal app then applies ui.language.
    i18n.set_language(i18n.detect_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from bizsync_tui.cli.tui_cmd import run_tui

            return run_tui(args)
        code = int(func(args) or 0)
        sys.stdout.flush()  # a closed pipe or a full disk shows here, not in the interpreter's exit
        return code
    except CliError as exc:
        print(f"bizsync: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("bizsync: " + _("interrupted."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `bizsync journal | head -1`: the reader has what it wanted
        common.silence_stdout()
        return common.EXIT_BROKEN_PIPE
    except Exception as exc:  # one sentence and an exit code, never a traceback (common.fault)
        found = common.fault(exc, args)
        if found is None and os.environ.get("BIZSYNC_DEBUG"):
            raise
        message, code = found or (common.unexpected(exc), common.EXIT_UNEXPECTED)
        try:
            print(f"bizsync: {message}", file=sys.stderr)
        except OSError:
            pass
        return code
