"""Key rotation of the saved secrets, safe to interrupt.

1. the key file gets a new key first and keeps the old ones after it;
2. each secret row is re-encrypted under the new key in its own transaction;
3. only then the old keys leave the key file.
An interruption anywhere leaves every secret readable; running it again finishes it.
"""

from __future__ import annotations

from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.models.tables import Setting


def rotate_key(ws: Workspace, *, reencrypt_only: bool = False, _stop_after: int | None = None) -> tuple[int, list[str]]:
    """Returns (rows re-encrypted, keys of secrets that could not be read).

    `_stop_after` simulates an interruption after that many rows (tests).
    """
    skipped = ws.settings.unreadable_secrets()
    if not reencrypt_only:
        ws.keystore.begin_rotation()
    if _stop_after is not None:
        rows = list(Setting.select().where(Setting.secret == True, Setting.value != ""))[:_stop_after]  # noqa: E712
        for row in rows:
            if ws.keystore.can_decrypt(row.value):
                with ws.atomic():
                    Setting.update(value=ws.keystore.reencrypt(row.value)).where(Setting.key == row.key).execute()
        raise KeyboardInterrupt("rotation interrupted (test)")
    count = ws.settings.reencrypt_all()
    if not skipped:
        ws.keystore.finish_rotation()
    return count, skipped
