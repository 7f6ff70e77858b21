"""ASGI middleware: the request-size limit, authentication before a large body, gzip request bodies.

Before it reads a byte of a body, it asks the `gate` whether the request may
send one that large: a publisher upload (PUT /users, PUT .../publication) is
authenticated first, so an anonymous client never makes the platform read (or
inflate) 10 MiB; every other body is limited to `SMALL_BODY_BYTES`.

It then reads the body, refuses it with 413 when it is over the limit (as sent,
and again after gzip decompression, counted on the output as it is produced),
and hands the application a plain body. Decompression runs in a worker thread,
so the event loop keeps serving other requests meanwhile, and its cost grows
linearly with the body's size, however many gzip members it holds.
"""

from __future__ import annotations

import json
import zlib

import anyio.to_thread

from bizsync_tui.engine.contract import MAX_BODY_BYTES

SMALL_BODY_BYTES = 64 * 1024  # a mobile login, or a body sent where none is expected
GZIP_PIECE = 1024  # compressed bytes fed at a time: bounds zlib's copy of the rest at a member's end


def error_bytes(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


def too_large_message(limit: int) -> str:
    if limit < 1024 * 1024:
        return (f"The request body is over {limit // 1024} KiB, the most this address accepts; "
                f"send a smaller body.")
    return (f"The request body is over the platform's limit of {limit // (1024 * 1024)} MiB "
            f"(counted after gzip decompression too); publish fewer views or users per request, "
            f"or ask the platform operator to raise the limit.")


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


_Refused = Refused  # older name

_BAD_GZIP = ("The request body is marked gzip but is not valid gzip data; "
             "send it compressed with gzip, or without Content-Encoding.")


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """Decompress gzip `data` (one or several members), refusing more than `limit` bytes out.

    Streaming: the input is fed in small pieces and the output counted as it
    comes, so the work is linear in the input (a body of half a million empty
    members costs one pass, not one copy of the rest per member) and a bomb is
    stopped at the limit without being inflated.
    """
    out = bytearray()
    view = memoryview(data)
    pos, size = 0, len(data)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    started = False  # the current member has received input
    pending = b""  # what zlib left over after a member's end
    while pos < size or pending:
        if pending:
            piece, pending = pending, b""
        else:
            piece = view[pos:pos + GZIP_PIECE]
            pos += len(piece)
        if not started:
            if not bytes(piece).strip(b"\x00"):
                continue  # padding after the last member
            started = True
        try:
            chunk = d.decompress(piece, limit + 1 - len(out))
        except zlib.error:
            raise Refused(400, "bad_gzip", _BAD_GZIP) from None
        out += chunk
        if len(out) > limit:
            raise Refused(413, "body_too_large", too_large_message(limit))
        while d.unconsumed_tail:  # output was capped: go on only while within the limit
            chunk = d.decompress(d.unconsumed_tail, limit + 1 - len(out))
            out += chunk
            if len(out) > limit:
                raise Refused(413, "body_too_large", too_large_message(limit))
            if not chunk and d.unconsumed_tail:
                raise Refused(400, "bad_gzip", _BAD_GZIP)
        if d.eof:
            pending = d.unused_data
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            started = False
    if started:
        raise Refused(400, "bad_gzip", "The gzip request body is cut short; send the whole body again.")
    return bytes(out)


class BodyLimitMiddleware:
    """`gate(scope)`: an async callable run before the body is read. It returns the body limit
    for this request (and may note the authenticated client in the scope), or raises Refused."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES, gate=None):
        self.app = app
        self.max_bytes = max_bytes
        self.gate = gate

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body, headers = await self._read(scope, receive)
        except Refused as refused:
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
        chunked = False
        kept = []
        for name, value in scope.get("headers", []):
            lname = name.lower()
            if lname == b"content-encoding":
                encoding = value.decode("latin-1").strip().lower()
                continue
            if lname == b"content-length":
                declared = value
                continue
            if lname == b"transfer-encoding":
                chunked = True
            kept.append((name, value))
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            raise Refused(415, "unsupported_encoding",
                          f"Content-Encoding '{encoding[:40]}' is not supported; send the body plain or gzip.")
        length = int(declared) if declared is not None and declared.strip().isdigit() else None
        if chunked or (length or 0) > 0:
            if self.gate is not None:
                limit = min(limit, await self.gate(scope))
        if length is not None and length > limit:
            raise Refused(413, "body_too_large", too_large_message(limit))
        chunks = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise Refused(413, "body_too_large", too_large_message(limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if encoding in ("gzip", "x-gzip") and body:
            body = await anyio.to_thread.run_sync(gunzip_limited, body, limit)
        if body or declared is not None:
            kept.append((b"content-length", str(len(body)).encode("ascii")))
        return body, kept

    @staticmethod
    async def _answer(send, refused: Refused):
        payload = error_bytes(refused.code, refused.message)
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(payload)).encode("ascii")),
                   (b"connection", b"close")]
        headers += [(k.lower().encode("latin-1"), str(v).encode("latin-1")) for k, v in refused.headers.items()]
        await send({"type": "http.response.start", "status": refused.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
