"""Fixtures shared by every test folder."""

from __future__ import annotations

import os

import pytest

# Colours and the key must never come from the developer's environment.
os.environ.pop("NO_COLOR", None)
os.environ.pop("BIZSYNC_KEY", None)
os.environ.pop("BIZSYNC_HOME", None)
os.environ.pop("CREDENTIALS_DIRECTORY", None)
# Tests run in English (subprocesses copy os.environ), even on a machine with a French locale.
os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)


@pytest.fixture(autouse=True)
def english():
    """Every test starts in English: an app built in French (the French snapshots) sets the
    process's language, which would otherwise stay for the next test in the same worker."""
    from bizsync_tui import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def ws(tmp_path):
    """A fresh workspace (settings database + key file) in a temporary data dir."""
    from bizsync_tui.engine.workspace import open_workspace

    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: the real parts (PostgreSQL, squid, tmux) must be there,
    and a missing install must not pass as green."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped in CI, which must have every real part installed: {reason}"
