"""Encrypted secrets: at rest, key sources, rotation (also interrupted), lost key."""

import os
import stat

import pytest

from bizsync_tui.engine.admin import config
from bizsync_tui.engine.admin.keys import rotate_key
from bizsync_tui.engine.workspace import open_workspace

SECRETS = {"portal.password": "P0rtal;}=secret", "database.password": "Db-p4ss{word}", "proxy.password": "pr@xy/pass"}


def fill(ws):
    config.set_settings(ws, dict(SECRETS))


def raw_bytes(data_dir):
    out = b""
    for name in os.listdir(data_dir):
        if name.startswith("settings.db"):
            with open(data_dir / name, "rb") as fh:
                out += fh.read()
    return out


def test_no_secret_in_clear_on_disk(ws):
    fill(ws)
    ws.db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    blob = raw_bytes(ws.data_dir)
    for value in SECRETS.values():
        assert value.encode() not in blob
    assert ws.settings.get("portal.password") == SECRETS["portal.password"]


def test_key_file_is_private(ws):
    mode = stat.S_IMODE(os.stat(ws.data_dir / "bizsync.key").st_mode)
    assert mode == 0o600


def test_key_from_environment_takes_precedence(tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    monkeypatch.setenv("BIZSYNC_KEY", key)
    ws = open_workspace(tmp_path / "d")
    fill(ws)
    assert ws.keystore.origin == "environment"
    assert not (tmp_path / "d" / "bizsync.key").exists()
    monkeypatch.delenv("BIZSYNC_KEY")
    other = open_workspace(tmp_path / "d")  # makes a key file with another key
    assert other.settings.get_secret("portal.password") is None
    monkeypatch.setenv("BIZSYNC_KEY", key)
    again = open_workspace(tmp_path / "d")
    assert again.settings.get("portal.password") == SECRETS["portal.password"]


def test_systemd_credential(tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    cred = tmp_path / "creds"
    cred.mkdir()
    (cred / "bizsync.key").write_text(Fernet.generate_key().decode())
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(cred))
    ws = open_workspace(tmp_path / "d")
    assert ws.keystore.origin == "systemd"


def test_rotation_reencrypts_everything(ws):
    fill(ws)
    old_key = (ws.data_dir / "bizsync.key").read_text()
    count, skipped = rotate_key(ws)
    assert (count, skipped) == (3, [])
    new_key = (ws.data_dir / "bizsync.key").read_text()
    assert new_key != old_key and len(new_key.split()) == 1
    fresh = open_workspace(ws.data_dir)
    for key, value in SECRETS.items():
        assert fresh.settings.get(key) == value


def test_interrupted_rotation_keeps_every_secret_readable(ws):
    fill(ws)
    with pytest.raises(KeyboardInterrupt):
        rotate_key(ws, _stop_after=1)
    # the key file holds the new key and the old one: both kinds of rows decrypt
    assert len((ws.data_dir / "bizsync.key").read_text().split()) == 2
    fresh = open_workspace(ws.data_dir)
    for key, value in SECRETS.items():
        assert fresh.settings.get(key) == value
    count, skipped = rotate_key(fresh)  # running it again finishes the job
    assert skipped == []
    final = open_workspace(ws.data_dir)
    assert len((ws.data_dir / "bizsync.key").read_text().split()) == 1
    for key, value in SECRETS.items():
        assert final.settings.get(key) == value


def test_lost_key_does_not_crash_and_keeps_the_rest(ws):
    fill(ws)
    config.set_settings(ws, {"portal.url": "https://p.example.com", "portal.client_code": "ACME"})
    (ws.data_dir / "bizsync.key").unlink()
    fresh = open_workspace(ws.data_dir)
    assert fresh.settings.get_secret("portal.password") is None
    assert sorted(fresh.settings.unreadable_secrets()) == sorted(SECRETS)
    assert fresh.settings.get("portal.url") == "https://p.example.com"
    shown = dict(config.show_settings(fresh))
    assert shown["portal.password"].startswith("(cannot be read")
    # set again: readable once more
    config.set_settings(fresh, {"portal.password": "new one"})
    assert fresh.settings.get("portal.password") == "new one"
