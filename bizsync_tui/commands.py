"""Command palette entries for the main actions: they call app actions only."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from bizsync_tui.i18n import _


COMMANDS = (
    ("Open the connection settings", "go('connection')"),
    ("Open the proxy settings", "go('proxy')"),
    ("Open the publication schedule", "go('schedule')"),
    ("Open the alert settings (e-mail, webhook)", "go('alerts')"),
    ("Open the companies", "go('companies')"),
    ("Open the company groups", "go('groups')"),
    ("Open the mobile users", "go('users')"),
    ("Open the publication journal", "go('journal')"),
    ("Publish now (publication wizard)", "go('wizard')"),
    ("Show the keys and help", "help"),
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
