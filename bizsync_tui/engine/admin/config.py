"""Configuration operations: settings, companies, groups, mobile users and grants.

The TUI forms, the command line and the demo all call these. Each validates
everything first (engine/validation.py) and writes in one transaction, so a
refused change leaves the previous configuration intact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bizsync_tui.engine.admin import validation
from bizsync_tui.engine.contract import make_verifier
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.i18n import _
from bizsync_tui.models.settings import DEFS, SCHEDULE_KEYS, SECRET_KEYS
from bizsync_tui.models.tables import Company, CompanyView, Grant, GroupMember, MobileUser


# -- settings ---------------------------------------------------------------
PROXY_KEYS = ("proxy.mode", "proxy.host", "proxy.port")


def set_settings(ws: Workspace, changes: dict[str, str], *, unset: tuple[str, ...] | list[str] = ()) -> None:
    """Validate and save several settings at once (a form's Save, `config set`, `config import`).

    Every value is checked, then the settings that depend on each other are checked on the
    whole that would result (the stored values merged with the changes): the schedule's
    fields together, a manual proxy's address and port. All or nothing: a refusal raises
    ValidationError and saves none of them. `unset` keys go back to their default (a secret
    is cleared) and take part in the same checks.
    """
    clean: dict[str, str] = {}
    for key in [*changes, *unset]:
        if key not in DEFS:
            raise ValidationError(key, _("'{key}' is not a setting; run 'bizsync config show' to list them.").format(key=key))
    for key, value in changes.items():
        clean[key] = validation.setting(key, value)
    for key in unset:
        clean[key] = DEFS[key].default

    def merged(key: str) -> str:
        return clean[key] if key in clean else ws.settings.get(key)

    if any(k in clean for k in SCHEDULE_KEYS):
        # the fields that must hold together (weekday and holidays stand alone: checked above)
        freq, times, start, interval = validation.schedule(
            merged("schedule.frequency"), merged("schedule.times_per_day"), merged("schedule.start"),
            merged("schedule.interval_hours"))
        together = {"schedule.frequency": freq, "schedule.times_per_day": str(times), "schedule.start": start,
                    "schedule.interval_hours": str(interval)}
        clean.update({k: v for k, v in together.items() if k in clean})
    if any(k in clean for k in PROXY_KEYS) and merged("proxy.mode") == "manual":
        # the same rule as the Proxy screen: a manual proxy needs its address and port
        if not merged("proxy.host"):
            raise ValidationError("proxy.host", _("A manual proxy needs its address; type the proxy's host name, such as proxy.example.com."))
        if not merged("proxy.port"):
            raise ValidationError("proxy.port", _("A manual proxy needs its port, a number from 1 to 65535, such as 3128."))
    with ws.atomic():
        for key, value in clean.items():
            ws.settings.set(key, value)


def show_settings(ws: Workspace) -> list[tuple[str, str]]:
    """(key, value) for display: secrets shown only as set / not set / unreadable."""
    rows = []
    for d in DEFS.values():
        if d.secret:
            if not ws.settings.is_set(d.key):
                shown = _("(not set)")
            elif ws.settings.get_secret(d.key) is None:
                shown = _("(cannot be read with this key: set it again)")
            else:
                shown = "********"
        else:
            shown = ws.settings.get(d.key)
        rows.append((d.key, shown))
    return rows


# -- companies and groups ----------------------------------------------------
@dataclass
class CompanyData:
    short_code: str
    name: str
    dossier: str = ""
    accounting_source: str = ""
    commercial_source: str = ""
    views: list[str] = field(default_factory=list)
    revenue_prefixes: str = "70"
    cash_prefixes: str = ""
    enabled: bool = True
    is_group: bool = False
    members: list[str] = field(default_factory=list)  # groups: member short codes
    id: int | None = None


def _company_data(c: Company) -> CompanyData:
    return CompanyData(
        id=c.id, short_code=c.short_code, name=c.name, dossier=c.dossier,
        accounting_source=c.accounting_source, commercial_source=c.commercial_source,
        views=validation.views(c.view_ids()), revenue_prefixes=c.revenue_prefixes,
        cash_prefixes=c.cash_prefixes, enabled=c.enabled, is_group=c.is_group,
        members=sorted(m.member.short_code for m in c.members) if c.is_group else [])


def list_companies(ws: Workspace, *, groups: bool | None = False) -> list[CompanyData]:
    """Companies (groups=False), groups (True) or both (None), by short code."""
    query = Company.select().order_by(Company.short_code)
    if groups is not None:
        query = query.where(Company.is_group == groups)
    return [_company_data(c) for c in query]


def get_company(ws: Workspace, short_code: str) -> CompanyData | None:
    c = Company.get_or_none(Company.short_code == short_code)
    return _company_data(c) if c else None


def _check_unique_code(code: str, own_id: int | None) -> None:
    other = Company.get_or_none(Company.short_code == code)
    if other is not None and other.id != own_id:
        text = (_("The short code {code} is already used by the group {name}; choose another.") if other.is_group
                else _("The short code {code} is already used by the company {name}; choose another."))
        raise ValidationError("short_code", text.format(code=code, name=other.name))


def save_company(ws: Workspace, data: CompanyData) -> CompanyData:
    """Create (data.id None) or update a company or group, with its views."""
    code = validation.short_code(data.short_code)
    name = validation.name(data.name, what="company name" if not data.is_group else "group name")
    views = validation.views(data.views)
    members: list[Company] = []
    if data.is_group:
        dossier = ""
        acc = com = ""
        codes = [validation.short_code(m) for m in data.members]
        if len(set(codes)) < 2:
            raise ValidationError("members", _("A group needs at least two member companies; tick two or more."))
        for m in sorted(set(codes)):
            row = Company.get_or_none(Company.short_code == m, Company.is_group == False)  # noqa: E712
            if row is None:
                raise ValidationError("members", _("There is no company {code}; add it first, or tick existing companies only.").format(code=m))
            members.append(row)
        rev = cash = ""
    else:
        dossier = validation.dossier(data.dossier)
        acc = str(validation.source(data.accounting_source, "accounting_source"))
        com = str(validation.source(data.commercial_source, "commercial_source"))
        rev = validation.prefixes(data.revenue_prefixes, "revenue_prefixes") or "70"
        cash = validation.prefixes(data.cash_prefixes, "cash_prefixes")
    _check_unique_code(code, data.id)
    with ws.atomic():
        if data.id is None:
            row = Company.create(short_code=code, name=name, dossier=dossier, accounting_source=acc,
                                 commercial_source=com, revenue_prefixes=rev, cash_prefixes=cash,
                                 enabled=data.enabled, is_group=data.is_group)
        else:
            row = Company.get_by_id(data.id)
            row.short_code, row.name, row.dossier = code, name, dossier
            row.accounting_source, row.commercial_source = acc, com
            row.revenue_prefixes, row.cash_prefixes, row.enabled = rev, cash, data.enabled
            row.save()
        CompanyView.delete().where(CompanyView.company == row).execute()
        if views:
            CompanyView.insert_many([{"company": row.id, "view_id": v} for v in views]).execute()
        # grants may only name views the company publishes
        Grant.delete().where(Grant.company == row, Grant.view_id.not_in(views or [""])).execute()
        if data.is_group:
            GroupMember.delete().where(GroupMember.group == row).execute()
            GroupMember.insert_many([{"group": row.id, "member": m.id} for m in members]).execute()
    return _company_data(Company.get_by_id(row.id))


def remove_company(ws: Workspace, short_code: str, *, is_group: bool | None = None) -> None:
    row = Company.get_or_none(Company.short_code == short_code)
    if row is None or (is_group is not None and row.is_group != is_group):
        text = (_("There is no group {code}; run 'bizsync group list' to see them.") if is_group
                else _("There is no company {code}; run 'bizsync company list' to see them."))
        raise ValidationError("short_code", text.format(code=short_code))
    if not row.is_group:
        groups = [gm.group.short_code for gm in GroupMember.select().where(GroupMember.member == row)]
        if groups:
            raise ValidationError("short_code", _("{code} is a member of the group {groups}; remove it from the group first.").format(
                code=short_code, groups=", ".join(groups)))
    with ws.atomic():
        row.delete_instance(recursive=False)


# -- mobile users -------------------------------------------------------------
@dataclass
class UserData:
    login: str
    name: str
    password: str | None = None  # only when set or changed; never read back
    grants: dict[str, list[str]] = field(default_factory=dict)  # short code -> view ids
    id: int | None = None


def _user_data(u: MobileUser) -> UserData:
    grants: dict[str, list[str]] = {}
    for g in u.grants.join(Company).order_by(Company.short_code):
        grants.setdefault(g.company.short_code, []).append(g.view_id)
    return UserData(id=u.id, login=u.login, name=u.name,
                    grants={k: validation.views(v) for k, v in grants.items()})


def list_users(ws: Workspace) -> list[UserData]:
    return [_user_data(u) for u in MobileUser.select().order_by(MobileUser.login)]


def get_user(ws: Workspace, login: str) -> UserData | None:
    u = MobileUser.get_or_none(MobileUser.login == login)
    return _user_data(u) if u else None


def resolve_grants(grants: dict[str, list[str] | str]) -> dict[Company, list[str]]:
    """Check each grant against what the company publishes; 'all' = every view it publishes."""
    out: dict[Company, list[str]] = {}
    for code, ids in grants.items():
        company = Company.get_or_none(Company.short_code == code)
        if company is None:
            raise ValidationError("grants", _("There is no company or group {code}; grant views of an existing one (bizsync company list).").format(
                code=code))
        published = set(company.view_ids())
        if isinstance(ids, str) and ids.strip().lower() == "all":
            ids = sorted(published)
        wanted = validation.views(ids)
        missing = [v for v in wanted if v not in published]
        if missing:
            raise ValidationError("grants", _("{code} does not publish {view}; tick that view for {code} first, or grant only the views it publishes.").format(
                code=code, view=missing[0]))
        out[company] = wanted
    return out


def save_user(ws: Workspace, data: UserData) -> UserData:
    login = validation.login(data.login)
    name = validation.name(data.name, what="user name")
    if data.id is None and not data.password:
        raise ValidationError("password", _("A new user needs a password of at least 8 characters."))
    verifier = make_verifier(validation.user_password(data.password)) if data.password else None
    grants = resolve_grants(data.grants)
    other = MobileUser.get_or_none(MobileUser.login == login)
    if other is not None and other.id != data.id:
        raise ValidationError("login", _("The login {login} is already taken by {name}; choose another.").format(login=login, name=other.name))
    with ws.atomic():
        if data.id is None:
            row = MobileUser.create(login=login, name=name, password_verifier=verifier)
        else:
            row = MobileUser.get_by_id(data.id)
            row.login, row.name = login, name
            if verifier:
                row.password_verifier = verifier
            row.save()
        Grant.delete().where(Grant.user == row).execute()
        rows = [{"user": row.id, "company": c.id, "view_id": v} for c, ids in grants.items() for v in ids]
        if rows:
            Grant.insert_many(rows).execute()
    return _user_data(MobileUser.get_by_id(row.id))


def remove_user(ws: Workspace, login: str) -> None:
    row = MobileUser.get_or_none(MobileUser.login == login)
    if row is None:
        raise ValidationError("login", _("There is no user {login}; run 'bizsync user list' to see them.").format(login=login))
    with ws.atomic():
        row.delete_instance(recursive=True)


def users_payload(ws: Workspace) -> dict:
    """The body of PUT /api/v1/users: every user with a verifier and their grants."""
    users = []
    for u in MobileUser.select().order_by(MobileUser.login):
        grants: dict[str, list[str]] = {}
        for g in u.grants.join(Company).order_by(Company.short_code, Grant.view_id):
            grants.setdefault(g.company.short_code, []).append(g.view_id)
        users.append({"login": u.login, "name": u.name, "password_verifier": u.password_verifier,
                      "grants": {k: validation.views(v) for k, v in grants.items()}})
    return {"users": users}


# -- what is ready -------------------------------------------------------------
@dataclass(frozen=True)
class ReadinessItem:
    key: str  # portal, companies, database, users, schedule
    done: bool
    optional: bool = False


def readiness(ws: Workspace) -> list[ReadinessItem]:
    s = ws.settings
    portal = all(s.is_set(k) for k in ("portal.url", "portal.client_code", "portal.password")) \
        and s.get_secret("portal.password") is not None
    companies = Company.select().where(Company.is_group == False).exists()  # noqa: E712
    needs_db_login = any(not c.accounting_source.startswith("sqlite:") or not c.commercial_source.startswith("sqlite:")
                         for c in Company.select().where(Company.is_group == False))  # noqa: E712
    database = (s.is_set("database.user") and s.get_secret("database.password") is not None) or (companies and not needs_db_login)
    users = MobileUser.select().exists()
    schedule = s.get("schedule.frequency") != "none"
    return [ReadinessItem("portal", portal), ReadinessItem("companies", companies),
            ReadinessItem("database", database), ReadinessItem("users", users),
            ReadinessItem("schedule", schedule, optional=True)]


__all__ = [
    "CompanyData", "UserData", "ValidationError", "ReadinessItem", "set_settings", "show_settings",
    "list_companies", "get_company", "save_company", "remove_company", "list_users", "get_user",
    "save_user", "remove_user", "users_payload", "readiness", "SECRET_KEYS",
]
