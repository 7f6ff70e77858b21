"""The platform client: the publisher's calls of PLATFORM_API.md over a `PlatformSession`.

    with PlatformClient(settings.values()) as client:
        client.account(); client.put_publication(code, body); client.put_users(body)

Bodies go gzip-compressed JSON; every failure raises `PublishError` (errors.py)
with one scrubbed sentence telling the admin what to fix.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from urllib.parse import quote

import requests
from urllib3.util.retry import Retry

from bizsync_tui.engine.admin.validation import ValidationError, ca_bundle
from bizsync_tui.engine.contract import API_PREFIX
from bizsync_tui.engine.publish.errors import (WHERE_CA, WHERE_PORTAL, WHERE_URL, PublishError, error_from_exception,
                                               error_from_response, scrub)
from bizsync_tui.engine.publish.http import PlatformSession, make_session
from bizsync_tui.i18n import _


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
        ca = (v.get("tls.ca_bundle") or "").strip()
        if ca:  # a bundle that is not PEM would fail as a TLS error blamed on the address's scheme
            try:
                ca_bundle(ca)
            except ValidationError as exc:
                raise PublishError(_("The CA bundle set in tls.ca_bundle cannot be used: {why}").format(
                    why=exc.message), kind="config") from None
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
