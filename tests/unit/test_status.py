"""`bizsync status`: each publication's state from the journal, and its exit code (0 all well,
1 failing or stale, 2 nothing ever published). Journal rows are written by hand at known
times (UTC), so every expected state and time below is read off the rows of the test.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings
from bizsync_tui.engine.monitor import state
from bizsync_tui.engine.schedule.status import current_status
from bizsync_tui.models.tables import Company
from tests.e2e.cli import bizsync

UTC = timezone.utc
DAY = datetime(2026, 3, 2)  # naive UTC, as the journal stores it
CREATED = datetime(2026, 3, 1, 12, 0)


def at(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


def aware(naive: datetime) -> datetime:
    return naive.replace(tzinfo=UTC)


def company(ws, code: str, *, enabled: bool = True) -> None:
    save_company(ws, CompanyData(short_code=code, name=f"Company {code}", dossier=code + "01",
                                 accounting_source="sqlite:/nowhere.db", commercial_source="sqlite:/nowhere.db",
                                 views=["sales_revenue"], enabled=enabled))
    Company.update(created_at=CREATED).where(Company.short_code == code).execute()


def row(code: str, when: datetime, ok: bool, message: str = "", operation: str = "publish") -> None:
    journal.record(operation, company=code, success=ok, at=when,
                   message=message or ("Published 1 view as of 2026-03-02." if ok else "The accounting file "
                                       "cannot be opened; check its path."))


def by_key(status) -> dict:
    return {s.key: s for s in status.subjects}


def test_nothing_configured_is_code_2(ws):
    status = state.compute(aware(at(10)))
    assert status.subjects == [] and status.code == 2
    assert status.headline() == "Nothing was ever published: there is no company to publish."


def test_failing_since_the_first_failure_after_the_last_success(ws):
    company(ws, "ALPHA")
    company(ws, "BETA")
    company(ws, "OFF", enabled=False)  # switched off: not watched
    row("ALPHA", at(6), True)
    row("BETA", at(6), True)
    row("", at(6, 1), True, operation="users")
    row("ALPHA", at(7), False, "First cause.")
    row("ALPHA", at(8), False, "Second cause: fix the path.")
    row("BETA", at(8), True)
    row("", at(8, 1), True, operation="users")
    row("", at(8, 2), False, "Not started: another publication is running (process 1).")  # run-wide: ignored
    row("OFF", at(8), False)

    status = state.compute(aware(at(9)))
    assert [s.key for s in status.subjects] == ["ALPHA", "BETA", "users"]
    alpha, beta, users = status.subjects
    assert alpha.state == "failing"
    assert alpha.last_success == aware(at(6)) and alpha.last_attempt == aware(at(8))
    assert alpha.failing_since == aware(at(7))
    assert alpha.message == "Second cause: fix the path."
    assert beta.state == "ok" and beta.last_attempt == aware(at(8)) and beta.failing_since is None
    assert users.state == "ok" and users.last_success == aware(at(8, 1))
    assert status.code == 1
    assert status.headline() == "Publication problems: failing: ALPHA."
    assert status.short() == "failing: ALPHA"

    row("ALPHA", at(9), True)
    status = state.compute(aware(at(9, 30)))
    assert by_key(status)["ALPHA"].state == "ok" and status.code == 0
    assert status.headline() == "All publications are well."


def test_stale_after_the_hours_without_a_success(ws):
    company(ws, "ALPHA")
    company(ws, "BETA")
    row("ALPHA", at(9), True)
    row("BETA", at(8), True)
    row("", at(8), True, operation="users")
    # at 10:30 with 2 hours: ALPHA 1.5 h ago (well), BETA and the users 2.5 h ago (stale)
    status = state.compute(aware(at(10, 30)), stale_hours=2)
    assert [(s.key, s.state) for s in status.subjects] == [("ALPHA", "ok"), ("BETA", "stale"), ("users", "stale")]
    assert status.code == 1
    assert status.headline() == "Publication problems: stale: BETA, mobile users."
    assert state.compute(aware(at(10, 30)), stale_hours=0).code == 0  # 0 = no stale alert
    assert state.compute(aware(at(9, 59)), stale_hours=2).code == 0  # BETA: 1 h 59 min


def test_never_published_is_code_2_even_when_stale(ws):
    company(ws, "ALPHA")  # created 2026-03-01 12:00
    status = state.compute(aware(at(10)), stale_hours=1)
    (alpha, users) = status.subjects
    assert alpha.last_success is None and alpha.stale  # 22 h since its creation
    assert status.code == 2
    row("ALPHA", at(10), False, "No way in.")
    status = state.compute(aware(at(10, 5)))
    assert by_key(status)["ALPHA"].state == "failing" and status.code == 2
    assert status.headline() == "Nothing was ever published; failing: ALPHA."


def test_json_and_next_run(ws):
    company(ws, "ALPHA")
    row("ALPHA", at(6), True)
    row("ALPHA", at(7), False, "Fix it.")
    set_settings(ws, {"schedule.frequency": "daily", "schedule.start": "06:00", "schedule.times_per_day": "1"})
    status = current_status(ws, aware(at(7, 30)), tz=UTC)
    assert status.next_run == aware(DAY.replace(day=3, hour=6))
    data = status.as_json()
    assert data["status"] == "failing" and data["exit_code"] == 1
    assert data["next_run"] == "2026-03-03T06:00+00:00"
    alpha = data["subjects"][0]
    assert alpha == {"subject": "ALPHA", "kind": "company", "name": "Company ALPHA", "state": "failing",
                     "last_success": "2026-03-02T06:00:00Z", "last_attempt": "2026-03-02T07:00:00Z",
                     "failing_since": "2026-03-02T07:00:00Z", "stale": False, "message": "Fix it."}
    assert "No scheduler is running" in data["scheduler"]


def test_command_exit_codes(ws):
    r = bizsync(ws.data_dir, "status")
    assert r.returncode == 2, r.stderr
    company(ws, "ALPHA")
    row("ALPHA", datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5), True)
    row("", datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5), True, operation="users")
    r = bizsync(ws.data_dir, "status")
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert r.stdout.splitlines()[0] == "All publications are well."
    row("ALPHA", datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1), False, "Fix the path.")
    r = bizsync(ws.data_dir, "status", "--json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert [(s["subject"], s["state"]) for s in data["subjects"]] == [("ALPHA", "failing"), ("users", "ok")]
    r = bizsync(ws.data_dir, "status")
    assert r.returncode == 1
    assert "Fix the path." in r.stdout and r.stdout.splitlines()[0] == "Publication problems: failing: ALPHA."


def test_a_group_is_watched_like_a_company(ws):
    company(ws, "ALPHA")
    company(ws, "BETA")
    save_company(ws, CompanyData(short_code="GRP", name="The group", is_group=True, members=["ALPHA", "BETA"],
                                 views=["sales_revenue"]))
    row("ALPHA", at(6), True)
    row("BETA", at(6), True)
    row("GRP", at(6), False, "Member BETA of the group could not be read: gone.")
    status = state.compute(aware(at(7)))
    assert [(s.key, s.kind, s.state) for s in status.subjects] == [
        ("ALPHA", "company", "ok"), ("BETA", "company", "ok"), ("GRP", "group", "failing"), ("users", "users", "never")]
    assert status.code == 1 and status.headline() == "Publication problems: failing: GRP."
