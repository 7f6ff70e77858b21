"""RunReport.reaches_nobody(): why a publication that succeeded still gives the phones
nothing (the wizard's headline says it instead of 'Done'). Reports built by hand."""

from __future__ import annotations

from bizsync_tui.engine.publish.runner import Result, RunReport


def report(*results, action="publish", cancelled=False) -> RunReport:
    return RunReport(action=action, target=None, trigger="wizard", results=list(results), cancelled=cancelled)


def published(code, views):
    return Result("publish", code, True, "Published.", figures={"views": {v: {} for v in views}})


def users(n, success=True):
    return Result("users", "", success, "Users.", figures={"users": n})


def test_views_and_users_sent_reach_someone():
    assert report(published("BIJOU", ["cash_position"]), users(2)).reaches_nobody() == ""


def test_no_view_sent_by_any_company():
    assert report(published("BIJOU", []), published("CAFE", []), users(2)).reaches_nobody() == "views"


def test_views_sent_but_no_mobile_user():
    assert report(published("BIJOU", ["cash_position"]), users(0)).reaches_nobody() == "users"


def test_a_failed_or_stopped_run_is_a_failure_not_a_warning():
    failed = Result("publish", "CAFE", False, "The source cannot be opened.")
    assert report(published("BIJOU", []), failed, users(0)).reaches_nobody() == ""
    assert report(published("BIJOU", []), users(0), cancelled=True).reaches_nobody() == ""


def test_a_deletion_reaches_nobody_on_purpose():
    deleted = Result("delete", "BIJOU", True, "Deleted.")
    assert report(deleted, action="delete").reaches_nobody() == ""
