"""Connection tests, one place for the TUI's Test buttons and the command line.

    test_source(spec, user, password)   # a Sage source opens and holds a Sage company
    test_saved_source(ws, spec)         # the same with the saved management credentials
    test_portal(ws)                     # the platform accepts the client code and password
    test_proxy(ws)                      # the platform is reachable through the proxy settings

Each returns a success sentence, or raises the layer's error (SourceError,
PublishError) whose text tells the admin what to fix.
"""

from __future__ import annotations

import datetime as _dt

import requests

from bizsync_tui.engine.contract import API_PREFIX
from bizsync_tui.engine.publish.client import PlatformClient
from bizsync_tui.engine.publish.errors import (WHERE_URL, PublishError, error_from_exception, error_from_response, scrub,
                                               setting_secrets)
from bizsync_tui.engine.publish.http import make_session
from bizsync_tui.engine.sage.extract import read_company
from bizsync_tui.engine.sage.source_spec import SourceSpec
from bizsync_tui.engine.sage.sources import DEFAULT_TIMEOUT, check_sage_tables, management_credentials, open_source
from bizsync_tui.engine.workspace import Workspace
from bizsync_tui.i18n import _


def test_source(spec: SourceSpec | str, user: str | None = None, password: str | None = None,
                timeout: int = DEFAULT_TIMEOUT, *, as_of=None) -> str:
    """Open a source, check the Sage tables and read the company: a success sentence,
    or SourceError. For the TUI's Test buttons."""
    as_of = as_of or _dt.date.today()
    with open_source(spec, user, password, timeout) as src:
        check_sage_tables(src)
        info = read_company(src, as_of)
        return _("{source} opened: company '{name}', fiscal year {start} to {end}, currency {currency}.").format(
            source=src.display(), name=info.name, start=info.fy_start.isoformat(), end=info.fy_end.isoformat(),
            currency=info.currency)


def test_saved_source(ws: Workspace, spec: SourceSpec | str, timeout: int = DEFAULT_TIMEOUT) -> str:
    """test_source with the management credentials of the settings (the TUI's Test buttons)."""
    return test_source(spec, *management_credentials(ws.settings.values()), timeout)


def test_portal(ws: Workspace, *, http_options: dict | None = None) -> str:
    """GET /account with the saved settings: a success sentence, or PublishError."""
    values = ws.settings.values()
    with PlatformClient(values, **(http_options or {})) as client:
        data = client.account()
    return _("Connected to the platform at {url} as client {client}; the client code and password are "
             "right.").format(url=client.base_url, client=data.get("client_code"))


def test_proxy(ws: Workspace, *, values: dict | None = None, http_options: dict | None = None) -> str:
    """Reach the platform through the proxy settings (any answer of the platform proves the way).

    `values`: settings to try over the saved ones (the Proxy screen tests what is typed
    before saving it). A success sentence, or PublishError telling what to fix (proxy
    unreachable, 407...).
    """
    values = {**ws.settings.values(), **(values or {})}
    url = (values.get("portal.url") or "").strip().rstrip("/")
    if not url:
        raise PublishError(_("Set the platform address first ({where}): the proxy test reaches it "
                             "through the proxy.").format(where=_(WHERE_URL)), kind="config")
    mode = values.get("proxy.mode") or "system"
    if mode == "manual" and values.get("proxy.user") and values.get("proxy.password") is None:
        raise PublishError(_("The saved proxy password cannot be read with this encryption key; type it again "
                             "in Settings > Proxy or with 'bizsync config set proxy.password'."), kind="config")
    session = make_session({**values, "portal.password": ""}, **(http_options or {}))
    secrets = setting_secrets(values)
    try:
        response = session.get(url + API_PREFIX + "/account")
    except requests.exceptions.RequestException as exc:
        err = error_from_exception(exc, url, session)
        raise PublishError(scrub(err.message, secrets), kind=err.kind, status=err.status) from None
    finally:
        session.close()
    if response.status_code == 407:
        err = error_from_response(response)
        raise PublishError(scrub(err.message, secrets), kind=err.kind, status=err.status)
    if mode == "manual":
        text = _("The platform at {url} is reachable through the proxy {proxy}.").format(
            url=url, proxy=f"{values.get('proxy.host')}:{values.get('proxy.port')}")
    elif mode == "none":
        text = _("The platform at {url} is reachable directly (no proxy).").format(url=url)
    else:
        text = _("The platform at {url} is reachable with this machine's proxy settings.").format(url=url)
    return text


for _check in (test_source, test_portal, test_proxy):
    _check.__test__ = False  # not pytest tests when imported into a test module
