"""`bizsync user card LOGIN [--svg FILE] [--invert]`: what a mobile user needs, with a QR code.

Prints the mobile page's address (from `portal.url`), the client code, the
company short code(s), the login, and a QR code of the page's address with
those filled in (never a password): the same card as the Users screen's
"Connection info" (engine.admin.card.connection_card). On a terminal the QR
code is drawn dark on light with colours; redirected to a file, it is plain
characters, dark modules as ink, ready to print. `--svg FILE` also writes the
QR code as an SVG image for a printed card.
"""

from __future__ import annotations

import os
import sys

from bizsync_tui.cli.common import CliError, data_dir_of
from bizsync_tui.i18n import _

DARK_ON_LIGHT = "\x1b[30;47m"  # black on white: what phone cameras expect, whatever the terminal's theme
RESET = "\x1b[0m"


def qr_lines(link: str, *, colour: bool, invert: bool) -> list[str]:
    from bizsync_tui.engine.admin.card import qr_rows

    rows = qr_rows(link)
    if invert:  # light modules as ink: for a light-on-dark terminal without colours
        swap = str.maketrans({"█": " ", " ": "█", "▀": "▄", "▄": "▀"})
        rows = [row.translate(swap) for row in rows]
    if colour:
        return [DARK_ON_LIGHT + row + RESET for row in rows]
    return rows


def cmd_user_card(args) -> int:
    from bizsync_tui.engine.admin.card import connection_card, save_qr_svg
    from bizsync_tui.engine.admin.validation import ValidationError
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir_of(args))
    try:
        card = connection_card(ws, args.login)
    except ValidationError as exc:
        raise CliError(exc.message) from None
    finally:
        ws.close()
    out = [card.text(), ""]
    if not card.link:
        out.append(_("No QR code: the platform address is not set (bizsync config set portal.url URL)."))
        print("\n".join(out))
        return 1
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not args.invert
    out.append(_("Scan to open the mobile page with these codes filled in:"))
    out.append("")
    out += qr_lines(card.link, colour=colour, invert=args.invert)
    out += ["", card.link]
    if args.svg:
        try:
            save_qr_svg(card.link, args.svg)
        except OSError as exc:
            raise CliError(_("The QR code could not be written to {path} ({reason}); choose another file.")
                           .format(path=args.svg, reason=exc.strerror or type(exc).__name__)) from None
        out.append(_("QR code written to {path}.").format(path=args.svg))
    print("\n".join(out))
    return 0 if card.complete else 1


def _user_actions(subparsers):
    """The `user` command's own subcommands (declared in config_cmds)."""
    user = subparsers.choices.get("user")
    if user is None:
        return None
    for action in user._actions:  # argparse keeps its subcommands in a _SubParsersAction
        if action.__class__.__name__ == "_SubParsersAction":
            return action
    return None


def register(subparsers, parent) -> None:
    actions = _user_actions(subparsers)
    if actions is None:
        return
    q = actions.add_parser(
        "card", parents=[parent], help="what a mobile user types on the phone, with a QR code (never a password)",
        description="Print the mobile page's address, the client code, the company short code(s), the login "
                    "and a QR code of the page's address with them filled in. Exit code 1 when something "
                    "the user needs is not set yet (the platform address, the client code, a grant).")
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("--svg", metavar="FILE", help="also write the QR code as an SVG image, for printing")
    q.add_argument("--invert", action="store_true",
                   help="draw the light modules as ink (a light-on-dark terminal without colours)")
    q.set_defaults(func=cmd_user_card)
