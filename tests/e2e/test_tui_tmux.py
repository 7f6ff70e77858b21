"""The terminal app in a real terminal: tmux, 80x24, keys only, the screen read back as text.

The data dir is configured through the CLI (as an admin could script it), the REAL
reference platform runs on loopback (tests/platform_server.py), and `python -m
bizsync_tui --data-dir D` runs in a detached tmux session. The test sends keys
(F-keys, letters, Enter) with `tmux send-keys` and reads the screen with
`tmux capture-pane -p`; every wait is bounded. Skipped only when tmux is not
installed (scripts/install-deps.sh --test installs it).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests import sage_fixture as fx
from tests.e2e.cli import REPO, env_for, ok
from tests.platform_server import platform_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed "
                                "(scripts/install-deps.sh --test installs it)")

MOBILE_PASSWORD = "Phone-pass-42"


class Terminal:
    """One detached tmux session of 80x24 on a private tmux server (its own socket, -S)."""

    def __init__(self, command: str, env: dict[str, str], cwd: Path, width: int = 80, height: int = 24) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bzt", dir="/tmp"))  # short: a socket path is < 108 bytes
        self.socket = str(self.folder / "tmux")
        self.env = env
        # the shell line prints the app's exit code, then stays, so the test can read it
        line = f"{command}; echo \"APP EXITED WITH $?\"; sleep 120"
        self.tmux("new-session", "-d", "-s", "bz", "-x", str(width), "-y", str(height), "-c", str(cwd),
                  "sh", "-c", line)

    def tmux(self, *args: str) -> str:
        r = subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null", *args], capture_output=True,
                           text=True, timeout=10, env=self.env)
        assert r.returncode == 0, (args, r.stderr)
        return r.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:  # one at a time, as typed
            self.tmux("send-keys", "-t", "bz", key)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "bz")

    def wait_for(self, *texts: str, timeout: float = 10.0, absent: str | None = None) -> str:
        """Poll the screen until every text is on it (and `absent` is not); fail after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(t in screen for t in texts) and (absent is None or absent not in screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"not on the screen after {timeout} s: {texts} "
                                     f"(absent: {absent!r})\n{screen}")
            time.sleep(0.1)

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> str:
        """Wait until the screen has not changed for `quiet` s (the app is idle), at most `timeout` s.

        Needed after a step change of the wizard: the focus moves to the new step one
        refresh later, and a key typed before that is lost (reported; see the report).
        """
        deadline = time.monotonic() + timeout
        last, since = self.screen(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.screen()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return last

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def configure(data_dir: Path, sage: str, platform) -> None:
    """Portal credentials, company BIJOU (3 views) and user marie (2 of them), by the CLI."""
    ok(data_dir, "config", "set", "portal.url", platform.url)
    ok(data_dir, "config", "set", "portal.client_code", platform.client_code)
    ok(data_dir, "config", "set", "portal.password", stdin=platform.password + "\n")
    ok(data_dir, "company", "add", "BIJOU", "--dossier", "BIJOU01", "--name", "Bijou SA",
       "--accounting", f"sqlite:{sage}", "--commercial", f"sqlite:{sage}",
       "--views", "sales_revenue,accounting_revenue,cash_position")
    ok(data_dir, "user", "add", "marie", "--name", "Marie Curie", "--grant", "BIJOU:sales_revenue,cash_position",
       stdin=f"{MOBILE_PASSWORD}\n{MOBILE_PASSWORD}\n")


def test_wizard_publishes_in_a_real_80x24_terminal(tmp_path, platform_server):  # noqa: F811
    platform = platform_server
    data_dir = tmp_path / "data"
    sage = fx.sqlite_file(tmp_path / "bijou.db")
    configure(data_dir, sage, platform)
    env = env_for(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", NO_COLOR="1", ESCDELAY="25")
    env.pop("TMUX", None)
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "bizsync_tui", "--data-dir", str(data_dir)))
    term = Terminal(command, env, REPO)
    try:
        # configured: the app opens on the journal, with the navigation tree on the left
        # (the status line is filled by a worker after the first paint: wait for it too)
        screen = term.wait_for("Companies F5", "Journal F8", "Users F7", "no publication yet", timeout=20)
        for item in ("Settings", "Connection F2", "Proxy F3", "Schedule F4", "Groups F6"):
            assert item in screen, screen

        # F5: the companies list
        term.settle()
        term.keys("F5")
        # at 80 columns the list shows code, name, views and last publication (the form has the dossier)
        screen = term.wait_for("Code", "Published", "Bijou SA")
        assert "BIJOU" in screen and "never" in screen  # not published yet

        # F9: the wizard; step 1 is all done, n, n (publish, all companies), f (finish)
        term.settle()
        term.keys("F9")
        screen = term.wait_for("Step 1 of 3", "[x] Portal credentials", "[x] Mobile users")
        assert "[x] Companies" in screen and "[x] Management-database credentials" in screen
        term.settle()
        term.keys("n")
        term.wait_for("Step 2 of 3", "Publish or update the platform data")
        term.settle()
        term.keys("n")
        term.wait_for("Step 3 of 3", "All companies and groups")
        term.settle()
        term.keys("f")
        screen = term.wait_for("Done: ", timeout=30)
        assert "\u2717" not in screen and "Failed" not in screen, screen

        # Enter on "Open the journal": the success rows, no cross
        term.settle()
        term.keys("Enter")
        screen = term.wait_for("BIJOU", "last publication", absent="Step 3 of 3")
        journal_lines = [line for line in screen.splitlines() if "BIJOU" in line]
        assert journal_lines and not any("\u2717" in line for line in journal_lines), screen
        status = next(line for line in screen.splitlines() if "last publication" in line)
        assert status.rstrip().endswith("OK"), status  # "... | last publication 28/11 06:00 OK"

        # F10 quits; the process ends with 0
        term.settle()
        term.keys("F10")
        term.wait_for("APP EXITED WITH 0", timeout=10)
    finally:
        term.close()

    # the phone sees what was granted of what was published
    login = requests.post(platform.api + "/mobile/login", timeout=10, json={
        "client_code": platform.client_code, "company_code": "BIJOU", "login": "marie",
        "password": MOBILE_PASSWORD})
    assert login.status_code == 200, login.text
    views = requests.get(platform.api + "/mobile/views", timeout=10,
                        headers={"Authorization": f"Bearer {login.json()['token']}"})
    assert views.status_code == 200 and sorted(views.json()["views"]) == ["cash_position", "sales_revenue"]
