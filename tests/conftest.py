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


@pytest.fixture
def ws(tmp_path):
    """A fresh workspace (settings database + key file) in a temporary data dir."""
    from bizsync_tui.engine.workspace import open_workspace

    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()
