"""The command line's help in the UI language (French when the locale is French).

The parsers are written in English (help=, description=, epilog=, as argparse expects);
`translate_parser(parser)`, called once the parser is built, gives every one of those texts
its `_()`, and `translate_argparse()` has argparse's own words (usage:, options, its error
messages) go through `_()` too. Their French is in the catalogue (bizsync.po), like every
other text of bizsync; a test walks the whole parser and checks that none is missing.
"""

from __future__ import annotations

import argparse

from bizsync_tui.i18n import _


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def translate_argparse() -> None:
    """argparse's own texts through bizsync's _() (argparse looks up its module's `_` and
    `ngettext` each time it writes one)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def parser_texts(parser: argparse.ArgumentParser):
    """(owner, attribute) of every help text of `parser` and its subparsers, for translation."""
    for attr in ("description", "epilog"):
        if getattr(parser, attr):
            yield parser, attr
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            yield action, "help"
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    yield choice, "help"
            for sub in dict.fromkeys(action.choices.values()):  # an alias is the same parser
                yield from parser_texts(sub)


def translate_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Every help text of the parser in the current language (a text already translated, or
    one with no French, stays as it is)."""
    for owner, attr in parser_texts(parser):
        setattr(owner, attr, _(getattr(owner, attr)))
    return parser
