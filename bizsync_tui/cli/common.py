"""Helpers shared by the command modules."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from bizsync_tui.i18n import _


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
        if confirm and getpass.getpass(_("Type it again: ")) != value:
            raise CliError(_("The two entries differ; nothing was changed. Run the command again."))
        return value
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise CliError(_("{what} expected on standard input (one line); nothing was changed.").format(
            what=prompt.rstrip(": ")))
    return line.rstrip("\r\n")


# -- faults caught once for every command (bizsync_tui.cli.main) ---------------------------
EXIT_STORAGE = 74  # EX_IOERR: the data dir, the settings database, the key file or the output cannot be used
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `... | head` cut short
EXIT_UNEXPECTED = 70  # EX_SOFTWARE: a bug; BIZSYNC_DEBUG=1 shows the traceback


def silence_stdout() -> None:
    """After a closed pipe or a failed write: point stdout at /dev/null, so the interpreter's
    last flush at exit says nothing."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def fault(exc: BaseException, args) -> tuple[str, int] | None:
    """One sentence and an exit code for a fault of the machine (not of the input), or None.

    The data dir that is a file or cannot be made, a read-only or full disk, a settings
    database kept busy or damaged, an unreadable key file, an output that cannot be written.
    """
    import errno as E

    import peewee

    from bizsync_tui.engine.journal import storage_problem
    from bizsync_tui.models.db import DB_FILE
    from bizsync_tui.models.secrets import KEY_FILE
    from bizsync_tui.paths import data_dir_path

    try:
        folder = data_dir_path(getattr(args, "data_dir", None))
    except Exception:  # noqa: BLE001 - the platformdirs lookup itself failed
        folder = None
    if isinstance(exc, peewee.DatabaseError):
        why = storage_problem(exc, folder / DB_FILE if folder else None)
        return (_("The settings database cannot be used: {why}").format(why=why or type(exc).__name__),
                EXIT_STORAGE)
    if not isinstance(exc, OSError):
        return None
    filename = exc.filename
    if filename is None and exc.errno in (E.ENOSPC, E.EDQUOT, E.EIO, E.EBADF, E.EPIPE):
        silence_stdout()
        return (_("The output could not be written ({reason}); nothing more was printed.").format(
            reason=exc.strerror or type(exc).__name__), EXIT_STORAGE)
    if folder is not None and filename is not None and Path(filename) == folder:
        if exc.errno == E.EEXIST or folder.is_file():
            return (_("The data dir {path} is a file, not a folder; give a folder with --data-dir (bizsync "
                      "creates it when missing).").format(path=folder), EXIT_STORAGE)
        if exc.errno in (E.ENOENT, E.ENOTDIR, E.EACCES, E.EPERM, E.EROFS):
            return (_("The data dir {path} cannot be created ({reason}); give a folder this user may write "
                      "to with --data-dir.").format(path=folder, reason=exc.strerror), EXIT_STORAGE)
    if filename is not None and Path(filename).name == KEY_FILE and exc.errno in (E.EACCES, E.EPERM):
        return (_("The key file {path} cannot be read by this user, and the saved passwords need it; run "
                  "bizsync as the user that owns the data dir, or give this user read access to the file "
                  "(mode 0600, owned by this user).").format(path=filename), EXIT_STORAGE)
    if exc.errno in (E.EACCES, E.EPERM) and filename is not None:
        return (_("{path} cannot be read or written by this user ({reason}); fix its permissions, or choose "
                  "another data dir with --data-dir.").format(path=filename, reason=exc.strerror), EXIT_STORAGE)
    why = storage_problem(exc, filename or folder)
    if why is not None:
        return _("Cannot go on: {why}").format(why=why), EXIT_STORAGE
    return (_("{path}: {reason}; check the data dir and the disk, then try again.").format(
        path=filename or folder, reason=exc.strerror or type(exc).__name__), EXIT_STORAGE)


def unexpected(exc: BaseException) -> str:

    return _("Stopped on an unexpected error ({error}); run it again with BIZSYNC_DEBUG=1 to see the details, "
             "and report them.").format(error=type(exc).__name__)
