"""`bizsync config|company|user|group|key ...`: scripted configuration."""

from __future__ import annotations

import argparse
import sys

from bizsync_tui.cli.common import CliError, data_dir_of, read_secret
from bizsync_tui.i18n import _

# What each setting takes, for `config set --help` (keys that do not exist yet are skipped).
KEY_HELP = {
    "portal.url": "the platform's address, https://HOST[:PORT] (http:// only on this machine); no user or password in it",
    "portal.client_code": "the client code the platform operator gave you",
    "portal.password": "secret: this client's password on the platform",
    "database.user": "the user of the Sage management databases (SQL Server and ODBC sources)",
    "database.password": "secret: that user's password",
    "proxy.mode": "system (this machine's settings), manual (with proxy.host and proxy.port) or none",
    "proxy.host": "the manual proxy's host name or IP address",
    "proxy.port": "the manual proxy's port, 1 to 65535",
    "proxy.user": "the proxy's user, when it asks for one",
    "proxy.password": "secret: the proxy user's password",
    "schedule.frequency": "none, daily, workdays or weekly",
    "schedule.weekday": "monday to sunday: the day of a weekly schedule",
    "schedule.times_per_day": "1 to 24 runs a day; the last one must start before midnight",
    "schedule.start": "HH:MM, the first run of the day",
    "schedule.interval_hours": "1 to 23 hours between two runs of the day",
    "schedule.holidays": "a country code such as FR whose public holidays are not working days, or none",
    "tls.ca_bundle": "the path of a PEM file of certificate authorities to trust, or empty",
    "ui.language": "en or fr, or empty to follow the locale",
    "alert.email.to": "addresses to alert, separated by commas",
    "alert.email.from": "the sender address of the alerts",
    "alert.smtp.host": "the mail server's host name",
    "alert.smtp.port": "the mail server's port",
    "alert.smtp.security": "starttls, ssl or none",
    "alert.smtp.user": "the mail server's user, when it asks for one",
    "alert.smtp.password": "secret: that user's password",
    "alert.webhook.url": "secret: the incoming webhook's address (it carries a token)",
    "alert.stale_hours": "alert when a company has had no successful publication for that many hours; 0 = off",
}


def _ws(args):
    from bizsync_tui.engine.workspace import open_workspace

    return open_workspace(data_dir_of(args))


def _run(action):
    """Run a configuration change; a refusal becomes a CliError (nothing was saved)."""
    from bizsync_tui.engine.admin.validation import ValidationError

    try:
        return action()
    except ValidationError as exc:
        raise CliError(f"{exc.message} {_('Nothing was changed.')}") from None


def _yes_no(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("yes", "y", "true", "on", "1", "oui"):
        return True
    if v in ("no", "n", "false", "off", "0", "non"):
        return False
    raise CliError(_("--enabled takes yes or no, not '{value}'.").format(value=value))


# -- config ---------------------------------------------------------------------
def cmd_config_show(args) -> int:
    from bizsync_tui.engine.admin.config import show_settings

    ws = _ws(args)
    unreadable = ws.settings.unreadable_secrets()
    for key, value in show_settings(ws):
        print(f"{key} = {value}")
    if unreadable:
        print("bizsync: " + _("{n} saved password(s) cannot be read with this encryption key; set them again "
                              "with 'bizsync config set KEY' ({keys}).").format(n=len(unreadable),
                                                                             keys=", ".join(unreadable)),
              file=sys.stderr)
    return 0


def _check_key(key: str) -> None:
    from bizsync_tui.models.settings import DEFS

    if key not in DEFS:
        raise CliError(_("'{key}' is not a setting; run 'bizsync config set --help' to list them.").format(key=key))


def cmd_config_set(args) -> int:
    from bizsync_tui.engine.admin.config import PROXY_KEYS, set_settings
    from bizsync_tui.engine.admin.validation import ValidationError
    from bizsync_tui.models.settings import DEFS

    items = list(args.pairs)
    if not items:
        raise CliError(_("Give a setting and its value: bizsync config set KEY VALUE [KEY VALUE ...]; "
                         "'bizsync config set --help' lists the keys."))
    key = items[0]
    _check_key(key)
    if len(items) == 1:
        if not DEFS[key].secret:
            raise CliError(_("Give a value: bizsync config set {key} VALUE.").format(key=key))
        value = read_secret(f"{key}: ")
        if value == "":
            raise CliError(_("The {key} given is empty, so it was not saved; to clear it, run "
                             "'bizsync config unset {key}'.").format(key=key))
        changes = {key: value}
    else:
        keys = items[0::2]
        for k in keys:
            _check_key(k)
        secrets = [k for k in keys if DEFS[k].secret]
        if secrets:
            k = secrets[0]
            raise CliError(_("{key} is a password: leave it off the command line and give it alone, typed at the "
                             "prompt or on standard input (for example: bizsync config set {key} < file).").format(key=k))
        if len(items) % 2:
            raise CliError(_("{key} has no value: give KEY VALUE pairs, such as bizsync config set "
                             "schedule.start 00:00 schedule.times_per_day 24.").format(key=items[-1]))
        dup = [k for k in keys if keys.count(k) > 1]
        if dup:
            raise CliError(_("{key} is given twice; give each setting once.").format(key=dup[0]))
        changes = dict(zip(keys, items[1::2]))
    ws = _ws(args)
    try:
        set_settings(ws, changes)
    except ValidationError as exc:
        text = f"{exc.message} {_('Nothing was changed.')}"
        if exc.field in PROXY_KEYS[1:]:
            text += " " + _("Set a manual proxy in one call: bizsync config set proxy.mode manual proxy.host HOST "
                            "proxy.port PORT.")
        raise CliError(text) from None
    return 0


def cmd_config_unset(args) -> int:
    from bizsync_tui.engine.admin.config import set_settings
    from bizsync_tui.models.settings import DEFS

    for key in args.keys:
        _check_key(key)
    ws = _ws(args)
    _run(lambda: set_settings(ws, {}, unset=list(dict.fromkeys(args.keys))))
    for key in dict.fromkeys(args.keys):
        d = DEFS[key]
        if d.secret or not d.default:
            print(_("{key} cleared.").format(key=key))
        else:
            print(_("{key} set back to its default, {value}.").format(key=key, value=d.default))
    return 0


def cmd_config_export(args) -> int:
    from bizsync_tui.engine.admin.transfer import export_toml

    text = export_toml(_ws(args))
    if args.output and args.output != "-":
        import os

        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `config export | head`
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def cmd_config_import(args) -> int:
    from bizsync_tui.engine.admin import transfer
    from bizsync_tui.engine.admin.validation import ValidationError

    try:
        passwords = transfer.read_passwords(args.passwords) if args.passwords else {}
        if args.file == "-":
            text, source = sys.stdin.read(transfer.MAX_FILE_BYTES + 1), _("standard input")
            if len(text) > transfer.MAX_FILE_BYTES:
                raise ValidationError("file", _("The configuration on standard input is too large."))
        else:
            text, source = transfer.read_config_file(args.file)
        ws = _ws(args)
        result = transfer.import_toml(ws, text, source=source, passwords=passwords, dry_run=args.dry_run)
    except ValidationError as exc:
        raise CliError(f"{exc.message} {_('Nothing was changed.')}") from None
    for line in result.changes:
        print(line)
    if not result.changes:
        print(_("No change: the configuration is already as the file says."))
    elif args.dry_run:
        print(_("{n} change(s) would be made; nothing was saved (--dry-run).").format(n=len(result.changes)))
    else:
        print(_("{n} change(s) saved.").format(n=len(result.changes)))
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


def _enabled_text(enabled: bool) -> str:
    return _("yes") if enabled else _("no")


def cmd_company_list(args) -> int:
    from bizsync_tui.engine.admin.config import list_companies
    from bizsync_tui.engine.sage.source_spec import parse_source

    ws = _ws(args)
    rows = [[c.short_code, c.dossier, c.name, str(len(c.views)), _enabled_text(c.enabled),
             parse_source(c.accounting_source).display(), parse_source(c.commercial_source).display()]
            for c in list_companies(ws)]
    _print_table(["SHORT_CODE", "DOSSIER", "NAME", "VIEWS", "PUBLISH", "ACCOUNTING", "COMMERCIAL"], rows)
    return 0


def _existing(ws, code: str, *, group: bool):
    from bizsync_tui.engine.admin.config import get_company

    data = get_company(ws, code.strip())
    if data is None or data.is_group != group:
        text = (_("There is no group {code}; run 'bizsync group list' to see them.") if group
                else _("There is no company {code}; run 'bizsync company list' to see them."))
        raise CliError(text.format(code=code) + " " + _("Nothing was changed."))
    return data


def cmd_company_set(args) -> int:
    from bizsync_tui.engine.admin import validation
    from bizsync_tui.engine.admin.config import save_company

    enabled = _yes_no(args.enabled)
    ws = _ws(args)
    data = _existing(ws, args.short_code, group=False)
    for attr, value in (("name", args.name), ("dossier", args.dossier), ("accounting_source", args.accounting),
                        ("commercial_source", args.commercial), ("revenue_prefixes", args.revenue_prefixes),
                        ("cash_prefixes", args.cash_prefixes)):
        if value is not None:
            setattr(data, attr, value)
    if args.views is not None:
        data.views = _run(lambda: validation.views(args.views))
    if enabled is not None:
        data.enabled = enabled
    _run(lambda: save_company(ws, data))
    return 0


def _remove(args, *, group: bool) -> int:
    from bizsync_tui.engine.admin.validation import ValidationError
    from bizsync_tui.engine.publish.records import PlatformDataKept, delete_company

    ws = _ws(args)
    try:
        done = delete_company(ws, args.short_code, is_group=group, keep_platform_data=args.keep_platform_data,
                              trigger="cli")
    except PlatformDataKept as exc:
        raise CliError(exc.message) from None
    except ValidationError as exc:
        raise CliError(f"{exc.message} {_('Nothing was changed.')}") from None
    print(done.message)
    return 0


def cmd_company_remove(args) -> int:
    return _remove(args, group=False)


# -- groups ---------------------------------------------------------------------
def _members(text: str) -> list[str]:
    return [m.strip() for m in text.split(",") if m.strip()]


def cmd_group_add(args) -> int:
    from bizsync_tui.engine.admin import validation
    from bizsync_tui.engine.admin.config import CompanyData, save_company

    ws = _ws(args)
    views = _run(lambda: validation.views(args.views))
    data = CompanyData(short_code=args.short_code, name=args.name, views=views, is_group=True,
                       members=_members(args.members))
    _run(lambda: save_company(ws, data))
    return 0


def cmd_group_list(args) -> int:
    from bizsync_tui.engine.admin.config import list_companies

    ws = _ws(args)
    rows = [[g.short_code, g.name, ",".join(g.members), str(len(g.views)), _enabled_text(g.enabled)]
            for g in list_companies(ws, groups=True)]
    _print_table(["SHORT_CODE", "NAME", "MEMBERS", "VIEWS", "PUBLISH"], rows)
    return 0


def cmd_group_set(args) -> int:
    from bizsync_tui.engine.admin import validation
    from bizsync_tui.engine.admin.config import save_company

    enabled = _yes_no(args.enabled)
    ws = _ws(args)
    data = _existing(ws, args.short_code, group=True)
    if args.name is not None:
        data.name = args.name
    if args.members is not None:
        data.members = _members(args.members)
    if args.views is not None:
        data.views = _run(lambda: validation.views(args.views))
    if enabled is not None:
        data.enabled = enabled
    _run(lambda: save_company(ws, data))
    return 0


def cmd_group_remove(args) -> int:
    return _remove(args, group=True)


# -- users ----------------------------------------------------------------------
def _parse_grants(items: list[str], *, allow_none: bool = False) -> dict[str, str | list[str]]:
    """--grant options: repeating one for the same company adds its views ('all' wins);
    CODE:none (user set only) takes every grant on CODE away."""
    grants: dict[str, str | list[str]] = {}
    for item in items or []:
        code, sep, views = item.partition(":")
        code, views = code.strip(), views.strip()
        if not sep or not code or not views:
            raise CliError(_("'{item}' is not a grant; write --grant SHORT_CODE:all or --grant SHORT_CODE:ID,ID.").format(
                item=item))
        if views.lower() == "none" and allow_none:
            grants[code] = "none"
            continue
        if views.lower() == "all":
            grants[code] = "all"
            continue
        ids = [v.strip() for v in views.split(",") if v.strip()]
        before = grants.get(code)
        if before == "all":
            continue
        grants[code] = (before if isinstance(before, list) else []) + [v for v in ids if v not in (before or [])]
    return grants


def cmd_user_add(args) -> int:
    from bizsync_tui.engine.admin.config import UserData, save_user

    grants = _parse_grants(args.grant)
    ws = _ws(args)
    from bizsync_tui.models.tables import MobileUser
    if MobileUser.get_or_none(MobileUser.login == args.login.strip()) is not None:
        raise CliError(_("The login {login} is already taken; choose another, or remove that user first. "
                         "Nothing was changed.").format(login=args.login))
    password = read_secret(_("Password for {login}: ").format(login=args.login), confirm=True)
    _run(lambda: save_user(ws, UserData(login=args.login, name=args.name, password=password, grants=grants)))
    return 0


def cmd_user_set(args) -> int:
    from bizsync_tui.engine.admin.config import get_user, save_user

    grants = _parse_grants(args.grant, allow_none=True)
    ws = _ws(args)
    data = get_user(ws, args.login.strip())
    if data is None:
        raise CliError(_("There is no user {login}; run 'bizsync user list' to see them.").format(login=args.login)
                       + " " + _("Nothing was changed."))
    if args.name is not None:
        data.name = args.name
    merged: dict = dict(data.grants)
    for code, ids in grants.items():
        if ids == "none":
            merged.pop(code, None)
        else:
            merged[code] = ids
    data.grants = merged
    if args.password:
        data.password = read_secret(_("New password for {login}: ").format(login=data.login), confirm=True)
    _run(lambda: save_user(ws, data))
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
    print(_("Re-encrypted {n} secret(s) under the new key.").format(n=count))
    if skipped:
        print("bizsync: " + _("{n} secret(s) could not be read and were left as they are; set them again "
                              "with 'bizsync config set KEY' ({keys}).").format(n=len(skipped), keys=", ".join(skipped)),
              file=sys.stderr)
    return 0


def keys_help() -> str:
    """The setting keys and what each takes (the epilog of `config set --help`)."""
    import textwrap

    from bizsync_tui.models.settings import SETTING_DEFS

    width = max(len(d.key) for d in SETTING_DEFS) + 2
    lines = [_("Setting keys:")]
    for d in SETTING_DEFS:
        text = _(KEY_HELP.get(d.key, "secret" if d.secret else "a value"))
        if d.default:
            text += " " + _("(default {value})").format(value=d.default)
        wrapped = textwrap.wrap(text, width=max(30, 96 - width - 2)) or [""]
        lines.append(f"  {d.key.ljust(width)}{wrapped[0]}")
        lines += [" " * (width + 2) + more for more in wrapped[1:]]
    lines += ["", textwrap.fill(_("Passwords (secret) come alone, typed at the prompt or on standard input, never "
                                  "on the command line: bizsync config set portal.password < file. 'bizsync config "
                                  "unset KEY' clears one."), width=96)]
    return "\n".join(lines)


def register(sub, parent) -> None:
    import textwrap

    from bizsync_tui.engine.catalogue import VIEW_IDS

    views_help = _("all, or view ids separated by commas: {ids}").format(ids=", ".join(VIEW_IDS))
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("config", help="show, change, export or import settings",
                       description="Show or change settings; export or import the whole configuration.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("show", parents=[parent], help="every setting (passwords masked)")
    q.set_defaults(func=cmd_config_show)
    q = s.add_parser("set", parents=[parent], formatter_class=raw,
                     help="change settings, several at once (passwords alone, from stdin or a prompt)",
                     usage="bizsync config set KEY VALUE [KEY VALUE ...] | bizsync config set SECRET-KEY < file",
                     description=textwrap.fill(_("Change one or several settings. They are checked together, on the whole that "
                                   "results, and saved all or none: bizsync config set schedule.start 00:00 "
                                   "schedule.times_per_day 24."), width=96),
                     epilog=keys_help())
    q.add_argument("pairs", metavar="KEY VALUE", nargs="*", help=argparse.SUPPRESS)
    q.set_defaults(func=cmd_config_set)
    q = s.add_parser("unset", parents=[parent], help="clear settings (a password, an address) or set them back to "
                                                     "their default")
    q.add_argument("keys", metavar="KEY", nargs="+")
    q.set_defaults(func=cmd_config_unset)
    q = s.add_parser("export", parents=[parent], help="the whole configuration as TOML (never a password)",
                     description="Print the configuration as TOML: settings, companies, groups, mobile users and "
                                 "their grants; never a password or a verifier. Keep it in version control and "
                                 "apply it with 'bizsync config import'.")
    q.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    q.set_defaults(func=cmd_config_export)
    q = s.add_parser("import", parents=[parent], help="apply a configuration file in one transaction",
                     description="Apply a TOML file written by 'bizsync config export' (or by hand) in one "
                                 "transaction and print each change; a refusal changes nothing. Companies, groups "
                                 "and users that are not in the file are kept.")
    q.add_argument("file", metavar="FILE", help="the TOML file, or - for standard input")
    q.add_argument("--dry-run", action="store_true", help="check the file and print what would change; save nothing")
    q.add_argument("--passwords", metavar="FILE",
                   help="login:password lines for the users the file adds (a file of mode 0600)")
    q.set_defaults(func=cmd_config_import)

    p = sub.add_parser("company", help="add, change, list or remove companies",
                       description="Companies published to the platform.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("add", parents=[parent], help="add a company")
    q.add_argument("short_code", metavar="SHORT_CODE", help="the code mobile users type (upper-case letters and digits)")
    q.add_argument("--dossier", required=True, help="Sage dossier number (upper-case letters and digits)")
    q.add_argument("--name", required=True, help="company name (raison sociale)")
    q.add_argument("--accounting", required=True, metavar="SRC", help="accounting source: sqlite:PATH, odbc:..., mssql://HOST/DB")
    q.add_argument("--commercial", required=True, metavar="SRC", help="commercial source, same forms")
    q.add_argument("--views", metavar="all|ID,...", default="all", help=views_help + " " + _("(default: all)"))
    q.add_argument("--revenue-prefixes", default="70", metavar="P,P", help="revenue account prefixes (default 70)")
    q.add_argument("--cash-prefixes", default="", metavar="P,P", help="extra cash account prefixes (default none)")
    q.set_defaults(func=cmd_company_add)
    q = s.add_parser("set", parents=[parent], help="change a company in place (what is not named is kept)",
                     description="Change a company in place: only the options given change; its grants are kept.")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.add_argument("--name", help="company name (raison sociale)")
    q.add_argument("--dossier", help="Sage dossier number")
    q.add_argument("--accounting", metavar="SRC", help="accounting source")
    q.add_argument("--commercial", metavar="SRC", help="commercial source")
    q.add_argument("--views", metavar="all|ID,...", help=views_help + " " + _("(unticked views lose their grants)"))
    q.add_argument("--revenue-prefixes", metavar="P,P", help="revenue account prefixes")
    q.add_argument("--cash-prefixes", metavar="P,P", help="extra cash account prefixes")
    q.add_argument("--enabled", metavar="yes|no",
                   help="no: left out of 'publish' for all and of the schedule ('À extraire' off); "
                        "'publish --company CODE' still publishes it")
    q.set_defaults(func=cmd_company_set)
    q = s.add_parser("list", parents=[parent], help="list companies")
    q.set_defaults(func=cmd_company_list)
    q = s.add_parser("remove", parents=[parent], help="delete a company's published data, then the company",
                     description="Delete the company's data on the platform, then remove it from the "
                                 "configuration. Refused for a member of a group.")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.add_argument("--keep-platform-data", action="store_true",
                   help="remove it here only, leaving its last publication on the platform")
    q.set_defaults(func=cmd_company_remove)

    p = sub.add_parser("group", help="add, change, list or remove company groups",
                       description="Company groups: their published data is the sum of the members'.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("add", parents=[parent], help="add a group")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.add_argument("--name", required=True)
    q.add_argument("--members", required=True, metavar="A,B[,...]", help="short codes of two or more companies")
    q.add_argument("--views", metavar="all|ID,...", default="all", help=views_help + " " + _("(default: all)"))
    q.set_defaults(func=cmd_group_add)
    q = s.add_parser("set", parents=[parent], help="change a group in place (what is not named is kept)")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.add_argument("--name")
    q.add_argument("--members", metavar="A,B[,...]", help="the whole new list of member companies")
    q.add_argument("--views", metavar="all|ID,...", help=views_help)
    q.add_argument("--enabled", metavar="yes|no", help="no: left out of 'publish' for all and of the schedule")
    q.set_defaults(func=cmd_group_set)
    q = s.add_parser("list", parents=[parent], help="list groups")
    q.set_defaults(func=cmd_group_list)
    q = s.add_parser("remove", parents=[parent], help="delete a group's published data, then the group")
    q.add_argument("short_code", metavar="SHORT_CODE")
    q.add_argument("--keep-platform-data", action="store_true",
                   help="remove it here only, leaving its last publication on the platform")
    q.set_defaults(func=cmd_group_remove)

    p = sub.add_parser("user", help="add, change, list or remove mobile users", description="Mobile users and their grants.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("add", parents=[parent], help="add a mobile user (password from stdin or a prompt)")
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("--name", required=True)
    q.add_argument("--grant", action="append", metavar="SHORT_CODE:all|ID,...",
                   help="views this user may see for a company or group; repeat for several (they add up)")
    q.set_defaults(func=cmd_user_add)
    q = s.add_parser("set", parents=[parent], help="change a mobile user in place (what is not named is kept)",
                     description="Change a mobile user in place. Each --grant replaces the grant on that company "
                                 "or group only (CODE:none takes it away); the others are kept.")
    q.add_argument("login", metavar="LOGIN")
    q.add_argument("--name")
    q.add_argument("--grant", action="append", metavar="SHORT_CODE:all|none|ID,...",
                   help="the views this user may see for that company or group; repeat for several")
    q.add_argument("--password", action="store_true", help="set a new password (from stdin or a prompt)")
    q.set_defaults(func=cmd_user_set)
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
