"""HTTP to the platform: one requests Session built from the settings, and a client.

`make_session(settings_values)` applies the proxy mode (system / manual /
none), TLS verification (always on; `tls.ca_bundle` for a private authority),
connect/read timeouts and urllib3 retries with exponential backoff on
connection errors and 502/503/504 only. `PlatformClient` speaks the calls of
PLATFORM_API.md; every failure becomes a `PublishError` whose text is one
sentence telling the admin what to fix, scrubbed of every secret (requests puts
the proxy URL, credentials included, into some exception texts).
"""

from __future__ import annotations

import base64
import gzip
import json
import re
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from bizsync_tui.engine.contract import API_PREFIX
from bizsync_tui.i18n import _, register_fr

CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 60.0
RETRIES = 3
BACKOFF = 0.5  # urllib3: no sleep before the 1st retry, then 1 s, 2 s
RETRY_STATUSES = (502, 503, 504)
USER_AGENT = "bizsync-publisher/1"

WHERE_PORTAL = "Settings > Connection, or 'bizsync config set portal.client_code CODE' and 'bizsync config set portal.password'"
WHERE_PROXY = "Settings > Proxy, or 'bizsync config set proxy.user USER' and 'bizsync config set proxy.password'"
WHERE_URL = "Settings > Connection, or 'bizsync config set portal.url URL'"
WHERE_CA = "Settings > Connection (CA bundle), or 'bizsync config set tls.ca_bundle /path/to/ca.pem'"


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


# -- the session -------------------------------------------------------------------
def setting_secrets(values: dict) -> list[str]:
    """The saved passwords among settings values: what `scrub` must hide."""
    return [v for k, v in values.items() if k.endswith(".password") and v]


class PlatformSession(requests.Session):
    """A Session with default timeouts and an explicit TLS verify on every request.

    The verify value is passed on each call so that environment variables such
    as REQUESTS_CA_BUNDLE never replace the tls.ca_bundle setting, and so that
    verification can never be switched off by the environment.
    """

    def __init__(self, *, timeout: tuple[float, float], verify: str | bool):
        super().__init__()
        self.default_timeout = timeout
        self.verify = verify
        self.secrets: list[str] = []
        self.proxy_mode = "none"

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        verify = kwargs.get("verify")
        if verify is None or verify is False:
            kwargs["verify"] = self.verify
        return super().request(method, url, **kwargs)


def proxy_url(values: dict) -> str:
    """The manual proxy's URL, credentials percent-encoded ('' when no host)."""
    host = (values.get("proxy.host") or "").strip()
    port = str(values.get("proxy.port") or "").strip()
    if not host:
        return ""
    user = values.get("proxy.user") or ""
    password = values.get("proxy.password") or ""
    auth = ""
    if user:
        auth = quote(user, safe="")
        if password:
            auth += ":" + quote(password, safe="")
        auth += "@"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{auth}{host}:{port or 3128}"


def make_retry(total: int = RETRIES, backoff: float = BACKOFF) -> Retry:
    """Retries on connection errors, read errors and 502/503/504, for every call we make.

    PUT and DELETE are idempotent here: a publication carries its publication_id,
    so a retried PUT is still one publication. TLS, proxy and other errors are
    not retried (other=0): another try would fail the same way.
    """
    return Retry(
        total=total, connect=total, read=total, status=total, other=0, redirect=0,
        backoff_factor=backoff, status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
        raise_on_status=False, respect_retry_after_header=True,
    )


def make_session(settings_values: dict, *, timeout: tuple[float, float] | None = None,
                 retry: Retry | None = None) -> PlatformSession:
    """A requests Session from the settings (`Settings.values()`): proxy, TLS, timeouts, retries, auth.

    `timeout` (connect, read) and `retry` are for tests; the defaults are the product's.
    """
    v = settings_values
    ca = (v.get("tls.ca_bundle") or "").strip()
    session = PlatformSession(timeout=timeout or (CONNECT_TIMEOUT, READ_TIMEOUT), verify=ca or True)
    mode = (v.get("proxy.mode") or "system").strip()
    session.proxy_mode = mode
    if mode == "manual":
        url = proxy_url(v)
        session.trust_env = False  # the environment's proxies and .netrc must not apply
        session.proxies = {"http": url, "https": url} if url else {}
    elif mode == "none":
        session.trust_env = False
        session.proxies = {}
    else:  # system: the machine's configuration (environment variables, NO_PROXY honoured)
        session.trust_env = True
    adapter = HTTPAdapter(max_retries=retry if retry is not None else make_retry())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    client = (v.get("portal.client_code") or "").strip()
    password = v.get("portal.password")
    if client and password:
        session.auth = (client.encode("utf-8"), password.encode("utf-8"))  # UTF-8, not requests' latin-1
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept"] = "application/json"
    session.secrets = [s for s in (password, v.get("proxy.password"), v.get("database.password")) if s]
    if client and password:
        session.secrets.append(base64.b64encode(f"{client}:{password}".encode()).decode())
    return session


# -- errors -------------------------------------------------------------------------
def _chain(exc: BaseException):
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


def error_from_exception(exc: BaseException, url: str, session: PlatformSession | None = None) -> PublishError:
    """One sentence for a requests/urllib3 exception (no answer from the platform)."""
    host = _host_of(url)
    chain = list(_chain(exc))
    text = " ".join(str(e) for e in chain)
    via_proxy = bool(session and (session.proxy_mode == "manual" and session.proxies)) or \
        isinstance(exc, requests.exceptions.ProxyError)

    if isinstance(exc, requests.exceptions.ProxyError) or any("Tunnel connection failed" in str(e) for e in chain):
        if "407" in text:
            return PublishError(
                _("The proxy refused its user name or password (407); correct them in {where}.").format(
                    where=_(WHERE_PROXY)),
                kind="proxy_auth", status=407)
        if re.search(r"Tunnel connection failed: (\d{3})", text):
            code = re.search(r"Tunnel connection failed: (\d{3})", text).group(1)
            return PublishError(
                _("The proxy refused to connect to the platform at {host} (answer {code}); check the platform "
                  "address in {where} and ask the network administrator whether the proxy allows it.").format(
                    host=host, code=code, where=_(WHERE_URL)),
                kind="proxy", status=int(code))
        return PublishError(
            _("The proxy cannot be reached; check its address and port in Settings > Proxy "
              "('bizsync config show' lists proxy.host and proxy.port), or choose proxy mode none."),
            kind="proxy")
    if isinstance(exc, requests.exceptions.SSLError) or any(isinstance(e, ssl.SSLError) for e in chain):
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            reason = _("its certificate is not signed by an authority this machine trusts")
            if "hostname" in text.lower() or "doesn't match" in text or "IP address mismatch" in text:
                reason = _("its certificate is not made out to {host}").format(host=urlsplit(url).hostname)
            elif "expired" in text:
                reason = _("its certificate has expired")
            return PublishError(
                _("The platform's TLS certificate was refused ({reason}); if the platform uses a private "
                  "certificate authority, set its CA bundle in {where}, otherwise ask the platform operator "
                  "to check the certificate.").format(reason=reason, where=_(WHERE_CA)), kind="tls")
        return PublishError(
            _("The secure (TLS) connection to {host} failed; check that the platform address starts with the "
              "right scheme (https:// or http://) in {where} and that the certificate is valid.").format(
                host=host, where=_(WHERE_URL)),
            kind="tls")
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError

    connect_timeout = any(isinstance(e, ConnectTimeoutError) and not isinstance(e, NewConnectionError)
                          for e in chain)
    read_timeout = any(isinstance(e, ReadTimeoutError) for e in chain)
    if isinstance(exc, requests.exceptions.ConnectTimeout) or connect_timeout:
        return PublishError(
            _("Connecting to the platform at {host} timed out; check the platform address in {where}, "
              "the network and the proxy settings, then publish again.").format(host=host, where=_(WHERE_URL)),
            kind="timeout")
    if isinstance(exc, requests.exceptions.Timeout) or read_timeout:
        return PublishError(
            _("The platform at {host} did not answer in time; publish again later, or ask the platform "
              "operator whether the service is overloaded.").format(host=host), kind="timeout")
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in text \
            or "Name or service not known" in text or "Temporary failure in name resolution" in text:
        if via_proxy and session is not None and session.proxy_mode == "manual":
            return PublishError(
                _("The proxy's host name cannot be found; check the proxy address in Settings > Proxy "
                  "('bizsync config set proxy.host HOST')."), kind="dns")
        return PublishError(
            _("The platform's host name {host} cannot be found (DNS); check the platform "
              "address in {where}.").format(host=urlsplit(url).hostname, where=_(WHERE_URL)), kind="dns")
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        if session is not None and session.proxy_mode == "manual" and session.proxies:
            return PublishError(
                _("The proxy refused the connection; check the proxy address and port in Settings > Proxy, "
                  "or whether the proxy is running."), kind="proxy")
        return PublishError(
            _("The platform at {host} cannot be reached (connection refused); check the platform address in "
              "{where}, or whether the platform is running, then publish again.").format(
                host=host, where=_(WHERE_URL)), kind="unreachable")
    if isinstance(exc, requests.exceptions.ConnectionError):
        if "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text:
            return PublishError(
                _("The connection to the platform at {host} was cut several times; check the network and the "
                  "proxy, then publish again.").format(host=host), kind="unreachable")
        return PublishError(
            _("The platform at {host} cannot be reached; check the platform address in {where}, the "
              "network and the proxy settings, then publish again.").format(host=host, where=_(WHERE_URL)),
            kind="unreachable")
    return PublishError(
        _("The call to the platform at {host} failed ({error}); check the network and the "
          "settings, then publish again.").format(host=host, error=type(exc).__name__), kind="error")


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


# -- the client ----------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    data: dict | None
    elapsed_ms: int


class PlatformClient:
    """The publisher's calls of PLATFORM_API.md. Every failure raises PublishError."""

    def __init__(self, settings_values: dict, *, session: PlatformSession | None = None,
                 timeout: tuple[float, float] | None = None, retry: Retry | None = None):
        v = settings_values
        url = (v.get("portal.url") or "").strip().rstrip("/")
        if not url:
            raise PublishError(_("The platform address is not set; set it in {where}.").format(
                where=_(WHERE_URL)), kind="config")
        if not (v.get("portal.client_code") or "").strip():
            raise PublishError(_("The portal client code is not set; set it in {where}.").format(
                where=_(WHERE_PORTAL)), kind="config")
        password = v.get("portal.password")
        if password is None:
            raise PublishError(
                _("The saved portal password cannot be read with this encryption key; type it again in "
                  "Settings > Connection or with 'bizsync config set portal.password'."), kind="config")
        if not password:
            raise PublishError(_("The portal password is not set; set it in {where}.").format(
                where=_(WHERE_PORTAL)), kind="config")
        if (v.get("proxy.mode") or "") == "manual" and v.get("proxy.user") and v.get("proxy.password") is None:
            raise PublishError(
                _("The saved proxy password cannot be read with this encryption key; type it again in "
                  "Settings > Proxy or with 'bizsync config set proxy.password'."), kind="config")
        self.base_url = url
        self.session = session or make_session(v, timeout=timeout, retry=retry)

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _scrub(self, text: str) -> str:
        return scrub(text, self.session.secrets)

    def call(self, method: str, path: str, body: dict | None = None, *, ok=(200, 201, 204)) -> Answer:
        url = self.base_url + API_PREFIX + path
        headers = {}
        data = None
        if body is not None:
            raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            data = gzip.compress(raw, compresslevel=6, mtime=0)
            headers["Content-Type"] = "application/json; charset=utf-8"
            headers["Content-Encoding"] = "gzip"
        try:
            response = self.session.request(method, url, data=data, headers=headers)
        except requests.exceptions.RequestException as exc:
            err = error_from_exception(exc, url, self.session)
            raise PublishError(self._scrub(err.message), kind=err.kind, status=err.status) from None
        except (OSError, ValueError) as exc:  # e.g. a missing CA bundle file
            if "CA bundle" in str(exc) or "certificate" in str(exc).lower():
                raise PublishError(
                    _("The CA bundle file set in tls.ca_bundle cannot be used; fix the path in {where}.").format(
                        where=_(WHERE_CA)),
                    kind="config") from None
            raise PublishError(self._scrub(
                _("The call to the platform failed ({error}); check the settings, then publish again.").format(
                    error=type(exc).__name__)),
                kind="error") from None
        elapsed = int(response.elapsed.total_seconds() * 1000)
        if response.status_code not in ok:
            err = error_from_response(response)
            raise PublishError(self._scrub(err.message), kind=err.kind, status=err.status)
        payload = None
        if response.content:
            try:
                payload = response.json()
            except ValueError:
                payload = None
        return Answer(response.status_code, payload if isinstance(payload, dict) else None, elapsed)

    # the calls of PLATFORM_API.md
    def account(self) -> dict:
        answer = self.call("GET", "/account", ok=(200,))
        if not answer.data or "client_code" not in answer.data:
            raise PublishError(
                _("The address {url} answered but is not a bizsync platform; check it in {where}.").format(
                    url=self.base_url, where=_(WHERE_URL)),
                kind="refused", status=answer.status)
        return answer.data

    def put_publication(self, short_code: str, body: dict) -> dict:
        return self.call("PUT", f"/companies/{quote(short_code, safe='')}/publication", body, ok=(200, 201)).data or {}

    def delete_publication(self, short_code: str) -> None:
        self.call("DELETE", f"/companies/{quote(short_code, safe='')}/publication", ok=(200, 204))

    def put_users(self, body: dict) -> dict:
        return self.call("PUT", "/users", body, ok=(200, 201)).data or {}

    def delete_all(self) -> None:
        self.call("DELETE", "/data", ok=(200, 204))


register_fr({
    WHERE_PORTAL: "Paramètres > Connexion, ou 'bizsync config set portal.client_code CODE' et "
                  "'bizsync config set portal.password'",
    WHERE_PROXY: "Paramètres > Proxy, ou 'bizsync config set proxy.user USER' et 'bizsync config set proxy.password'",
    WHERE_URL: "Paramètres > Connexion, ou 'bizsync config set portal.url URL'",
    WHERE_CA: "Paramètres > Connexion (fichier des autorités de certification), ou "
              "'bizsync config set tls.ca_bundle /path/to/ca.pem'",
    "The proxy cannot be reached; check its address and port in Settings > Proxy ('bizsync config show' lists proxy.host and proxy.port), or choose proxy mode none.":
        "Le serveur mandataire (proxy) est injoignable ; vérifiez son adresse et son port dans Paramètres > Proxy "
        "('bizsync config show' affiche proxy.host et proxy.port), ou choisissez le mode de proxy none.",
    "its certificate is not signed by an authority this machine trusts":
        "son certificat n'est pas signé par une autorité reconnue par cette machine",
    "its certificate has expired": "son certificat a expiré",
    "its certificate is not made out to {host}": "son certificat n'est pas établi au nom de {host}",
    "The platform refused the data sent (422); check that this bizsync and the platform are up to date.":
        "La plateforme a refusé les données envoyées (422) ; vérifiez que ce bizsync et la plateforme sont à jour.",
    "The platform refused the data sent (field {field}) (422); check that this bizsync and the platform are up to date.":
        "La plateforme a refusé les données envoyées (champ {field}) (422) ; vérifiez que ce bizsync et la "
        "plateforme sont à jour.",
    "The proxy's host name cannot be found; check the proxy address in Settings > Proxy ('bizsync config set proxy.host HOST').":
        "Le nom d'hôte du serveur mandataire (proxy) est introuvable ; vérifiez l'adresse du proxy dans "
        "Paramètres > Proxy ('bizsync config set proxy.host HOST').",
    "The proxy refused the connection; check the proxy address and port in Settings > Proxy, or whether the proxy is running.":
        "Le serveur mandataire (proxy) a refusé la connexion ; vérifiez l'adresse et le port du proxy dans "
        "Paramètres > Proxy, ou que le proxy est bien démarré.",
    "The call to the platform at {host} failed ({error}); check the network and the settings, then publish again.":
        "L'appel à la plateforme {host} a échoué ({error}) ; vérifiez le réseau et les paramètres, puis publiez "
        "de nouveau.",
    "The platform refused this operation for this client code (403); ask the platform operator to check the account.":
        "La plateforme a refusé cette opération pour ce code client (403) ; demandez à l'exploitant de la "
        "plateforme de vérifier le compte.",
    "The platform refused the publication as too large (413); untick some views of this company, or ask the platform operator to raise the limit.":
        "La plateforme a refusé la publication, trop volumineuse (413) ; décochez certaines vues de cette société, "
        "ou demandez à l'exploitant de la plateforme de relever la limite.",
    "The saved portal password cannot be read with this encryption key; type it again in Settings > Connection or with 'bizsync config set portal.password'.":
        "Le mot de passe du portail enregistré est illisible avec cette clé de chiffrement ; saisissez-le de "
        "nouveau dans Paramètres > Connexion ou avec 'bizsync config set portal.password'.",
    "The saved proxy password cannot be read with this encryption key; type it again in Settings > Proxy or with 'bizsync config set proxy.password'.":
        "Le mot de passe du proxy enregistré est illisible avec cette clé de chiffrement ; saisissez-le de "
        "nouveau dans Paramètres > Proxy ou avec 'bizsync config set proxy.password'.",
    "The secure (TLS) connection to {host} failed; check that the platform address starts with the right scheme (https:// or http://) in {where} and that the certificate is valid.":
        "La connexion sécurisée (TLS) à {host} a échoué ; vérifiez que l'adresse de la plateforme commence par "
        "le bon préfixe (https:// ou http://) dans {where} et que le certificat est valide.",
    "Connecting to the platform at {host} timed out; check the platform address in {where}, the network and the proxy settings, then publish again.":
        "La connexion à la plateforme {host} a expiré ; vérifiez l'adresse de la plateforme dans {where}, le "
        "réseau et les paramètres du proxy, puis publiez de nouveau.",
    "The platform at {host} did not answer in time; publish again later, or ask the platform operator whether the service is overloaded.":
        "La plateforme {host} n'a pas répondu à temps ; publiez de nouveau plus tard, ou demandez à l'exploitant "
        "de la plateforme si le service est surchargé.",
    "The platform's host name {host} cannot be found (DNS); check the platform address in {where}.":
        "Le nom d'hôte de la plateforme {host} est introuvable (DNS) ; vérifiez l'adresse de la plateforme "
        "dans {where}.",
    "The platform at {host} cannot be reached (connection refused); check the platform address in {where}, or whether the platform is running, then publish again.":
        "La plateforme {host} est injoignable (connexion refusée) ; vérifiez l'adresse de la plateforme dans "
        "{where}, ou que la plateforme est bien démarrée, puis publiez de nouveau.",
    "The platform at {host} cannot be reached; check the platform address in {where}, the network and the proxy settings, then publish again.":
        "La plateforme {host} est injoignable ; vérifiez l'adresse de la plateforme dans {where}, le réseau et "
        "les paramètres du proxy, puis publiez de nouveau.",
    "The platform says: {message}": "Message de la plateforme : {message}",
    "The platform refused the portal client code or password (401); correct them in {where}.":
        "La plateforme a refusé le code client ou le mot de passe du portail (401) ; corrigez-les dans {where}.",
    "The proxy refused its user name or password (407); correct them in {where}.":
        "Le serveur mandataire (proxy) a refusé son nom d'utilisateur ou son mot de passe (407) ; "
        "corrigez-les dans {where}.",
    "The platform refused the call ({status}); check the settings, then publish again.":
        "La plateforme a refusé l'appel ({status}) ; vérifiez les paramètres, puis publiez de nouveau.",
    "The proxy refused to connect to the platform at {host} (answer {code}); check the platform address in {where} and ask the network administrator whether the proxy allows it.":
        "Le serveur mandataire (proxy) a refusé de se connecter à la plateforme {host} (réponse {code}) ; "
        "vérifiez l'adresse de la plateforme dans {where} et demandez à l'administrateur réseau si le proxy "
        "l'autorise.",
    "The platform's TLS certificate was refused ({reason}); if the platform uses a private certificate authority, set its CA bundle in {where}, otherwise ask the platform operator to check the certificate.":
        "Le certificat TLS de la plateforme a été refusé ({reason}) ; si la plateforme utilise une autorité de "
        "certification privée, indiquez son fichier d'autorités dans {where}, sinon demandez à l'exploitant de "
        "la plateforme de vérifier le certificat.",
    "The connection to the platform at {host} was cut several times; check the network and the proxy, then publish again.":
        "La connexion à la plateforme {host} a été coupée à plusieurs reprises ; vérifiez le réseau et le proxy, "
        "puis publiez de nouveau.",
    "The address {host} answered but is not a bizsync platform (404 on {path}); check the platform address in {where}.":
        "L'adresse {host} a répondu mais n'est pas une plateforme bizsync (404 sur {path}) ; vérifiez l'adresse "
        "de la plateforme dans {where}.",
    "The platform had a server error ({status}) even after {retries} retries; publish again later, or tell the platform operator.":
        "La plateforme a rencontré une erreur serveur ({status}) malgré {retries} nouvelles tentatives ; publiez "
        "de nouveau plus tard, ou prévenez l'exploitant de la plateforme.",
    "The platform address is not set; set it in {where}.":
        "L'adresse de la plateforme n'est pas renseignée ; indiquez-la dans {where}.",
    "The portal client code is not set; set it in {where}.":
        "Le code client du portail n'est pas renseigné ; indiquez-le dans {where}.",
    "The portal password is not set; set it in {where}.":
        "Le mot de passe du portail n'est pas renseigné ; indiquez-le dans {where}.",
    "The address {url} answered but is not a bizsync platform; check it in {where}.":
        "L'adresse {url} a répondu mais n'est pas une plateforme bizsync ; vérifiez-la dans {where}.",
    "The CA bundle file set in tls.ca_bundle cannot be used; fix the path in {where}.":
        "Le fichier d'autorités de certification indiqué dans tls.ca_bundle est inutilisable ; corrigez le "
        "chemin dans {where}.",
    "The call to the platform failed ({error}); check the settings, then publish again.":
        "L'appel à la plateforme a échoué ({error}) ; vérifiez les paramètres, puis publiez de nouveau.",
})
