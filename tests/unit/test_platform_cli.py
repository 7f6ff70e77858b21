"""`bizsync platform client ...` and `bizsync platform serve`, run as the operator would."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bizsync_tui.cli import build_parser, main
from bizsync_tui.platform.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run_cli(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_client_add_list_remove(tmp_path, monkeypatch, capsys):
    d = str(tmp_path)
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "add", "ACME", "--data-dir", d],
                             "portal-secret-1\n")
    assert code == 0 and "ACME created" in out and "portal-secret-1" not in out + err
    assert (tmp_path / "platform.db").exists() and not (tmp_path / "settings.db").exists()
    store = Store(tmp_path / "platform.db")
    assert store.authenticate_client("ACME", "portal-secret-1") is not None
    assert store.authenticate_client("ACME", "portal-secret-2") is None

    # Again without --replace: refused, with the way out; the password is unchanged.
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "add", "ACME", "--data-dir", d],
                             "portal-secret-2\n")
    assert code == 1 and "--replace" in err
    code, out, err = run_cli(monkeypatch, capsys,
                             ["platform", "client", "add", "ACME", "--replace", "--data-dir", d], "portal-secret-2\n")
    assert code == 0 and "new password" in out
    assert store.authenticate_client("ACME", "portal-secret-2") is not None

    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "add", "B", "--data-dir", d], "short\n")
    assert code == 1 and "at least 8 characters" in err
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "add", "bad code", "--data-dir", d],
                             "long-enough-pw\n")
    assert code == 1 and "client code" in err
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "add", "NOPW", "--data-dir", d], "")
    assert code == 1 and "standard input" in err

    code, out, _ = run_cli(monkeypatch, capsys, ["platform", "client", "list", "--json", "--data-dir", d])
    listed = json.loads(out)
    assert [c["client_code"] for c in listed] == ["ACME"] and listed[0]["publications"] == 0

    code, out, _ = run_cli(monkeypatch, capsys, ["platform", "client", "remove", "ACME", "--data-dir", d])
    assert code == 0 and "removed" in out
    code, out, err = run_cli(monkeypatch, capsys, ["platform", "client", "remove", "ACME", "--data-dir", d])
    assert code == 1 and "client list" in err
    store.close()


def test_the_password_is_never_taken_from_the_command_line():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["platform", "client", "add", "ACME", "--password", "x"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_in_the_foreground_and_stop_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "bizsync_tui", "platform", "client", "add", "ACME",
                    "--data-dir", str(tmp_path)], input="portal-secret-1\n", text=True, env=env,
                   check=True, capture_output=True, timeout=60)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bizsync_tui", "platform", "serve", "--port", str(port),
                             "--data-dir", str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/account"
        deadline = time.monotonic() + 30
        while True:
            try:
                r = requests.get(url, auth=("ACME", "portal-secret-1"), timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the platform did not start within 30 s"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json() == {"client_code": "ACME"}
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f"serving http://127.0.0.1:{port}/api/v1" in out
    assert "GET /api/v1/account" in out  # the access log goes to standard output
    assert "Shutting down" in out or "Finished server process" in out
    assert "portal-secret-1" not in out + err
