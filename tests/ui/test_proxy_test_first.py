"""Settings > Proxy, issue 11 item 11: "Test and save" tests the TYPED values first and saves
them only when the platform answered through them; a failed test leaves the previous
settings in use and says so; the old result line is gone as soon as a new test starts.

Real parts: the reference platform on loopback (tests/platform_server.py), a real squid with
basic authentication (tests/squid.py), and a real TCP listener that accepts and never answers
(a proxy that hangs), closed by the test when it has looked at the screen.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time

from bizsync_tui.engine.admin.config import set_settings
from bizsync_tui.models.db import DB_FILE
from tests.platform_server import platform_server  # noqa: F401  (the fixture)
from tests.snap.app_factory import make_app, open_ws, settle, type_text
from tests.squid import squid_proxy  # noqa: F401  (the fixture)

PROXY_KEYS = ("proxy.mode", "proxy.host", "proxy.port", "proxy.user")


class SilentProxy:
    """Listens on loopback, accepts connections and never answers, until closed."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)
            self.connected.set()

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def message(app) -> str:
    return str(app.screen.query_one("#proxy-message").render())


async def wait_until(pilot, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def saved_proxy(data_dir) -> list[str]:
    """The proxy settings in the settings database, read with sqlite3 (opening a second
    workspace in this process would re-point the models' database away from the app's)."""
    with sqlite3.connect(data_dir / DB_FILE) as db:
        rows = dict(db.execute("SELECT key, value FROM setting WHERE key LIKE 'proxy.%'").fetchall())
    defaults = {"proxy.mode": "system"}
    return [rows.get(k, defaults.get(k, "")) for k in PROXY_KEYS]


async def choose_manual(pilot) -> None:
    app = pilot.app
    app.screen.query_one("#proxy-mode").focus()
    await pilot.pause()
    while not app.screen.query_one("#mode-manual").value:
        await pilot.press("up")
        await pilot.press("enter")
    await settle(pilot)


async def fill(pilot, field: str, text: str) -> None:
    box = pilot.app.screen.query_one(f"#proxy-{field} Input")
    box.value = ""
    box.focus()
    await pilot.pause()
    await type_text(pilot, text)


async def test_bad_proxy_is_tested_first_and_never_saved(tmp_path, platform_server, squid_proxy):  # noqa: F811
    data = tmp_path / "data"
    seeded = open_ws(data)
    set_settings(seeded, {"portal.url": platform_server.url, "portal.client_code": "ACME", "proxy.mode": "none"})
    seeded.close()
    app = make_app(data, start="journal")
    silent = SilentProxy()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f3")
            await settle(pilot)
            # 1. the saved "no proxy" works: a success line
            await pilot.press("ctrl+t")
            await wait_until(pilot, lambda: "reachable directly" in message(app))
            await settle(pilot)
            assert app.screen.query_one("#proxy-message").has_class("-success")
            old_line = message(app)

            # 2. a proxy that never answers: while it hangs the old line is gone, nothing is saved
            await choose_manual(pilot)
            await fill(pilot, "host", "127.0.0.1")
            await fill(pilot, "port", str(silent.port))
            await pilot.press("ctrl+t")
            await wait_until(pilot, silent.connected.is_set)
            await pilot.pause()
            assert saved_proxy(data)[0] == "none"  # not saved before the test
            assert "reachable directly" not in message(app)
            assert "Testing these settings" in message(app), message(app)
            silent.close()  # the proxy goes away: the test fails
            await wait_until(pilot, lambda: "Nothing was saved" in message(app))
            await settle(pilot)
            assert app.screen.query_one("#proxy-message").has_class("-error")
            assert old_line not in message(app)
            assert saved_proxy(data) == ["none", "", "", ""]

            # 3. squid with a wrong password: 407, nothing saved
            await fill(pilot, "host", squid_proxy.host)
            await fill(pilot, "port", str(squid_proxy.port))
            await fill(pilot, "user", squid_proxy.user)
            await fill(pilot, "password", "not-the-password")
            await pilot.press("ctrl+t")
            await wait_until(pilot, lambda: "Nothing was saved" in message(app) and "Testing" not in message(app))
            await settle(pilot)
            assert saved_proxy(data) == ["none", "", "", ""], message(app)
            assert "not-the-password" not in message(app)

            # 4. the right password: reached through squid, then saved
            await fill(pilot, "password", squid_proxy.password)
            await pilot.press("ctrl+t")
            await wait_until(pilot, lambda: "Saved: these proxy settings are now in use" in message(app))
            await settle(pilot)
            assert f"through the proxy {squid_proxy.host}:{squid_proxy.port}" in message(app)
            assert app.screen.query_one("#proxy-message").has_class("-success")
            assert not app.screen.query_one("#proxy-pane").has_unsaved_changes()
        assert saved_proxy(data) == ["manual", squid_proxy.host, str(squid_proxy.port), squid_proxy.user]
        ws = open_ws(data)
        assert ws.settings.get_secret("proxy.password") == squid_proxy.password
        ws.close()
        assert "/api/v1/account" in squid_proxy.access_log(wait_for="/api/v1/account")
    finally:
        silent.close()


async def test_a_bad_field_is_shown_and_nothing_is_tested(tmp_path):
    """A manual proxy without its port: refused beside the field, before any network."""
    data = tmp_path / "data"
    seeded = open_ws(data)
    set_settings(seeded, {"portal.url": "http://127.0.0.1:9", "proxy.mode": "none"})
    seeded.close()
    app = make_app(data, start="journal")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await choose_manual(pilot)
        await fill(pilot, "host", "proxy.lan")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Not tested and not saved" in message(app)
        assert app.screen.query_one("#proxy-port").has_class("-invalid")
        assert app.focused is app.screen.query_one("#proxy-port Input")
    assert saved_proxy(data) == ["none", "", "", ""]
