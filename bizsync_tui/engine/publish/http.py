"""HTTP to the platform: one requests Session built from the settings.

`make_session(settings_values)` applies the proxy mode (system / manual /
none), TLS verification (always on; `tls.ca_bundle` for a private authority),
connect/read timeouts and urllib3 retries with exponential backoff on
connection errors and 502/503/504 only. The calls themselves are in client.py
(`PlatformClient`), their failures in errors.py (`PublishError`, `scrub`).
"""

from __future__ import annotations

import base64
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

CONNECT_TIMEOUT = 10.0  # seconds
READ_TIMEOUT = 60.0
RETRIES = 3
BACKOFF = 0.5  # urllib3: no sleep before the 1st retry, then 1 s, 2 s
RETRY_STATUSES = (502, 503, 504)
USER_AGENT = "bizsync-publisher/1"


# -- the session -------------------------------------------------------------------
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
