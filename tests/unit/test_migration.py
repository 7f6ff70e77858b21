"""A database written by schema version 1 opens in the current version with its data."""

import sqlite3

from bizsync_tui.engine.admin import config
from bizsync_tui.engine.workspace import open_workspace

# The tables as version 1 created them (before groups and the journal's trigger column).
V1_SCHEMA = """
CREATE TABLE setting (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL, secret INTEGER NOT NULL, updated_at DATETIME NOT NULL);
CREATE TABLE company (id INTEGER PRIMARY KEY, short_code VARCHAR(17) NOT NULL UNIQUE, dossier VARCHAR(17) NOT NULL,
  name VARCHAR(69) NOT NULL, accounting_source TEXT NOT NULL, commercial_source TEXT NOT NULL, enabled INTEGER NOT NULL,
  revenue_prefixes VARCHAR(255) NOT NULL, cash_prefixes VARCHAR(255) NOT NULL, created_at DATETIME NOT NULL);
CREATE TABLE companyview (id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES company (id) ON DELETE CASCADE,
  view_id VARCHAR(40) NOT NULL);
CREATE TABLE mobileuser (id INTEGER PRIMARY KEY, login VARCHAR(64) NOT NULL UNIQUE, name VARCHAR(100) NOT NULL,
  password_verifier TEXT NOT NULL, created_at DATETIME NOT NULL);
CREATE TABLE "grant" (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES mobileuser (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES company (id) ON DELETE CASCADE, view_id VARCHAR(40) NOT NULL);
CREATE TABLE journalentry (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, operation VARCHAR(40) NOT NULL,
  company VARCHAR(17) NOT NULL, success INTEGER NOT NULL, message TEXT NOT NULL, duration_ms INTEGER NOT NULL,
  figures TEXT NOT NULL);
INSERT INTO setting VALUES ('portal.url', 'https://p.example.com', 0, '2026-01-01 00:00:00');
INSERT INTO company VALUES (1, 'BIJOU', 'BIJOU01', 'Bijou SA', 'sqlite:/tmp/a.db', 'sqlite:/tmp/a.db', 1, '70', '', '2026-01-01 00:00:00');
INSERT INTO companyview VALUES (1, 1, 'sales_revenue');
INSERT INTO journalentry VALUES (1, '2026-01-02 06:00:00', 'publish', 'BIJOU', 1, 'Published 1 view.', 120, '');
PRAGMA user_version = 1;
"""


def test_v1_database_migrates_without_loss(tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    con = sqlite3.connect(data / "settings.db")
    con.executescript(V1_SCHEMA)
    con.close()
    ws = open_workspace(data)
    assert ws.db.execute_sql("PRAGMA user_version").fetchone()[0] == 2
    assert ws.settings.get("portal.url") == "https://p.example.com"
    bijou = config.get_company(ws, "BIJOU")
    assert bijou.views == ["sales_revenue"] and bijou.is_group is False
    from bizsync_tui.engine import journal

    (entry,) = journal.page()
    assert entry.message == "Published 1 view." and entry.trigger == "manual"
    # the new features work on the migrated database
    config.save_company(ws, config.CompanyData(short_code="B2", name="B2", dossier="B2", accounting_source="sqlite:/x",
                                               commercial_source="sqlite:/x", views=["sales_revenue"]))
    config.save_company(ws, config.CompanyData(short_code="GRP", name="G", is_group=True, members=["BIJOU", "B2"]))
    assert config.get_company(ws, "GRP").members == ["B2", "BIJOU"]
