"""Validation in one place: the TUI, the command line and the engine all call these.

Each check returns the clean value or raises ValidationError(field, sentence),
the sentence telling the user what to type instead.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

from bizsync_tui.engine import catalogue
from bizsync_tui.engine.source_spec import SourceSpec, parse_source

CODE_RE = re.compile(r"^[A-Z0-9]{1,17}$")
LOGIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
PREFIXES_RE = re.compile(r"^\d{1,13}(,\d{1,13})*$")

FREQUENCIES = ("none", "daily", "workdays", "weekly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PROXY_MODES = ("system", "manual", "none")
LANGUAGES = ("", "en", "fr")


class ValidationError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def dossier(value: str) -> str:
    value = (value or "").strip()
    if not CODE_RE.match(value):
        raise ValidationError("dossier", "The dossier number must be 1 to 17 upper-case letters and digits, such as BIJOU01.")
    return value


def short_code(value: str) -> str:
    value = (value or "").strip()
    if not CODE_RE.match(value):
        raise ValidationError("short_code", "The short code must be 1 to 17 upper-case letters and digits, such as BIJOU.")
    return value


def name(value: str, field: str = "name", what: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(field, f"Type a {what}; it cannot be empty.")
    if len(value) > 69:
        raise ValidationError(field, f"The {what} is too long; keep it to 69 characters.")
    return value


def login(value: str) -> str:
    value = (value or "").strip()
    if not LOGIN_RE.match(value):
        raise ValidationError("login", "The login must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit, such as marie.")
    return value


def user_password(value: str, confirm: str | None = None) -> str:
    if len(value or "") < 8:
        raise ValidationError("password", "The password must have at least 8 characters.")
    if confirm is not None and confirm != value:
        raise ValidationError("password_confirm", "The two passwords differ; type the same password twice.")
    return value


def source(value: str, field: str = "source") -> SourceSpec:
    try:
        return parse_source(value)
    except ValueError as exc:
        raise ValidationError(field, str(exc)) from None


def views(ids) -> list[str]:
    """View ids (a list, or the command line's 'all' / 'ID,ID'), in catalogue order."""
    try:
        if isinstance(ids, str):
            return catalogue.parse_view_list(ids)
        for v in ids:
            catalogue.get(v)
        chosen = set(ids)
        return [v for v in catalogue.VIEW_IDS if v in chosen]
    except ValueError as exc:
        raise ValidationError("views", str(exc)) from None


def prefixes(value: str, field: str) -> str:
    value = (value or "").replace(" ", "")
    if value and not PREFIXES_RE.match(value):
        raise ValidationError(field, "Account prefixes are digits separated by commas, such as 70 or 53,54.")
    return value


def port(value) -> str:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValidationError("proxy.port", "The port must be a number from 1 to 65535, such as 3128.")
    return str(int(text))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def portal_url(value: str) -> str:
    value = (value or "").strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("portal.url", "The platform address must start with https://, such as https://platform.example.com.")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValidationError("portal.url", "Use https:// for a platform on another machine; plain http:// is allowed only on this machine (127.0.0.1 or localhost).")
    return value


def schedule(frequency: str, times_per_day, start: str, interval_hours) -> tuple[str, int, str, int]:
    """The schedule's fields together: the last run must stay within the day."""
    if frequency not in FREQUENCIES:
        raise ValidationError("schedule.frequency", f"The frequency must be one of: {', '.join(FREQUENCIES)}.")
    try:
        times = int(str(times_per_day).strip())
    except ValueError:
        times = 0
    if not 1 <= times <= 24:
        raise ValidationError("schedule.times_per_day", "Times per day must be a number from 1 to 24.")
    m = TIME_RE.match((start or "").strip())
    if not m:
        raise ValidationError("schedule.start", "The start time must be HH:MM on 24 hours, such as 06:00.")
    start_min = int(m.group(1)) * 60 + int(m.group(2))
    try:
        interval = int(str(interval_hours).strip())
    except ValueError:
        interval = 0
    if not 1 <= interval <= 23:
        raise ValidationError("schedule.interval_hours", "The interval must be a number of hours from 1 to 23.")
    if times > 1 and start_min + (times - 1) * interval * 60 >= 24 * 60:
        last_ok = (24 * 60 - 1 - start_min) // (interval * 60) + 1
        raise ValidationError(
            "schedule.times_per_day",
            f"{times} runs every {interval} h from {m.group(1).zfill(2)}:{m.group(2)} would end after midnight; "
            f"choose at most {last_ok} runs, an earlier start or a shorter interval.")
    return frequency, times, f"{int(m.group(1)):02d}:{m.group(2)}", interval


def holidays_country(value: str) -> str:
    value = (value or "").strip()
    if value.lower() in ("", "none"):
        return "none"
    code = value.upper()
    import holidays as holidays_lib

    if code not in holidays_lib.list_supported_countries():
        raise ValidationError("schedule.holidays", f"'{value}' is not a country code the holiday calendar knows; type a code such as FR, or none.")
    return code


def ca_bundle(value: str) -> str:
    value = (value or "").strip()
    if value and not Path(value).expanduser().is_file():
        raise ValidationError("tls.ca_bundle", f"No file at {value}; give the path of a PEM file of certificate authorities, or leave it empty.")
    return value


def setting(key: str, value: str) -> str:
    """One setting on its own (schedule fields are checked together by the caller)."""
    if key == "portal.url":
        return portal_url(value)
    if key == "portal.client_code":
        v = (value or "").strip()
        if not v or len(v) > 64 or any(c.isspace() for c in v):
            raise ValidationError(key, "The client code is the code the platform operator gave you, without spaces.")
        return v
    if key in ("database.user", "proxy.user"):
        return (value or "").strip()
    if key.endswith(".password"):
        return value or ""
    if key == "proxy.mode":
        if value not in PROXY_MODES:
            raise ValidationError(key, "The proxy mode must be system (the machine's settings), manual or none.")
        return value
    if key == "proxy.host":
        v = (value or "").strip()
        if v and (any(c.isspace() for c in v) or "/" in v):
            raise ValidationError(key, "The proxy address is a host name or IP address only, such as proxy.example.com.")
        return v
    if key == "proxy.port":
        return port(value) if str(value or "").strip() else ""
    if key == "schedule.frequency":
        if value not in FREQUENCIES:
            raise ValidationError(key, f"The frequency must be one of: {', '.join(FREQUENCIES)}.")
        return value
    if key == "schedule.weekday":
        v = (value or "").strip().lower()
        if v not in WEEKDAYS:
            raise ValidationError(key, "The weekday must be monday, tuesday, wednesday, thursday, friday, saturday or sunday.")
        return v
    if key in ("schedule.times_per_day", "schedule.start", "schedule.interval_hours"):
        return (value or "").strip()
    if key == "schedule.holidays":
        return holidays_country(value)
    if key == "tls.ca_bundle":
        return ca_bundle(value)
    if key == "ui.language":
        v = (value or "").strip().lower()
        if v not in LANGUAGES:
            raise ValidationError(key, "The language must be en or fr (or empty to follow the system's locale).")
        return v
    raise ValidationError(key, f"'{key}' is not a setting; run 'bizsync config show' to list them.")
