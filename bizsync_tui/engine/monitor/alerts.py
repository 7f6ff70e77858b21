"""When to alert, and the sending: one alert per change of state, at most one reminder a day.

`evaluate(ws, now)` compares each subject's state (engine.monitor.state, from the journal)
with the state last alerted (the settings row `state.monitor.alerts`) and sends:

    ok -> failing          "failed"     (with the journal's sentence: what to fix)
    ok -> stale            "stale"      (no success for alert.stale_hours)
    failing/stale -> ok    "recovered"
    still failing/stale    the same event again, marked as a reminder, once a day at most

The changes found in one evaluation go out together: one e-mail and one webhook call per
kind of event, naming every company concerned. The runner calls it after every publication
(whoever started it), the scheduler on each tick and `bizsync status` when they run, so a
stale publication is noticed with nothing running. A send that fails is journaled
("Alert not sent ...") and kept, to be sent again after the next publication.
Evaluations are serialised across processes by the `monitor` lock.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bizsync_tui import i18n
from bizsync_tui.engine import journal
from bizsync_tui.engine.clock import local_zone
from bizsync_tui.engine.locks import ProcessLock
from bizsync_tui.engine.monitor import state as st
from bizsync_tui.engine.monitor.channels import ChannelError, Notification, channels_of
from bizsync_tui.i18n import _

UTC = timezone.utc
STATE_KEY = "state.monitor.alerts"
REMINDER_EVERY = timedelta(days=1)
LOCK_WAIT = 10.0  # seconds to wait for another process's evaluation
SEND_DEADLINE = 8.0  # seconds at most that sending adds to a publication: channels in parallel, each with short timeouts
MAX_PENDING = 10
EVENTS = ("failed", "recovered", "stale", "test")
# for the journal's sentence (distinct English words: "failed" alone means other things elsewhere)
EVENT_LABELS = {"failed": "failure alert", "recovered": "recovery alert", "stale": "no-publication alert",
                "test": "test alert"}
_language_lock = threading.Lock()


@dataclass(frozen=True)
class Delivery:
    channel: str  # email | webhook
    description: str  # "e-mail to a@b", "webhook at hooks.example.com"
    ok: bool
    message: str  # '' when delivered, else the sentence


@contextlib.contextmanager
def _language(values: dict):
    """Alerts speak `ui.language` (else the locale), whatever the process speaks."""
    wanted = i18n.detect_language((values.get("ui.language") or "").strip())
    if wanted == i18n.language():
        yield
        return
    with _language_lock:
        before = i18n.language()
        i18n.set_language(wanted)
        try:
            yield
        finally:
            i18n.set_language(before)


def _local(at: datetime | None) -> str:
    if at is None:
        return _("no success yet")
    return at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# -- the texts -----------------------------------------------------------------------------
def _who(client: str) -> str:
    return f"bizsync {client}" if client else "bizsync"


def _codes(items: list[st.SubjectState]) -> str:
    return ", ".join(s.label for s in items)


def compose(event: str, items: list[st.SubjectState], values: dict, now: datetime, *,
            reminder: bool = False, stale_hours: int = 0) -> Notification:
    """The notification of one event for these subjects, in the current language."""
    client = (values.get("portal.client_code") or "").strip()
    who, codes = _who(client), _codes(items)
    lines: list[str] = []
    if event == "failed":
        subject = (_("{who}: the publication of {codes} still fails") if reminder
                   else _("{who}: the publication of {codes} failed")).format(who=who, codes=codes)
        lines.append((_("Reminder: the publication of {codes} still fails.") if reminder
                      else _("The publication of {codes} to the platform failed.")).format(codes=codes))
        for s in items:
            lines.append(_("{code} (failing since {since}): {message}").format(
                code=s.label, since=_local(s.failing_since), message=s.message))
        lines.append(_("Fix what the message says, then publish again (the wizard, or 'bizsync publish'); "
                       "you will get an alert when it works again. 'bizsync status' and 'bizsync journal "
                       "--errors' give the details."))
    elif event == "recovered":
        subject = _("{who}: the publication of {codes} works again").format(who=who, codes=codes)
        lines.append(_("The publication of {codes} works again.").format(codes=codes))
        for s in items:
            lines.append(_("{code}: published {when}.").format(code=s.label, when=_local(s.last_success)))
    elif event == "stale":
        subject = _("{who}: no recent publication of {codes}").format(who=who, codes=codes)
        lines.append((_("Reminder: still no successful publication of {codes} for more than {hours} h.")
                      if reminder else
                      _("No successful publication of {codes} for more than {hours} h.")).format(
                          codes=codes, hours=stale_hours))
        for s in items:
            lines.append(_("{code}: last success {when}.").format(code=s.label, when=_local(s.last_success)))
        lines.append(_("Check that the scheduler runs ('bizsync status', or the terminal app left open) and "
                       "that this machine is on; 'bizsync publish' publishes now."))
    else:  # test
        subject = _("{who}: test alert").format(who=who)
        lines.append(_("A test alert from bizsync on {host}: alerts reach you here.").format(
            host=socket.gethostname()))
    if client and event != "test":
        lines.append(_("Client {client}, platform {url}.").format(client=client, url=values.get("portal.url") or "?"))
    first_line = lines[0]
    messages = list(dict.fromkeys(s.message for s in items if s.message))
    company = ", ".join(s.key for s in items if s.key != st.USERS)
    text = "\n".join(lines)
    short = _("{who}: {line}").format(who=who, line=first_line)
    if event == "failed" and messages:
        short += " " + " / ".join(messages)
    return Notification(
        event=event, subject=subject, text=short,
        at=_iso(now), company=company, message=" / ".join(messages),
        extra={"client": client, "reminder": reminder, "details": text,
               "items": [{"company": "" if s.key == st.USERS else s.key, "kind": s.kind, "state": s.state,
                          "message": s.message,
                          "failing_since": _iso(s.failing_since) if s.failing_since else None,
                          "last_success": _iso(s.last_success) if s.last_success else None} for s in items]})


# -- sending ---------------------------------------------------------------------------------
def _send_all(channels: list, note: Notification) -> list[Delivery]:
    """Every channel in parallel; a channel that takes too long counts as failed."""
    if not channels:
        return []
    # e-mail body: the long text; the webhook gets the short `text` plus `details`
    mail_note = Notification(note.event, note.subject, note.extra.get("details") or note.text, note.at,
                             note.company, note.message, note.extra)

    def one(channel) -> Delivery:
        try:
            channel.send(mail_note if channel.name == "email" else note)
            return Delivery(channel.name, channel.describe(), True, "")
        except ChannelError as exc:
            return Delivery(channel.name, channel.describe(), False, exc.message)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the publication
            return Delivery(channel.name, channel.describe(), False,
                            _("unexpected error ({error})").format(error=type(exc).__name__))

    pool = ThreadPoolExecutor(max_workers=len(channels), thread_name_prefix="alert")
    futures = [(c, pool.submit(one, c)) for c in channels]
    deadline = time.monotonic() + SEND_DEADLINE
    out = []
    for channel, future in futures:
        try:
            out.append(future.result(timeout=max(0.0, deadline - time.monotonic())))
        except Exception:  # noqa: BLE001 - timed out
            out.append(Delivery(channel.name, channel.describe(), False, _("no answer in time")))
    pool.shutdown(wait=False, cancel_futures=True)
    return out


def send_test(ws, now: datetime) -> list[Delivery]:
    """`bizsync alert test` and the Test button: a test alert on every configured channel."""
    values = ws.settings.values()
    with _language(values):
        note = compose("test", [], values, now)
        return _send_all(channels_of(values), note)


# -- the state machine -------------------------------------------------------------------------
def _load(ws) -> dict:
    try:
        data = json.loads(ws.settings.get(STATE_KEY) or "{}")
    except ValueError:
        data = {}
    data.setdefault("subjects", {})
    data.setdefault("pending", [])
    return data


def _save(ws, data: dict) -> None:
    ws.settings.set(STATE_KEY, json.dumps(data, sort_keys=True))


def _wanted(subject: st.SubjectState) -> str:
    return {st.FAILING: "failing", st.STALE: "stale"}.get(subject.state, "ok")


def transitions(saved: dict, status: st.Status, now: datetime) -> tuple[dict[tuple[str, bool], list], dict]:
    """(events, new saved subjects): events maps (event, reminder) to the subjects concerned."""
    events: dict[tuple[str, bool], list] = {}
    known = saved.get("subjects", {})
    new: dict[str, dict] = {}
    for s in status.subjects:
        before = known.get(s.key) or {"state": "ok"}
        wanted = _wanted(s)
        record = dict(before)
        if wanted != before.get("state", "ok"):
            event = {"failing": "failed", "stale": "stale", "ok": "recovered"}[wanted]
            events.setdefault((event, False), []).append(s)
            record = {"state": wanted, "since": _iso(now), "notified": _iso(now)}
        elif wanted != "ok":
            notified = _parse(before.get("notified"))
            if notified is None or now - notified >= REMINDER_EVERY:
                event = "failed" if wanted == "failing" else "stale"
                events.setdefault((event, True), []).append(s)
                record["notified"] = _iso(now)
        new[s.key] = record
    return events, new


def evaluate(ws, now: datetime, *, during_run: bool = False) -> list[Notification]:
    """Alert on what changed since the last evaluation; returns the notifications made.

    `during_run`: called by the runner while it holds the publication lock (it also sends
    again what could not be sent before). Otherwise nothing is done while a publication
    runs: its runner evaluates when it ends.
    """
    if not during_run and ProcessLock(ws.data_dir, name="publish").holder() is not None:
        return []
    lock = ProcessLock(ws.data_dir, name="monitor")
    deadline = time.monotonic() + LOCK_WAIT
    while not lock.acquire(role="alerts"):
        if time.monotonic() > deadline:
            return []
        time.sleep(0.05)
    try:
        values = ws.settings.values()
        stale_hours = st.stale_hours_of(values)
        status = st.compute(now, stale_hours)
        saved = _load(ws)
        events, subjects = transitions(saved, status, now)
        channels = channels_of(values)
        names = [c.name for c in channels]
        made: list[Notification] = []
        pending = list(saved["pending"]) if during_run else []
        kept = [] if during_run else list(saved["pending"])
        with _language(values):
            for event in ("recovered", "failed", "stale"):
                for reminder in (False, True):
                    items = events.get((event, reminder))
                    if items:
                        note = compose(event, items, values, now, reminder=reminder, stale_hours=stale_hours)
                        made.append(note)
                        if names:
                            pending.append({"note": note.__dict__, "channels": names})
        saved["subjects"] = subjects
        saved["pending"] = (kept + pending)[-MAX_PENDING:]
        _save(ws, saved)  # before sending: a crash while sending sends them again next time
        still: list[dict] = []
        by_name = {c.name: c for c in channels}
        for entry in pending:
            try:
                note = Notification(**entry["note"])
                wanted = [by_name[n] for n in entry["channels"] if n in by_name]
            except (KeyError, TypeError):  # kept by another version of bizsync: dropped, not stuck
                continue
            failed = []
            with _language(values):
                for delivery in _send_all(wanted, note):
                    if not delivery.ok:
                        failed.append(delivery.channel)
                        journal.record("alert", company="", success=False, trigger="alerts", message=_(
                            "Alert not sent ({what}, {event} {codes}): {error} It is sent again after the next "
                            "publication.").format(what=delivery.description, event=_(EVENT_LABELS.get(note.event, note.event)),
                                                   codes=note.company or _("mobile users"), error=delivery.message))
            if failed:
                still.append({"note": entry["note"], "channels": failed})
        saved["pending"] = (kept + still)[-MAX_PENDING:]
        _save(ws, saved)
        return made
    finally:
        lock.release()


def after_run(ws, report, now: datetime | None = None) -> None:
    """The runner's call after a publication: never raises, never takes more than a few seconds."""
    try:
        if report.action != "publish" or not report.results:
            return
        evaluate(ws, now or datetime.now(UTC), during_run=True)
    except Exception:  # noqa: BLE001 - alerts never fail a publication
        pass
