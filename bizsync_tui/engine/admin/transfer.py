"""The configuration as a file: `bizsync config export` and `bizsync config import`.

The file is TOML, in a stable order so that it can be kept in version control:

    [settings.portal]            every setting that is not a secret, by key
    url = "https://platform.example.com"
    [companies.BIJOU]            one table per company, by short code
    dossier = "BIJOU01"  name = "Bijou SA"  accounting = "mssql://..."  commercial = "..."
    views = "all" (or a list of view ids)  revenue_prefixes = "70"  cash_prefixes = ""  enabled = true
    [groups.BIJGRP]              name, members, views, enabled
    [users.marie]                name, and a grants table: short code = a list of view ids (or "all")
    [users.marie.grants]

Never a secret (the portal, database and proxy passwords stay in the settings database)
nor a mobile user's verifier. Importing applies the file in one transaction through the
same operations the forms and the commands use (set_settings, save_company, save_user),
so everything is validated as there; a refusal leaves the configuration as it was. What
changed is worked out by comparing the export of before and after, so that importing the
same file twice, or the export of this configuration, reports no change. Records that are
not in the file are left as they are (removing a company also deletes its platform data:
that is `bizsync company remove`'s job, not an import's).

A user that the file adds needs a password: `passwords` maps logins to passwords (the CLI
reads them from a `login:password` file only its owner can read); without one the import is
refused, naming every such user.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomli_w

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.admin.config import (CompanyData, UserData, get_company, get_user, list_companies, list_users,
                                             save_company, save_user, set_settings)
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.contract import check_verifier
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.i18n import _
from bizsync_tui.models.settings import DEFS
from bizsync_tui.models.tables import MobileUser

MAX_FILE_BYTES = 8 * 1024 * 1024
HEADER = ("# bizsync configuration (bizsync config export). No password is ever written here:\n"
          "# set them with 'bizsync config set KEY' and give new users' passwords with\n"
          "# 'bizsync config import FILE --passwords FILE'.\n")
SECTIONS = ("settings", "companies", "groups", "users")
COMPANY_FIELDS = ("dossier", "name", "accounting", "commercial", "views", "revenue_prefixes", "cash_prefixes",
                  "enabled")
GROUP_FIELDS = ("name", "members", "views", "enabled")
USER_FIELDS = ("name", "grants")


# -- export ----------------------------------------------------------------------------
def _views_out(views: list[str]):
    return "all" if list(views) == list(catalogue.VIEW_IDS) else list(views)


def _nest(flat: dict[str, str]) -> dict:
    out: dict = {}
    for key, value in flat.items():
        *path, leaf = key.split(".")
        node = out
        for part in path:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def export_data(ws: Workspace) -> dict:
    """The configuration as plain data (what the TOML file holds), in a stable order."""
    settings = {d.key: ws.settings.get(d.key) for d in DEFS.values() if not d.secret}
    companies = {}
    for c in list_companies(ws, groups=False):
        companies[c.short_code] = {
            "dossier": c.dossier, "name": c.name, "accounting": c.accounting_source,
            "commercial": c.commercial_source, "views": _views_out(c.views),
            "revenue_prefixes": c.revenue_prefixes, "cash_prefixes": c.cash_prefixes, "enabled": c.enabled}
    groups = {}
    for g in list_companies(ws, groups=True):
        groups[g.short_code] = {"name": g.name, "members": list(g.members), "views": _views_out(g.views),
                                "enabled": g.enabled}
    users = {}
    for u in list_users(ws):
        # explicit lists: a grant "all" in the file would widen when the company publishes more
        users[u.login] = {"name": u.name, "grants": {code: list(ids) for code, ids in sorted(u.grants.items())}}
    return {"settings": _nest(settings), "companies": companies, "groups": groups, "users": users}


def export_toml(ws: Workspace) -> str:
    return HEADER + tomli_w.dumps(export_data(ws))


# -- reading a file ----------------------------------------------------------------------
def _flatten(node: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def parse_toml(text: str, source: str = "the file") -> dict:
    """The file's data; ValidationError with a sentence (and the line) when it is not valid TOML."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError("file", _("{source} is not a valid configuration file ({error}); fix it, or export "
                                        "a fresh one with 'bizsync config export'.").format(source=source, error=exc)) from None
    unknown = [k for k in data if k not in SECTIONS]
    if unknown:
        raise ValidationError("file", _("{source} has an unknown section [{name}]; a configuration file has only "
                                        "[settings], [companies.CODE], [groups.CODE] and [users.LOGIN].").format(
            source=source, name=unknown[0]))
    for section in SECTIONS:
        if not isinstance(data.get(section, {}), dict):
            raise ValidationError("file", _("[{section}] must be a table; see 'bizsync config export' for the "
                                            "layout.").format(section=section))
    return data


def _text(where: str, name: str, value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError(name, _("{where}: {name} must be text in quotes.").format(where=where, name=name))
    return str(value)


def _flag(where: str, value) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("enabled", _("{where}: enabled must be true or false.").format(where=where))
    return value


def _view_list(where: str, name: str, value):
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValidationError(name, _("{where}: {name} must be \"all\" or a list of view ids in quotes.").format(
        where=where, name=name))


def _table(where: str, value, allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise ValidationError("file", _("{where} must be a table of fields; see 'bizsync config export' for the "
                                        "layout.").format(where=where))
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise ValidationError(unknown[0], _("{where}: '{name}' is not a field; the fields are {fields}.").format(
            where=where, name=unknown[0], fields=", ".join(allowed)))
    return value


def _required(where: str, table: dict, names: tuple[str, ...]) -> None:
    missing = [n for n in names if n not in table]
    if missing:
        raise ValidationError(missing[0], _("{where} is new here and needs {fields}.").format(
            where=where, fields=", ".join(missing)))


# -- applying a file ---------------------------------------------------------------------
@dataclass
class ImportResult:
    changes: list[str] = field(default_factory=list)  # one line per change, for the admin
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class _DryRun(Exception):
    """Raised inside the transaction to roll it back after a dry run."""


def _apply_settings(ws: Workspace, section: dict) -> None:
    flat = _flatten(section)
    secrets = [k for k in flat if k in DEFS and DEFS[k].secret]
    if secrets:
        raise ValidationError(secrets[0], _("settings: {key} is a password and never goes in the file; remove it "
                                            "and set it with 'bizsync config set {key}'.").format(key=secrets[0]))
    changes: dict[str, str] = {}
    unset: list[str] = []
    for key, value in flat.items():
        if key not in DEFS:
            raise ValidationError(key, _("settings: '{key}' is not a setting; run 'bizsync config set --help' to "
                                         "list them.").format(key=key))
        value = _text("settings", key, value)
        if value == ws.settings.get(key):
            continue
        if value == "":
            unset.append(key)
        else:
            changes[key] = value
    if changes or unset:
        set_settings(ws, changes, unset=unset)


def _apply_company(ws: Workspace, code: str, table: dict) -> None:
    where = _("company {code}").format(code=code)
    table = _table(where, table, COMPANY_FIELDS)
    current = get_company(ws, code)
    if current is not None and current.is_group:
        raise ValidationError("short_code", _("{where}: {code} is a group here; put it under [groups.{code}].").format(
            where=where, code=code))
    if current is None:
        _required(where, table, ("dossier", "name", "accounting", "commercial"))
        current = CompanyData(short_code=code, name="", views=list(catalogue.VIEW_IDS))
    data = replace(current, short_code=code)
    if "dossier" in table:
        data.dossier = _text(where, "dossier", table["dossier"])
    if "name" in table:
        data.name = _text(where, "name", table["name"])
    if "accounting" in table:
        data.accounting_source = _text(where, "accounting", table["accounting"])
    if "commercial" in table:
        data.commercial_source = _text(where, "commercial", table["commercial"])
    if "views" in table:
        data.views = validation.views(_view_list(where, "views", table["views"]))
    if "revenue_prefixes" in table:
        data.revenue_prefixes = _text(where, "revenue_prefixes", table["revenue_prefixes"])
    if "cash_prefixes" in table:
        data.cash_prefixes = _text(where, "cash_prefixes", table["cash_prefixes"])
    if "enabled" in table:
        data.enabled = _flag(where, table["enabled"])
    save_company(ws, data)


def _apply_group(ws: Workspace, code: str, table: dict) -> None:
    where = _("group {code}").format(code=code)
    table = _table(where, table, GROUP_FIELDS)
    current = get_company(ws, code)
    if current is not None and not current.is_group:
        raise ValidationError("short_code", _("{where}: {code} is a company here; put it under [companies.{code}].").format(
            where=where, code=code))
    if current is None:
        _required(where, table, ("name", "members"))
        current = CompanyData(short_code=code, name="", views=list(catalogue.VIEW_IDS), is_group=True)
    data = replace(current, short_code=code, is_group=True)
    if "name" in table:
        data.name = _text(where, "name", table["name"])
    if "members" in table:
        members = table["members"]
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise ValidationError("members", _("{where}: members must be a list of company short codes in quotes.").format(
                where=where))
        data.members = list(members)
    if "views" in table:
        data.views = validation.views(_view_list(where, "views", table["views"]))
    if "enabled" in table:
        data.enabled = _flag(where, table["enabled"])
    save_company(ws, data)


def _apply_user(ws: Workspace, login: str, table: dict, passwords: dict[str, str]) -> None:
    where = _("user {login}").format(login=login)
    table = _table(where, table, USER_FIELDS)
    current = get_user(ws, login)
    if current is None:
        _required(where, table, ("name",))
        current = UserData(login=login, name="")
    data = replace(current, login=login, password=None)
    if "name" in table:
        data.name = _text(where, "name", table["name"])
    if "grants" in table:
        grants = table["grants"]
        if not isinstance(grants, dict):
            raise ValidationError("grants", _("{where}: grants must be a table of short code = \"all\" or a list of "
                                              "view ids.").format(where=where))
        data.grants = {code: _view_list(where, f"grants.{code}", ids) for code, ids in grants.items()}
    password = passwords.get(login)
    if password is not None:
        row = MobileUser.get_or_none(MobileUser.login == login)
        if row is None or not check_verifier(row.password_verifier, password):
            data.password = password
    save_user(ws, data)


def _named(where: str, exc: ValidationError) -> ValidationError:
    """The refusal of an operation, naming the record of the file it came from."""
    if exc.message.startswith(where):
        return exc
    return ValidationError(exc.field, _("{where}: {message}").format(where=where, message=exc.message))


def _apply(ws: Workspace, data: dict, passwords: dict[str, str]) -> None:
    try:
        _apply_settings(ws, data.get("settings", {}))
    except ValidationError as exc:
        raise _named("settings", exc) from None
    steps = [(_("company {code}"), _apply_company, code, table) for code, table in data.get("companies", {}).items()]
    steps += [(_("group {code}"), _apply_group, code, table) for code, table in data.get("groups", {}).items()]
    for where, apply, code, table in steps:
        try:
            apply(ws, code, table)
        except ValidationError as exc:
            raise _named(where.format(code=code), exc) from None
    for login, table in data.get("users", {}).items():
        try:
            _apply_user(ws, login, table, passwords)
        except ValidationError as exc:
            raise _named(_("user {login}").format(login=login), exc) from None


def new_users_without_password(ws: Workspace, data: dict, passwords: dict[str, str]) -> list[str]:
    return sorted(login for login in data.get("users", {})
                  if login not in passwords and MobileUser.get_or_none(MobileUser.login == login) is None)


def _changed_passwords(ws: Workspace, data: dict, passwords: dict[str, str]) -> list[str]:
    changed = []
    for login in data.get("users", {}):
        if login in passwords:
            row = MobileUser.get_or_none(MobileUser.login == login)
            if row is not None and not check_verifier(row.password_verifier, passwords[login]):
                changed.append(login)
    return changed


def import_data(ws: Workspace, data: dict, *, passwords: dict[str, str] | None = None,
                dry_run: bool = False) -> ImportResult:
    """Apply a parsed configuration file in one transaction; what changed, one line each.

    ValidationError (naming the record) when anything is refused: nothing is saved then.
    With dry_run everything is applied and checked the same way, then rolled back.
    """
    passwords = dict(passwords or {})
    missing = new_users_without_password(ws, data, passwords)
    if missing:
        raise ValidationError("passwords", _(
            "The file adds the user(s) {logins}, who need a password: give them with --passwords FILE (lines "
            "login:password, a file only you can read), or add them with 'bizsync user add'.").format(
            logins=", ".join(missing)))
    before = export_data(ws)
    reset_passwords = _changed_passwords(ws, data, passwords)
    result = ImportResult(dry_run=dry_run)
    try:
        with ws.atomic():
            _apply(ws, data, passwords)
            after = export_data(ws)
            result.changes = describe_changes(before, after)
            result.changes += [_("user {login}: password changed").format(login=login) for login in reset_passwords]
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    return result


def import_toml(ws: Workspace, text: str, *, source: str = "the file", passwords: dict[str, str] | None = None,
                dry_run: bool = False) -> ImportResult:
    return import_data(ws, parse_toml(text, source), passwords=passwords, dry_run=dry_run)


# -- what changed --------------------------------------------------------------------------
def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "(none)"
    if isinstance(value, dict):  # grants: BIJOU:all; GRP:sales_revenue,cash_position
        return "; ".join(f"{k}:{v if isinstance(v, str) else _show(v)}" for k, v in value.items()) or "(none)"
    return f'"{value}"'


def describe_changes(before: dict, after: dict) -> list[str]:
    """One line per change between two exports, in the file's order."""
    lines: list[str] = []
    old, new = _flatten(before.get("settings", {})), _flatten(after.get("settings", {}))
    for key in new:
        if old.get(key) != new[key]:
            lines.append(_("setting {key}: {old} -> {new}").format(key=key, old=_show(old.get(key, "")),
                                                                   new=_show(new[key])))
    kinds = (("companies", _("company {code}")), ("groups", _("group {code}")), ("users", _("user {login}")))
    for section, label in kinds:
        was, now = before.get(section, {}), after.get(section, {})
        for code, record in now.items():
            who = label.format(code=code, login=code)
            if code not in was:
                lines.append(_("{who}: added").format(who=who))
                continue
            for name, value in record.items():
                if was[code].get(name) != value:
                    lines.append(_("{who}: {field} {old} -> {new}").format(
                        who=who, field=name, old=_show(was[code].get(name)), new=_show(value)))
        for code in was:
            if code not in now:  # only a side effect of another change (never by the file itself)
                lines.append(_("{who}: removed").format(who=label.format(code=code, login=code)))
    return lines


# -- the passwords file ----------------------------------------------------------------------
def read_passwords(path: str | Path) -> dict[str, str]:
    """`login:password` lines of a file only its owner may read (mode 0600 or stricter)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise ValidationError("passwords", _("{path} is not a file; give a file of login:password lines.").format(
                path=path))
        if mode & 0o077:
            raise ValidationError("passwords", _(
                "{path} can be read by other users of this machine; make it yours only (chmod 600 {path}) and "
                "run the import again.").format(path=path))
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError("passwords", _("{path} is too large for a passwords file.").format(path=path))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError("passwords", _("There is no file {path}; give a file of login:password lines.").format(
            path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("passwords", _("{path} cannot be read ({error}).").format(
            path=path, error=type(exc).__name__)) from None
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        login, sep, password = line.partition(":")
        if not sep or not login.strip():
            raise ValidationError("passwords", _("Line {n} of {path} is not login:password; write one user per "
                                                 "line, such as marie:her-password.").format(n=number, path=path))
        out[login.strip()] = password  # never stripped: spaces may belong to a password
    return out


def read_config_file(path: str) -> tuple[str, str]:
    """(text, name for messages) of a configuration file; ValidationError when unreadable."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            raise ValidationError("file", _("{path} is too large for a configuration file.").format(path=path))
        return Path(path).read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        raise ValidationError("file", _("There is no file {path}.").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("file", _("{path} cannot be read ({error}).").format(
            path=path, error=type(exc).__name__)) from None


__all__ = ["ImportResult", "describe_changes", "export_data", "export_toml", "import_data", "import_toml",
           "parse_toml", "read_config_file", "read_passwords"]
