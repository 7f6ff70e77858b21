"""Running the platform: in the background of a process (demo, tests) or in the foreground.

`start_platform(data_dir)` serves the real application with uvicorn on a
loopback port in a background thread and returns a handle that can stop it and
start it again on the same address (for "platform down, then back" tests).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

import uvicorn

from bizsync_tui.platform.store import DB_FILE_NAME, Store


def database_of(data_dir: str | os.PathLike, database_url: str | None = None) -> str:
    """The database the platform uses: the URL when given, else `platform.db` in the data folder."""
    if database_url:
        return database_url
    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(folder / DB_FILE_NAME)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class PlatformHandle:
    """A platform served in a background thread. `url` has no trailing slash and no /api/v1."""

    def __init__(self, data_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 0,
                 database_url: str | None = None, token_ttl: timedelta | float | None = None,
                 log_level: str = "warning", certfile: str | os.PathLike | None = None,
                 keyfile: str | os.PathLike | None = None, quiet: bool = False, limits=None):
        self.quiet = quiet
        self.limits = limits
        if bool(certfile) != bool(keyfile):
            raise ValueError("HTTPS needs both a certificate file and its key file.")
        self.certfile = str(certfile) if certfile else None
        self.keyfile = str(keyfile) if keyfile else None
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.database = database_of(self.data_dir, database_url)
        self.token_ttl = token_ttl
        self.log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        scheme = "https" if self.certfile else "http"
        return f"{scheme}://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def add_client(self, code: str, password: str, *, replace: bool = False) -> None:
        """Provision a publisher account (same as `bizsync platform client add`)."""
        store = Store(self.database)
        try:
            store.add_client(code, password, replace=replace)
        finally:
            store.close()

    def start(self, timeout: float = 10.0) -> "PlatformHandle":
        if self.running:
            return self
        from bizsync_tui.platform.app import create_app

        extra_app = {"limits": self.limits} if self.limits is not None else {}
        app = create_app(self.database, token_ttl=self.token_ttl, **extra_app)
        self._sock = _bind(self.host, self.port)
        self.port = self._sock.getsockname()[1]
        extra = {"log_config": QUIET_LOG_CONFIG} if self.quiet else {}
        config = uvicorn.Config(app, log_level=self.log_level, access_log=False, lifespan="off",
                                loop="asyncio", timeout_graceful_shutdown=2, ssl_certfile=self.certfile,
                                server_header=False,
                                ssl_keyfile=self.keyfile, **extra)
        server = uvicorn.Server(config)
        self._server = server
        sock = self._sock
        self._thread = threading.Thread(target=lambda: server.run(sockets=[sock]),
                                        name=f"bizsync-platform-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"The platform could not start on {self.url}; see the log above.")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The platform did not start on {self.url} within {timeout:.0f} s.")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout)
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._server = self._thread = self._sock = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# For a platform inside the terminal app: nothing may be written to the terminal.
QUIET_LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {name: {"handlers": ["null"], "level": "ERROR", "propagate": False}
                for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "bizsync.platform")},
}


def start_platform(data_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 0, *,
                   database_url: str | None = None, token_ttl: timedelta | float | None = None,
                   log_level: str = "warning", certfile: str | os.PathLike | None = None,
                   keyfile: str | os.PathLike | None = None, quiet: bool = False,
                   limits=None) -> PlatformHandle:
    """Start the platform in a background thread (port 0: a free port) and return its handle.

    With `certfile` and `keyfile` (PEM) it serves HTTPS and `handle.url` starts with https://.
    `quiet=True` sends its logs nowhere (for a platform running inside the terminal app).
    `limits`: the failed-login throttling (`guard.Limits`; default `guard.DEFAULT_LIMITS`).
    Call `.stop()` when done; `.start()` serves again on the same port with the same data.
    """
    return PlatformHandle(data_dir, host, port, database_url=database_url, token_ttl=token_ttl,
                          log_level=log_level, certfile=certfile, keyfile=keyfile, quiet=quiet,
                          limits=limits).start()


def log_config_to_stdout() -> dict:
    """uvicorn's logging configuration, with every line on standard output."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for handler in config["handlers"].values():
        handler["stream"] = "ext://sys.stdout"
    config.setdefault("loggers", {})["bizsync.platform"] = {"handlers": ["default"], "level": "INFO",
                                                           "propagate": False}
    return config


def serve_foreground(data_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 8470, *,
                     database_url: str | None = None, token_ttl: timedelta | float | None = None,
                     workers: int = 1, certfile: str | None = None, keyfile: str | None = None) -> None:
    """Serve in the foreground until SIGINT or SIGTERM, then return normally (exit code 0).

    uvicorn stops gracefully on either signal and then raises it again for the
    previous handler; the quiet handlers installed here absorb that, so that a
    requested stop is a clean exit and not a death by signal.
    """
    import signal

    database = database_of(data_dir, database_url)
    Store(database).close()  # create the tables once, before any worker starts
    quiet = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if workers > 1:
            from bizsync_tui.platform.app import ENV_DATABASE, ENV_TOKEN_HOURS

            os.environ[ENV_DATABASE] = database
            if token_ttl is not None:
                seconds = token_ttl.total_seconds() if isinstance(token_ttl, timedelta) else float(token_ttl)
                os.environ[ENV_TOKEN_HOURS] = str(seconds / 3600)
            uvicorn.run("bizsync_tui.platform.app:app_from_env", factory=True, host=host, port=port,
                        workers=workers, log_config=log_config_to_stdout(), timeout_graceful_shutdown=5,
                        server_header=False,
                        ssl_certfile=certfile, ssl_keyfile=keyfile)
        else:
            from bizsync_tui.platform.app import create_app

            uvicorn.run(create_app(database, token_ttl=token_ttl), host=host, port=port,
                        log_config=log_config_to_stdout(), timeout_graceful_shutdown=5, server_header=False,
                        ssl_certfile=certfile, ssl_keyfile=keyfile)
    finally:
        for sig, handler in quiet.items():
            signal.signal(sig, handler)
