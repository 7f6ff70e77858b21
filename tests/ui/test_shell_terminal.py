"""Plain terminals and SSH: keys shown in ASCII, the dropped-terminal watchdog, NO_COLOR,
no mouse; and every English text of the shell screens has its French translation."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from textual.geometry import Region

from tests.snap.app_factory import make_app, settle

PKG = Path(__file__).resolve().parents[2] / "bizsync_tui"
SHELL_MODULES = [PKG / "app.py", PKG / "commands.py", PKG / "scheduler_host.py"] + [
    PKG / "screens" / f"{name}.py" for name in ("main", "connection", "proxy", "schedule", "journal", "wizard",
                                                "help", "widgets", "forms", "alerts")]


def test_keys_are_shown_in_plain_ascii():
    from bizsync_tui.app import key_display

    # hand-written: what a footer over a plain Linux console should say
    assert [key_display(k) for k in ("enter", "escape", "ctrl+s", "pagedown", "pageup", "f9", "e", "up",
                                     "shift+tab", "delete")] == \
        ["Enter", "Esc", "^S", "PgDn", "PgUp", "F9", "e", "Up", "Shift+Tab", "Del"]


async def test_footer_and_help_have_no_glyph_a_console_lacks(tmp_path):
    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = []
        for key in ("f2", "f5", "f8", "f9"):
            await pilot.press(key)
            await settle(pilot)
            shown += [app.get_key_display(ab.binding) for ab in app.screen.active_bindings.values()]
        await pilot.press("f1")
        await settle(pilot)
        help_text = " ".join(str(s.render()) for s in app.screen.query(".help-keys"))
    assert "Enter" in shown and "PgDn" in shown and "^P" in shown, shown
    assert all(ch.isascii() for text in shown for ch in text), shown
    assert help_text and all(ch.isascii() for ch in help_text), help_text


def test_watchdog_sees_a_dropped_terminal():
    from bizsync_tui.app import terminal_gone

    master, slave = os.openpty()
    try:
        assert not terminal_gone([slave])
        os.close(master)  # the SSH session drops: the pty is hung up
        master = None
        assert terminal_gone([slave])
    finally:
        os.close(slave)
        if master is not None:
            os.close(master)
    r, w = os.pipe()  # stdin redirected from a closed pipe is no terminal either
    try:
        assert terminal_gone([r])
    finally:
        os.close(r)
        os.close(w)


async def test_no_color_is_honoured(tmp_path, monkeypatch):
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path / "d", start="journal")
    assert app.no_color
    assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#status")
        strips = status.render_lines(Region(0, 0, status.size.width, 1))
        colours = [c for strip in strips for seg in strip if seg.style
                   for c in (seg.style.color, seg.style.bgcolor) if c is not None]
        assert colours  # the status line is drawn with styles...
        for colour in colours:  # ...in shades of grey only
            r, g, b = colour.get_truecolor()
            assert r == g == b, colour


def test_no_mouse_option_reaches_app_run(tmp_path, monkeypatch):
    from bizsync_tui.app import BizSyncApp
    from bizsync_tui.cli import main

    calls = []
    monkeypatch.setattr(BizSyncApp, "run", lambda self, **kw: calls.append(kw))
    assert main(["--data-dir", str(tmp_path / "d"), "--no-mouse"]) == 0
    assert main(["--data-dir", str(tmp_path / "d")]) == 0
    assert calls == [{"mouse": False}, {"mouse": True}]


def _shell_texts() -> set[str]:
    """English texts of the shell modules: literals given to _(), binding descriptions,
    section titles and palette commands (translated through _() from variables)."""
    texts: set[str] = set()
    for path in SHELL_MODULES:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "_" and node.args and isinstance(node.args[0], ast.Constant):
                texts.add(node.args[0].value)
            if name == "Binding":
                desc = node.args[2] if len(node.args) > 2 else next(
                    (k.value for k in node.keywords if k.arg == "description"), None)
                if isinstance(desc, ast.Constant) and desc.value:
                    texts.add(desc.value)
    from bizsync_tui import commands
    from bizsync_tui.screens import main

    texts |= {s.title for s in main.SECTIONS} | {s.short_title for s in main.SECTIONS} | set(main.FOLDERS.values())
    texts |= {text for text, _action in commands.COMMANDS}
    from bizsync_tui.screens import wizard

    texts |= {label for _key, label, _section in wizard.ITEMS} | set(wizard.TITLES.values())
    texts.add("palette")  # Textual's footer hint for the command palette
    return {t for t in texts if isinstance(t, str) and any(c.isalpha() for c in t)}


def test_every_shell_text_has_a_french_translation():
    import importlib

    from bizsync_tui.i18n import missing_fr

    for path in SHELL_MODULES:  # importing registers each module's translations
        importlib.import_module("bizsync_tui." + ".".join(path.relative_to(PKG).with_suffix("").parts))
    texts = _shell_texts()
    assert len(texts) > 100  # the scan found the texts (a broken scan would find none)
    assert missing_fr(sorted(texts)) == []


async def test_french_tree_labels_fit(tmp_path):
    app = make_app(tmp_path / "d", language="fr", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#nav")
        labels = [str(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)]
        assert "Assistant F9" in labels
        inner = tree.size.width  # the tree's inside, borders excluded
        for line, label in enumerate(labels):
            indent = 2 if tree.get_node_at_line(line).parent is not tree.root else 0
            assert len(label) + indent <= inner, label


async def test_chosen_radio_button_shows_without_colour(tmp_path, monkeypatch):
    """Under NO_COLOR the dot is drawn only in the chosen button (Textual draws it in all of
    them and tells the chosen one by colour)."""
    from bizsync_tui.engine.admin.config import set_settings
    from tests.snap.app_factory import open_ws

    def marks(app, ids):
        out = []
        for wid in ids:
            button = app.screen.query_one(f"#{wid}")
            line = "".join(seg.text for seg in button.render_lines(Region(0, 0, button.size.width, 1))[0])
            out.append(line[1])  # between the two half blocks
        return out

    monkeypatch.setenv("NO_COLOR", "1")
    set_settings(open_ws(tmp_path / "d"), {"portal.url": "http://127.0.0.1:9", "portal.client_code": "ACME",
                                           "portal.password": "portal-secret-1"})
    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9", "n")  # step 2: publish (chosen at start) or delete
        await settle(pilot)
        assert marks(app, ["action-publish", "action-delete"]) == ["\u25cf", " "]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#wizard-pane").state.action == "delete"
        assert marks(app, ["action-publish", "action-delete"]) == [" ", "\u25cf"]
        await pilot.press("f3")  # the proxy modes: the machine's default is chosen when nothing is saved
        await settle(pilot)
        assert marks(app, ["mode-system", "mode-manual", "mode-none"]) == ["\u25cf", " ", " "]


async def test_palette_key_has_a_space_before_its_word(tmp_path):
    """The footer's "^P palette": the space is the key's own padding (as in " ^S Save"), not
    a leading space of the word, which some renderers drop ("^Ppalette")."""
    from textual.widgets._footer import FooterKey

    app = make_app(tmp_path / "d", start="journal")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        key = app.screen.query_one("FooterKey.-command-palette", FooterKey)
        rendered = key.render()
        assert rendered.plain == " ^P palette"
        spans = [rendered.plain[s.start:s.end] for s in rendered.spans if s.end > s.start]
        assert " ^P " in spans and "palette" in spans, spans  # the word itself has no leading space
