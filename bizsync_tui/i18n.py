"""English and French on gettext: every user-facing text goes through `_()`.

Texts are written in English in the code, with str.format placeholders
(`_("{n} views").format(n=3)`); their French is in the gettext catalogue
bizsync_tui/locale/fr/LC_MESSAGES/bizsync.po, compiled to bizsync.mo beside it
(the .mo is committed and shipped; recompile it after editing the .po):

    python -m bizsync_tui.i18n compile

    _("Companies")                                  # a text
    ngettext("{n} view", "{n} views", n).format(n=n)  # a text with a plural
    pgettext("company", "Name")                     # a word whose French depends on what it names
    N_("Settings > Connection")                     # marks a constant for extraction; translate it at use: _(WHERE)

The language comes from the `ui.language` setting, else the locale
(LC_ALL / LC_MESSAGES / LANG): `detect_language()`, `set_language()`, `language()`.

A new text: write it in English through `_()`, add its msgid and French msgstr to
the .po, then compile (tests/unit/test_i18n_catalogue.py fails while a text of
the code has no French, or a French that lost a placeholder).
"""

from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

DOMAIN = "bizsync"
LOCALE_DIR = Path(__file__).resolve().with_name("locale")
LANGUAGES = ("en", "fr")

_language = "en"


class Catalogue(gettext.GNUTranslations):
    """A compiled catalogue that can say whether it holds a message id."""

    def has(self, message: str, context: str | None = None) -> bool:
        key = message if context is None else f"{context}\x04{message}"
        return key in self._catalog


def mo_path(language: str = "fr") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def po_path(language: str = "fr") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _load_french() -> gettext.NullTranslations:
    path = mo_path("fr")
    if path.is_file():
        with path.open("rb") as fp:
            catalogue: gettext.NullTranslations = Catalogue(fp)
    else:  # not compiled yet (a fresh .po): the English
        catalogue = gettext.NullTranslations()
    return catalogue


_ENGLISH = gettext.NullTranslations()
_FRENCH = _load_french()


def reload_catalogues() -> None:
    """Read the compiled French catalogue again (after `compile`)."""
    global _FRENCH
    _FRENCH = _load_french()


def detect_language(setting: str = "") -> str:
    if setting in LANGUAGES:
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


def _translations() -> gettext.NullTranslations:
    return _FRENCH if _language == "fr" else _ENGLISH


def _(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Marks a constant text for extraction, untranslated; translate it where it is used: _(CONSTANT)."""
    return message


def has_fr(message: str, context: str | None = None) -> bool:
    """True when the French catalogue translates the id."""
    catalogue = _FRENCH
    return isinstance(catalogue, Catalogue) and catalogue.has(message, context)


def missing_fr(texts) -> list[str]:
    """Texts without a French translation (for a test)."""
    return [t for t in texts if not has_fr(t)]


# -- compiling the catalogue ----------------------------------------------------------------
def compiled(po: Path) -> bytes:
    """The .mo bytes of a .po file, as Babel compiles them (fuzzy entries left out)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fp:
        catalog = read_po(fp)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_catalogues() -> list[Path]:
    """Compile every locale/<lang>/LC_MESSAGES/bizsync.po to its .mo; the .mo paths written."""
    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if not mo.is_file() or mo.read_bytes() != data:
            mo.write_bytes(data)
        written.append(mo)
    reload_catalogues()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["compile"]:
        print("usage: python -m bizsync_tui.i18n compile", file=sys.stderr)
        return 2
    for mo in compile_catalogues():
        print(f"compiled {mo}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
