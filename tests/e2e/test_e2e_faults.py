"""Issue 11 items 5 and 17, as a user meets them: real `bizsync` processes against a real
platform process (`bizsync platform serve`), faults made for real.

- a closed pipe (`bizsync journal | head -1`): the reader closes its end before bizsync writes;
- `--data-dir` on a file, or under a file;
- /dev/full as standard output;
- a read-only data dir and an unreadable key file: bizsync runs without the root's
  permission override (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so the file
  modes apply to it as to any user;
- a full disk: the data dir on a 4 MiB tmpfs, filled up;
- a publisher killed during its upload: the platform process is stopped (SIGSTOP), so the PUT
  sits in the platform's socket (seen with `ss`) when the publisher is killed.

Every fault ends in one sentence on stderr and an exit code, never a traceback, and the
platform never holds what the journal does not say.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e import tiny_sage as sage
from tests.e2e.cli import REPO, bizsync, configure_portal, env_for, journal, mobile_views, ok, serve_platform

CLIENT, PORTAL_PW, MARIE_PW = "ACME", "portal-pw-faults", "marie-pw-faults"
EXIT_STORAGE, EXIT_BROKEN_PIPE = 74, 141
NO_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]  # root as any user for file modes


def run(data_dir: Path, *args: str, prefix: list[str] = (), stdout=subprocess.PIPE, timeout: float = 90):
    return subprocess.run([*prefix, sys.executable, "-m", "bizsync_tui", "--data-dir", str(data_dir), *args],
                          stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, env=env_for(), cwd=str(REPO))


def assert_sentence(r, code: int, *words: str) -> str:
    err = r.stderr
    assert r.returncode == code, (r.returncode, err)
    assert "Traceback" not in err and "Error:" not in err, err
    assert err.startswith("bizsync: ") and err.count("\n") == 1, err
    for w in words:
        assert w in err, (w, err)
    return err


def configure(data_dir: Path, url: str, db: Path) -> None:
    configure_portal(data_dir, url, CLIENT, PORTAL_PW)
    ok(data_dir, "config", "set", "database.user", "sage")
    ok(data_dir, "config", "set", "database.password", stdin="db-pw\n")
    ok(data_dir, "company", "add", "TINYA", "--dossier", "TINY01", "--name", "Tiny SA", "--accounting",
       f"sqlite:{db}", "--commercial", f"sqlite:{db}", "--views", "sales_revenue,cash_position")
    ok(data_dir, "user", "add", "marie", "--name", "Marie", "--grant", "TINYA:all", stdin=MARIE_PW + "\n")


def phone_as_of(platform) -> str | None:
    status, views_status, body = mobile_views(platform.url, CLIENT, "TINYA", "marie", MARIE_PW)
    return body["as_of"] if status == 200 and views_status == 200 else None


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e_faults")
    db = sage.sqlite_file(base / "tiny_a.sqlite", "A")
    with serve_platform(base / "platform") as platform:
        platform.add_client(CLIENT, PORTAL_PW)
        yield {"base": base, "platform": platform, "db": db}


# -- closed pipes ------------------------------------------------------------------------
def closed_pipe(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`bizsync ARGS | head -0`: the reader is gone before bizsync writes its first line."""
    proc = subprocess.Popen([sys.executable, "-m", "bizsync_tui", "--data-dir", str(data_dir), *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env_for(), cwd=str(REPO))
    proc.stdout.close()
    err = proc.stderr.read().decode()
    return subprocess.CompletedProcess(proc.args, proc.wait(60), "", err)


def test_a_closed_pipe_ends_quietly_with_141(world):
    data = world["base"] / "pipes"
    configure(data, world["platform"].url, world["db"])
    assert ok(data, "publish", "--as-of", sage.AS_OF)  # two journal rows
    for args in (["journal"], ["journal", "--json"], ["extract", "--company", "TINYA", "--as-of", sage.AS_OF]):
        r = closed_pipe(data, *args)
        assert (r.returncode, r.stderr) == (EXIT_BROKEN_PIPE, ""), (args, r.returncode, r.stderr)
    # and `| head -1` through a shell reads the first line, the pipeline's first status being 141
    r = subprocess.run(["bash", "-c", f"{sys.executable} -m bizsync_tui --data-dir {data} journal --json | head -1;"
                        " echo \"status ${PIPESTATUS[0]}\" >&2"], capture_output=True, text=True, env=env_for(),
                       cwd=str(REPO), timeout=60)
    assert r.stdout == "[\n"
    assert r.stderr.strip().splitlines()[-1] in ("status 0", "status 141")  # 0 when it all fitted the pipe
    assert "Traceback" not in r.stderr


# -- the data dir and the output ------------------------------------------------------------
def test_data_dir_on_a_file_or_under_a_file(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder\n")
    assert_sentence(run(a_file, "journal"), EXIT_STORAGE, f"The data dir {a_file} is a file, not a folder")
    assert_sentence(run(a_file / "sub", "config", "show"), EXIT_STORAGE,
                    f"The data dir {a_file / 'sub'} cannot be created", "--data-dir")
    assert a_file.read_text() == "not a folder\n"


def test_an_output_that_cannot_be_written(tmp_path):
    with open("/dev/full", "w") as full:
        r = run(tmp_path / "data", "config", "show", stdout=full)
    assert_sentence(r, EXIT_STORAGE, "The output could not be written (No space left on device)")


def test_a_read_only_data_dir_and_an_unreadable_key_file(world):
    data = world["base"] / "readonly"
    configure(data, world["platform"].url, world["db"])
    before = journal(data)
    data.chmod(0o500)
    try:
        for args in (["publish", "--as-of", sage.AS_OF], ["config", "set", "portal.client_code", "OTHER"]):
            assert_sentence(run(data, *args, prefix=NO_DAC), EXIT_STORAGE, "cannot be written", "writable")
    finally:
        data.chmod(0o700)
    assert journal(data) == before
    key = data / "bizsync.key"
    key.chmod(0o000)
    try:
        assert_sentence(run(data, "config", "show", prefix=NO_DAC), EXIT_STORAGE,
                        f"The key file {key} cannot be read by this user")
    finally:
        key.chmod(0o600)
    assert "portal.client_code" in ok(data, "config", "show")  # nothing was lost


# -- a full disk ------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_is_a_sentence_and_the_platform_keeps_the_last_publication(world, small_disk):
    data = small_disk / "data"
    platform = world["platform"]
    configure(data, platform.url, world["db"])
    ok(data, "publish", "--as-of", sage.AS_OF)
    assert phone_as_of(platform) == sage.AS_OF
    rows = journal(data)
    filler = fill(small_disk)
    for args in (["publish", "--as-of", "2026-11-27"], ["config", "set", "portal.client_code", "OTHER"],
                 ["journal"]):
        r = run(data, *args)
        text = r.stdout + r.stderr
        assert r.returncode in (1, EXIT_STORAGE), (args, r.returncode, text)
        assert "Traceback" not in text and "is full; free some space" in text, (args, text)
    assert phone_as_of(platform) == sage.AS_OF  # nothing was published that the journal would not hold
    filler.unlink()
    assert journal(data) == rows  # nothing lost, nothing half-written
    ok(data, "publish", "--as-of", "2026-11-27")
    assert phone_as_of(platform) == "2026-11-27"


# -- a publisher killed during its upload -------------------------------------------------
def bytes_waiting(port: int) -> int:
    """Bytes received by the platform's sockets on `port` and not yet read (ss's Recv-Q)."""
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"], capture_output=True,
                         text=True, check=True).stdout
    return sum(int(line.split()[0]) for line in out.splitlines() if line.strip())


def test_a_publisher_killed_during_the_upload_leaves_its_journal_row(world):
    data = world["base"] / "killed"
    platform = world["platform"]
    configure(data, platform.url, world["db"])
    platform.process.send_signal(signal.SIGSTOP)  # the platform hangs: the upload never gets an answer
    try:
        publisher = subprocess.Popen([sys.executable, "-m", "bizsync_tui", "--data-dir", str(data), "publish",
                                      "--as-of", sage.AS_OF], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=env_for(), cwd=str(REPO))
        deadline = time.monotonic() + 60
        while bytes_waiting(platform.port) == 0:  # the PUT has reached the platform
            assert publisher.poll() is None, "the publisher ended before uploading"
            assert time.monotonic() < deadline, "the PUT never reached the platform"
            time.sleep(0.05)
        publisher.kill()
        publisher.wait(10)
    finally:
        platform.process.send_signal(signal.SIGCONT)
    rows = journal(data)
    assert [(r["operation"], r["company"], r["success"]) for r in rows] == [("publish", "TINYA", False)]
    assert rows[0]["message"].startswith("Not finished: publishing TINYA was started but no outcome was recorded")
    assert "the platform holds either this publication or the previous one" in rows[0]["message"]
    # the lock died with the process: publishing again works, and completes its own rows
    out = ok(data, "publish", "--as-of", sage.AS_OF)
    assert "Published 2 views as of 2026-11-28." in out
    rows = journal(data)
    assert [(r["operation"], r["success"]) for r in rows] == [("users", True), ("publish", True), ("publish", False)]
    assert phone_as_of(platform) == sage.AS_OF
