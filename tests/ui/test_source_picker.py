"""Pilot tests of the source picker (issue 16) in the real app: a new company whose two sources
are picked from a folder, an ODBC DSN (a test odbc.ini read by the real driver manager) and a
PostgreSQL server (the test server), with the dossier, name and short code proposed.

The DirectoryTree's loader is a worker that never ends (it waits for folders to load), so the
tests wait on what the screen shows, with a deadline, instead of on every worker.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bizsync_tui.engine.admin.config import CompanyData, list_companies, save_company, set_settings
from tests import sage_fixture as fx
from tests.pg import pg_server  # noqa: F401  (fixture)
from tests.snap.app_factory import make_app, open_ws, settle, type_text


async def until(pilot, condition, what: str, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds; fail saying `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what}")
        await pilot.pause(0.02)


def folder(tmp_path: Path) -> Path:
    """bijou.db (company A: both kinds), nord_gc.db (company B's documents only), other.db (not
    Sage), notes.txt (not SQLite: not shown)."""
    return fx.sage_folder(tmp_path / "sage")


def value(app, wid: str) -> str:
    return app.screen.query_one(f"#{wid}").value


def picker(app):
    from bizsync_tui.screens.source_picker import SourcePickerDialog

    return app.screen if isinstance(app.screen, SourcePickerDialog) else None


def tree_loaded(app, n: int) -> bool:
    p = picker(app)
    if p is None:
        return False
    tree = p.query_one("#files")
    return len(tree.root.children) == n and len(tree.verdicts) >= n


async def open_new_company(pilot) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert pilot.app.focused.id == "dossier"


async def go_to_folder(pilot, base: Path, files: int) -> None:
    """From the picker's tabs: into the Folder field, replace it with `base`, Enter."""
    await pilot.press("tab")
    assert pilot.app.focused.id == "folder"
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, str(base))
    await pilot.press("enter")
    await until(pilot, lambda: tree_loaded(pilot.app, files), f"the {files} files of {base}")
    assert pilot.app.focused.id == "files"


async def test_new_company_from_a_picked_file(tmp_path):
    base = folder(tmp_path)
    save_company(open_ws(tmp_path / "data"), CompanyData(short_code="BIJOU", name="Bijou historique",
                                                         dossier="OLD", accounting_source="sqlite:/srv/old.db",
                                                         commercial_source="sqlite:/srv/old.db",
                                                         views=["sales_revenue"]))
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_new_company(pilot)
        await pilot.press("tab", "tab", "tab")
        assert app.focused.id == "accounting-source"
        await pilot.press("ctrl+o")
        await until(pilot, lambda: picker(app) is not None, "the picker")
        assert str(picker(app).query_one("#picker-title").content) == "Pick the accounting file"
        await go_to_folder(pilot, base, 3)
        tree = picker(app).query_one("#files")
        # only the SQLite files, by name; the Sage ones with their company and kind
        labels = [str(tree.render_label(node, tree.rich_style, tree.rich_style).plain).strip()
                  for node in tree.root.children]
        assert labels == ["bijou.db  Sage: Bijou SA - accounting and commercial",
                          "nord_gc.db  Sage: Bijou Nord - commercial",
                          "other.db  not Sage"]
        await pilot.press("down", "enter")  # the root, then bijou.db
        await until(pilot, lambda: picker(app) is None and value(app, "short-code") != "", "the proposals")
        source = f"sqlite:{base}/bijou.db"
        assert value(app, "accounting-source") == source
        assert value(app, "commercial-source") == source  # it holds both: the empty other field too
        assert value(app, "dossier") == "BIJOU"  # the file's name
        assert value(app, "name") == "Bijou SA"  # P_DOSSIER.D_RaisonSoc
        assert value(app, "short-code") == "BIJOUSA"  # BIJOU is taken
        # the Tab through the empty fields had said "cannot be empty" beneath them: gone with the proposals
        for field in ("dossier", "name", "short_code"):
            assert str(app.screen.query_one(f"#{field}-error").content) == "", field
            assert "-invalid" not in app.screen.query_one(f"#{field.replace('_', '-')}").classes, field
        assert str(app.screen.query_one("#accounting_source-error").content) == \
            "Picked: Bijou SA - accounting and commercial."
        # and the company saves as picked
        app.screen.query_one("#tabs").active = "tab-views"
        await pilot.pause()
        app.screen.query_one("#views-accounting").focus()
        await pilot.press("a")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ != "CompanyFormScreen"
    saved = {c.short_code: c for c in list_companies(open_ws(tmp_path / "data"))}["BIJOUSA"]
    assert (saved.dossier, saved.name, saved.accounting_source, saved.commercial_source) == \
        ("BIJOU", "Bijou SA", source, source)


async def test_typed_values_stay_and_a_non_sage_file_is_refused(tmp_path):
    base = folder(tmp_path)
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_new_company(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Nord Bijoux")  # typed before picking: kept, and the code follows it
        await pilot.click("#pick-commercial-source")  # the button, with the mouse
        await until(pilot, lambda: picker(app) is not None, "the picker")
        assert str(picker(app).query_one("#picker-title").content) == "Pick the commercial file"
        await go_to_folder(pilot, base, 3)
        await pilot.press("backspace")  # the folder above
        await until(pilot, lambda: value(app, "folder") == str(base.parent), "the folder above")
        await until(pilot, lambda: [n.label.plain for n in picker(app).query_one("#files").root.children]
                    == ["data", "sage"], "the folder above's content")  # the app's data dir, and sage/
        app.focused.move_cursor(picker(app).query_one("#files").root.children[1])
        await pilot.press("enter")  # into sage/
        await until(pilot, lambda: len(picker(app).query_one("#files").root.children[1].children) == 3, "sage/")
        await pilot.press("down", "down", "down", "enter")  # other.db
        await pilot.pause()
        assert picker(app) is not None  # still open, saying why
        status = str(picker(app).query_one("#file-status").content)
        assert "lacks the table or column P_DOSSIER" in status
        await pilot.press("up", "enter")  # nord_gc.db
        await until(pilot, lambda: picker(app) is None and value(app, "short-code") != "", "the proposals")
        assert value(app, "commercial-source") == f"sqlite:{base}/nord_gc.db"
        assert value(app, "accounting-source") == ""  # commercial only: the other field is left alone
        assert (value(app, "dossier"), value(app, "name"), value(app, "short-code")) == ("NORDGC", "Nord Bijoux",
                                                                                          "NORD")
        # Escape leaves the picker without touching the form
        app.screen.query_one("#commercial-source").focus()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: picker(app) is not None, "the picker")
        await pilot.press("escape")
        await until(pilot, lambda: picker(app) is None, "the form")
        assert value(app, "commercial-source") == f"sqlite:{base}/nord_gc.db"


async def test_pick_an_odbc_dsn(tmp_path, monkeypatch):
    pytest.importorskip("pyodbc")
    base = folder(tmp_path)
    ini = tmp_path / "odbc.ini"
    odd = base / "odd.db"  # a company name that would be Rich markup if it were read as such
    conn = sqlite3.connect(odd)
    fx.write_company(conn, "sqlite", name="Les [/] Bijoux [b]", docs=fx.Docs(), ledger=fx.company_b_ledger())
    conn.commit()
    conn.close()
    ini.write_text(f"[SAGE_BIJOU]\nDriver=SQLite3\nDatabase={base}/bijou.db\n\n"
                   f"[OTHER_DB]\nDriver=SQLite3\nDatabase={base}/other.db\n\n"
                   f"[ODD]\nDriver=SQLite3\nDatabase={odd}\n")
    monkeypatch.setenv("ODBCINI", str(ini))  # the driver manager reads it at each listing
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_new_company(pilot)
        app.screen.query_one("#accounting-source").focus()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: picker(app) is not None, "the picker")
        await pilot.press("right")  # File -> ODBC DSN
        p = picker(app)
        await until(pilot, lambda: {"SAGE_BIJOU", "OTHER_DB", "ODD"} <= set(p.dsn_verdicts), "the DSNs probed")
        await pilot.pause()
        table = p.query_one("#dsns")

        def cells(key):
            return [str(c) for c in table.get_row_at(table.get_row_index(key))]

        row = table.get_row_index("SAGE_BIJOU")
        assert cells("SAGE_BIJOU") == ["SAGE_BIJOU", "SQLite3", "Bijou SA - accounting and commercial"]
        assert cells("OTHER_DB")[2] == "not Sage"
        assert cells("ODD")[2] == "Les [/] Bijoux [b] - accounting"  # shown as it is, not as markup
        assert "Drivers installed: " in str(p.query_one("#dsn-status").content)
        assert "SQLite3" in str(p.query_one("#dsn-status").content)
        await pilot.press("tab")
        assert app.focused is table
        table.move_cursor(row=table.get_row_index("OTHER_DB"))
        await pilot.press("enter")
        await pilot.pause()
        assert "The DSN OTHER_DB is not a Sage 100 database" in str(p.query_one("#dsn-status").content)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await until(pilot, lambda: picker(app) is None and value(app, "short-code") != "", "the proposals")
        assert value(app, "accounting-source") == "odbc:DSN=SAGE_BIJOU"
        assert value(app, "commercial-source") == "odbc:DSN=SAGE_BIJOU"
        assert (value(app, "dossier"), value(app, "name"), value(app, "short-code")) == ("SAGEBIJOU", "Bijou SA",
                                                                                          "BIJOU")


async def test_pick_a_database_of_a_postgresql_server(tmp_path, pg_server):
    name = pg_server.create_database()
    conn = pg_server.connect(name)
    fx.write_company_a(conn, "postgresql")
    conn.close()
    set_settings(open_ws(tmp_path / "data"), {"database.user": pg_server.superuser,
                                              "database.password": pg_server.password})
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_new_company(pilot)
        app.screen.query_one("#commercial-source").focus()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: picker(app) is not None, "the picker")
        p = picker(app)
        await pilot.press("right", "right")  # File -> ODBC DSN -> Server
        await pilot.press("tab")  # the kind of server
        assert app.focused.id == "server-kind"
        await pilot.press("right", "enter")  # PostgreSQL
        assert p.query_one("#server-port").placeholder == "5432" and p.query_one("#server-instance").disabled
        await pilot.press("tab")
        assert app.focused.id == "server-host"
        await type_text(pilot, pg_server.host)
        await pilot.press("tab")
        await type_text(pilot, str(pg_server.port))
        await pilot.press("enter")
        await until(pilot, lambda: any(f.label == name for f in p.server_found), "the databases listed", 60)
        table = p.query_one("#databases")
        assert app.focused is table
        index = next(i for i, f in enumerate(p.server_found) if f.label == name)
        assert [str(c) for c in table.get_row_at(index)] == [name, "Bijou SA - accounting and commercial"]
        server = "odbc:DRIVER={PostgreSQL Unicode};SERVER=" + pg_server.host + f";PORT={pg_server.port}"
        assert f" Sage databases on {server}, " in str(p.query_one("#server-status").content)
        table.move_cursor(row=index)
        await pilot.press("enter")
        await until(pilot, lambda: picker(app) is None and value(app, "short-code") != "", "the proposals")
        source = ("odbc:DRIVER={PostgreSQL Unicode};SERVER=" + pg_server.host + f";PORT={pg_server.port};"
                  f"DATABASE={name}")
        assert value(app, "commercial-source") == source
        assert value(app, "accounting-source") == source
        assert (value(app, "name"), value(app, "short-code")) == ("Bijou SA", "BIJOU")


async def test_existing_company_opens_on_its_server_and_keeps_its_names(tmp_path):
    base = folder(tmp_path)
    save_company(open_ws(tmp_path / "data"), CompanyData(
        short_code="CAFE", name="Cafe du Port", dossier="CAFE01",
        accounting_source="mssql://sage-srv:1433/CAFE?instance=SAGE100", commercial_source="sqlite:/srv/gc.db",
        views=["sales_revenue"]))
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#accounting-source").focus()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: picker(app) is not None, "the picker")
        p = picker(app)
        # the tab and the inputs of the field's current source
        assert p.query_one("#picker-tabs").active == "tab-server"
        assert (value(app, "server-host"), value(app, "server-port"), value(app, "server-instance")) == \
            ("sage-srv", "1433", "SAGE100")
        await pilot.press("left", "left")  # Server -> ODBC DSN -> File
        assert p.query_one("#picker-tabs").active == "tab-file"
        await go_to_folder(pilot, base, 3)
        await pilot.press("down", "down", "enter")  # nord_gc.db
        await until(pilot, lambda: picker(app) is None, "the form")
        await settle(pilot)
        assert value(app, "accounting-source") == f"sqlite:{base}/nord_gc.db"
        assert value(app, "commercial-source") == "sqlite:/srv/gc.db"
        assert (value(app, "dossier"), value(app, "name"), value(app, "short-code")) == ("CAFE01", "Cafe du Port",
                                                                                          "CAFE")
