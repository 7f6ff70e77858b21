"""`bizsync` without a command: the terminal app."""

from __future__ import annotations

from bizsync_tui.cli.common import CliError


def run_tui(args) -> int:
    """Open the workspace of --data-dir, set the language, run the app; the exit code."""
    from bizsync_tui.engine.workspace import open_workspace

    try:
        ws = open_workspace(getattr(args, "data_dir", None))
    except RuntimeError as exc:
        raise CliError(str(exc)) from None
    try:
        from bizsync_tui.app import BizSyncApp

        app = BizSyncApp(ws)
        app.run(mouse=not getattr(args, "no_mouse", False))
    finally:
        ws.close()
    return int(app.return_code or 0)
