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
from bizsync_tui.engine.admin.common_passwords import is_common
from bizsync_tui.i18n import _
from bizsync_tui.engine.sage.source_spec import SourceSpec, parse_source

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
        raise ValidationError("dossier", _("The dossier number must be 1 to 17 upper-case letters and digits, such as BIJOU01."))
    return value


def short_code(value: str) -> str:
    value = (value or "").strip()
    if not CODE_RE.match(value):
        raise ValidationError("short_code", _("The short code must be 1 to 17 upper-case letters and digits, such as BIJOU."))
    return value


def name(value: str, field: str = "name", what: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(field, _name_sentences(what)[0])
    if len(value) > 69:
        raise ValidationError(field, _name_sentences(what)[1])
    return value


def _name_sentences(what: str) -> tuple[str, str]:
    """(empty, too long) for a name field: whole sentences, so French can agree in gender."""
    known = {
        "name": (_("Type a name; it cannot be empty."),
                 _("The name is too long; keep it to 69 characters.")),
        "company name": (_("Type a company name; it cannot be empty."),
                         _("The company name is too long; keep it to 69 characters.")),
        "group name": (_("Type a group name; it cannot be empty."),
                       _("The group name is too long; keep it to 69 characters.")),
        "user name": (_("Type a user name; it cannot be empty."),
                      _("The user name is too long; keep it to 69 characters.")),
    }
    return known.get(what) or (_("Type a {what}; it cannot be empty.").format(what=what),
                               _("The {what} is too long; keep it to 69 characters.").format(what=what))


def login(value: str) -> str:
    value = (value or "").strip()
    if not LOGIN_RE.match(value):
        raise ValidationError("login", _("The login must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit, such as marie."))
    return value


def user_password(value: str, confirm: str | None = None) -> str:
    if len(value or "") < 8:
        raise ValidationError("password", _("The password must have at least 8 characters."))
    if is_common(value):
        raise ValidationError("password", _("This password is among the most used ones and is guessed first; "
                                            "choose another."))
    if confirm is not None and confirm != value:
        raise ValidationError("password_confirm", _("The two passwords differ; type the same password twice."))
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
        raise ValidationError(field, _("Account prefixes are digits separated by commas, such as 70 or 53,54."))
    return value


def port(value) -> str:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValidationError("proxy.port", _("The port must be a number from 1 to 65535, such as 3128."))
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
    if "@" in parts.netloc:  # never echoed: the part before '@' may be a password
        raise ValidationError("portal.url", _("The platform address must not hold a user name or password; remove "
                                              "the part before '@' and set the password with 'bizsync config set "
                                              "portal.password'."))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("portal.url", _("The platform address must start with https://, such as https://platform.example.com."))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValidationError("portal.url", _("Use https:// for a platform on another machine; plain http:// is allowed only on this machine (127.0.0.1 or localhost)."))
    return value


def schedule(frequency: str, times_per_day, start: str, interval_hours) -> tuple[str, int, str, int]:
    """The schedule's fields together: the last run must stay within the day."""
    if frequency not in FREQUENCIES:
        raise ValidationError("schedule.frequency", _("The frequency must be one of: {choices}.").format(choices=", ".join(FREQUENCIES)))
    try:
        times = int(str(times_per_day).strip())
    except ValueError:
        times = 0
    if not 1 <= times <= 24:
        raise ValidationError("schedule.times_per_day", _("Times per day must be a number from 1 to 24."))
    m = TIME_RE.match((start or "").strip())
    if not m:
        raise ValidationError("schedule.start", _("The start time must be HH:MM on 24 hours, such as 06:00."))
    start_min = int(m.group(1)) * 60 + int(m.group(2))
    try:
        interval = int(str(interval_hours).strip())
    except ValueError:
        interval = 0
    if not 1 <= interval <= 23:
        raise ValidationError("schedule.interval_hours", _("The interval must be a number of hours from 1 to 23."))
    if times > 1 and start_min + (times - 1) * interval * 60 >= 24 * 60:
        last_ok = (24 * 60 - 1 - start_min) // (interval * 60) + 1
        raise ValidationError(
            "schedule.times_per_day",
            _("{times} runs every {interval} h from {start} would end after midnight; "
              "choose at most {last_ok} runs, an earlier start or a shorter interval.").format(
                times=times, interval=interval, start=f"{m.group(1).zfill(2)}:{m.group(2)}", last_ok=last_ok))
    return frequency, times, f"{int(m.group(1)):02d}:{m.group(2)}", interval


def holidays_country(value: str) -> str:
    value = (value or "").strip()
    if value.lower() in ("", "none"):
        return "none"
    code = value.upper()
    import holidays as holidays_lib

    if code not in holidays_lib.list_supported_countries():
        raise ValidationError("schedule.holidays", _("'{value}' is not a country code the holiday calendar knows; type a code such as FR, or none.").format(value=value))
    return code


MAX_CA_BUNDLE_BYTES = 10 * 1024 * 1024  # the Debian bundle of every public authority is ~200 KB
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def _some_certificate_loads(data: bytes) -> bool:
    """At least one certificate block parses (a bundle may hold an odd old one, as Debian's does)."""
    import warnings

    from cryptography import x509

    for block in _PEM_BLOCK.findall(data):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x509.load_pem_x509_certificate(block)
            return True
        except ValueError:
            continue
    return False


def ca_bundle(value: str) -> str:
    """A PEM file holding at least one readable certificate (what requests' verify= needs)."""
    value = (value or "").strip()
    if not value:
        return value
    path = Path(value).expanduser()
    if path.is_dir():
        raise ValidationError("tls.ca_bundle", _("{path} is a folder; give the path of a PEM file of certificate "
                                                 "authorities (such as ca.pem), or leave it empty.").format(path=value))
    if not path.is_file():
        raise ValidationError("tls.ca_bundle", _("No file at {path}; give the path of a PEM file of certificate authorities, or leave it empty.").format(path=value))
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_CA_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise ValidationError("tls.ca_bundle", _("{path} cannot be read ({reason}); give this user read access to "
                                                 "it, or another PEM file.").format(path=value,
                                                                                   reason=exc.strerror)) from None
    if len(data) > MAX_CA_BUNDLE_BYTES:
        raise ValidationError("tls.ca_bundle", _("{path} is larger than 10 MB: not a file of certificate "
                                                 "authorities; give the PEM file of your authority.").format(path=value))
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise ValidationError("tls.ca_bundle", _(
            "{path} is not a PEM file of certificates (it has no '-----BEGIN CERTIFICATE-----' block); give "
            "your authority's certificate in PEM form (convert a DER .cer file with 'openssl x509 -inform der "
            "-in FILE.cer -out ca.pem'), or leave it empty.").format(path=value))
    if not _some_certificate_loads(data):
        raise ValidationError("tls.ca_bundle", _(
            "{path} has a certificate block that cannot be read (cut or altered); copy the file again from "
            "your authority, or leave it empty.").format(path=value)) from None
    return value


def setting(key: str, value: str) -> str:
    """One setting on its own (schedule fields are checked together by the caller)."""
    if key == "portal.url":
        return portal_url(value)
    if key == "portal.client_code":
        v = (value or "").strip()
        if not v or len(v) > 64 or any(c.isspace() for c in v):
            raise ValidationError(key, _("The client code is the code the platform operator gave you, without spaces."))
        return v
    if key in ("database.user", "proxy.user"):
        return (value or "").strip()
    if key.endswith(".password"):
        return value or ""
    if key == "proxy.mode":
        if value not in PROXY_MODES:
            raise ValidationError(key, _("The proxy mode must be system (the machine's settings), manual or none."))
        return value
    if key == "proxy.host":
        v = (value or "").strip()
        if v and (any(c.isspace() for c in v) or "/" in v):
            raise ValidationError(key, _("The proxy address is a host name or IP address only, such as proxy.example.com."))
        return v
    if key == "proxy.port":
        return port(value) if str(value or "").strip() else ""
    if key == "schedule.frequency":
        if value not in FREQUENCIES:
            raise ValidationError(key, _("The frequency must be one of: {choices}.").format(choices=", ".join(FREQUENCIES)))
        return value
    if key == "schedule.weekday":
        v = (value or "").strip().lower()
        if v not in WEEKDAYS:
            raise ValidationError(key, _("The weekday must be monday, tuesday, wednesday, thursday, friday, saturday or sunday."))
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
            raise ValidationError(key, _("The language must be en or fr (or empty to follow the system's locale)."))
        return v
    if key.startswith("alert."):
        return alert_setting(key, value)
    raise ValidationError(key, _("'{key}' is not a setting; run 'bizsync config show' to list them.").format(key=key))


# -- alerts (engine/monitor) --------------------------------------------------------------
SMTP_SECURITIES = ("starttls", "ssl", "none")
EMAIL_RE = re.compile(r"^[^@\s,;<>\"']+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")
MAX_STALE_HOURS = 24 * 366


def email_addresses(value: str, field: str = "alert.email.to") -> list[str]:
    """Comma-separated e-mail addresses (empty: none)."""
    out = []
    for part in (value or "").split(","):
        address = part.strip()
        if not address:
            continue
        if not EMAIL_RE.match(address) or len(address) > 254:
            raise ValidationError(field, _("'{value}' is not an e-mail address; type addresses such as "
                                           "admin@example.com, separated by commas.").format(value=address[:80]))
        out.append(address)
    return out


def webhook_url(value: str) -> str:
    """An https:// address (http:// only on this machine). Never echoed: it carries a token."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValidationError("alert.webhook.url", _("The webhook address must start with https://, such as the "
                                                     "incoming-webhook address Slack, Teams or Mattermost gives."))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValidationError("alert.webhook.url", _("Use https:// for a webhook on another machine (its address "
                                                     "carries a token); plain http:// is allowed only on this "
                                                     "machine (127.0.0.1 or localhost)."))
    return value


def alert_setting(key: str, value: str) -> str:
    v = (value or "").strip()
    if key == "alert.email.to":
        return ", ".join(email_addresses(v))
    if key == "alert.email.from":
        addresses = email_addresses(v, key)
        if len(addresses) > 1:
            raise ValidationError(key, _("Give one sender address, such as bizsync@example.com."))
        return addresses[0] if addresses else ""
    if key == "alert.smtp.host":
        if v and (any(c.isspace() for c in v) or "/" in v or ":" in v.strip("[]") and not v.startswith("[")):
            raise ValidationError(key, _("The mail server is a host name or IP address only, such as "
                                         "smtp.example.com; give the port apart."))
        return v
    if key == "alert.smtp.port":
        if v and (not v.isdigit() or not 1 <= int(v) <= 65535):
            raise ValidationError(key, _("The mail server's port must be a number from 1 to 65535, such as 587 "
                                         "(STARTTLS), 465 (SSL) or 25; leave it empty for the usual one."))
        return str(int(v)) if v else ""
    if key == "alert.smtp.security":
        v = v.lower() or "starttls"
        if v not in SMTP_SECURITIES:
            raise ValidationError(key, _("The mail security must be starttls, ssl or none."))
        return v
    if key == "alert.smtp.user":
        return v
    if key == "alert.webhook.url":
        return webhook_url(v)
    if key == "alert.stale_hours":
        if not v:
            return "0"
        if not v.isdigit() or int(v) > MAX_STALE_HOURS:
            raise ValidationError(key, _("The hours without a successful publication before an alert must be a "
                                         "whole number from 0 (no such alert) to {most}, such as 26.").format(
                                             most=MAX_STALE_HOURS))
        return str(int(v))
    raise ValidationError(key, _("'{key}' is not a setting; run 'bizsync config show' to list them.").format(key=key))
