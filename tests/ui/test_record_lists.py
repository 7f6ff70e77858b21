"""What the Companies, Groups and Users lists share, tested once for the three of them.

Each list asks before deleting the selected record: No or Escape keeps it, Yes deletes it and
the list shows one row less. (The companies' own rules, a group member refused and the
platform data deleted first, are in test_companies_ui.py and test_company_delete.py.)
"""

from __future__ import annotations

import pytest

from bizsync_tui.engine.admin.config import list_companies, list_users
from tests.seeding import company, group, user
from tests.snap.app_factory import make_app, open_ws, settle


def companies(ws) -> list[str]:
    return [c.short_code for c in list_companies(ws)]


def groups(ws) -> list[str]:
    return [g.short_code for g in list_companies(ws, groups=True)]


def users(ws) -> list[str]:
    return [u.login for u in list_users(ws)]


def seed(data_dir) -> None:
    ws = open_ws(data_dir)
    for code in ("BIJOU", "CAFE", "DELTA"):
        company(ws, code)
    group(ws, "BOTH", ["CAFE", "DELTA"])  # BIJOU, first in the list, is in no group: it can go
    group(ws, "TRIO", ["CAFE", "DELTA"])
    user(ws, "marie", grants={"BIJOU": "all"})
    user(ws, "paul")


# section, what the list holds, before, after deleting the first row (lists are sorted by code or login)
SECTIONS = [
    ("companies", companies, ["BIJOU", "CAFE", "DELTA"], ["CAFE", "DELTA"]),
    ("groups", groups, ["BOTH", "TRIO"], ["TRIO"]),
    ("users", users, ["marie", "paul"], ["paul"]),
]


@pytest.mark.parametrize("section,records,before,after", SECTIONS, ids=[s[0] for s in SECTIONS])
async def test_delete_asks_first_and_no_or_escape_keep_the_record(tmp_path, section, records, before, after):
    seed(tmp_path / "data")
    app = make_app(tmp_path / "data", start=section)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert records(app.workspace) == before
        assert app.screen.query_one("#records").row_count == len(before)
        for keep in ("n", "escape"):
            await pilot.press("d")
            await settle(pilot)
            assert app.screen.__class__.__name__ == "ConfirmDialog"
            assert before[0] in str(app.screen.query_one("#dialog-message").content)
            await pilot.press(keep)
            await settle(pilot)
            assert records(app.workspace) == before
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert records(app.workspace) == after
        assert app.screen.query_one("#records").row_count == len(after)
