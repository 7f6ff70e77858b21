"""engine/http.py: the Session from the settings, gzip bodies, the admin messages and their scrubbing.

Real sockets on loopback throughout: a one-shot capturing server (to read what
is really sent), a server that never answers (timeout), the real platform
(tests/platform_server.py), and `.invalid` host names (RFC 6761: never resolve).
"""

from __future__ import annotations

import base64
import gzip
import json
import socket
import threading

import pytest
import requests

from bizsync_tui.engine.publish.client import PlatformClient
from bizsync_tui.engine.publish.errors import PublishError, error_from_exception, scrub
from bizsync_tui.engine.publish.http import make_retry, make_session, proxy_url
from tests.platform_server import platform_server  # noqa: F401  (fixture)

NO_RETRY = {"retry": make_retry(total=0), "timeout": (2, 0.5)}


def settings(**extra) -> dict:
    base = {"portal.url": "http://127.0.0.1:9", "portal.client_code": "ACME", "portal.password": "s3cr:et/pw",
            "proxy.mode": "none", "proxy.host": "", "proxy.port": "", "proxy.user": "", "proxy.password": "",
            "tls.ca_bundle": "", "database.password": "db-pw"}
    base.update({k.replace("_", ".", 1): v for k, v in extra.items()})
    return base


def test_manual_proxy_url_is_percent_encoded_and_environment_ignored():
    values = settings(proxy_mode="manual", proxy_host="proxy.example.com", proxy_port="3128",
                      proxy_user="dom\\al ice", proxy_password="p@ss:w/rd%")
    assert proxy_url(values) == "http://dom%5Cal%20ice:p%40ss%3Aw%2Frd%25@proxy.example.com:3128"
    session = make_session(values)
    assert session.trust_env is False
    assert session.proxies == {"http": proxy_url(values), "https": proxy_url(values)}
    assert make_session(settings(proxy_mode="none")).trust_env is False
    assert make_session(settings(proxy_mode="none")).proxies == {}
    assert make_session(settings(proxy_mode="system")).trust_env is True


def test_retry_policy_timeouts_and_tls_are_set(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    session = make_session(settings(tls_ca_bundle=str(ca)))
    retry = session.get_adapter("https://x").max_retries
    assert retry.total == 3 and retry.backoff_factor > 0
    assert set(retry.status_forcelist) == {502, 503, 504}
    assert {"PUT", "DELETE", "GET"} <= set(retry.allowed_methods)
    assert session.verify == str(ca) and session.default_timeout[0] > 0 and session.default_timeout[1] > 0
    assert make_session(settings()).verify is True  # never False


def _capture_one(answer: bytes):
    """A one-shot HTTP server on loopback: returns (url, holder) where holder['raw'] is the request."""
    server = socket.create_server(("127.0.0.1", 0))
    holder: dict = {}

    def serve():
        conn, _ = server.accept()
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int([ln.split(b":")[1] for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length")][0])
        while len(body) < length:
            body += conn.recv(65536)
        holder["head"], holder["body"] = head.decode(), body
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(answer), answer))
        conn.close()
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}", holder


def test_bodies_are_gzipped_with_basic_auth():
    url, got = _capture_one(b'{"users": 1, "grants": 0}')
    client = PlatformClient(settings(portal_url=url), **NO_RETRY)
    client.put_users({"users": [{"login": "marie", "name": "Marie Curie"}]})
    head = got["head"].lower()
    assert head.startswith("put /api/v1/users http/1.1")
    assert "content-encoding: gzip" in head
    assert json.loads(gzip.decompress(got["body"])) == {"users": [{"login": "marie", "name": "Marie Curie"}]}
    token = base64.b64encode(b"ACME:s3cr:et/pw").decode().lower()
    assert f"authorization: basic {token}" in head


def test_scrub_masks_passwords_encoded_forms_and_url_credentials():
    text = ("ProxyError('Unable to connect to proxy', http://alice:p%40ss%3Aw%2Frd@proxy:3128 "
            "p@ss:w/rd Authorization: Basic QUNNRTpzM2NyZXQ=')")
    out = scrub(text, ["p@ss:w/rd"])
    assert "p@ss" not in out and "p%40ss" not in out and "alice" not in out and "QUNNRTpzM2NyZXQ" not in out
    assert "http://***@proxy:3128" in out


def test_proxy_failure_message_has_no_credentials():
    """requests' own exception text holds the proxy URL with its credentials; the message must not."""
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    values = settings(proxy_mode="manual", proxy_host="127.0.0.1", proxy_port=str(port),
                      proxy_user="alice", proxy_password="Zq9!secret@/x")
    client = PlatformClient(values, **NO_RETRY)
    with pytest.raises(PublishError) as info:
        client.account()
    assert "proxy" in str(info.value).lower() and "Settings > Proxy" in str(info.value)
    for form in ("Zq9!secret@/x", "Zq9%21secret%40%2Fx", "alice"):
        assert form not in str(info.value)
    # the raw exception does carry them: that is why scrubbing exists
    session = make_session(values, **NO_RETRY)
    with pytest.raises(requests.exceptions.RequestException) as raw:
        session.get("http://127.0.0.1:9/api/v1/account")
    err = error_from_exception(raw.value, "http://127.0.0.1:9", session)
    assert "Zq9" not in scrub(err.message, session.secrets)


def test_name_not_found_and_timeout_and_refused():
    with pytest.raises(PublishError) as info:
        PlatformClient(settings(portal_url="https://bizsync-no-such-host.invalid"), **NO_RETRY).account()
    assert info.value.kind == "dns" and "cannot be found" in str(info.value) and "portal.url" in str(info.value)

    silent = socket.create_server(("127.0.0.1", 0))  # accepts (backlog), never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(PublishError) as info:
            PlatformClient(settings(portal_url=url), **NO_RETRY).account()
        assert info.value.kind == "timeout" and "did not answer in time" in str(info.value)
    finally:
        silent.close()

    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    with pytest.raises(PublishError) as info:
        PlatformClient(settings(portal_url=f"http://127.0.0.1:{port}"), **NO_RETRY).account()
    assert info.value.kind == "unreachable" and "connection refused" in str(info.value)


def test_missing_settings_are_named():
    with pytest.raises(PublishError) as info:
        PlatformClient(settings(portal_url=""))
    assert "portal.url" in str(info.value)
    with pytest.raises(PublishError) as info:
        PlatformClient(settings(portal_password=None))
    assert "cannot be read" in str(info.value)


def test_system_proxy_mode_follows_the_environment(platform_server, monkeypatch):  # noqa: F811
    with socket.create_server(("127.0.0.1", 0)) as closed:
        dead_proxy = f"http://127.0.0.1:{closed.getsockname()[1]}"
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    values = settings(portal_url=platform_server.url, portal_client_code=platform_server.client_code,
                      portal_password=platform_server.password)
    with pytest.raises(PublishError) as info:
        PlatformClient({**values, "proxy.mode": "system"}, **NO_RETRY).account()
    assert info.value.kind == "proxy"  # the machine's proxy was used
    assert PlatformClient({**values, "proxy.mode": "none"}, **NO_RETRY).account() == {
        "client_code": platform_server.client_code}


def test_a_non_latin_portal_password_is_sent_as_utf8(platform_server):  # noqa: F811
    password = "Mot-de-passe-été-€"
    platform_server.add_client("UTF8", password)
    values = settings(portal_url=platform_server.url, portal_client_code="UTF8", portal_password=password)
    assert PlatformClient(values, **NO_RETRY).account() == {"client_code": "UTF8"}


def test_wrong_address_on_a_real_platform_says_it_is_not_a_platform(platform_server):  # noqa: F811
    values = settings(portal_url=platform_server.url + "/somewhere", portal_client_code=platform_server.client_code,
                      portal_password=platform_server.password)
    with pytest.raises(PublishError) as info:
        PlatformClient(values, **NO_RETRY).account()
    assert "404" in str(info.value) and "portal.url" in str(info.value)
