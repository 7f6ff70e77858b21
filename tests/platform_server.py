"""A pytest helper that serves the REAL reference platform on loopback.

Import it from a test module or a conftest:

    from tests.platform_server import platform_server  # noqa: F401  (the fixture)

    def test_x(platform_server):
        requests.get(platform_server.url + "/api/v1/account",
                     auth=(platform_server.client_code, platform_server.password))

The fixture starts uvicorn in a background thread on a free 127.0.0.1 port,
with a fresh data folder (its platform.db), and provisions one publisher
account. `.stop()` and `.start()` take the platform down and bring it back on
the same address with the same data. Outside pytest, use
`bizsync_tui.platform.server.start_platform`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bizsync_tui.platform.server import PlatformHandle, start_platform

API = "/api/v1"


@dataclass
class RunningPlatform:
    handle: PlatformHandle
    client_code: str
    password: str
    extra_clients: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.handle.url

    @property
    def api(self) -> str:
        return self.handle.url + API

    @property
    def data_dir(self) -> Path:
        return self.handle.data_dir

    @property
    def auth(self) -> tuple[str, str]:
        return (self.client_code, self.password)

    def stop(self) -> None:
        self.handle.stop()

    def start(self) -> None:
        self.handle.start()

    def add_client(self, code: str, password: str | None = None) -> str:
        """Provision another publisher account; returns its password."""
        password = password or secrets.token_urlsafe(12)
        self.handle.add_client(code, password)
        self.extra_clients[code] = password
        return password


def run_platform(data_dir: Path, client_code: str = "ACME", password: str | None = None,
                 **kwargs) -> RunningPlatform:
    """Start a platform in `data_dir` with one publisher account (not a fixture)."""
    handle = start_platform(data_dir, **kwargs)
    password = password or "pw-" + secrets.token_urlsafe(12)
    handle.add_client(client_code, password)
    return RunningPlatform(handle=handle, client_code=client_code, password=password)


@pytest.fixture
def platform_server(tmp_path):
    """A fresh platform for one test; stopped afterwards."""
    running = run_platform(tmp_path / "platform")
    try:
        yield running
    finally:
        running.handle.stop()


@pytest.fixture(scope="module")
def platform_server_module(tmp_path_factory):
    """One platform shared by a whole test module (faster; tests must use their own codes)."""
    running = run_platform(tmp_path_factory.mktemp("platform"))
    try:
        yield running
    finally:
        running.handle.stop()
