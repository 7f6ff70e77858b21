"""Command palette entries for the main actions: they call app actions only."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from bizsync_tui.i18n import _, register_fr

register_fr({
    "Open the connection settings": "Ouvrir les paramètres de connexion",
    "Open the proxy settings": "Ouvrir les paramètres proxy",
    "Open the publication schedule": "Ouvrir la planification de la publication",
    "Open the companies": "Ouvrir les sociétés",
    "Open the company groups": "Ouvrir les groupes de sociétés",
    "Open the mobile users": "Ouvrir les utilisateurs mobiles",
    "Open the publication journal": "Ouvrir le journal de publication",
    "Publish now (publication wizard)": "Publier maintenant (assistant de publication)",
    "Show the keys and help": "Afficher les touches et l'aide",
})

COMMANDS = (
    ("Open the connection settings", "go('connection')"),
    ("Open the proxy settings", "go('proxy')"),
    ("Open the publication schedule", "go('schedule')"),
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
