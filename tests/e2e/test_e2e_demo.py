"""`bizsync demo --no-tui` in a fresh data dir, as a new user runs it: exit 0, and the
journal holds a success for both demo companies, their group and the mobile users."""

from __future__ import annotations

import re

from tests.e2e.cli import bizsync, files_holding, journal


def test_demo_no_tui_publishes_everything(tmp_path):
    data = tmp_path / "demo"
    r = bizsync(data, "demo", "--no-tui", timeout=120)
    entries = journal(data)
    outcome = {(e["operation"], e["company"]): e["success"] for e in entries}
    assert outcome == {("publish", "BIJOU"): True, ("publish", "BIJNORD"): True, ("publish", "BIJGRP"): True,
                       ("users", ""): True}, [e["message"] for e in entries]
    assert r.returncode == 0, r.stdout + r.stderr
    # the demo users' passwords are in a 0600 file only, nowhere else on disk
    credentials = data / "demo-credentials.txt"
    assert credentials.stat().st_mode & 0o077 == 0
    passwords = re.findall(r"^  (?:marie|paul|zoe): (\S+)$", credentials.read_text(), re.M)
    assert len(passwords) == 3
    credentials.unlink()
    assert files_holding(data, passwords) == []
