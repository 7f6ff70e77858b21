"""The main screen: the navigation tree on the left, the chosen section's pane in the
centre, the status line and the footer at the bottom.

Every section is one row of SECTIONS: its id, title (and a short title for the tree), F key,
pane factory, place in the tree and command-palette entry. The tree, the F-key bindings,
the centre's title and the palette (bizsync_tui/commands.py) are all built from it; a new
section is one more row.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Tree

from bizsync_tui.i18n import N_, _
from bizsync_tui.messages import NavigateTo
from bizsync_tui.screens.widgets import KeysFooter, StatusLine, focus_now, leave_unsaved_question, translate_bindings


def _pane(module: str, cls: str) -> Callable[[], Widget]:
    """A pane factory: the pane's module is imported when the section is first shown (a quick start)."""

    def build() -> Widget:
        return getattr(importlib.import_module(f"bizsync_tui.screens.{module}"), cls)()

    return build


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # English; shown through _()
    key: str  # its F key, "" for none (F2-F9 are taken)
    pane: Callable[[], Widget]  # builds the pane; it finds the workspace as self.app.workspace
    command: str  # its command-palette entry (English)
    parent: str = ""  # the tree folder holding it (FOLDERS), "" at the top
    short_title: str = ""  # for the tree when the title and its key do not fit
    kept: bool = False  # built once, after the first paint, and kept mounted (hidden while another shows)


#: tree folder id -> its English title
FOLDERS = {"settings": N_("Settings")}

SECTIONS: tuple[Section, ...] = (
    Section("connection", N_("Connection"), "f2", _pane("connection", "ConnectionPane"),
            N_("Open the connection settings"), parent="settings"),
    Section("proxy", N_("Proxy"), "f3", _pane("proxy", "ProxyPane"), N_("Open the proxy settings"),
            parent="settings"),
    Section("schedule", N_("Schedule"), "f4", _pane("schedule", "SchedulePane"), N_("Open the publication schedule"),
            parent="settings"),
    Section("alerts", N_("Alerts"), "", _pane("alerts", "AlertsPane"),
            N_("Open the alert settings (e-mail, webhook)"), parent="settings"),
    Section("companies", N_("Companies"), "f5", _pane("companies", "CompaniesPane"), N_("Open the companies")),
    Section("groups", N_("Groups"), "f6", _pane("groups", "GroupsPane"), N_("Open the company groups")),
    Section("users", N_("Users"), "f7", _pane("users", "UsersPane"), N_("Open the mobile users")),
    # the journal opens at once on 100 000 entries: its pane is built after the first paint
    Section("journal", N_("Journal"), "f8", _pane("journal", "JournalPane"), N_("Open the publication journal"),
            kept=True),
    Section("wizard", N_("Publication wizard"), "f9", _pane("wizard", "WizardPane"),
            N_("Publish now (publication wizard)"), short_title=N_("Wizard")),
)

BY_ID = {s.id: s for s in SECTIONS}
TREE_LABEL_ROOM = 23  # the tree is 25 columns wide, borders included


def section_title(section: str) -> str:
    return _(BY_ID[section].title)


def tree_label(section: Section) -> str:
    """'Companies F5'; a title too long for the tree (25 columns) gives its short form."""
    key = section.key.upper()
    room = TREE_LABEL_ROOM - (2 if section.parent else 0)
    label = f"{_(section.title)} {key}".rstrip()
    if len(label) > room and section.short_title:
        label = f"{_(section.short_title)} {key}"
    return label


def section_bindings() -> list[Binding]:
    # priority: F2-F9 act when the app reads the key, before the keys typed after it
    # are handed to the focused widget (the tree), so that those reach the new pane.
    return [Binding(s.key, f"show('{s.id}')", s.title, show=False, priority=True, id=f"nav.{s.id}")
            for s in SECTIONS if s.key]


class MainScreen(Screen):
    """Navigation tree, centre pane, status line, footer."""

    BINDINGS = [
        Binding("f1", "app.help", "Help", id="app.help"),
        *section_bindings(),
        Binding("escape", "focus_nav", "Tree", show=False, id="nav.tree"),
    ]

    def __init__(self, start: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.section = ""
        self._start = start
        self._kept: dict[str, Widget] = {}  # section -> its pane, kept mounted (Section.kept)

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            tree: Tree[str] = Tree("bizsync", id="nav")
            tree.show_root = False
            tree.guide_depth = 2
            folders = {}
            for section in SECTIONS:
                parent = tree.root
                if section.parent:
                    if section.parent not in folders:
                        folders[section.parent] = tree.root.add(_(FOLDERS[section.parent]), data=section.parent,
                                                                expand=True)
                    parent = folders[section.parent]
                parent.add_leaf(tree_label(section), data=section.id)
            yield tree
            yield Container(id="centre")
        yield StatusLine("", id="status")
        yield KeysFooter()

    def on_mount(self) -> None:
        tree = self.query_one("#nav", Tree)
        tree.border_title = "bizsync"
        self.query_one("#status", StatusLine).update(self.app.status_line_text)
        self.show_section(self._start, focus=False)
        self._highlight(self._start)
        tree.focus()
        if self.app.prebuild_panes:
            self.call_after_refresh(self._prebuild)

    # -- navigation -------------------------------------------------------
    def _highlight(self, section: str) -> None:
        tree = self.query_one("#nav", Tree)
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            if node is not None and node.data == section:
                tree.move_cursor(node)
                break

    def current_pane(self) -> Widget | None:
        centre = self.query_one("#centre", Container)
        return next((child for child in centre.children if child.display), None)

    def pane_is_dirty(self) -> bool:
        """The pane shown has unsaved changes (a form), or runs something not to leave (the wizard)."""
        pane = self.current_pane()
        check = getattr(pane, "has_unsaved_changes", None)  # forms and the wizard; lists have none
        return bool(check()) if callable(check) else False

    def show_section(self, section: str, *, focus: bool = True) -> None:
        """Mount the section's pane in the centre (asks first about unsaved changes)."""
        if section not in BY_ID:
            return
        if section == self.section:
            if focus:
                self._focus_pane()
            return
        if self.pane_is_dirty():
            def answered(leave: bool | None) -> None:
                if leave:
                    self._mount_section(section, focus)
                else:
                    self._highlight(self.section)
            self.app.push_screen(leave_unsaved_question(), answered)
            return
        self._mount_section(section, focus)

    def _mount_section(self, section: str, focus: bool) -> None:
        centre = self.query_one("#centre", Container)
        current = self.current_pane()
        if current is not None:
            if BY_ID[self.section].kept:
                current.display = False  # kept mounted, shown again as it is
            else:
                current.remove()
        centre.border_title = section_title(section)
        self.section = section
        self._highlight(section)
        kept = self._kept.get(section)
        if kept is not None:
            kept.display = True
            kept.reload()  # a kept pane reads its newest state when shown again
            if focus:
                self._focus_pane()
            return
        pane = BY_ID[section].pane()
        if BY_ID[section].kept:
            self._kept[section] = pane
        self.call_later(self._mount_pane, centre, pane, focus)

    async def _mount_pane(self, centre: Container, pane: Widget, focus: bool) -> None:
        """Mount, then focus at once. Keys typed meanwhile went to the tree and bubble up
        through this screen, which handles them only after this returns: the app then
        looks their bindings up from the pane's focused widget, so they reach the pane."""
        await centre.mount(pane)
        if focus and pane.parent is centre and pane.display:
            self._focus_pane()

    def _prebuild(self) -> None:
        """Build the kept panes, hidden, once the first screen is painted (F8 then
        only shows the journal pane, already built)."""
        centre = self.query_one("#centre", Container)
        for section in SECTIONS:
            if section.kept and section.id not in self._kept:
                pane = section.pane()
                pane.display = False
                self._kept[section.id] = pane
                centre.mount(pane)

    def _focus_pane(self) -> None:
        pane = self.current_pane()
        if pane is None:
            return
        first = getattr(pane, "focus_first", None)  # the panes that choose their first field
        if callable(first):
            try:
                first()
            except NoMatches:  # the pane was replaced before it was painted
                pass
            return
        for widget in pane.query("*"):
            if widget.focusable:
                focus_now(widget)
                return

    def journal_changed(self) -> None:
        """New journal rows: the journal pane, when shown, reads its newest page again
        (a hidden one does when it is shown)."""
        pane = self._kept.get("journal")
        if pane is not None and pane.display and self.section == "journal":
            pane.reload()

    def action_show(self, section: str) -> None:
        self.show_section(section)

    def action_focus_nav(self) -> None:
        self.query_one("#nav", Tree).focus()

    @on(Tree.NodeSelected, "#nav")
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data in BY_ID:
            self.show_section(event.node.data)

    @on(NavigateTo)
    def _navigate(self, message: NavigateTo) -> None:
        message.stop()
        self.show_section(message.section)


__all__ = ["FOLDERS", "MainScreen", "SECTIONS", "Section", "section_title", "tree_label"]
