"""The key store: Fernet keys that encrypt the secrets of the settings database.

Where the key comes from, in order:
1. `BIZSYNC_KEY` (one key, or several separated by commas, newest first);
2. a systemd credential named `bizsync.key` (`$CREDENTIALS_DIRECTORY/bizsync.key`);
3. the key file `bizsync.key` in the data dir, created with mode 0600.
The key file may hold several keys, one a line, newest first: that is how a
rotation stays safe to interrupt (the old key keeps decrypting until every row
has been re-encrypted under the new one).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE = "bizsync.key"
ENV_KEY = "BIZSYNC_KEY"
CREDENTIAL_NAME = "bizsync.key"
PREFIX = "fernet:"


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the keys at hand."""


def _parse_keys(text: str) -> list[bytes]:
    return [k.strip().encode() for k in text.replace(",", "\n").splitlines() if k.strip()]


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class KeyStore:
    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.origin, keys = self._load()
        self.keys = keys

    # -- loading ---------------------------------------------------------
    def _load(self) -> tuple[str, list[bytes]]:
        env = os.environ.get(ENV_KEY, "").strip()
        if env:
            return "environment", _parse_keys(env)
        cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
        if cred_dir and (Path(cred_dir) / CREDENTIAL_NAME).is_file():
            return "systemd", _parse_keys((Path(cred_dir) / CREDENTIAL_NAME).read_text())
        path = self.key_file
        if not path.exists():
            _write_private(path, Fernet.generate_key().decode() + "\n")
        return "file", _parse_keys(path.read_text())

    @property
    def key_file(self) -> Path:
        return self.data_dir / KEY_FILE

    def _fernet(self) -> MultiFernet:
        try:
            return MultiFernet([Fernet(k) for k in self.keys])
        except (ValueError, TypeError):
            raise SecretUnreadable(
                f"The encryption key from the {self.origin} is not a valid key; give a key made by "
                "'bizsync key rotate' or remove it to let bizsync make one.") from None

    # -- use -------------------------------------------------------------
    def encrypt(self, plain: str) -> str:
        return PREFIX + self._fernet().encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        if not stored:
            return ""
        if not stored.startswith(PREFIX):
            raise SecretUnreadable("A stored secret is not in bizsync's encrypted form; set it again.")
        try:
            return self._fernet().decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise SecretUnreadable(
                "A stored secret cannot be read with this encryption key; set it again "
                "(or give the key it was saved with).") from None

    def can_decrypt(self, stored: str) -> bool:
        try:
            self.decrypt(stored)
            return True
        except SecretUnreadable:
            return False

    def reencrypt(self, stored: str) -> str:
        """The same secret under the newest key (MultiFernet.rotate)."""
        return PREFIX + self._fernet().rotate(stored[len(PREFIX):].encode("ascii")).decode("ascii")

    # -- rotation (key file only) ----------------------------------------
    def begin_rotation(self) -> None:
        """Step 1: the key file holds a new key first, then every old one."""
        if self.origin != "file":
            raise SecretUnreadable(
                f"The key comes from the {self.origin}; rotate it there: put a new key first and the old one "
                f"after it in {ENV_KEY} (comma-separated), run 'bizsync key rotate --reencrypt-only', "
                "then drop the old key.")
        new = Fernet.generate_key()
        self.keys = [new] + [k for k in self.keys if k != new]
        _write_private(self.key_file, "\n".join(k.decode() for k in self.keys) + "\n")

    def finish_rotation(self) -> None:
        """Step 3, once every row is re-encrypted: keep only the newest key."""
        if self.origin == "file":
            self.keys = self.keys[:1]
            _write_private(self.key_file, self.keys[0].decode() + "\n")
