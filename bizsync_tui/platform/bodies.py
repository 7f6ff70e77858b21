"""ASGI middleware: the request-size limit and gzip request bodies.

It reads the whole body before the application sees it, refuses it with 413
when it is over the limit (as sent, and again after gzip decompression, so a
small "gzip bomb" cannot get past), and hands the application a plain body.
"""

from __future__ import annotations

import json
import zlib

from bizsync_tui.engine.contract import MAX_BODY_BYTES


def error_bytes(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


def too_large_message(limit: int) -> str:
    return (f"The request body is over the platform's limit of {limit // (1024 * 1024)} MiB "
            f"(counted after gzip decompression too); publish fewer views or users per request, "
            f"or ask the platform operator to raise the limit.")


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """Decompress gzip `data` (one or several members) refusing more than `limit` bytes out."""
    out = bytearray()
    rest = data
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = d.decompress(rest, limit + 1 - len(out))
        except zlib.error:
            raise _Refused(400, "bad_gzip", "The request body is marked gzip but is not valid gzip data; "
                                            "send it compressed with gzip, or without Content-Encoding.") from None
        out += chunk
        if len(out) > limit or d.unconsumed_tail:
            raise _Refused(413, "body_too_large", too_large_message(limit))
        if not d.eof:
            raise _Refused(400, "bad_gzip", "The gzip request body is cut short; send the whole body again.")
        rest = d.unused_data
        if not rest.strip(b"\x00"):
            return bytes(out)


class BodyLimitMiddleware:
    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body, headers = await self._read(scope, receive)
        except _Refused as refused:
            await self._answer(send, refused)
            return
        scope = dict(scope)
        scope["headers"] = headers
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, scope, receive):
        limit = self.max_bytes
        encoding = ""
        declared = None
        kept = []
        for name, value in scope.get("headers", []):
            lname = name.lower()
            if lname == b"content-encoding":
                encoding = value.decode("latin-1").strip().lower()
                continue
            if lname == b"content-length":
                declared = value
                continue
            kept.append((name, value))
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            raise _Refused(415, "unsupported_encoding",
                           f"Content-Encoding '{encoding[:40]}' is not supported; send the body plain or gzip.")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            raise _Refused(413, "body_too_large", too_large_message(limit))
        chunks = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _Refused(413, "body_too_large", too_large_message(limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if encoding in ("gzip", "x-gzip") and body:
            body = gunzip_limited(body, limit)
        if body or declared is not None:
            kept.append((b"content-length", str(len(body)).encode("ascii")))
        return body, kept

    @staticmethod
    async def _answer(send, refused: _Refused):
        payload = error_bytes(refused.code, refused.message)
        await send({"type": "http.response.start", "status": refused.status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode("ascii")),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})
