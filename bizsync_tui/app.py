"""The bizsync terminal app: the App only. The main screen (navigation tree, centre pane,
status line, footer) and its SECTIONS table are in screens/main.py; the in-app scheduler
host is scheduler_host.py; the command palette is commands.py.
"""

from __future__ import annotations

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches

from bizsync_tui.commands import BizSyncCommands
from bizsync_tui.i18n import _, detect_language, pgettext, set_language
from bizsync_tui.messages import JournalChanged, PublishFinished, SettingsChanged
from bizsync_tui.scheduler_host import SchedulerHost
from bizsync_tui.screens.main import SECTIONS, MainScreen
from bizsync_tui.screens.widgets import (StatusLine, key_display, leave_unsaved_question, local_time,
                                         terminal_gone, translate_bindings)

JOURNAL_POLL_SECONDS = 3  # how often the app looks for journal rows written by other processes


class BizSyncApp(SchedulerHost, App):
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
        self.init_scheduler(scheduler, scheduler_interval, scheduler_run)
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
            self.start_scheduler()
        self.refresh_status()
        # a publication by anyone (the command line, another SSH session) shows within seconds
        self.set_interval(JOURNAL_POLL_SECONDS, self._poll_journal, name="journal-poll")
        if not self.is_headless:  # over SSH: quit when the terminal is gone (TEXTUAL.md 9)
            self.set_interval(5, self._watch_terminal, name="terminal-watchdog")

    def on_unmount(self) -> None:
        self.stop_scheduler()

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
        except (LookupError, NoMatches):  # before the main screen is pushed, or composed
            pass

    def get_screen_main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("main screen")

    def status_text(self) -> str:
        """Scheduler state, next run, last publication and its result (blocking: call in a worker)."""
        from bizsync_tui.engine import journal
        from bizsync_tui.engine.schedule.status import current_status

        parts = [self.scheduler_text()]
        status = current_status(self.workspace, self.clock.now(), tz=self.tz)  # what `bizsync status` says
        self.status_entry = status.last_entry
        if self.workspace.settings.get("schedule.frequency") != "none" and status.next_run is not None:
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

    # -- actions ----------------------------------------------------------
    def action_help(self) -> None:
        from bizsync_tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen, tuple((s.key, s.title) for s in SECTIONS if s.key)))

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
