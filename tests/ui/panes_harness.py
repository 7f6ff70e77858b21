"""A tiny host App for the Companies / Groups / Users panes, used until (and
beside) the app shell: it sets `.workspace` and mounts one pane with a Footer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer


class PaneHost(App):
    CSS = "Screen { layout: vertical; }"

    def __init__(self, workspace, pane_factory) -> None:
        super().__init__()
        self.workspace = workspace
        self._pane_factory = pane_factory
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield self._pane_factory()
        yield Footer()


def no_blink(monkeypatch) -> None:
    """No blinking cursor in inputs, so snapshots are stable."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None, raising=False)
