"""Where bizsync keeps its settings database and key."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "bizsync"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """`--data-dir`, else `$BIZSYNC_HOME`, else the user's data directory (created when missing)."""
    path = data_dir_path(explicit)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def data_dir_path(explicit: str | os.PathLike | None = None) -> Path:
    """The folder `data_dir` uses, without creating it."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get("BIZSYNC_HOME"):
        path = Path(os.environ["BIZSYNC_HOME"])
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME)
    return path.expanduser()
