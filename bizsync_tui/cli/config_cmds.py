"""`bizsync config|company|user|group|key ...`: scripted configuration."""

from __future__ import annotations

import argparse
import sys

from bizsync_tui.cli.common import CliError, data_dir_of, read_secret


def _ws(args):
    from bizsync_tui.engine.workspace import open_workspace

    return open_workspace(data_dir_of(args))


def _run(action):
    """Run a configuration change; a refusal becomes a CliError (nothing was saved)."""
    from bizsync_tui.engine.admin.validation import ValidationError

    try:
        return action()
    except ValidationError as exc:
        from bizsync_tui.i18n import _

        raise CliError(f"{exc.message} {_('Nothing was changed.')}") from None


# -- config ---------------------------------------------------------------------
def cmd_config_show(args) -> int:
    from bizsync_tui.engine.admin.config import show_settings

    ws = _ws(args)
    unreadable = ws.settings.unreadable_secrets()
    for key, value in show_settings(ws):
        print(f"{key} = {value}")
    if unreadable:
        print(f"bizsync: {len(unreadable)} saved password(s) cannot be read with this encryption key; "
              f"set them again with 'bizsync config set KEY' ({', '.join(unreadable)}).", file=sys.stderr)
    return 0


def cmd_config_set(args) -> int:
    from bizsync_tui.engine.admin.config import set_settings
    from bizsync_tui.models.settings import DEFS

    key = args.key
    if key not in DEFS:
        raise CliError(f"'{key}' is not a setting; run 'bizsync config show' to list them.")
    if DEFS[key].secret:
        if args.value is not None:
            raise CliError(f"{key} is a password: leave it off the command line and type it at the prompt "
                           f"or pipe it on standard input (for example: bizsync config set {key} < file).")
        value = read_secret(f"{key}: ")
    else:
        if args.value is None:
            raise CliError(f"Give a value: bizsync config set {key} VALUE.")
        value = args.value
    ws = _ws(args)
    _run(lambda: set_settings(ws, {key: value}))
    return 0


# -- companies ------------------------------------------------------------------
def cmd_company_add(args) -> int:
    from bizsync_tui.engine.admin.config import CompanyData, save_company

    ws = _ws(args)
    from bizsync_tui.engine.admin import validation

    views = _run(lambda: validation.views(args.views))
    data = CompanyData(short_code=args.short_code, name=args.name, dossier=args.dossier,
                       accounting_source=args.accounting, commercial_source=args.commercial, views=views,
                       revenue_prefixes=args.revenue_prefixes, cash_prefixes=args.cash_prefixes)
    _run(lambda: save_company(ws, data))
    return 0


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    for line in [header, *rows]:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())


def cmd_company_list(args) -> int:
    from bizsync_tui.engine.admin.config import list_companies
    from bizsync_tui.engine.sage.source_spec import parse_source

    ws = _ws(args)
    rows = [[c.short_code, c.dossier, c.name, str(len(c.views)), parse_source(c.accounting_source).display(),
             parse_source(c.commercial_source).display()] for c in list_companies(ws)]
    _print_table(["SHORT_CODE", "DOSSIER", "NAME", "VIEWS", "ACCOUNTING", "COMMERCIAL"], rows)
    return 0


def cmd_company_remove(args) -> int:
    from bizsync_tui.engine.admin.config import remove_company

    ws = _ws(args)
    _run(lambda: remove_company(ws, args.short_code, is_group=False))
    return 0


# -- groups ---------------------------------------------------------------------
def cmd_group_add(args) -> int:
    from bizsync_tui.engine.admin import validation
    from bizsync_tui.engine.admin.config import CompanyData, save_company

    ws = _ws(args)
    views = _run(lambda: validation.views(args.views))
    members = [m.strip() for m in args.members.split(",") if m.strip()]
    data = CompanyData(short_code=args.short_code, name=args.name, views=views, is_group=True, members=members)
    _run(lambda: save_company(ws, data))
    return 0


def cmd_group_list(args) -> int:
    from bizsync_tui.engine.admin.config import list_companies

    ws = _ws(args)
    rows = [[g.short_code, g.name, ",".join(g.members), str(len(g.views))] for g in list_companies(ws, groups=True)]
    _print_table(["SHORT_CODE", "NAME", "MEMBERS", "VIEWS"], rows)
    return 0


def cmd_group_remove(args) -> int:
    from bizsync_tui.engine.admin.config import remove_company

    ws = _ws(args)
    _run(lambda: remove_company(ws, args.short_code, is_group=True))
    return 0


# -- users ----------------------------------------------------------------------
def _parse_grants(items: list[str]) -> dict[str, str | list[str]]:
    grants: dict[str, str | list[str]] = {}
    for item in items or []:
        code, sep, views = item.partition(":")
        if not sep or not code or not views:
            raise CliError(f"'{item}' is not a grant; write --grant SHORT_CODE:all or --grant SHORT_CODE:ID,ID.")
        grants[code.strip()] = views.strip() if views.strip().lower() == "all" else [v.strip() for v in views.split(",") if v.strip()]
    return grants


def cmd_user_add(args) -> int:
    from bizsync_tui.engine.admin.config import UserData, save_user

    grants = _parse_grants(args.grant)
    ws = _ws(args)
    from bizsync_tui.models.tables import MobileUser
    if MobileUser.get_or_none(MobileUser.login == args.login.strip()) is not None:
        raise CliError(f"The login {args.login} is already taken; choose another, or remove that user first. Nothing was changed.")
    password = read_secret(f"Password for {args.login}: ", confirm=True)
    _run(lambda: save_user(ws, UserData(login=args.login, name=args.name, password=password, grants=grants)))
    return 0


def cmd_user_list(args) -> int:
    from bizsync_tui.engine.admin.config import list_users

    ws = _ws(args)
    rows = []
    for u in list_users(ws):
        grants = "; ".join(f"{code}:{','.join(ids)}" for code, ids in u.grants.items()) or "-"
        rows.append([u.login, u.name, grants])
    _print_table(["LOGIN", "NAME", "GRANTS"], rows)
    return 0


def cmd_user_remove(args) -> int:
    from bizsync_tui.engine.admin.config import remove_user

    ws = _ws(args)
    _run(lambda: remove_user(ws, args.login))
    return 0


# -- key --------------------------------------------------------------------------
def cmd_key_rotate(args) -> int:
    from bizsync_tui.engine.admin.keys import rotate_key
    from bizsync_tui.models.secrets import SecretUnreadable

    ws = _ws(args)
    try:
        count, skipped = rotate_key(ws, reencrypt_only=args.reencrypt_only)
    except SecretUnreadable as exc:
        raise CliError(str(exc)) from None
    print(f"Re-encrypted {count} secret(s) under the new key.")
    if skipped:
        print(f"bizsync: {len(skipped)} secret(s) could not be read and were left as they are; "
              f"set them again with 'bizsync config set KEY' ({', '.join(skipped)}).", file=sys.stderr)
    return 0


def register(sub, parent) -> None:
    from bizsync_tui.engine.catalogue import VIEW_IDS

    views_help = "all, or view ids separated by commas: " + ", ".join(VIEW_IDS)

    p = sub.add_parser("config", help="show or change settings", description="Show or change settings.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("show", parents=[parent], help="every setting (passwords masked)")
    q.set_defaults(func=cmd_config_show)
    q = s.add_parser("set", parents=[parent], help="change one setting (passwords from stdin or a prompt)",
                     description="Change one setting. Passwords are read from standard input or a prompt, never from the command line.")
    q.add_argument("key", metavar="KEY")
    q.add_argument("value", metavar="VALUE", nargs="?")
    q.set_defaults(func=cmd_config_set)

    p = sub.add_parser("company", help="add, list or remove companies", description="Companies published to the platform.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("add", parents=[parent], help="add a company")
    q.add_argument("short_code", metavar="SHORT_CODE", help="the code mobile users type (upper-case letters and digits)")
    q.add_argument("--dossier", required=True, help="Sage dossier number (upper-case letters and digits)")
    q.add_argument("--name", required=True, help="company name (raison sociale)")
    q.add_argument("--accounting", required=True, metavar="SRC", help="accounting source: sqlite:PATH, odbc:..., mssql://HOST/DB")
    q.add_argument("--commercial", required=True, metavar="SRC", help="commercial source, same forms")
    q.add_argument("--views", metavar="all|ID,...", default="all", help=views_help + " (default: all)")
    q.add_argument("--revenue-prefixes", default="70", metavar="P,P", help="revenue account prefixes (default 70)")
    q.add_argument("--cash-prefixes", default="", metavar="P,P", help="extra cash account prefixes (default none)")
    q.set_defaults(func=cmd_company_add)
    q = s.add_parser("list", parents=[parent], help="list companies")
    q.set_defaults(func=cmd_company_list)
    q = s.add_parser("remove", parents=[parent], help="remove a company from the configuration")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.set_defaults(func=cmd_company_remove)

    p = sub.add_parser("group", help="add, list or remove company groups",
                       description="Company groups: their published data is the sum of the members'.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("add", parents=[parent], help="add a group")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.add_argument("--name", required=True)
    q.add_argument("--members", required=True, metavar="A,B[,...]", help="short codes of two or more companies")
    q.add_argument("--views", metavar="all|ID,...", default="all", help=views_help + " (default: all)")
    q.set_defaults(func=cmd_group_add)
    q = s.add_parser("list", parents=[parent], help="list groups")
    q.set_defaults(func=cmd_group_list)
    q = s.add_parser("remove", parents=[parent], help="remove a group")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.set_defaults(func=cmd_group_remove)

    p = sub.add_parser("user", help="add, list or remove mobile users", description="Mobile users and their grants.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("add", parents=[parent], help="add a mobile user (password from stdin or a prompt)")
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("--name", required=True)
    q.add_argument("--grant", action="append", metavar="SHORT_CODE:all|ID,...",
                   help="views this user may see for a company or group; repeat for several")
    q.set_defaults(func=cmd_user_add)
    q = s.add_parser("list", parents=[parent], help="list users and grants")
    q.set_defaults(func=cmd_user_list)
    q = s.add_parser("remove", parents=[parent], help="remove a user")
    q.add_argument("login", metavar="LOGIN")
    q.set_defaults(func=cmd_user_remove)

    p = sub.add_parser("key", help="encryption key of the saved passwords")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("rotate", parents=[parent], help="re-encrypt every saved password under a new key",
                     description="Make a new key and re-encrypt every saved password; safe to interrupt and run again.")
    q.add_argument("--reencrypt-only", action="store_true",
                   help="do not make a key: re-encrypt under the first key given (BIZSYNC_KEY=new,old)")
    q.set_defaults(func=cmd_key_rotate)
    _ = argparse


def _register_fr() -> None:
    from bizsync_tui.i18n import register_fr

    register_fr({"Nothing was changed.": "Rien n'a été modifié."})


_register_fr()
