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
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable

from bizsync_tui.engine import catalogue
from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import readiness, users_payload
from bizsync_tui.engine.locks import ProcessLock, describe_holder
from bizsync_tui.engine.monitor import alerts
from bizsync_tui.engine.publish.client import PlatformClient
from bizsync_tui.engine.publish.errors import PublishError, scrub, setting_secrets
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui.engine.sage.extract import build_publication, extract_figures
from bizsync_tui.engine.sage.groups import GroupMismatch, check_group_consistency
from bizsync_tui.engine.sage.pool import extraction_pool
from bizsync_tui.engine.sage.source_spec import parse_source
from bizsync_tui.engine.sage.sources import SourceError, management_credentials
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.i18n import _
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
    "database": "the management-database user and password are not set; set them in Settings > Connection, "
                "tab 'Management files', or with 'bizsync config set database.user USER' and 'bizsync config set database.password'",
}
WRONG_KEY = ("the saved passwords cannot be read with the encryption key from {where}: it is not the key "
             "they were saved with; give the right key (BIZSYNC_KEY, the systemd credential or the key file "
             "of the data dir), or type the passwords again with {commands}")


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
    # Not attempted because of an earlier failure of the run (the connection, the journal): that
    # failure's sentence. The message then reads "Not sent: <it>".
    skipped_for: str = ""

    def line(self) -> str:
        """The result as the command line prints it (engine.journal.outcome_line)."""
        return journal.outcome_line(self.success, self.operation, self.company, self.message)


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
        """The headline, in the language of the moment: '2 of 3 operation(s) succeeded.'"""
        good = sum(r.success for r in self.results)
        if self.cancelled:
            return _("{good} of {total} operation(s) succeeded (stopped by the admin before the end).").format(
                good=good, total=len(self.results))
        return _("{good} of {total} operation(s) succeeded.").format(good=good, total=len(self.results))

    def failure_lines(self) -> list[str]:
        """Each distinct failure once; a step skipped for a failure already said is said in a few
        words after it ('The mobile users were not sent either.')."""
        said: list[str] = []
        lines: list[str] = []
        for r in self.failures:
            if r.skipped_for and r.skipped_for in said:
                lines.append(_("The mobile users were not sent either.") if r.operation == "users"
                             else _("{code} was not sent either.").format(code=r.company or "-"))
            elif r.message and r.message not in said:
                said.append(r.message)
                lines.append(r.message)
        return lines

    def outcome(self) -> str:
        """What an admin reads after the run: the summary, then each failure once."""
        return "\n".join([self.summary(), *([] if self.ok else self.failure_lines())])

    def reaches_nobody(self) -> str:
        """Why a publication that succeeded still gives the phones nothing: 'views' (no
        company had a view to send), 'users' (no mobile user was sent); '' otherwise."""
        if not self.ok or self.action != "publish":
            return ""
        sent = sum(len((r.figures or {}).get("views") or {}) for r in self.results
                   if r.operation == "publish" and r.success)
        if sent == 0:
            return "views"
        users = next((r for r in self.results if r.operation == "users"), None)
        if users is not None and (users.figures or {}).get("users") == 0:
            return "users"
        return ""


# -- helpers -------------------------------------------------------------------------
def _ms(start: float) -> int:
    return int((time.monotonic() - start) * 1000)


def _record(report: RunReport, operation: str, company: str, success: bool, message: str,
            duration_ms: int = 0, figures: dict | None = None, secrets: list[str] = (),
            skipped_for: str = "") -> Result:
    message = scrub(message, list(secrets))
    skipped_for = scrub(skipped_for, list(secrets)) if skipped_for else ""
    try:
        entry = journal.record(operation, company=company, success=success, message=message,
                               duration_ms=duration_ms, figures=figures, trigger=report.trigger)
    except journal.JournalUnavailable as exc:  # said in the report; the run stops (see run)
        report.results.append(Result(operation, company, success, f"{message} {exc}", duration_ms, figures,
                                     skipped_for=skipped_for))
        raise
    result = Result(operation, company, success, message, duration_ms, figures, entry.id, skipped_for)
    report.results.append(result)
    return result


# The row written before an operation that changes the platform: what it means if the
# operation never completes it (the publisher killed, the machine stopped during the upload).
PENDING = {
    "publish": "Not finished: publishing {code} was started but no outcome was recorded (the publisher "
               "stopped during it, or is still running); the platform holds either this publication or the "
               "previous one. Publish again.",
    "users": "Not finished: sending the mobile users was started but no outcome was recorded (the publisher "
             "stopped during it, or is still running); the platform holds either the new users or the "
             "previous ones. Publish again.",
    "delete": "Not finished: deleting the published data of {code} was started but no outcome was recorded "
              "(the publisher stopped during it, or is still running); the platform may still hold it. "
              "Delete again.",
    "delete_all": "Not finished: deleting everything on the platform was started but no outcome was recorded "
                  "(the publisher stopped during it, or is still running); the platform may still hold some "
                  "of it. Delete again.",
}


def _begin(report: RunReport, operation: str, company: str = "") -> journal.Entry:
    """Journal an operation before it changes the platform; nothing is sent if this fails."""
    try:
        return journal.begin(operation, company=company, trigger=report.trigger,
                             message=_(PENDING[operation]).format(code=company))
    except journal.JournalUnavailable as exc:
        report.results.append(Result(operation, company, False, _("Not started: {why}").format(why=exc)))
        raise


def _finish(report: RunReport, entry: journal.Entry, success: bool, message: str, duration_ms: int = 0,
            figures: dict | None = None, secrets: list[str] = ()) -> Result:
    """Complete the row of `_begin` with the outcome."""
    message = scrub(message, list(secrets))
    try:
        journal.finish(entry, success=success, message=message, duration_ms=duration_ms, figures=figures)
    except journal.JournalUnavailable as exc:  # the row keeps saying the outcome is unknown
        report.results.append(Result(entry.operation, entry.company, success, f"{message} {exc}", duration_ms,
                                     figures, entry.id))
        raise
    result = Result(entry.operation, entry.company, success, message, duration_ms, figures, entry.id)
    report.results.append(result)
    return result


def _unexpected(exc: BaseException, what: str) -> str:
    """`what` is "reading" (the Sage data) or "publishing"."""
    if what == "reading":
        text = _("Reading the Sage data failed on an unexpected error ({error}); try again, and if it "
                 "happens again report it with the journal entry.")
    else:
        text = _("Publishing failed on an unexpected error ({error}); try again, and if it "
                 "happens again report it with the journal entry.")
    return text.format(error=type(exc).__name__)


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
        raise ValidationError("as_of", _("'{value}' is not a date; type it as YYYY-MM-DD, such as 2026-11-28.").format(value=as_of)) from None


# -- extraction ----------------------------------------------------------------------
EXTRACT_WORKERS = 4  # companies read at once in a run (issue 15: an accounting firm's twenty dossiers)


class Extractor:
    """Extracts companies for one run, each member at most once (a cache by short code)."""

    def __init__(self, values: dict, as_of: _dt.date, needed: dict[str, set[str]] | None = None):
        self.values = values
        self.as_of = as_of
        self.needed = needed or {}  # short code -> every view id needed this run
        self._cache: dict[str, object] = {}  # short code -> CompanyFigures or an exception
        self._futures: dict = {}  # short code -> Future of its figures (prefetch)
        self._pool: ProcessPoolExecutor | None = None

    def prefetch(self, targets: list[Company], workers: int | None = None) -> None:
        """Start extracting every company `targets` need (a group: its members), at most
        `workers` at a time (default min(EXTRACT_WORKERS, n)): their sources are independent,
        so one company's queries overlap another's. Only the reading runs in the worker
        processes (engine.sage.pool; the ORM is read here); `figures()` waits for its own
        company, so the uploads and the journal keep their order. `close()` ends the pool."""
        jobs, seen = [], set(self._cache) | set(self._futures)
        for target in targets:
            for company in (self.members(target) if target.is_group else [target]):
                if company.short_code in seen:
                    continue
                seen.add(company.short_code)
                try:
                    args, kwargs = self._arguments(company)
                except Exception as exc:  # reported when the company's turn comes
                    self._cache[company.short_code] = exc
                    continue
                if kwargs["view_ids"]:
                    jobs.append((company.short_code, args, kwargs))
        if len(jobs) < 2:
            return  # nothing to overlap: figures() reads in place
        if self._pool is None:
            self._pool = extraction_pool(workers or min(EXTRACT_WORKERS, len(jobs)))
        for code, args, kwargs in jobs:
            self._futures[code] = self._pool.submit(extract_figures, *args, **kwargs)

    def close(self) -> None:
        """Drop the extractions not started yet and wait for the running ones."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def figures(self, company: Company):
        code = company.short_code
        if code not in self._cache:
            future = self._futures.pop(code, None)
            try:
                try:
                    got = future.result() if future is not None else self._extract(company)
                except BrokenProcessPool:  # a worker died (killed, out of memory): read it here
                    got = self._extract(company)
                self._cache[code] = got
            except Exception as exc:  # kept, so a group and the member alone report the same error
                self._cache[code] = exc
        got = self._cache[code]
        if isinstance(got, Exception):
            raise got
        return got

    def _arguments(self, company: Company) -> tuple[tuple, dict]:
        """What extract_figures needs for `company`, read from the settings and the ORM."""
        user, password = management_credentials(self.values)
        wanted = set(company.view_ids()) | self.needed.get(company.short_code, set())
        view_ids = [v for v in catalogue.VIEW_IDS if v in wanted]
        return ((parse_source(company.accounting_source), parse_source(company.commercial_source)),
                dict(user=user, password=password, as_of=self.as_of, view_ids=view_ids,
                     revenue_prefixes=company.prefixes("revenue_prefixes") or ("70",),
                     cash_prefixes=company.prefixes("cash_prefixes")))

    def _extract(self, company: Company):
        args, kwargs = self._arguments(company)
        return extract_figures(*args, **kwargs)

    def members(self, group: Company) -> list[Company]:
        return sorted((gm.member for gm in GroupMember.select().where(GroupMember.group == group)),
                      key=lambda c: c.short_code)

    def publication(self, company: Company, view_ids: list[str] | None = None,
                    publication_id: str | None = None) -> dict:
        """The publication body of a company or group (its checked views, or `view_ids`)."""
        views = [v for v in catalogue.VIEW_IDS if v in set(company.view_ids() if view_ids is None else view_ids)]
        if company.is_group:
            members = self.members(company)
            figures = []
            for m in members:
                try:
                    figures.append((m.short_code, self.figures(m)))
                except Exception as exc:
                    if isinstance(exc, SourceError):
                        raise SourceError(_("Member {code} of the group could not be read: {error}").format(
                            code=m.short_code, error=exc)) from None
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
    if isinstance(exc, (SourceError, GroupMismatch, ValidationError)):
        return str(getattr(exc, "message", None) or exc)
    if isinstance(exc, ValueError):  # e.g. a stored source that no longer parses
        return str(exc)
    return _unexpected(exc, "reading")


# -- the run ---------------------------------------------------------------------------
def _targets(ws: Workspace, target: str | None) -> list[Company]:
    if target is not None:
        row = Company.get_or_none(Company.short_code == target.strip().upper()) or \
            Company.get_or_none(Company.short_code == target.strip())
        if row is None:
            raise ValidationError("company", _("There is no company or group {code}; run 'bizsync company list' "
                                               "or 'bizsync group list' to see them.").format(code=target))
        return [row]
    rows = list(Company.select().where(Company.enabled == True)  # noqa: E712
                .order_by(Company.is_group, Company.short_code))
    return rows


def _not_ready(ws: Workspace, action: str, target: str | None) -> list[str]:
    needed = ("portal",) if action == "delete" else ("portal", "companies", "database")
    done = {item.key: item.done for item in readiness(ws)}
    secret_of = {"portal": "portal.password", "database": "database.password"}
    unreadable = [k for k in needed if not done.get(k, False) and k in secret_of
                  and ws.settings.is_set(secret_of[k]) and ws.settings.get_secret(secret_of[k]) is None]
    missing = [_(MISSING[k]) for k in needed if not done.get(k, False) and k not in unreadable]
    if unreadable:  # set, but saved under another key: saying "not set" would send the admin astray
        where = {"environment": "BIZSYNC_KEY", "systemd": _("the systemd credential bizsync.key"),
                 "file": str(ws.keystore.key_file)}.get(ws.keystore.origin, ws.keystore.origin)
        missing.insert(0, _(WRONG_KEY).format(
            where=where, commands=" ".join(f"'bizsync config set {secret_of[k]}'" for k in unreadable)))
    return missing


def run(ws: Workspace, action: str = "publish", target: str | None = None, *, trigger: str = "manual",
        as_of=None, progress: Progress | None = None, cancel: Cancel | None = None,
        http_options: dict | None = None) -> RunReport:
    """Run one operation end to end and journal every step; one at a time per data dir.

    A second operation started while one runs (the scheduler and an admin, or two
    admins on two SSH sessions) is not started: it is journaled as refused, naming
    the process that runs the first one.
    """
    lock = ProcessLock(ws.data_dir, name="publish")
    report = RunReport(action, target, trigger)
    operation = "publish" if action == "publish" else ("delete" if target else "delete_all")
    try:
        acquired = lock.acquire(role=trigger)
    except OSError as exc:  # the data dir is read-only, full or gone: nothing can be journaled either
        why = journal.storage_problem(exc, ws.data_dir) or type(exc).__name__
        report.results.append(Result(operation, target or "", False, _("Not started: {why}").format(why=why)))
        return report
    try:
        if not acquired:
            _record(report, operation, target or "", False,
                    _("Not started: another publication is running ({holder}); "
                      "run it again once that one has finished.").format(holder=describe_holder(lock.holder())),
                    secrets=[])
            return report
        report = _run(ws, action, target, trigger=trigger, as_of=as_of, progress=progress, cancel=cancel,
                      http_options=http_options, report=report)
        alerts.after_run(ws, report)  # whoever started it; never raises, bounded to a few seconds
        return report
    except journal.JournalUnavailable as exc:
        # Stopped at the first journal row that could not be written: nothing more is sent, so the
        # platform never holds what the journal does not say (the failing step is in report.results).
        if action == "publish" and any(r.company for r in report.results) \
                and not any(r.operation == "users" for r in report.results):
            report.results.append(Result("users", "", False, _("Not sent: ") + str(exc), skipped_for=str(exc)))
        return report
    finally:
        if acquired:
            lock.release()


def _run(ws: Workspace, action: str, target: str | None, *, trigger: str, as_of, progress: Progress | None,
         cancel: Cancel | None, http_options: dict | None, report: RunReport | None = None) -> RunReport:
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
    report = report if report is not None else RunReport(action, target, trigger)
    operation = "publish" if action == "publish" else ("delete" if target else "delete_all")
    values = ws.settings.values()
    secrets = setting_secrets(values)

    missing = _not_ready(ws, action, target)
    if missing:
        text = (_("Nothing was published: {missing}.") if action == "publish"
                else _("Nothing was deleted: {missing}.")).format(missing="; ".join(missing))
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
                _("Nothing was published: every company is switched off; switch one on in Companies."),
                secrets=secrets)
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
                step(0, 1, _("Deleting everything on the platform"))
                entry = _begin(report, "delete_all")
                start = time.monotonic()
                try:
                    client.delete_all()
                except PublishError as exc:
                    _finish(report, entry, False, exc.message, _ms(start), secrets=secrets)
                else:
                    _finish(report, entry, True,
                            _("Deleted every publication and every mobile user of this client from the platform."),
                            _ms(start), secrets=secrets)
                step(1, 1, _("Done"))
                return report
            company = targets[0]
            step(0, 1, _("Deleting {code}").format(code=company.short_code))
            entry = _begin(report, "delete", company.short_code)
            start = time.monotonic()
            try:
                client.delete_publication(company.short_code)
            except PublishError as exc:
                _finish(report, entry, False, exc.message, _ms(start), secrets=secrets)
            else:
                _finish(report, entry, True,
                        _("Deleted the published data of {code} from the platform.").format(code=company.short_code),
                        _ms(start), secrets=secrets)
            step(1, 1, _("Done"))
            return report

        extractor = Extractor(values, as_of_date, _needed_views(targets))
        extractor.prefetch([t for t in targets if t.view_ids()])  # companies read in parallel, sent in order
        total = len(targets) + 1
        blocked: PublishError | None = None  # a connection-wide failure seen earlier in this run
        for done, company in enumerate(targets):
            if cancel is not None and cancel():
                report.cancelled = True
                break
            step(done, total, _("Publishing {code}").format(code=company.short_code))
            if blocked is not None:
                _record(report, "publish", company.short_code, False, _("Not sent: ") + blocked.message,
                        secrets=secrets, skipped_for=blocked.message)
                continue
            if not company.view_ids():  # nothing to send: not a success
                _record(report, "publish", company.short_code, False, _no_view_message(company), secrets=secrets)
                continue
            entry = _begin(report, "publish", company.short_code)  # before anything is sent
            start = time.monotonic()
            try:
                body = extractor.publication(company)
            except Exception as exc:
                _finish(report, entry, False, _extraction_message(exc), _ms(start), secrets=secrets)
                continue
            figures = figures_of(body)
            try:
                answer = client.put_publication(company.short_code, body)
            except PublishError as exc:
                _finish(report, entry, False, exc.message, _ms(start), figures, secrets=secrets)
                if exc.kind in CONNECTION_KINDS:
                    blocked = exc
                continue
            except Exception as exc:
                _finish(report, entry, False, _unexpected(exc, "publishing"), _ms(start), figures, secrets=secrets)
                continue
            n = len(body["views"])
            if answer.get("status") == "unchanged":
                text = (_("Published 1 view as of {date} (already received: the platform kept it once).") if n == 1
                        else _("Published {n} views as of {date} (already received: the platform kept it once)."))
            else:
                text = _("Published 1 view as of {date}.") if n == 1 else _("Published {n} views as of {date}.")
            _finish(report, entry, True, text.format(n=n, date=body["as_of"]), _ms(start), figures, secrets=secrets)
        extractor.close()

        if not report.cancelled and not (cancel is not None and cancel()):
            step(total - 1, total, _("Publishing the mobile users"))
            start = time.monotonic()
            payload = users_payload(ws)
            figures = {"users": len(payload["users"]),
                       "grants": {u["login"]: u["grants"] for u in payload["users"]}}
            if blocked is not None:
                _record(report, "users", "", False, _("Not sent: ") + blocked.message, figures=figures,
                        secrets=secrets, skipped_for=blocked.message)
                step(total, total, _("Done"))
                return report
            entry = _begin(report, "users")
            try:
                answer = client.put_users(payload)
            except PublishError as exc:
                _finish(report, entry, False, exc.message, _ms(start), figures, secrets=secrets)
            else:
                n = len(payload["users"])
                text = (_("Published no mobile user: nobody can read the publications yet; add users in Users "
                          "or with 'bizsync user add'.") if n == 0
                        else _("Published 1 mobile user and their grants.") if n == 1
                        else _("Published {n} mobile users and their grants."))
                _finish(report, entry, True, text.format(n=n), _ms(start), figures, secrets=secrets)
        elif not report.cancelled:
            report.cancelled = True
        step(total, total, _("Done"))
    return report


def _no_view_message(company: Company) -> str:
    text = (_("The group {code} has no view ticked; tick its views in Groups, or remove it and add it "
              "again with 'bizsync group add {code} ... --views all'.") if company.is_group
            else _("The company {code} has no view ticked; tick its views in Companies, or remove it and add "
                   "it again with 'bizsync company add {code} ... --views all'."))
    return text.format(code=company.short_code)


# -- extraction without publishing (bizsync extract, previews) ------------------------------
def extract_for(ws: Workspace, code: str, as_of=None) -> dict:
    """The publication body a company or group would send now (nothing is uploaded).

    Raises SourceError, GroupMismatch or ValidationError with a sentence for the admin.
    """
    company = Company.get_or_none(Company.short_code == code)
    if company is None:
        raise ValidationError("company", _("There is no company or group {code}; run 'bizsync company list' "
                                           "or 'bizsync group list' to see them.").format(code=code))
    if not company.view_ids():
        raise ValidationError("views", _no_view_message(company))
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
        raise ValidationError("login", _("There is no user {login}; run 'bizsync user list' to see them.").format(
            login=login))
    company = Company.get_or_none(Company.short_code == short_code)
    if company is None:
        raise ValidationError("company", _("There is no company or group {code}; run 'bizsync company list'.").format(
            code=short_code))
    granted = {g.view_id for g in user.grants.where(Grant.company == company)}
    published = set(company.view_ids())
    views = [v for v in catalogue.VIEW_IDS if v in granted and v in published]
    if not views:
        body = {"company": {"short_code": company.short_code, "dossier": company.dossier or company.short_code,
                            "name": company.name}, "as_of": _coerce_date(as_of).isoformat(), "views": {}}
        return body
    extractor = Extractor(ws.settings.values(), _coerce_date(as_of), _needed_views([company]))
    return extractor.publication(company, view_ids=views)


# Their names start with "test_" for the TUI's buttons; they are not pytest tests.
