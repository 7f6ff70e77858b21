"""Platform call failures: `PublishError`, secret scrubbing, and the two classifiers.

Every failure of a platform call becomes a `PublishError` whose text is one
sentence telling the admin what to fix, scrubbed of every secret (requests puts
the proxy URL, credentials included, into some exception texts).

    error_from_exception(exc, url, session)   # no answer: proxy, TLS, timeout, DNS, refused, cut
    error_from_response(response)             # an answer that is not 2xx: 401, 403, 404, 413, 422, 5xx

`error_from_exception` asks each classifier of `EXCEPTION_CLASSIFIERS` in turn
(the order matters: a proxy's TLS failure is a proxy failure); the first that
recognises the failure gives the sentence.
"""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

from bizsync_tui.engine.publish.http import RETRIES, PlatformSession
from bizsync_tui.i18n import N_, _

WHERE_PORTAL = N_("Settings > Connection, or 'bizsync config set portal.client_code CODE' and 'bizsync config set portal.password'")
WHERE_PROXY = N_("Settings > Proxy, or 'bizsync config set proxy.user USER' and 'bizsync config set proxy.password'")
WHERE_URL = N_("Settings > Connection, or 'bizsync config set portal.url URL'")
WHERE_CA = N_("the tls.ca_bundle setting ('bizsync config set tls.ca_bundle /path/to/ca.pem')")


class PublishError(Exception):
    """A failed platform call; str() is one scrubbed sentence telling the admin what to fix.

    `kind` names the failure for code that reacts to it (unreachable, dns,
    timeout, tls, auth, proxy_auth, proxy, too_large, invalid, server, refused,
    config); `status` is the HTTP status when there was an answer.
    """

    def __init__(self, message: str, *, kind: str = "error", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status


# -- scrubbing --------------------------------------------------------------------
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@'\"]*@")
_AUTH_HEADER = re.compile(r"(?i)\b(authorization|proxy-authorization)(['\"]?\s*[:=]\s*['\"]?)(basic|bearer)\s+[A-Za-z0-9+/=._-]+")


def scrub(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """The text with every secret, its percent-encoded form, and URL credentials masked."""
    text = str(text)
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            if form:
                text = text.replace(form, "***")
    text = _URL_CREDENTIALS.sub(lambda m: m.group(1) + "***@", text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + " ***", text)
    return text


def setting_secrets(values: dict) -> list[str]:
    """The saved passwords among settings values: what `scrub` must hide."""
    return [v for k, v in values.items() if k.endswith(".password") and v]


# -- no answer: the exception classifiers -------------------------------------------
def _chain(exc: BaseException):
    """The exception and every exception it links to (cause, context, reason, args)."""
    seen = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        linked = [e.__cause__, e.__context__, getattr(e, "reason", None), getattr(e, "original_error", None),
                  *getattr(e, "args", ())]
        stack.extend(x for x in linked if isinstance(x, BaseException))


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


@dataclass(frozen=True)
class Failure:
    """What a classifier looks at: the exception, its chain and their texts, and the call."""

    exc: BaseException
    chain: tuple[BaseException, ...]
    text: str  # the texts of the whole chain, joined
    url: str
    manual_proxy: bool  # the call went through a manual proxy

    @classmethod
    def of(cls, exc: BaseException, url: str, session: PlatformSession | None) -> "Failure":
        chain = tuple(_chain(exc))
        manual = session is not None and session.proxy_mode == "manual" and bool(session.proxies)
        return cls(exc, chain, " ".join(str(e) for e in chain), url, manual)

    @property
    def host(self) -> str:  # host:port
        return _host_of(self.url)

    @property
    def hostname(self) -> str | None:
        return urlsplit(self.url).hostname

    def has(self, *types: type) -> bool:
        return any(isinstance(e, types) for e in self.chain)

    def says(self, *phrases: str) -> bool:
        return any(p in self.text for p in phrases)


def _proxy_failure(f: Failure) -> PublishError | None:
    if not (isinstance(f.exc, requests.exceptions.ProxyError)
            or any("Tunnel connection failed" in str(e) for e in f.chain)):
        return None
    if "407" in f.text:
        return PublishError(
            _("The proxy refused its user name or password (407); correct them in {where}.").format(
                where=_(WHERE_PROXY)),
            kind="proxy_auth", status=407)
    tunnel = re.search(r"Tunnel connection failed: (\d{3})", f.text)
    if tunnel:
        return PublishError(
            _("The proxy refused to connect to the platform at {host} (answer {code}); check the platform "
              "address in {where} and ask the network administrator whether the proxy allows it.").format(
                host=f.host, code=tunnel.group(1), where=_(WHERE_URL)),
            kind="proxy", status=int(tunnel.group(1)))
    return PublishError(
        _("The proxy cannot be reached; check its address and port in Settings > Proxy "
          "('bizsync config show' lists proxy.host and proxy.port), or choose proxy mode none."),
        kind="proxy")


def _tls_failure(f: Failure) -> PublishError | None:
    if not (isinstance(f.exc, requests.exceptions.SSLError) or f.has(ssl.SSLError)):
        return None
    if not f.says("CERTIFICATE_VERIFY_FAILED", "certificate verify failed"):
        return PublishError(
            _("The secure (TLS) connection to {host} failed; check that the platform address starts with the "
              "right scheme (https:// or http://) in {where} and that the certificate is valid.").format(
                host=f.host, where=_(WHERE_URL)),
            kind="tls")
    if "hostname" in f.text.lower() or f.says("doesn't match", "IP address mismatch"):
        reason = _("its certificate is not made out to {host}").format(host=f.hostname)
    elif f.says("expired"):
        reason = _("its certificate has expired")
    else:
        reason = _("its certificate is not signed by an authority this machine trusts")
    return PublishError(
        _("The platform's TLS certificate was refused ({reason}); if the platform uses a private "
          "certificate authority, set its CA bundle in {where}, otherwise ask the platform operator "
          "to check the certificate.").format(reason=reason, where=_(WHERE_CA)), kind="tls")


def _timeout(f: Failure) -> PublishError | None:
    connect = isinstance(f.exc, requests.exceptions.ConnectTimeout) or any(
        isinstance(e, ConnectTimeoutError) and not isinstance(e, NewConnectionError) for e in f.chain)
    if connect:
        return PublishError(
            _("Connecting to the platform at {host} timed out; check the platform address in {where}, "
              "the network and the proxy settings, then publish again.").format(host=f.host, where=_(WHERE_URL)),
            kind="timeout")
    if isinstance(f.exc, requests.exceptions.Timeout) or f.has(ReadTimeoutError):
        return PublishError(
            _("The platform at {host} did not answer in time; publish again later, or ask the platform "
              "operator whether the service is overloaded.").format(host=f.host), kind="timeout")
    return None


def _name_not_found(f: Failure) -> PublishError | None:
    if not (f.has(socket.gaierror) or f.says("NameResolutionError", "Name or service not known",
                                             "Temporary failure in name resolution")):
        return None
    if f.manual_proxy:
        return PublishError(
            _("The proxy's host name cannot be found; check the proxy address in Settings > Proxy "
              "('bizsync config set proxy.host HOST')."), kind="dns")
    return PublishError(
        _("The platform's host name {host} cannot be found (DNS); check the platform "
          "address in {where}.").format(host=f.hostname, where=_(WHERE_URL)), kind="dns")


def _connection_refused(f: Failure) -> PublishError | None:
    if not (f.has(ConnectionRefusedError) or f.says("Connection refused")):
        return None
    if f.manual_proxy:
        return PublishError(
            _("The proxy refused the connection; check the proxy address and port in Settings > Proxy, "
              "or whether the proxy is running."), kind="proxy")
    return PublishError(
        _("The platform at {host} cannot be reached (connection refused); check the platform address in "
          "{where}, or whether the platform is running, then publish again.").format(
            host=f.host, where=_(WHERE_URL)), kind="unreachable")


def _connection_failed(f: Failure) -> PublishError | None:
    if not isinstance(f.exc, requests.exceptions.ConnectionError):
        return None
    if f.says("RemoteDisconnected", "Connection aborted", "reset by peer"):
        return PublishError(
            _("The connection to the platform at {host} was cut several times; check the network and the "
              "proxy, then publish again.").format(host=f.host), kind="unreachable")
    return PublishError(
        _("The platform at {host} cannot be reached; check the platform address in {where}, the "
          "network and the proxy settings, then publish again.").format(host=f.host, where=_(WHERE_URL)),
        kind="unreachable")


EXCEPTION_CLASSIFIERS = (_proxy_failure, _tls_failure, _timeout, _name_not_found, _connection_refused,
                         _connection_failed)


def error_from_exception(exc: BaseException, url: str, session: PlatformSession | None = None) -> PublishError:
    """One sentence for a requests/urllib3 exception (no answer from the platform)."""
    failure = Failure.of(exc, url, session)
    for classify in EXCEPTION_CLASSIFIERS:
        error = classify(failure)
        if error is not None:
            return error
    return PublishError(
        _("The call to the platform at {host} failed ({error}); check the network and the "
          "settings, then publish again.").format(host=failure.host, error=type(exc).__name__), kind="error")


# -- an answer that is not 2xx ---------------------------------------------------------
def _platform_message(response: requests.Response) -> tuple[str, str]:
    """(code, message) of the platform's JSON error, ('', '') when there is none."""
    try:
        data = response.json()
    except ValueError:
        return "", ""
    err = data.get("error") if isinstance(data, dict) else None
    if isinstance(err, dict):
        return str(err.get("code") or ""), str(err.get("message") or "").strip()
    return "", ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def error_from_response(response: requests.Response) -> PublishError:
    """One sentence for a non-2xx answer, quoting the platform's own message."""
    status = response.status_code
    code, message = _platform_message(response)
    said = " " + _("The platform says: {message}").format(message=_sentence(message)) if message else ""
    host = _host_of(response.url or "")
    if status == 401:
        return PublishError(
            _("The platform refused the portal client code or password (401); correct them in {where}.").format(
                where=_(WHERE_PORTAL)),
            kind="auth", status=status)
    if status == 407:
        return PublishError(
            _("The proxy refused its user name or password (407); correct them in {where}.").format(
                where=_(WHERE_PROXY)),
            kind="proxy_auth", status=status)
    if status == 403:
        return PublishError(
            _("The platform refused this operation for this client code (403); ask the platform operator to "
              "check the account.") + said, kind="auth", status=status)
    if status == 404:
        return PublishError(
            _("The address {host} answered but is not a bizsync platform (404 on {path}); "
              "check the platform address in {where}.").format(
                host=host, path=urlsplit(response.url or "").path, where=_(WHERE_URL)) + said,
            kind="refused", status=status)
    if status == 413:
        return PublishError(
            _("The platform refused the publication as too large (413); untick some views of this company, "
              "or ask the platform operator to raise the limit.") + said, kind="too_large", status=status)
    if status == 422:
        field = _field_of(message)
        if field:
            text = _("The platform refused the data sent (field {field}) (422); check that this bizsync and the "
                     "platform are up to date.").format(field=field)
        else:
            text = _("The platform refused the data sent (422); check that this bizsync and the platform are "
                     "up to date.")
        return PublishError(text + said, kind="invalid", status=status)
    if status >= 500:
        return PublishError(
            _("The platform had a server error ({status}) even after {retries} retries; publish again later, "
              "or tell the platform operator.").format(status=status, retries=RETRIES) + said,
            kind="server", status=status)
    return PublishError(
        _("The platform refused the call ({status}); check the settings, then publish again.").format(
            status=status) + said,
        kind="refused", status=status)


def _field_of(message: str) -> str:
    m = re.search(r"(?:field|champ)\s+['\"`]?([A-Za-z0-9_.\[\]\-/]+)['\"`]?", message or "", re.I)
    if m:
        return m.group(1).rstrip(".:,;")
    m = re.match(r"\s*([A-Za-z0-9_]+(?:\.[A-Za-z0-9_\[\]]+)+)\s*:", message or "")
    return m.group(1) if m else ""
