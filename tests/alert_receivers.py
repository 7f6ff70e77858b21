"""Real receivers for the alert tests: an SMTP server (aiosmtpd) and a webhook receiver
(http.server), both on loopback in a thread of the test process.

    with smtp_server(pki=pki, security="starttls", login=("alerts", "pw")) as mail:
        ...; mail.wait_for(1); mail.messages[0]["Subject"]
    with webhook_receiver() as hook:
        ...; hook.wait_for(1); hook.bodies[0]["event"]
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(items: list, n: int, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while len(items) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {n} deliveries, got {len(items)}")
        time.sleep(0.02)
    return items


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[str] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def wait_for(self, n: int, timeout: float = 10) -> list:
        return _wait(self.messages, n, timeout)

    def body(self, i: int) -> str:
        return self.messages[i].get_content()


@contextlib.contextmanager
def smtp_server(*, pki=None, security: str = "none", login: tuple[str, str] | None = None,
                port: int | None = None):
    """aiosmtpd on 127.0.0.1: security none, starttls (the test CA's certificate, STARTTLS
    required) or ssl (implicit TLS); `login` requires that user and password."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = Mailbox()
    kwargs: dict = {}
    context = None
    if pki is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(pki.cert_file), str(pki.key_file))
    if security == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    if login is not None:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and \
                (auth_data.login.decode(), auth_data.password.decode()) == login
            if ok:
                box.logins.append(auth_data.login.decode())
            return AuthResult(success=ok, handled=False)
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=security != "none")
    box.port = port or free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port,
                            ssl_context=context if security == "ssl" else None,
                            server_hostname="localhost", **kwargs)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


class Hook:
    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.status = 200
        self.url = ""

    def wait_for(self, n: int, timeout: float = 10) -> list:
        return _wait(self.bodies, n, timeout)


@contextlib.contextmanager
def webhook_receiver(path: str = "/hooks/T0KEN-s3cret"):
    """An HTTP server taking POSTs of JSON on `path` (the token-bearing part of a real webhook)."""
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path != path:
                self.send_response(404)
                self.end_headers()
                return
            hook.headers.append(dict(self.headers))
            hook.bodies.append(json.loads(raw))
            self.send_response(hook.status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
