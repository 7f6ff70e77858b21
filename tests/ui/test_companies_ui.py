"""Pilot tests of the Companies and Groups panes: what an admin does with the keyboard.

The panes run in the real app (tests/snap/app_factory.make_app) on a real
settings database; sources are real SQLite files made from the Sage schema.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bizsync_tui.engine.admin.config import CompanyData, list_companies, save_company
from tests.snap.app_factory import make_app, open_ws, settle, type_text



def sage_file(path: Path) -> Path:
    """An empty Sage-shaped SQLite file (the tables only)."""
    from bizsync_tui.demo import data as demo_data

    conn = sqlite3.connect(path)
    demo_data.create_schema(conn, "sqlite")
    conn.commit()
    conn.close()
    return path


def seed(data_dir: Path, *codes: str, views=("accounting_revenue", "sales_revenue")) -> None:
    ws = open_ws(data_dir)
    for code in codes:
        save_company(ws, CompanyData(short_code=code, name=f"{code.title()} SA", dossier=f"{code}01",
                                     accounting_source="sqlite:/srv/a.db", commercial_source="sqlite:/srv/c.db",
                                     views=list(views)))


async def test_add_company_through_the_form(tmp_path):
    source = sage_file(tmp_path / "bijou.db")
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.focused.id == "dossier"
        await type_text(pilot, "BIJOU01")
        await pilot.press("tab")
        await type_text(pilot, "Bijou SA")
        await pilot.press("tab")
        await type_text(pilot, "BIJOU")
        await pilot.press("tab")
        await type_text(pilot, f"sqlite:{source}")
        await pilot.press("tab")  # the Test button
        assert app.focused.id == "test-accounting-source"
        await pilot.press("enter")
        await settle(pilot)
        message = str(app.screen.query_one("#accounting_source-error").content)
        assert str(source) in message  # the test names the file, in a sentence (ok or what is wrong)
        await pilot.press("tab")
        await type_text(pilot, f"sqlite:{source}")
        app.screen.query_one("#tabs").active = "tab-views"
        await pilot.pause()
        app.screen.query_one("#views-accounting").focus()
        await pilot.press("a")  # all accounting views
        app.screen.query_one("#views-commercial").focus()
        await pilot.press("space")  # the first commercial view: sales revenue
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ != "CompanyFormScreen"
        table = app.screen.query_one("#records")
        assert table.row_count == 1
    companies = list_companies(open_ws(tmp_path / "data"))
    assert [c.short_code for c in companies] == ["BIJOU"]
    c = companies[0]
    assert (c.dossier, c.name, c.accounting_source) == ("BIJOU01", "Bijou SA", f"sqlite:{source}")
    assert c.views == ["sales_revenue", "accounting_revenue", "top_customer_outstanding",
                       "top_supplier_outstanding", "cash_position"]


async def test_bad_dossier_keeps_focus_and_saves_nothing(tmp_path):
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "bijou 1")  # lower case and a space: refused
        await pilot.press("tab")
        await type_text(pilot, "Bijou SA")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "CompanyFormScreen"
        assert app.focused.id == "dossier"
        assert "upper-case letters and digits" in str(app.screen.query_one("#dossier-error").content)
        assert app.screen.query_one("#dossier").has_class("-invalid")
    assert list_companies(open_ws(tmp_path / "data")) == []


async def test_duplicate_short_code_refused_by_the_engine_beside_its_field(tmp_path):
    seed(tmp_path / "data", "BIJOU")
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        for wid, value in (("dossier", "OTHER"), ("name", "Other"), ("short-code", "BIJOU"),
                           ("accounting-source", "sqlite:/srv/o.db"), ("commercial-source", "sqlite:/srv/o.db")):
            app.screen.query_one(f"#{wid}").value = value
        app.screen.query_one("#views-accounting").select("accounting_revenue")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused.id == "short-code"
        assert "already used by the company" in str(app.screen.query_one("#short_code-error").content)
    assert [c.short_code for c in list_companies(open_ws(tmp_path / "data"))] == ["BIJOU"]


async def test_leaving_a_changed_form_asks_first(tmp_path):
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "X")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfirmDialog"
        assert app.focused.id == "cancel"  # the safe button
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CompanyFormScreen"
        await pilot.press("escape")
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.__class__.__name__ != "CompanyFormScreen"


async def test_edit_keeps_values_and_saves_changed_views(tmp_path):
    seed(tmp_path / "data", "BIJOU")
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#dossier").value == "BIJOU01"
        app.screen.query_one("#tabs").active = "tab-views"
        await pilot.pause()
        app.screen.query_one("#views-commercial").focus()
        await pilot.press("n")  # none of the commercial views
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert list_companies(open_ws(tmp_path / "data"))[0].views == ["accounting_revenue"]


async def test_group_form_refuses_one_member_then_saves_two(tmp_path):
    seed(tmp_path / "data", "BIJOU", "CAFE")
    app = make_app(tmp_path / "data", start="groups")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Both")
        await pilot.press("tab")
        await type_text(pilot, "BOTH")
        await pilot.press("tab")
        assert app.focused.id == "members"
        app.screen.query_one("#views-accounting").select("accounting_revenue")
        await pilot.press("space")  # BIJOU only
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "GroupFormScreen"
        assert app.focused.id == "members"
        assert "at least two member companies" in str(app.screen.query_one("#members-error").content)
        assert list_companies(app.workspace, groups=True) == []
        await pilot.press("down", "space")  # and CAFE
        await pilot.press("ctrl+s")
        await settle(pilot)
        groups = list_companies(app.workspace, groups=True)
        assert [(g.short_code, g.members) for g in groups] == [("BOTH", ["BIJOU", "CAFE"])]
        assert app.screen.query_one("#records").row_count == 1


async def test_member_of_a_group_cannot_be_deleted(tmp_path):
    seed(tmp_path / "data", "BIJOU", "CAFE")
    ws = open_ws(tmp_path / "data")
    save_company(ws, CompanyData(short_code="BOTH", name="Both", is_group=True, members=["BIJOU", "CAFE"],
                                 views=["accounting_revenue"]))
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d", "y")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ErrorDialog"
        assert "member of the group BOTH" in str(app.screen.query_one("#dialog-message").content)
    assert len(list_companies(open_ws(tmp_path / "data"))) == 2


@pytest.mark.parametrize("section,columns", [
    ("companies", ["code", "name", "views", "last"]),
    ("groups", ["code", "name", "members", "last"]),
    ("users", ["login", "name", "companies", "views"]),
])
async def test_lists_fit_80_columns_without_sideways_scrolling(tmp_path, section, columns):
    from datetime import datetime

    from bizsync_tui.engine import journal
    from bizsync_tui.engine.admin.config import UserData, save_user

    seed(tmp_path / "data", "BIJOU", "BIJNORD")
    ws = open_ws(tmp_path / "data")
    save_company(ws, CompanyData(short_code="BIJGRP", name="Groupe Bijou Nord et Sud", is_group=True,
                                 members=["BIJOU", "BIJNORD"], views=["sales_revenue"]))
    save_user(ws, UserData(login="marie.lefevre", name="Marie Lefevre-Dupont", password="long-enough-1",
                           grants={"BIJOU": ["sales_revenue"], "BIJNORD": ["sales_revenue"]}))
    journal.record("publish", company="BIJOU", success=False, message="refused", at=datetime(2026, 11, 28, 21, 0))
    journal.record("publish", company="BIJGRP", success=True, message="ok", at=datetime(2026, 11, 28, 21, 0))
    app = make_app(tmp_path / "data", start=section)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#records")
        assert [str(k.value) for k in table.columns] == columns
        # every column in the table's width: nothing to scroll to sideways
        assert table.virtual_size.width <= table.scrollable_content_region.width, \
            (table.virtual_size, table.scrollable_content_region)
        assert table.max_scroll_x == 0
        rows = [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]
        if section == "companies":
            # short date (journal times shown in UTC); a failure is the cross alone
            assert ["BIJOU", "Bijou SA", "2", "28/11 21:00 \u2717"] in rows, rows
            assert ["BIJNORD", "Bijnord SA", "2", "never"] in rows, rows
        elif section == "groups":
            code, name, members, last = rows[0]
            # a cut text ends with "..." (the name column shares the room with the members)
            assert code == "BIJGRP" and name.endswith("...") and "Groupe Bijou Nord et Sud".startswith(name[:-3])
            assert last == "28/11 21:00 ok"
        else:
            assert rows[0][0] == "marie.l..." and rows[0][3] == "2"
    app = make_app(tmp_path / "data", start=section)
    async with app.run_test(size=(120, 30)) as pilot:  # wide: every column, long dates
        await settle(pilot)
        table = app.screen.query_one("#records")
        assert len(table.columns) == {"users": 4}.get(section, 5)


# -- issue 11 item 6: a company with no view ticked is not saved without a word -----------------

async def test_new_company_without_views_is_refused_at_the_views_tab(tmp_path):
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        for wid, value in (("dossier", "BIJOU01"), ("name", "Bijou SA"), ("short-code", "BIJOU"),
                           ("accounting-source", "sqlite:/srv/a.db"), ("commercial-source", "sqlite:/srv/a.db")):
            form.query_one(f"#{wid}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not saved, and said so where the views are ticked
        assert form.query_one("#tabs").active == "tab-views"
        assert app.focused.id == "views-accounting"
        assert "Tick at least one view in this tab" in str(form.query_one("#views-error").content)
        assert list_companies(open_ws(tmp_path / "data")) == []
        await pilot.press("a", "ctrl+s")  # every accounting view: saved
        await settle(pilot)
        assert app.screen.__class__.__name__ != "CompanyFormScreen"
    assert [c.short_code for c in list_companies(open_ws(tmp_path / "data"))] == ["BIJOU"]


# -- issue 11 item 10: every refused field at once -------------------------------------------

async def test_company_form_shows_every_bad_field_in_one_save(tmp_path):
    app = make_app(tmp_path / "data", start="companies")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        for wid, value in (("dossier", "bijou 1"), ("name", "Bijou SA"), ("short-code", "bi jou"),
                           ("accounting-source", "sqlite:/srv/a.db"), ("revenue-prefixes", "7x")):
            form.query_one(f"#{wid}").value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        for field in ("dossier", "short_code", "revenue_prefixes"):
            assert str(form.query_one(f"#{field}-error").content), field
            assert form.query_one(f"#{field.replace('_', '-')}").has_class("-invalid"), field
        assert not str(form.query_one("#name-error").content)
        assert app.focused.id == "dossier"  # the first one
    assert list_companies(open_ws(tmp_path / "data")) == []


def test_last_publication_after_x_says_deleted_not_ok():
    """Issue 11 item 12: after x (the published data deleted), the list said 'ok' while the
    phones get nothing. The journal row of that deletion reads 'deleted'."""
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from bizsync_tui.screens.widgets import last_publication_text

    at = datetime(2026, 3, 16, 9, 0)
    deleted = SimpleNamespace(at=at, success=True, operation="delete")
    published = SimpleNamespace(at=at, success=True, operation="publish")
    assert last_publication_text(deleted, timezone.utc) == "2026-03-16 09:00 deleted"
    assert last_publication_text(deleted, timezone.utc, short=True) == "16/03 09:00 deleted"
    assert last_publication_text(published, timezone.utc) == "2026-03-16 09:00 ok"
