"""The "À extraire" switch in the engine: the scheduler's run (Scheduler.tick with an injected
clock and the real engine.publish.runner.run) publishes the companies and groups switched on
to the REAL platform on loopback, and leaves a switched-off one out; published by name, it
still goes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bizsync_tui.engine import journal
from bizsync_tui.engine.admin.config import CompanyData, get_company, save_company, set_settings
from bizsync_tui.engine.clock import FakeClock
from bizsync_tui.engine.publish import runner
from bizsync_tui.engine.schedule.scheduler import Scheduler
from tests import sage_fixture as fx
from tests.platform_server import platform_server  # noqa: F401  (the fixture)

PARIS = ZoneInfo("Europe/Paris")


def test_switched_off_company_is_left_out_of_the_schedule(ws, tmp_path, platform_server):  # noqa: F811
    set_settings(ws, {"portal.url": platform_server.url, "portal.client_code": platform_server.client_code,
                      "portal.password": platform_server.password, "proxy.mode": "none",
                      "schedule.frequency": "daily", "schedule.start": "08:00"})
    sage = fx.sqlite_file(tmp_path / "sage.db")
    for code, enabled in (("BIJOU", True), ("CAFE", False)):
        save_company(ws, CompanyData(short_code=code, name=code, dossier=code, accounting_source=f"sqlite:{sage}",
                                     commercial_source=f"sqlite:{sage}", views=["sales_revenue"], enabled=enabled))
    assert get_company(ws, "CAFE").enabled is False
    clock = FakeClock(datetime.fromisoformat("2026-06-01T07:00+02:00"), tz=PARIS)
    s = Scheduler(ws, clock=clock, tz=PARIS)  # the real run function
    assert s.acquire()
    try:
        assert s.tick() is None
        clock.set(datetime.fromisoformat("2026-06-01T08:00:10+02:00"))
        assert s.tick().trigger == "scheduler"
    finally:
        s.release()
    rows = [(e.operation, e.company, e.success) for e in reversed(journal.page())]
    assert rows == [("publish", "BIJOU", True), ("users", "", True)]
    # by name it still publishes
    report = runner.run(ws, "publish", "CAFE", trigger="cli")
    assert [(r.operation, r.company, r.success) for r in report.results] == [("publish", "CAFE", True),
                                                                              ("users", "", True)]
    # every company switched off: the schedule's run says so, nothing is sent
    data = get_company(ws, "BIJOU")
    data.enabled = False
    save_company(ws, data)
    report = runner.run(ws, "publish", None, trigger="scheduler")
    assert not report.ok and "every company is switched off" in report.results[0].message
