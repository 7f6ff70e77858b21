"""The mobile reader: the phone web app the platform serves at `/` (PLATFORM_API.md, "The mobile web app").

Everything the page needs is a file of `platform/web/`, served from here: no
script, style, font or icon comes from another site. The page's texts are in
`app.js` (English and French); the view labels come from the engine's
catalogue as `/catalogue.json`, so the page and the admin app name a view the
same way.

Caching: the page and the service worker are revalidated on every load
(`no-cache` + ETag); the other files are addressed with `?v=<build>` (a hash
of every file) and kept a year when asked for with the current build, so a
new version is picked up at once and an unchanged one is never downloaded
twice. The service worker keeps the same files for offline use.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bizsync_tui.engine import catalogue

WEB_DIR = Path(__file__).with_name("web")
BUILD_MARK = "__BUILD__"

STYLE_LINK = '<link rel="stylesheet" href="/app.css?v=__BUILD__">'


def content_security_policy(style_hash: str) -> str:
    """The page's policy: its own scripts, images and API only; no inline script at all; the one inline
    style block by its hash (no 'unsafe-inline'); no plugin, no frame, no form posted anywhere (the login
    is sent by the script, never by the form)."""
    return "; ".join((
        "default-src 'none'",
        "script-src 'self'",
        f"style-src 'self' 'sha256-{style_hash}'",
        "img-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ))


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# address -> (file in web/, content type, versioned: True when the page asks for it with ?v=<build>)
FILES: dict[str, tuple[str, str, bool]] = {
    "/": ("index.html", "text/html; charset=utf-8", False),
    "/sw.js": ("sw.js", "text/javascript; charset=utf-8", False),
    "/app.js": ("app.js", "text/javascript; charset=utf-8", True),
    "/app.css": ("app.css", "text/css; charset=utf-8", True),
    "/manifest.webmanifest": ("manifest.webmanifest", "application/manifest+json; charset=utf-8", True),
    "/icon.svg": ("icon.svg", "image/svg+xml", True),
    "/icon-192.png": ("icon-192.png", "image/png", True),
    "/icon-512.png": ("icon-512.png", "image/png", True),
}
CATALOGUE_PATH = "/catalogue.json"
YEAR = 365 * 24 * 3600


def catalogue_document() -> dict:
    """The view catalogue for the page: groups in display order, each view's id, shape, period and labels."""
    groups = []
    for source in (catalogue.COMMERCIAL, catalogue.ACCOUNTING):
        groups.append({"id": source, "views": [
            {"id": v.id, "shape": v.shape, "period": v.period, "label": {"en": v.label_en, "fr": v.label_fr}}
            for v in catalogue.views_of(source)]})
    return {"groups": groups}


@dataclass(frozen=True)
class _Asset:
    body: bytes
    content_type: str
    versioned: bool
    etag: str


def _load_assets() -> tuple[dict[str, _Asset], str, str]:
    raw = {path: (WEB_DIR / name).read_bytes() for path, (name, _t, _v) in FILES.items()}
    raw[CATALOGUE_PATH] = json.dumps(catalogue_document(), ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256()
    for path in sorted(raw):
        digest.update(path.encode() + b"\0" + raw[path] + b"\0")
    build = digest.hexdigest()[:16]
    style_hash = base64.b64encode(hashlib.sha256(raw["/app.css"]).digest()).decode()
    assets = {}
    for path, body in raw.items():
        if path in ("/", "/sw.js"):
            body = body.replace(BUILD_MARK.encode(), build.encode())
        if path == "/":  # the style inline, allowed by its hash: the login paints without another round trip
            body = body.replace(STYLE_LINK.replace(BUILD_MARK, build).encode(),
                                b"<style>" + raw["/app.css"] + b"</style>")
        content_type, versioned = ((FILES[path][1], FILES[path][2]) if path in FILES
                                   else ("application/json; charset=utf-8", True))
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        assets[path] = _Asset(body, content_type, versioned, etag)
    return assets, build, content_security_policy(style_hash)


def web_router() -> APIRouter:
    """The routes of the mobile web app (outside the OpenAPI document: they are not API calls)."""
    assets, build, policy = _load_assets()
    router = APIRouter()

    def serve(request: Request) -> Response:
        asset = assets[request.url.path]
        headers = dict(SECURITY_HEADERS)
        headers["ETag"] = asset.etag
        if asset.versioned and request.query_params.get("v") == build:
            headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            headers["Cache-Control"] = "no-cache"
        if asset.content_type.startswith("text/html"):
            headers["Content-Security-Policy"] = policy
        if request.url.path == "/sw.js":
            headers["Service-Worker-Allowed"] = "/"
        if asset.etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        body = b"" if request.method == "HEAD" else asset.body
        response = Response(body, media_type=asset.content_type, headers=headers)
        if request.method == "HEAD":
            response.headers["Content-Length"] = str(len(asset.body))
        return response

    for path in assets:
        router.add_api_route(path, serve, methods=["GET", "HEAD"], include_in_schema=False)
    router.build = build  # type: ignore[attr-defined]  # for tests and the docs
    return router
