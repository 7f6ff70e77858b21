"""Helpers shared by the command modules."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path


class CliError(Exception):
    """A refusal: its text is one sentence for stderr; the exit code is `code`."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def data_dir_of(args) -> Path:
    from bizsync_tui.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


def read_secret(prompt: str, *, confirm: bool = False) -> str:
    """A secret from a prompt on a terminal, else the first line of stdin.

    Never from the command line: argv is visible to every user of the machine.
    """
    if sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("Type it again: ") != value:
            raise CliError("The two entries differ; nothing was changed. Run the command again.")
        return value
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise CliError(f"{prompt.rstrip(': ')} expected on standard input (one line); nothing was changed.")
    return line.rstrip("\r\n")


def open_settings(args):
    """Open the settings database of `--data-dir` (created when new)."""
    from bizsync_tui.models.db import open_database

    return open_database(data_dir_of(args))
