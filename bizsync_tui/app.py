"""The bizsync terminal app: navigation tree on the left, the chosen section in the
centre, the status line and the footer of key bindings at the bottom.

The layout follows the original console: folders on the left (Settings:
Connection, Proxy, Schedule; Companies; Groups; Users; Journal; Publication
wizard), the list or form of the selection in the centre, and its actions as
buttons and footer keys. F2 to F9 jump to the sections, F1 shows the help.
"""

from __future__ import annotations

import importlib
from datetime import datetime

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static, Tree

from bizsync_tui.commands import BizSyncCommands
from bizsync_tui.i18n import _, detect_language, pgettext, set_language
from bizsync_tui.messages import JournalChanged, NavigateTo, PublishFinished, SettingsChanged
from bizsync_tui.screens.widgets import StatusLine, leave_unsaved_question, focus_now, local_time, translate_bindings


# section id -> (module, pane class). The pane classes take no required argument
# and find the workspace through self.app.workspace.
PANES: dict[str, tuple[str, str]] = {
    "connection": ("bizsync_tui.screens.connection", "ConnectionPane"),
    "proxy": ("bizsync_tui.screens.proxy", "ProxyPane"),
    "schedule": ("bizsync_tui.screens.schedule", "SchedulePane"),
    "companies": ("bizsync_tui.screens.companies", "CompaniesPane"),
    "groups": ("bizsync_tui.screens.groups", "GroupsPane"),
    "users": ("bizsync_tui.screens.users", "UsersPane"),
    "journal": ("bizsync_tui.screens.journal", "JournalPane"),
    "wizard": ("bizsync_tui.screens.wizard", "WizardPane"),
    "alerts": ("bizsync_tui.screens.alerts", "AlertsPane"),
}

JOURNAL_POLL_SECONDS = 3  # how often the app looks for journal rows written by other processes

# Panes built once and kept mounted (hidden while another section shows): the journal
# opens at once on 100 000 entries (its pane is built after the first paint).
KEPT_PANES = ("journal",)

SECTION_TITLES = {
    "connection": "Connection", "proxy": "Proxy", "schedule": "Schedule", "companies": "Companies",
    "groups": "Groups", "users": "Users", "journal": "Journal", "wizard": "Publication wizard",
    "alerts": "Alerts",
}
SETTINGS_CHILDREN = ("connection", "proxy", "schedule", "alerts")  # the Settings folder of the tree
SHORT_TITLES = {"wizard": "Wizard"}  # for the tree when the title does not fit
TREE_LABEL_ROOM = 23  # the tree is 25 columns wide, borders included
SECTION_KEYS = {
    "connection": "f2", "proxy": "f3", "schedule": "f4", "companies": "f5",
    "groups": "f6", "users": "f7", "journal": "f8", "wizard": "f9",
}


# Keys as a plain console shows them (Textual's defaults use glyphs such as the
# return symbol for Enter, which a Linux console font lacks).
KEY_NAMES = {
    "enter": "Enter", "escape": "Esc", "tab": "Tab", "space": "Space", "backspace": "Backspace",
    "delete": "Del", "insert": "Ins", "home": "Home", "end": "End", "pageup": "PgUp", "pagedown": "PgDn",
    "up": "Up", "down": "Down", "left": "Left", "right": "Right", "minus": "-", "plus": "+",
}


def key_display(key: str) -> str:
    """'ctrl+s' -> '^S', 'enter' -> 'Enter', 'pagedown' -> 'PgDn', 'f9' -> 'F9', 'e' -> 'e': plain ASCII."""
    parts = key.split("+")
    name = parts[-1]
    if name in KEY_NAMES:
        shown = KEY_NAMES[name]
    elif name[:1] == "f" and name[1:].isdigit():
        shown = name.upper()
    elif len(name) == 1:
        shown = name
    else:
        shown = name.capitalize()
    mods = parts[:-1]
    if "ctrl" in mods and len(shown) == 1:  # ^S as Textual shows it, in capitals
        mods.remove("ctrl")
        shown = "^" + shown.upper()
    return "+".join([m.capitalize() for m in mods] + [shown])


def terminal_gone(fds=None) -> bool:
    """True when the terminal has gone (an SSH session dropped: the tty is hung up or closed)."""
    import os
    import sys

    if fds is None:
        fds = []
        for stream in (sys.__stdin__, sys.__stdout__):
            try:
                fds.append(stream.fileno())
            except (AttributeError, ValueError, OSError):
                return True
    return not all(os.isatty(fd) for fd in fds)


def section_title(section: str) -> str:
    return _(SECTION_TITLES[section])


class Placeholder(Static):
    """Shown when a section's screen is not installed."""


def build_pane(section: str) -> Widget:
    module_name, class_name = PANES[section]
    try:
        module = importlib.import_module(module_name)
        cls = getattr(module, class_name)
    except (ImportError, AttributeError):
        return Placeholder(_("This section is not available yet."), classes="placeholder")
    return cls()


class MainScreen(Screen):
    """Navigation tree, centre pane, status line, footer."""

    BINDINGS = [
        Binding("f1", "app.help", "Help", id="app.help"),
        # priority: F2-F9 act when the app reads the key, before the keys typed after it
        # are handed to the focused widget (the tree), so that those reach the new pane.
        Binding("f2", "show('connection')", "Connection", show=False, priority=True, id="nav.connection"),
        Binding("f3", "show('proxy')", "Proxy", show=False, priority=True, id="nav.proxy"),
        Binding("f4", "show('schedule')", "Schedule", show=False, priority=True, id="nav.schedule"),
        Binding("f5", "show('companies')", "Companies", show=False, priority=True, id="nav.companies"),
        Binding("f6", "show('groups')", "Groups", show=False, priority=True, id="nav.groups"),
        Binding("f7", "show('users')", "Users", show=False, priority=True, id="nav.users"),
        Binding("f8", "show('journal')", "Journal", show=False, priority=True, id="nav.journal"),
        Binding("f9", "show('wizard')", "Publication wizard", show=False, priority=True, id="nav.wizard"),
        Binding("escape", "focus_nav", "Tree", show=False, id="nav.tree"),
    ]

    def __init__(self, start: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.section = ""
        self._start = start
        self._kept: dict[str, Widget] = {}  # section -> its pane, kept mounted (KEPT_PANES)

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            tree: Tree[str] = Tree("bizsync", id="nav")
            tree.show_root = False
            tree.guide_depth = 2
            settings = tree.root.add(_("Settings"), data="settings", expand=True)
            for section in SETTINGS_CHILDREN:
                settings.add_leaf(self._label(section), data=section)
            for section in ("companies", "groups", "users", "journal", "wizard"):
                tree.root.add_leaf(self._label(section), data=section)
            yield tree
            yield Container(id="centre")
        yield StatusLine("", id="status")
        yield Footer()

    @staticmethod
    def _label(section: str) -> str:
        """'Companies F5'; a title too long for the tree (25 columns) gives its short form."""
        key = SECTION_KEYS.get(section, "").upper()  # Alerts has no F key (F2-F9 are taken)
        room = TREE_LABEL_ROOM - (2 if section in SETTINGS_CHILDREN else 0)
        label = f"{section_title(section)} {key}".rstrip()
        if len(label) > room and section in SHORT_TITLES:
            label = f"{_(SHORT_TITLES[section])} {key}"
        return label

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
        pane = self.current_pane()
        check = getattr(pane, "has_unsaved_changes", None)
        return bool(check()) if callable(check) else False

    def show_section(self, section: str, *, focus: bool = True) -> None:
        """Mount the section's pane in the centre (asks first about unsaved changes)."""
        if section not in PANES:
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
            if self.section in KEPT_PANES:
                current.display = False  # kept mounted, shown again as it is
            else:
                current.remove()
        centre.border_title = section_title(section)
        self.section = section
        self._highlight(section)
        kept = self._kept.get(section)
        if kept is not None:
            kept.display = True
            reload = getattr(kept, "reload", None)
            if callable(reload):
                reload()
            if focus:
                self._focus_pane()
            return
        pane = build_pane(section)
        if section in KEPT_PANES:
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
        for section in KEPT_PANES:
            if section not in self._kept:
                pane = build_pane(section)
                pane.display = False
                self._kept[section] = pane
                centre.mount(pane)

    def _focus_pane(self) -> None:
        pane = self.current_pane()
        if pane is None:
            return
        first = getattr(pane, "focus_first", None)
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
            reload = getattr(pane, "reload", None)
            if callable(reload):
                reload()

    def action_show(self, section: str) -> None:
        self.show_section(section)

    def action_focus_nav(self) -> None:
        self.query_one("#nav", Tree).focus()

    @on(Tree.NodeSelected, "#nav")
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        section = event.node.data
        if section in PANES:
            self.show_section(section)

    @on(NavigateTo)
    def _navigate(self, message: NavigateTo) -> None:
        message.stop()
        self.show_section(message.section)


class BizSyncApp(App):
    """bizsync: settings, companies, users, journal and the publication wizard."""

    CSS_PATH = "app.tcss"
    TITLE = "bizsync"
    COMMANDS = {BizSyncCommands}  # bizsync's own, translated (not Textual's Keys/Theme/Screenshot)
    BINDINGS = [Binding("f10", "quit", "Quit", priority=True, id="app.quit")]

    def __init__(self, workspace, *, clock=None, scheduler: bool = True,
                 language: str | None = None, tz=None, start: str | None = None,
                 scheduler_interval: float = 30.0, prebuild_panes: bool = True,
                 scheduler_run=None) -> None:
        self.workspace = workspace
        set_language(language or detect_language(workspace.settings.get("ui.language")))
        super().__init__()
        translate_bindings(self)
        from bizsync_tui.engine.clock import SystemClock

        self.tz = tz  # None: the machine's zone
        self.clock = clock or SystemClock(tz)  # engine.clock.Clock: .now() -> aware datetime
        self.scheduler_enabled = scheduler
        self.scheduler_interval = scheduler_interval
        self.scheduler = None  # engine.scheduler.Scheduler when this process runs it
        self.scheduler_owner = ""  # "pid@host" when another process holds the lock
        self._scheduler_run = scheduler_run  # tests: the run function given to the Scheduler
        self.animation_level = "none"
        self._start = start
        self.prebuild_panes = prebuild_panes  # build the journal pane after the first paint
        self.status_line_text = ""
        self.status_entry = -1  # the journal's newest id when the status line was computed
        self._status_read_at = 0.0  # time.monotonic() of that

    # -- start ------------------------------------------------------------
    def on_mount(self) -> None:
        start = self._start or self._first_section()
        self.push_screen(MainScreen(start))
        if self.scheduler_enabled:
            self._start_scheduler()
        self.refresh_status()
        # a publication by anyone (the command line, another SSH session) shows within seconds
        self.set_interval(JOURNAL_POLL_SECONDS, self._poll_journal, name="journal-poll")
        if not self.is_headless:  # over SSH: quit when the terminal is gone (TEXTUAL.md 9)
            self.set_interval(5, self._watch_terminal, name="terminal-watchdog")

    def _poll_journal(self) -> None:
        if not any(w.group == "journal-poll" and not w.is_finished for w in self.workers):
            self._check_journal()

    @work(thread=True, exclusive=True, group="journal-poll", exit_on_error=False)
    def _check_journal(self) -> None:
        """The journal's newest id (one indexed read); new rows refresh the status line and
        the journal; every minute the status is read again anyway (a publication goes stale)."""
        from time import monotonic

        from bizsync_tui.engine.monitor.state import last_entry_id

        newest = last_entry_id()
        stale_check = monotonic() - self._status_read_at > 60
        if newest != self.status_entry:
            self.status_entry = newest  # once per change, even if reading the status then fails
            self.call_from_thread(self.post_message, JournalChanged())
        elif stale_check:
            self.call_from_thread(self.refresh_status)

    def _watch_terminal(self) -> None:
        if terminal_gone():
            self.exit(return_code=1)

    def get_key_display(self, binding: Binding) -> str:
        """Keys in plain text ("Enter", "^S", "PgDn"): no glyph a plain console lacks."""
        if binding.key_display:
            return binding.key_display
        return key_display(binding.key.split(",")[0].strip())

    def _first_section(self) -> str:
        """A first-time admin (nothing configured) is led to the wizard."""
        try:
            from bizsync_tui.engine.admin.config import readiness

            items = readiness(self.workspace)
        except Exception:  # noqa: BLE001 - a broken database shows the connection screen
            return "connection"
        return "wizard" if not any(i.done for i in items if not i.optional) else "journal"

    # -- status line ------------------------------------------------------
    def refresh_status(self) -> None:
        self._compute_status()

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def _compute_status(self) -> None:
        from time import monotonic

        self._status_read_at = monotonic()
        text = self.status_text()
        self.call_from_thread(self._show_status, text)

    def _show_status(self, text: str) -> None:
        self.status_line_text = text
        try:
            self.get_screen_main().query_one("#status", StatusLine).update(text)
        except Exception:  # noqa: BLE001 - before the main screen is mounted
            pass

    def get_screen_main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("main screen")

    def status_text(self) -> str:
        """Scheduler state, next run, last publication and its result (blocking: call in a worker)."""
        from bizsync_tui.engine import journal

        ws = self.workspace
        parts = []
        frequency = ws.settings.get("schedule.frequency")
        if self.scheduler_owner:
            parts.append(_("Scheduler running elsewhere: {owner}").format(owner=self.scheduler_owner))
        elif not self.scheduler_enabled:
            parts.append(_("Scheduler: off in this session"))
        elif frequency == "none":
            parts.append(_("Scheduler: no schedule"))
        elif self.scheduler is None:
            parts.append(_("Scheduler: not available"))
        else:
            state = self.scheduler.status(self.clock.now()).state
            parts.append({"running": _("Scheduler: publishing"), "invalid": _("Scheduler: schedule incomplete"),
                          "stopped": _("Scheduler: waiting for the lock")}.get(state, _("Scheduler: on")))
        from bizsync_tui.engine.schedule.status import current_status

        status = current_status(ws, self.clock.now(), tz=self.tz)  # what `bizsync status` says
        self.status_entry = status.last_entry
        if frequency != "none" and status.next_run is not None:
            parts.append(_("next run {when}").format(when=status.next_run.strftime("%d/%m %H:%M")))
        last = journal.last_for(operation="publish")
        if last is None:
            parts.append(_("no publication yet"))
        else:
            when = local_time(last.at, self.tz).strftime("%d/%m %H:%M")
            parts.append(_("last publication {when} {result}").format(
                when=when, result=_("OK") if last.success else pgettext("publication result", "failed")))
        if status.short():  # failing or stale publications, by company ('' when all is well),
            parts.insert(1, status.short())  # next to the scheduler: seen first on a narrow terminal
        return " | ".join(parts)

    def next_runs(self, count: int, values: dict | None = None) -> list[datetime]:
        """The next planned runs from engine.scheduler, [] when the schedule is incomplete."""
        from bizsync_tui.engine.schedule.plan import SCHEDULE_KEYS, next_runs

        if values is None:
            values = {k: self.workspace.settings.get(k) for k in SCHEDULE_KEYS}
        try:
            return list(next_runs(values, self.clock.now(), count, self.tz))
        except Exception:  # noqa: BLE001 - an incomplete schedule has no next run
            return []

    @on(SettingsChanged)
    def _changed(self) -> None:
        self.refresh_status()

    @on(JournalChanged)
    def _journal_changed(self) -> None:
        self.refresh_status()
        try:
            self.get_screen_main().journal_changed()
        except LookupError:
            pass

    @on(PublishFinished)
    def _finished(self) -> None:
        self.refresh_status()

    # -- in-process scheduler ----------------------------------------------
    def _start_scheduler(self) -> None:
        """Run the data dir's scheduler in this app. When another process holds its lock
        the status line says who, and every tick tries again: the app takes over once
        the headless scheduler stops."""
        from bizsync_tui.engine.schedule import scheduler as sched

        self.scheduler = sched.Scheduler(self.workspace, clock=self.clock, tz=self.tz, role="tui",
                                         **({"run": self._scheduler_run} if self._scheduler_run else {}))
        if not self.scheduler.acquire():
            self.scheduler_owner = self._holder_text()
        self._scheduler_timer = self.set_interval(self.scheduler_interval, self._scheduler_tick, name="scheduler")
        self.call_after_refresh(self._scheduler_tick)  # catch up a missed run at start

    def _holder_text(self) -> str:
        """'pid@host' of the process holding the scheduler lock, '' when none does."""
        holder = self.scheduler.lock.holder() if self.scheduler is not None else None
        if not holder:
            return ""
        return f"{holder.get('pid') or '?'}@{holder.get('host') or '?'}"

    def pause_scheduler(self, paused: bool) -> None:
        self._scheduler_paused = paused

    def _scheduler_tick(self) -> None:
        if getattr(self, "_scheduler_paused", False) or self.scheduler is None:
            return
        if any(w.group == "publish" and not w.is_finished for w in self.workers):
            return
        self._run_tick()

    @work(thread=True, exclusive=True, group="publish", exit_on_error=False, description="scheduler tick")
    def _run_tick(self) -> None:
        """One tick in a thread: it takes the lock when it is free, publishes when a run is
        due; then the status line, and the journal when it got rows, update."""
        scheduler = self.scheduler
        if scheduler is None:
            return
        result = scheduler.tick(self.clock.now())
        owner = "" if scheduler.active else self._holder_text()
        self.call_from_thread(self._after_tick, result, owner)

    def _after_tick(self, result, owner: str) -> None:
        changed = owner != self.scheduler_owner
        self.scheduler_owner = owner
        if result:
            self.post_message(JournalChanged())  # journal pane and status line
            self._notify_scheduled(result)
        elif changed:
            self.refresh_status()

    def _notify_scheduled(self, result) -> None:
        report = result.report
        ok = result.error is None and bool(getattr(report, "success", getattr(report, "ok", False)))
        self.notify(_("Scheduled publication: {result}").format(result=_("OK") if ok else pgettext("publication result", "failed")),
                    severity="information" if ok else "error", timeout=10 if not ok else 5)

    def on_unmount(self) -> None:
        if self.scheduler is not None:
            try:
                self.scheduler.request_stop()  # a run in progress stops after its current company
                self.scheduler.release()
            except Exception:  # noqa: BLE001
                pass

    # -- actions ----------------------------------------------------------
    def action_help(self) -> None:
        from bizsync_tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_go(self, section: str) -> None:
        """Show a section (palette and help use this)."""
        try:
            self.get_screen_main().show_section(section)
        except LookupError:
            pass

    async def action_quit(self) -> None:
        try:
            dirty = self.get_screen_main().pane_is_dirty()
        except LookupError:
            dirty = False
        if dirty:
            def answered(leave: bool | None) -> None:
                if leave:
                    self.exit()
            self.push_screen(leave_unsaved_question(), answered)
            return
        self.exit()
