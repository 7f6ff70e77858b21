"""Issue 11 item 9: a placeholder reads as a hint, never as a value. Every empty field of the
Proxy screen (manual mode), a new company's form and a new user's form: its dim text is
refused by that field's own check (so it cannot be mistaken for a saved or default value)
and is no existing user's login; in English and in French.

Password fields are left out: their placeholders are sentences ("at least 8 characters")
that Textual shows in clear while the typed text is masked."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from bizsync_tui.engine.admin.config import UserData, save_user
from bizsync_tui.engine.admin.validation import ValidationError, setting
from tests.snap.app_factory import make_app, open_ws, settle


def empty_hinted_inputs(screen) -> list[Input]:
    return [i for i in screen.query(Input) if not i.value and i.placeholder and not i.password]


def refused_by_its_check(box: Input) -> bool:
    """The field's validators (record forms), else the setting's check (settings panes)."""
    if box.validators:
        return not box.validate(box.placeholder).is_valid
    from bizsync_tui.screens.forms import Field

    field = next(a for a in box.ancestors if isinstance(a, Field))
    try:
        setting(field.key, box.placeholder)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("language", ["en", "fr"])
async def test_placeholders_are_hints(tmp_path, language):
    ws = open_ws(tmp_path / "data")
    save_user(ws, UserData(login="marie", name="Marie Curie", password="Phone-pass-42", grants={}))
    ws.close()
    app = make_app(tmp_path / "data", start="journal", language=language)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        app.screen.query_one("#mode-manual").value = True  # the manual proxy's fields enabled
        await settle(pilot)
        seen["proxy"] = [(b.id or b.parent.parent.id, b.placeholder, refused_by_its_check(b))
                         for b in empty_hinted_inputs(app.screen)]

        await pilot.press("f5")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"  # the manual mode was not saved
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompanyFormScreen"
        assert app.screen.query_one("#revenue-prefixes", Input).value == "70"  # the default is a value
        seen["company"] = [(b.id, b.placeholder, refused_by_its_check(b)) for b in empty_hinted_inputs(app.screen)]
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "UserFormScreen"
        seen["user"] = [(b.id, b.placeholder, refused_by_its_check(b)) for b in empty_hinted_inputs(app.screen)]

    ids = {part: [wid for wid, _p, _r in fields] for part, fields in seen.items()}
    assert {"proxy-host", "proxy-port"} <= set(ids["proxy"]), ids
    assert {"dossier", "short-code", "cash-prefixes", "accounting-source"} <= set(ids["company"]), ids
    assert "login" in ids["user"], ids
    for part, fields in seen.items():
        for wid, placeholder, refused in fields:
            assert refused, f"{part} {wid}: the placeholder {placeholder!r} would be taken as a value"
            assert placeholder != "marie", f"{part} {wid}: an existing user's login"
