"""Command palette entries for the main actions: they call app actions only. One per
section of the main screen's SECTIONS table, then the help."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from bizsync_tui.i18n import N_, _
from bizsync_tui.screens.main import SECTIONS


#: (English text, app action)
COMMANDS = (
    *((section.command, f"go('{section.id}')") for section in SECTIONS),
    (N_("Show the keys and help"), "help"),
)


class BizSyncCommands(Provider):
    """The sections and the wizard, by name."""

    def _commands(self):
        app = self.app
        for text, action in COMMANDS:
            yield _(text), partial(app.run_action, action)

    async def discover(self) -> Hits:
        for text, callback in self._commands():
            yield DiscoveryHit(text, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback)
