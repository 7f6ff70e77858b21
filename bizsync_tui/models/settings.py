"""Settings: the keys of ARCHITECTURE.md, their defaults, and their storage.

Secret values (passwords) are stored encrypted by the key store; everything
else in clear. Validation is the engine's business (engine/validation.py):
this module stores what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from bizsync_tui.models.secrets import KeyStore, SecretUnreadable
from bizsync_tui.models.tables import Setting, utcnow


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: str = ""
    secret: bool = False


SETTING_DEFS: tuple[SettingDef, ...] = (
    SettingDef("portal.url"),
    SettingDef("portal.client_code"),
    SettingDef("portal.password", secret=True),
    SettingDef("database.user"),
    SettingDef("database.password", secret=True),
    SettingDef("proxy.mode", "system"),
    SettingDef("proxy.host"),
    SettingDef("proxy.port"),
    SettingDef("proxy.user"),
    SettingDef("proxy.password", secret=True),
    SettingDef("schedule.frequency", "none"),
    SettingDef("schedule.weekday", "monday"),
    SettingDef("schedule.times_per_day", "1"),
    SettingDef("schedule.start", "06:00"),
    SettingDef("schedule.interval_hours", "1"),
    SettingDef("schedule.holidays", "none"),
    SettingDef("tls.ca_bundle"),
    SettingDef("ui.language"),
    # alerts (engine/monitor): e-mail and/or webhook when a publication fails, recovers or goes stale
    SettingDef("alert.email.to"),
    SettingDef("alert.email.from"),
    SettingDef("alert.smtp.host"),
    SettingDef("alert.smtp.port"),
    SettingDef("alert.smtp.security", "starttls"),
    SettingDef("alert.smtp.user"),
    SettingDef("alert.smtp.password", secret=True),
    SettingDef("alert.webhook.url", secret=True),  # such URLs carry a token
    SettingDef("alert.stale_hours", "0"),
)
DEFS = {d.key: d for d in SETTING_DEFS}
SECRET_KEYS = tuple(d.key for d in SETTING_DEFS if d.secret)
# The schedule's settings: the one list (the plan, the config checks, the screens and the CLI use it).
SCHEDULE_KEYS = tuple(d.key for d in SETTING_DEFS if d.key.startswith("schedule."))
# Internal state kept beside the settings, never shown by `config show`.
STATE_PREFIX = "state."


class Settings:
    """Read and write settings of an open settings database."""

    def __init__(self, keystore: KeyStore):
        self.keystore = keystore

    def get(self, key: str) -> str:
        row = Setting.get_or_none(Setting.key == key)
        if row is None:
            return DEFS[key].default if key in DEFS else ""
        if row.secret:
            return self.keystore.decrypt(row.value)
        return row.value

    def get_secret(self, key: str) -> str | None:
        """The decrypted secret, '' when unset, None when it cannot be read with this key."""
        try:
            return self.get(key)
        except SecretUnreadable:
            return None

    def is_set(self, key: str) -> bool:
        row = Setting.get_or_none(Setting.key == key)
        return row is not None and row.value != ""

    def unreadable_secrets(self) -> list[str]:
        rows = Setting.select().where(Setting.secret == True, Setting.value != "")  # noqa: E712
        return [r.key for r in rows if not self.keystore.can_decrypt(r.value)]

    def set(self, key: str, value: str) -> None:
        secret = key in DEFS and DEFS[key].secret
        stored = self.keystore.encrypt(value) if (secret and value) else value
        Setting.insert(key=key, value=stored, secret=secret, updated_at=utcnow()).on_conflict(
            conflict_target=[Setting.key],
            update={Setting.value: stored, Setting.secret: secret, Setting.updated_at: utcnow()},
        ).execute()

    def values(self) -> dict[str, str | None]:
        """Every user setting; secrets decrypted (None when unreadable). For the engine, never for display."""
        return {d.key: (self.get_secret(d.key) if d.secret else self.get(d.key)) for d in SETTING_DEFS}

    def reencrypt_all(self) -> int:
        """Re-encrypt every stored secret under the newest key, one row per transaction."""
        count = 0
        for row in Setting.select().where(Setting.secret == True, Setting.value != ""):  # noqa: E712
            if not self.keystore.can_decrypt(row.value):
                continue  # unreadable: left for the admin to set again
            with Setting._meta.database.atomic():
                Setting.update(value=self.keystore.reencrypt(row.value)).where(Setting.key == row.key).execute()
            count += 1
        return count
