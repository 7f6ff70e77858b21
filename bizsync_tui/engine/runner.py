"""The one function that runs an operation end to end: extract -> publish -> journal.

The TUI (wizard, company screen), `bizsync publish` and the scheduler all call
`run(ws, "publish"|"delete", target, ...)`. It checks that the configuration is
ready, opens one HTTP session, then for each company and group: reads its Sage
sources with the management credentials (each member once per run, even when it
is also published alone), builds the publication, PUTs it, and writes one
journal row with the outcome, the duration and the figures sent. One company
failing never stops the others. A full publish ends with the mobile users and
their grants (PUT /users); a delete of everything is DELETE /data.

No message written here holds a secret: platform errors are scrubbed by
engine.http, source errors by engine.sources, and anything unexpected is
reduced to its type name.
"""

from __future__ import annotations

import datetime as _dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from bizsync_tui.engine import catalogue, journal
from bizsync_tui.engine.config import readiness, users_payload
from bizsync_tui.engine.locks import ProcessLock, describe_holder
from bizsync_tui.engine.http import PlatformClient, PublishError, error_from_exception, error_from_response, scrub
from bizsync_tui.engine.validation import ValidationError
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.models.tables import Company, Grant, GroupMember, MobileUser

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

ACTIONS = ("publish", "delete")
# Failures that concern the whole connection, not one company: once one happens, the
# remaining calls of the run are not attempted (each would wait for the same retries);
# they are journaled with the same message, since the same fix applies.
CONNECTION_KINDS = frozenset({"auth", "proxy_auth", "proxy", "tls", "dns", "unreachable", "config"})

MISSING = {
    "portal": "the platform connection (address, client code and password) is not complete; set it in "
              "Settings > Connection or with 'bizsync config set portal.url URL', "
              "'bizsync config set portal.client_code CODE' and 'bizsync config set portal.password'",
    "companies": "there is no company to publish; add one in Companies or with 'bizsync company add'",
    "database": "the management-database user and password are not set; set them in Settings > Database "
                "or with 'bizsync config set database.user USER' and 'bizsync config set database.password'",
}


@dataclass
class Result:
    """The outcome of one operation (one journal row)."""

    operation: str  # publish, delete, users, delete_all, check
    company: str  # short code, '' for client-wide operations
    success: bool
    message: str
    duration_ms: int = 0
    figures: dict | None = None
    entry_id: int | None = None

    def line(self) -> str:
        mark = "ok" if self.success else "x"
        who = self.company or "-"
        return f"{mark:2} {self.operation:10} {who:17} {self.message}"


@dataclass
class RunReport:
    action: str
    target: str | None
    trigger: str
    results: list[Result] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.results) and not self.cancelled and all(r.success for r in self.results)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.success]

    def summary(self) -> str:
        good = sum(r.success for r in self.results)
        text = f"{good} of {len(self.results)} operation(s) succeeded"
        if self.cancelled:
            text += " (stopped by the admin before the end)"
        return text + "."


# -- helpers -------------------------------------------------------------------------
def _ms(start: float) -> int:
    return int((time.monotonic() - start) * 1000)


def _record(report: RunReport, operation: str, company: str, success: bool, message: str,
            duration_ms: int = 0, figures: dict | None = None, secrets: list[str] = ()) -> Result:
    message = scrub(message, list(secrets))
    entry = journal.record(operation, company=company, success=success, message=message,
                           duration_ms=duration_ms, figures=figures, trigger=report.trigger)
    result = Result(operation, company, success, message, duration_ms, figures, entry.id)
    report.results.append(result)
    return result


def _secrets(values: dict) -> list[str]:
    return [v for k, v in values.items() if k.endswith(".password") and v]


def _unexpected(exc: BaseException, what: str) -> str:
    return (f"{what} failed on an unexpected error ({type(exc).__name__}); try again, and if it "
            f"happens again report it with the journal entry.")


def figures_of(body: dict) -> dict:
    """What the journal keeps of a publication: its id, date and each view's amounts."""
    views: dict = {}
    for view_id, data in body.get("views", {}).items():
        if "rows" not in data:  # amount
            views[view_id] = {p: data[p]["amount"] for p in ("month", "year") if p in data}
        elif "total" in data:  # balances
            views[view_id] = {"total": data["total"], "rows": [[r["code"], r["amount"]] for r in data["rows"]]}
        else:  # ranking
            views[view_id] = [[r["code"], r["amount"]] for r in data["rows"]]
    return {"publication_id": body.get("publication_id"), "as_of": body.get("as_of"), "views": views}


def _coerce_date(as_of) -> _dt.date:
    if as_of is None:
        return _dt.date.today()
    if isinstance(as_of, _dt.datetime):
        return as_of.date()
    if isinstance(as_of, _dt.date):
        return as_of
    try:
        return _dt.date.fromisoformat(str(as_of).strip())
    except ValueError:
        raise ValidationError("as_of", f"'{as_of}' is not a date; type it as YYYY-MM-DD, such as 2026-11-28.") from None


# -- extraction ----------------------------------------------------------------------
class Extractor:
    """Extracts companies for one run, each member at most once (a cache by short code)."""

    def __init__(self, values: dict, as_of: _dt.date, needed: dict[str, set[str]] | None = None):
        self.values = values
        self.as_of = as_of
        self.needed = needed or {}  # short code -> every view id needed this run
        self._cache: dict[str, object] = {}  # short code -> CompanyFigures or an exception

    def credentials(self) -> tuple[str | None, str | None]:
        user = (self.values.get("database.user") or "").strip() or None
        password = self.values.get("database.password")
        if user and password is None:
            from bizsync_tui.engine.sources import SourceError

            raise SourceError("The saved management-database password cannot be read with this encryption key; "
                              "type it again in Settings > Database or with 'bizsync config set database.password'.")
        return user, (password or None)

    def figures(self, company: Company):
        code = company.short_code
        if code not in self._cache:
            try:
                self._cache[code] = self._extract(company)
            except Exception as exc:  # kept, so a group and the member alone report the same error
                self._cache[code] = exc
        got = self._cache[code]
        if isinstance(got, Exception):
            raise got
        return got

    def _extract(self, company: Company):
        from bizsync_tui.engine.extract import extract_figures
        from bizsync_tui.engine.source_spec import parse_source

        user, password = self.credentials()
        wanted = set(company.view_ids()) | self.needed.get(company.short_code, set())
        view_ids = [v for v in catalogue.VIEW_IDS if v in wanted]
        return extract_figures(parse_source(company.accounting_source), parse_source(company.commercial_source),
                               user=user, password=password, as_of=self.as_of, view_ids=view_ids,
                               revenue_prefixes=company.prefixes("revenue_prefixes") or ("70",),
                               cash_prefixes=company.prefixes("cash_prefixes"))

    def members(self, group: Company) -> list[Company]:
        return sorted((gm.member for gm in GroupMember.select().where(GroupMember.group == group)),
                      key=lambda c: c.short_code)

    def publication(self, company: Company, view_ids: list[str] | None = None,
                    publication_id: str | None = None) -> dict:
        """The publication body of a company or group (its checked views, or `view_ids`)."""
        from bizsync_tui.engine.extract import build_publication

        views = [v for v in catalogue.VIEW_IDS if v in set(company.view_ids() if view_ids is None else view_ids)]
        if company.is_group:
            from bizsync_tui.engine.groups import check_group_consistency

            members = self.members(company)
            figures = []
            for m in members:
                try:
                    figures.append((m.short_code, self.figures(m)))
                except Exception as exc:
                    from bizsync_tui.engine.sources import SourceError

                    if isinstance(exc, SourceError):
                        raise SourceError(f"Member {m.short_code} of the group could not be read: {exc}") from None
                    raise
            check_group_consistency(figures)
            return build_publication([f for _, f in figures], short_code=company.short_code,
                                     dossier=company.dossier or company.short_code, name=company.name,
                                     view_ids=views, publication_id=publication_id)
        return build_publication(self.figures(company), short_code=company.short_code,
                                 dossier=company.dossier, name=company.name, view_ids=views,
                                 publication_id=publication_id)


def _needed_views(targets: list[Company]) -> dict[str, set[str]]:
    """For each member of a group published this run: the group's views (extracted once with its own)."""
    needed: dict[str, set[str]] = {}
    for t in targets:
        if t.is_group:
            for gm in GroupMember.select().where(GroupMember.group == t):
                needed.setdefault(gm.member.short_code, set()).update(t.view_ids())
    return needed


def _extraction_message(exc: BaseException) -> str:
    from bizsync_tui.engine.groups import GroupMismatch
    from bizsync_tui.engine.sources import SourceError

    if isinstance(exc, (SourceError, GroupMismatch, ValidationError)):
        return str(getattr(exc, "message", None) or exc)
    if isinstance(exc, ValueError):  # e.g. a stored source that no longer parses
        return str(exc)
    return _unexpected(exc, "Reading the Sage data")


# -- the run ---------------------------------------------------------------------------
def _targets(ws: Workspace, target: str | None) -> list[Company]:
    if target is not None:
        row = Company.get_or_none(Company.short_code == target.strip().upper()) or \
            Company.get_or_none(Company.short_code == target.strip())
        if row is None:
            raise ValidationError("company", f"There is no company or group {target}; run 'bizsync company list' "
                                             f"or 'bizsync group list' to see them.")
        return [row]
    rows = list(Company.select().where(Company.enabled == True)  # noqa: E712
                .order_by(Company.is_group, Company.short_code))
    return rows


def _not_ready(ws: Workspace, action: str, target: str | None) -> list[str]:
    needed = ("portal",) if action == "delete" else ("portal", "companies", "database")
    done = {item.key: item.done for item in readiness(ws)}
    return [MISSING[k] for k in needed if not done.get(k, False)]


def run(ws: Workspace, action: str = "publish", target: str | None = None, *, trigger: str = "manual",
        as_of=None, progress: Progress | None = None, cancel: Cancel | None = None,
        http_options: dict | None = None) -> RunReport:
    """Run one operation end to end and journal every step; one at a time per data dir.

    A second operation started while one runs (the scheduler and an admin, or two
    admins on two SSH sessions) is not started: it is journaled as refused, naming
    the process that runs the first one.
    """
    lock = ProcessLock(ws.data_dir, name="publish")
    if not lock.acquire(role=trigger):
        report = RunReport(action, target, trigger)
        operation = "publish" if action == "publish" else ("delete" if target else "delete_all")
        _record(report, operation, target or "", False,
                f"Not started: another publication is running ({describe_holder(lock.holder())}); "
                "run it again once that one has finished.", secrets=[])
        return report
    try:
        return _run(ws, action, target, trigger=trigger, as_of=as_of, progress=progress, cancel=cancel,
                    http_options=http_options)
    finally:
        lock.release()


def _run(ws: Workspace, action: str, target: str | None, *, trigger: str, as_of, progress: Progress | None,
         cancel: Cancel | None, http_options: dict | None) -> RunReport:
    """The operation itself (see run).

    action "publish": target None = every enabled company and group, then the users and grants;
    target "CODE" = that company or group, then the users and grants.
    action "delete": target "CODE" = delete that publication; None = delete everything of this
    client on the platform (publications and users).
    `progress(done, total, label)` is called before each step and once at the end; `cancel()`
    returning True stops before the next company. `http_options` (timeout, retry) are for tests.
    """
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}")
    report = RunReport(action, target, trigger)
    operation = "publish" if action == "publish" else ("delete" if target else "delete_all")
    values = ws.settings.values()
    secrets = _secrets(values)

    missing = _not_ready(ws, action, target)
    if missing:
        text = "Nothing was " + ("published" if action == "publish" else "deleted") + ": " + "; ".join(missing) + "."
        _record(report, operation, target or "", False, text, secrets=secrets)
        return report
    try:
        targets = _targets(ws, target) if (action == "publish" or target) else []
        as_of_date = _coerce_date(as_of)
    except ValidationError as exc:
        _record(report, operation, target or "", False, exc.message, secrets=secrets)
        return report
    if action == "publish" and not targets:
        _record(report, operation, "", False,
                "Nothing was published: every company is switched off; switch one on in Companies.", secrets=secrets)
        return report

    try:
        client = PlatformClient(values, **(http_options or {}))
    except PublishError as exc:
        _record(report, operation, target or "", False, exc.message, secrets=secrets)
        return report

    def step(done: int, total: int, label: str) -> None:
        if progress is not None:
            try:
                progress(done, total, label)
            except Exception:  # a display problem never stops a publication
                pass

    with client:
        if action == "delete":
            if target is None:
                step(0, 1, "Deleting everything on the platform")
                start = time.monotonic()
                try:
                    client.delete_all()
                    _record(report, "delete_all", "", True,
                            "Deleted every publication and every mobile user of this client from the platform.",
                            _ms(start), secrets=secrets)
                except PublishError as exc:
                    _record(report, "delete_all", "", False, exc.message, _ms(start), secrets=secrets)
                step(1, 1, "Done")
                return report
            company = targets[0]
            step(0, 1, f"Deleting {company.short_code}")
            start = time.monotonic()
            try:
                client.delete_publication(company.short_code)
                _record(report, "delete", company.short_code, True,
                        f"Deleted the published data of {company.short_code} from the platform.",
                        _ms(start), secrets=secrets)
            except PublishError as exc:
                _record(report, "delete", company.short_code, False, exc.message, _ms(start), secrets=secrets)
            step(1, 1, "Done")
            return report

        extractor = Extractor(values, as_of_date, _needed_views(targets))
        total = len(targets) + 1
        blocked: PublishError | None = None  # a connection-wide failure seen earlier in this run
        for done, company in enumerate(targets):
            if cancel is not None and cancel():
                report.cancelled = True
                break
            step(done, total, f"Publishing {company.short_code}")
            if blocked is not None:
                _record(report, "publish", company.short_code, False, f"Not sent: {blocked.message}",
                        secrets=secrets)
                continue
            start = time.monotonic()
            try:
                body = extractor.publication(company)
            except Exception as exc:
                _record(report, "publish", company.short_code, False, _extraction_message(exc), _ms(start),
                        secrets=secrets)
                continue
            figures = figures_of(body)
            try:
                answer = client.put_publication(company.short_code, body)
            except PublishError as exc:
                _record(report, "publish", company.short_code, False, exc.message, _ms(start), figures,
                        secrets=secrets)
                if exc.kind in CONNECTION_KINDS:
                    blocked = exc
                continue
            except Exception as exc:
                _record(report, "publish", company.short_code, False, _unexpected(exc, "Publishing"),
                        _ms(start), figures, secrets=secrets)
                continue
            n = len(body["views"])
            again = " (already received: the platform kept it once)" if answer.get("status") == "unchanged" else ""
            _record(report, "publish", company.short_code, True,
                    f"Published {n} view{'s' if n != 1 else ''} as of {body['as_of']}{again}.",
                    _ms(start), figures, secrets=secrets)

        if not report.cancelled and not (cancel is not None and cancel()):
            step(total - 1, total, "Publishing the mobile users")
            start = time.monotonic()
            payload = users_payload(ws)
            figures = {"users": len(payload["users"]),
                       "grants": {u["login"]: u["grants"] for u in payload["users"]}}
            if blocked is not None:
                _record(report, "users", "", False, f"Not sent: {blocked.message}", figures=figures,
                        secrets=secrets)
                step(total, total, "Done")
                return report
            try:
                answer = client.put_users(payload)
                n = len(payload["users"])
                _record(report, "users", "", True,
                        f"Published {n} mobile user{'s' if n != 1 else ''} and their grants.",
                        _ms(start), figures, secrets=secrets)
            except PublishError as exc:
                _record(report, "users", "", False, exc.message, _ms(start), figures, secrets=secrets)
        elif not report.cancelled:
            report.cancelled = True
        step(total, total, "Done")
    return report


# -- extraction without publishing (bizsync extract, previews) ------------------------------
def extract_for(ws: Workspace, code: str, as_of=None) -> dict:
    """The publication body a company or group would send now (nothing is uploaded).

    Raises SourceError, GroupMismatch or ValidationError with a sentence for the admin.
    """
    company = Company.get_or_none(Company.short_code == code)
    if company is None:
        raise ValidationError("company", f"There is no company or group {code}; run 'bizsync company list' "
                                         f"or 'bizsync group list' to see them.")
    if not company.view_ids():
        kind, screen = ("group", "Groups") if company.is_group else ("company", "Companies")
        raise ValidationError("views", f"The {kind} {code} has no view ticked; tick its views in {screen}, or "
                                       f"remove it and add it again with 'bizsync {kind} add {code} ... "
                                       f"--views all'.")
    values = ws.settings.values()
    extractor = Extractor(values, _coerce_date(as_of), _needed_views([company]))
    return extractor.publication(company)


def preview_for_user(ws: Workspace, login: str, short_code: str, as_of=None) -> dict:
    """Exactly what `login` will see of `short_code` on the phone, from a fresh extraction.

    The publication body holding only the views granted to that user for that company
    (views = {} when none is granted). Raises ValidationError for an unknown user or
    company, SourceError / GroupMismatch when the Sage data cannot be read.
    """
    user = MobileUser.get_or_none(MobileUser.login == login)
    if user is None:
        raise ValidationError("login", f"There is no user {login}; run 'bizsync user list' to see them.")
    company = Company.get_or_none(Company.short_code == short_code)
    if company is None:
        raise ValidationError("company", f"There is no company or group {short_code}; run 'bizsync company list'.")
    granted = {g.view_id for g in user.grants.where(Grant.company == company)}
    published = set(company.view_ids())
    views = [v for v in catalogue.VIEW_IDS if v in granted and v in published]
    if not views:
        body = {"company": {"short_code": company.short_code, "dossier": company.dossier or company.short_code,
                            "name": company.name}, "as_of": _coerce_date(as_of).isoformat(), "views": {}}
        return body
    extractor = Extractor(ws.settings.values(), _coerce_date(as_of), _needed_views([company]))
    return extractor.publication(company, view_ids=views)


# -- connection tests -----------------------------------------------------------------------
def test_portal(ws: Workspace, *, http_options: dict | None = None) -> str:
    """GET /account with the saved settings: a success sentence, or PublishError."""
    values = ws.settings.values()
    with PlatformClient(values, **(http_options or {})) as client:
        data = client.account()
    return (f"Connected to the platform at {client.base_url} as client {data.get('client_code')}; "
            f"the client code and password are right.")


def test_proxy(ws: Workspace, *, http_options: dict | None = None) -> str:
    """Reach the platform through the proxy settings (any answer of the platform proves the way).

    A success sentence, or PublishError telling what to fix (proxy unreachable, 407...).
    """
    import requests

    from bizsync_tui.engine.contract import API_PREFIX
    from bizsync_tui.engine.http import WHERE_URL, make_session

    values = ws.settings.values()
    url = (values.get("portal.url") or "").strip().rstrip("/")
    if not url:
        raise PublishError(f"Set the platform address first ({WHERE_URL}): the proxy test reaches it "
                           f"through the proxy.", kind="config")
    mode = values.get("proxy.mode") or "system"
    if mode == "manual" and values.get("proxy.user") and values.get("proxy.password") is None:
        raise PublishError("The saved proxy password cannot be read with this encryption key; type it again in "
                           "Settings > Proxy or with 'bizsync config set proxy.password'.", kind="config")
    session = make_session({**values, "portal.password": ""}, **(http_options or {}))
    secrets = _secrets(values)
    try:
        response = session.get(url + API_PREFIX + "/account")
    except requests.exceptions.RequestException as exc:
        err = error_from_exception(exc, url, session)
        raise PublishError(scrub(err.message, secrets), kind=err.kind, status=err.status) from None
    finally:
        session.close()
    if response.status_code == 407:
        err = error_from_response(response)
        raise PublishError(scrub(err.message, secrets), kind=err.kind, status=err.status)
    how = {"manual": f"through the proxy {values.get('proxy.host')}:{values.get('proxy.port')}",
           "none": "directly (no proxy)", "system": "with this machine's proxy settings"}.get(mode, "")
    return f"The platform at {url} is reachable {how}."


# Their names start with "test_" for the TUI's buttons; they are not pytest tests.
test_portal.__test__ = False  # type: ignore[attr-defined]
test_proxy.__test__ = False  # type: ignore[attr-defined]
