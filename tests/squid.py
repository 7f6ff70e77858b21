"""A REAL squid proxy with basic authentication on loopback (Debian's squid).

    proxy = start_squid(user="alice", password="p@ss:w/rd")   # proxy.host, proxy.port
    ...
    proxy.stop()

As root squid drops to the user `proxy`: its folder, logs and password file
belong to that user, in a folder outside pytest's 0700 temporary tree. The
password file is made with `openssl passwd -apr1` for basic_ncsa_auth.
`shutdown_lifetime 1 seconds` keeps stopping short.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SQUID = shutil.which("squid") or "/usr/sbin/squid"
NCSA = "/usr/lib/squid/basic_ncsa_auth"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Squid:
    host: str
    port: int
    user: str
    password: str
    folder: Path
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def access_log(self, wait_for: str | None = None, timeout: float = 5.0) -> str:
        """The access log; with `wait_for`, polls until that text shows (squid logs a
        CONNECT only when the tunnel closes)."""
        path = self.folder / "access.log"
        deadline = time.monotonic() + timeout
        while True:
            text = path.read_text(errors="replace") if path.exists() else ""
            if wait_for is None or wait_for in text or time.monotonic() > deadline:
                return text
            time.sleep(0.05)


def available() -> bool:
    return Path(SQUID).exists() and Path(NCSA).exists() and shutil.which("openssl") is not None


def start_squid(user: str = "bizsync", password: str = "proxy-secret") -> Squid:
    folder = Path(tempfile.mkdtemp(prefix="bizsync-squid-"))
    folder.chmod(0o755)
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "-stdin"], input=password + "\n",
                            capture_output=True, text=True, check=True).stdout.strip()
    (folder / "passwd").write_text(f"{user}:{hashed}\n")
    port = _free_port()
    conf = folder / "squid.conf"
    conf.write_text(f"""
http_port 127.0.0.1:{port}
pid_filename {folder}/squid.pid
cache_log {folder}/cache.log
access_log stdio:{folder}/access.log
cache_store_log none
coredump_dir {folder}
cache deny all
visible_hostname bizsync-test-proxy
shutdown_lifetime 1 seconds
auth_param basic program {NCSA} {folder}/passwd
auth_param basic realm bizsync-test
auth_param basic children 2 startup=1 idle=1
acl authenticated proxy_auth REQUIRED
acl CONNECT method CONNECT
http_access deny !authenticated
http_access allow authenticated
http_access deny all
""")
    if os.geteuid() == 0:
        proxy = pwd.getpwnam("proxy")
        for path in [folder, *folder.iterdir()]:
            os.chown(path, proxy.pw_uid, proxy.pw_gid)
    process = subprocess.Popen([SQUID, "-N", "-f", str(conf)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            log = (folder / "cache.log").read_text(errors="replace") if (folder / "cache.log").exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"squid exited: {err}\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("squid did not start listening")
            time.sleep(0.05)
    return Squid("127.0.0.1", port, user, password, folder, process)


@pytest.fixture(scope="module")
def squid_proxy():
    if not available():
        pytest.skip("squid, basic_ncsa_auth or openssl is not installed (apt-get install squid openssl)")
    proxy = start_squid(user="bizsync", password="p@ss:w/rd%20!")
    try:
        yield proxy
    finally:
        proxy.stop()
