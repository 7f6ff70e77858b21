"""Helpers of the acceptance tests: bizsync run as a user runs it, in real processes.

    r = bizsync(data_dir, "publish", "--as-of", "2026-11-28")        # CompletedProcess
    with serve_platform(folder) as p:                                # `bizsync platform serve`
        p.add_client("ACME", "portal-pass-1")                        # `bizsync platform client add`
        token = mobile_login(p.url, "ACME", "TINYA", "marie", "pw")  # requests, no proxy
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
API = "/api/v1"


def env_for(data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "BIZSYNC_KEY",
                                "BIZSYNC_HOME", "REQUESTS_CA_BUNDLE", "CREDENTIALS_DIRECTORY")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def bizsync(data_dir: Path, *args: str, stdin: str = "", timeout: float = 90,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m bizsync_tui --data-dir DATA_DIR ARGS...` with `stdin` typed in."""
    return subprocess.run([sys.executable, "-m", "bizsync_tui", "--data-dir", str(data_dir), *args],
                          input=stdin, capture_output=True, text=True, timeout=timeout,
                          env=env or env_for(), cwd=str(REPO))


def ok(data_dir: Path, *args: str, stdin: str = "") -> str:
    r = bizsync(data_dir, *args, stdin=stdin)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r.stdout


def journal(data_dir: Path) -> list[dict]:
    return json.loads(ok(data_dir, "journal", "--json"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Platform:
    folder: Path
    port: int
    scheme: str = "http"
    ca: Path | None = None
    tls: tuple[Path, Path] | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def add_client(self, code: str, password: str) -> None:
        ok(self.folder, "platform", "client", "add", code, stdin=password + "\n")

    def start(self, timeout: float = 20) -> None:
        args = [sys.executable, "-m", "bizsync_tui", "platform", "serve", "--port", str(self.port),
                "--data-dir", str(self.folder)]
        if self.tls:
            args += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        env=env_for(), cwd=str(REPO))
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("platform serve exited: " + self.process.stderr.read().decode(errors="replace"))
            try:
                r = _session().get(self.url + API + "/openapi.json", timeout=1, verify=str(self.ca or True))
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("platform serve did not answer in time")
            time.sleep(0.1)

    def stop(self) -> int | None:
        """SIGTERM, as systemd stops it; returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        code, self.process = self.process.returncode, None
        return code


@contextlib.contextmanager
def serve_platform(folder: Path, *, tls: tuple[Path, Path] | None = None, ca: Path | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    platform = Platform(folder, free_port(), "https" if tls else "http", ca, tls)
    platform.start()
    try:
        yield platform
    finally:
        platform.stop()


def _session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # the mobile user talks to the platform directly
    return s


def mobile_views(url: str, client: str, company: str, login: str, password: str, *, ca: Path | None = None):
    """A mobile user's session: (status of login, status of views, views answer or error body)."""
    s = _session()
    verify = str(ca) if ca else True
    r = s.post(url + API + "/mobile/login", json={"client_code": client, "company_code": company, "login": login,
                                                  "password": password}, timeout=10, verify=verify)
    if r.status_code != 200:
        return r.status_code, None, r.json()
    token = r.json()["token"]
    v = s.get(url + API + "/mobile/views", headers={"Authorization": f"Bearer {token}"}, timeout=10, verify=verify)
    return 200, v.status_code, v.json()


def configure_portal(data_dir: Path, url: str, client: str, password: str, *, proxy: str = "none") -> None:
    ok(data_dir, "config", "set", "portal.url", url)
    ok(data_dir, "config", "set", "portal.client_code", client)
    ok(data_dir, "config", "set", "portal.password", stdin=password + "\n")
    ok(data_dir, "config", "set", "proxy.mode", proxy)


def files_holding(folder: Path, secrets: list[str]) -> list[tuple[str, str]]:
    """(file, secret) for every secret found in clear in any file under folder."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for secret in secrets:
                if secret.encode() in blob or secret.encode("utf-16-le") in blob:
                    found.append((str(path), secret))
    return found
