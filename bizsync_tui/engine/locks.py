"""Process locks in the data dir: one scheduler, one publication at a time.

fcntl.flock on `<data dir>/<name>.lock`, plus a JSON info file saying who holds
it. The kernel drops a lock when its process dies, so a lock left by a killed
process is simply taken over.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
from pathlib import Path

from bizsync_tui.engine.clock import Clock, SystemClock
from bizsync_tui.i18n import _


class ProcessLock:
    """An exclusive lock on `<data dir>/<name>.lock` (fcntl.flock) plus a JSON info file
    saying who holds it (pid, host, started_at). The kernel drops the lock when the holding
    process dies, so a lock left by a killed process is simply taken over; the info file
    it leaves is ignored because nobody holds the lock any more."""

    def __init__(self, data_dir: str | os.PathLike, clock: Clock | None = None, name: str = "scheduler"):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / f"{name}.lock"
        self.info_path = self.data_dir / f"{name}.lock.json"
        self._clock = clock or SystemClock()
        self._fd: int | None = None
        self._info: dict | None = None
        self._mutex = threading.Lock()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, role: str = "") -> bool:
        """Take the lock without waiting: True if this object holds it now, False if another process does."""
        with self._mutex:
            if self._fd is not None:
                return True
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            info = {"pid": os.getpid(), "host": socket.gethostname(),
                    "started_at": self._clock.now().isoformat(timespec="seconds"), "role": role or self.path.stem}
            try:
                self._write_info(fd, info)
            except BaseException:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                raise
            self._fd, self._info = fd, info
            return True

    def _write_info(self, fd: int, info: dict) -> None:
        data = json.dumps(info, sort_keys=True).encode()
        # In the lock file itself (for a human with `cat`) and, atomically, in the info file.
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        tmp = self.info_path.with_name(f".{self.info_path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.info_path)

    def holder(self) -> dict | None:
        """Who holds the lock: {'pid', 'host', 'started_at', 'role'} (this process included), or None when free."""
        if self._fd is not None:
            return dict(self._info or {})
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # held by someone: read who
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                return None  # free (whatever a dead holder left in the info file)
        finally:
            os.close(fd)
        for _attempt in range(20):  # the holder may be between flock and writing its info
            try:
                info = json.loads(self.info_path.read_text())
                if isinstance(info, dict) and info.get("pid"):
                    return info
            except (OSError, ValueError):
                pass
            threading.Event().wait(0.05)
        return {"pid": None, "host": None, "started_at": None, "role": None}

    def release(self) -> None:
        with self._mutex:
            if self._fd is None:
                return
            fd, self._fd, self._info = self._fd, None, None
            try:
                try:
                    self.info_path.unlink()
                except FileNotFoundError:
                    pass
                os.ftruncate(fd, 0)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def describe_holder(info: dict | None) -> str:
    """'process 1234 on host srv1 since 2026-03-29T08:00:00+02:00' (for messages)."""
    if not info or not info.get("pid"):
        return _("another process (its details are not readable yet)")
    if info.get("role") == "tui":
        text = _("process {pid} (the terminal app) on host {host} since {since}")
    else:
        text = _("process {pid} on host {host} since {since}")
    return text.format(pid=info.get("pid"), host=info.get("host"), since=info.get("started_at"))
