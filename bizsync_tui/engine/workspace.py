"""A workspace: one data dir opened — settings database, key store, settings.

Everything that runs an operation (TUI, command line, scheduler) opens one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import peewee

from bizsync_tui.models.db import open_database
from bizsync_tui.paths import data_dir as resolve
from bizsync_tui.models.secrets import KeyStore
from bizsync_tui.models.settings import Settings


@dataclass
class Workspace:
    data_dir: Path
    db: peewee.SqliteDatabase
    keystore: KeyStore
    settings: Settings

    def atomic(self):
        return self.db.atomic()

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def open_workspace(data_dir: str | Path | None = None) -> Workspace:
    path = resolve(data_dir)
    db = open_database(path)
    keystore = KeyStore(path)
    return Workspace(path, db, keystore, Settings(keystore))
