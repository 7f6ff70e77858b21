"""English and French: every user-facing text of the TUI goes through `_()`.

Texts are written in English in the code; French translations are registered
by each module beside its screens with `register_fr({...})`. The language comes
from the `ui.language` setting, else the locale (LC_ALL / LC_MESSAGES / LANG).
Formatting placeholders use str.format names: _("{n} views").format(n=3).
"""

from __future__ import annotations

import os

_FR: dict[str, str] = {}
_language = "en"


def detect_language(setting: str = "") -> str:
    if setting in ("en", "fr"):
        return setting
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def set_language(language: str) -> None:
    global _language
    _language = "fr" if language == "fr" else "en"


def language() -> str:
    return _language


def register_fr(translations: dict[str, str]) -> None:
    _FR.update(translations)


def _(text: str) -> str:
    if _language == "fr":
        return _FR.get(text, text)
    return text


def missing_fr(texts) -> list[str]:
    """Texts without a French translation (for a test)."""
    return [t for t in texts if t not in _FR]
