"""Snapshots at 80x24 of the source picker opened from a new company's accounting field: the
File tab on a folder of Sage and non-Sage files, the ODBC DSN tab on a test odbc.ini, the
Server tab refusing an empty host.

The folders are at fixed paths (the path is on screen), made afresh for each test; the DSN
tab lists this machine's installed drivers (install-deps.sh installs the same four packages
everywhere) and the DSNs of the test odbc.ini (no system DSN is defined on these machines).
The drivers cannot be those of an odbcinst.ini of the test's own (ODBCSYSINI): unixODBC reads
odbcinst.ini once per process, and an earlier test of the same worker has it read already.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from tests import sage_fixture as fx
from tests.snap.app_factory import SMALL, make_app, settle, type_text

ROOT = Path("/tmp/bizsync-snap-picker")


def fixed_folder(name: str) -> Path:
    base = ROOT / name / "sage"
    shutil.rmtree(base.parent, ignore_errors=True)
    (base / "archive").mkdir(parents=True)
    return fx.sage_folder(base, text_file="readme.txt")


async def until(pilot, condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what}")
        await pilot.pause(0.02)


def picker(app):
    from bizsync_tui.screens.source_picker import SourcePickerDialog

    return app.screen if isinstance(app.screen, SourcePickerDialog) else None


async def open_picker(pilot) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    pilot.app.screen.query_one("#accounting-source").focus()
    await pilot.press("ctrl+o")
    await until(pilot, lambda: picker(pilot.app) is not None, "the picker")


def test_picker_files(snap_compare, tmp_path):
    base = fixed_folder("files")

    async def browse(pilot):
        await open_picker(pilot)
        await pilot.press("tab", "end", "ctrl+u")
        await type_text(pilot, str(base))
        await pilot.press("enter")
        tree = picker(pilot.app).query_one("#files")
        await until(pilot, lambda: len(tree.root.children) == 4 and len(tree.verdicts) == 3, "the folder")
        await pilot.press("down", "down")  # archive, then bijou.db
        await pilot.pause()

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SMALL, run_before=browse)


def test_picker_dsns(snap_compare, tmp_path, monkeypatch):
    base = fixed_folder("dsns")
    ini = base.parent / "odbc.ini"
    ini.write_text(f"[SAGE_BIJOU]\nDriver=SQLite3\nDatabase={base}/bijou.db\n\n"
                   f"[NORD_GC]\nDriver=SQLite3\nDatabase={base}/nord_gc.db\n\n"
                   f"[OTHER_DB]\nDriver=SQLite3\nDatabase={base}/other.db\n")
    monkeypatch.setenv("ODBCINI", str(ini))

    async def dsns(pilot):
        await open_picker(pilot)
        await pilot.press("right")
        p = picker(pilot.app)
        await until(pilot, lambda: len(p.dsn_verdicts) == 3
                    and str(p.query_one("#dsn-status").content).startswith("Enter picks a DSN"), "the DSNs")
        await pilot.press("tab")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SMALL, run_before=dsns)


def test_picker_server_refuses_an_empty_host(snap_compare, tmp_path):
    async def server(pilot):
        await open_picker(pilot)
        await pilot.press("right", "right", "tab", "right", "enter")  # Server, PostgreSQL
        await pilot.press("tab", "enter")  # Enter in the empty host field
        await until(pilot, lambda: "-error" in picker(pilot.app).query_one("#server-status").classes,
                    "the refusal")

    assert snap_compare(make_app(tmp_path / "data", start="companies"), terminal_size=SMALL, run_before=server)
