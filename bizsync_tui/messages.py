"""Messages the screens and workers of the TUI exchange (Textual messages only)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class NavigateTo(Message):
    """Ask the shell to show a section (connection, proxy, schedule, companies,
    groups, users, journal, wizard)."""

    def __init__(self, section: str) -> None:
        super().__init__()
        self.section = section


class SettingsChanged(Message):
    """Some settings or configuration were saved: the status line and the wizard re-read."""


class JournalChanged(Message):
    """The journal got new rows (a publication ran)."""


class PublishProgress(Message):
    """Progress of a running publication; floods are merged."""

    def __init__(self, done: int, total: int, label: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.label = label

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PublishProgress)


class PublishFinished(Message):
    """A publication finished: `report` is the engine's RunReport, or `error` a sentence."""

    def __init__(self, report: Any = None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error
