"""The settings database: one SQLite file in the data dir, WAL, foreign keys on.

`open_database(data_dir)` binds every model to that file, creates the tables of
a new database and migrates an older one (PRAGMA user_version holds the schema
version). Connections are per thread (peewee), so workers may use it.
"""

from __future__ import annotations

from pathlib import Path

import peewee

from bizsync_tui.models import tables

DB_FILE = "settings.db"
SCHEMA_VERSION = 2

database = tables.database  # the DatabaseProxy every model is bound to
# How long a write waits for another process (the scheduler, the TUI, a second publisher)
# holding the database before it fails: a journal row must not be lost to a save in progress.
BUSY_TIMEOUT_MS = 60_000


def _migrate_1_to_2(db: peewee.SqliteDatabase) -> None:
    """Version 2 added the journal's trigger column and the company groups."""
    columns = {c.name for c in db.get_columns("journalentry")}
    if "trigger" not in columns:
        db.execute_sql("ALTER TABLE journalentry ADD COLUMN \"trigger\" VARCHAR(20) NOT NULL DEFAULT 'manual'")
    company_columns = {c.name for c in db.get_columns("company")}
    if "is_group" not in company_columns:
        db.execute_sql("ALTER TABLE company ADD COLUMN is_group INTEGER NOT NULL DEFAULT 0")
    db.create_tables([tables.GroupMember], safe=True)


# MIGRATIONS[n] takes a database at version n to version n + 1.
MIGRATIONS = {1: _migrate_1_to_2}


def open_database(data_dir: str | Path, *, filename: str = DB_FILE) -> peewee.SqliteDatabase:
    path = Path(data_dir) / filename
    db = peewee.SqliteDatabase(
        str(path),
        pragmas={"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS, "synchronous": "normal"},
        check_same_thread=False,
    )
    database.initialize(db)
    db.connect(reuse_if_open=True)
    new = not db.table_exists("setting")
    version = db.execute_sql("PRAGMA user_version").fetchone()[0]
    if new:
        with db.atomic():
            db.create_tables(tables.ALL_TABLES)
            db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version < SCHEMA_VERSION:
        with db.atomic():
            for v in range(max(version, 1), SCHEMA_VERSION):
                MIGRATIONS[v](db)
            db.create_tables(tables.ALL_TABLES, safe=True)
            db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version > SCHEMA_VERSION:
        db.close()
        raise RuntimeError(
            f"{path} was written by a newer bizsync (schema {version}); install that version or newer to open it.")
    try:
        path.chmod(0o600)
    except OSError:
        pass
    db.bizsync_data_dir = Path(data_dir)  # type: ignore[attr-defined]
    return db
