"""The reference platform service (PLATFORM_API.md), as a FastAPI application.

`create_app(database)` builds it over a SQLite file (or a data folder holding
`platform.db`) or a database URL such as `postgresql://user@host/db`. All state
is in the database, so several workers may serve one PostgreSQL database.
"""

import base64
import binascii
import logging
import math
import os
from datetime import timedelta
from typing import Annotated

import anyio.to_thread
import peewee
from fastapi import Depends, FastAPI, Path as PathParam, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from playhouse.pool import MaxConnectionsExceeded

from bizsync_tui.engine.contract import API_PREFIX, MAX_BODY_BYTES

from bizsync_tui.platform import bodies, schemas as s
from bizsync_tui.platform.bodies import BodyLimitMiddleware
from bizsync_tui.platform.guard import (DEFAULT_LIMITS, HSTS, NO_STORE, NOSNIFF, TOO_MANY, Limits,
                                        database_failure, mobile_keys, publisher_keys, secure_headers)
from bizsync_tui.platform.store import MissingDatabase, Store, token_hours_problem
from bizsync_tui.platform.webapp import web_router

log = logging.getLogger("bizsync.platform")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("bizsync-tui")
    except Exception:  # running from a source tree that is not installed
        return "1"

DEFAULT_TOKEN_TTL = timedelta(hours=12)
ENV_DATABASE = "BIZSYNC_PLATFORM_DATABASE"
ENV_TOKEN_HOURS = "BIZSYNC_PLATFORM_TOKEN_HOURS"

PUBLISHER_401 = ("The platform refused the client code or portal password; check the portal "
                 "credentials in the settings (portal.client_code and portal.password).")
MOBILE_LOGIN_401 = ("Login refused: check the client code, company code, login and password, "
                    "or ask your administrator.")
MOBILE_TOKEN_401 = "Your session has ended or is not valid; log in again."


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


ERRORS = {status: {"model": s.ErrorBody, "description": text} for status, text in (
    (400, "malformed request (e.g. bad gzip)"),
    (401, "credentials refused"),
    (404, "not found"),
    (413, "body over 10 MiB, before or after gzip decompression"),
    (415, "unsupported Content-Encoding"),
    (422, "body or parameter refused; the message names the field"),
    (429, "too many failed logins (too_many_attempts); wait Retry-After seconds"),
    (500, "unexpected platform failure"),
    (503, "platform busy; retry"),
)}


def _errors(*statuses: int) -> dict:
    return {st: ERRORS[st] for st in statuses}


def _field_path(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "path", "query", "header"):
        where, rest = parts[0], parts[1:]
    else:
        where, rest = "body", parts
    return (where + "." + ".".join(rest)) if rest else where


def validation_message(errors: list[dict]) -> str:
    if not errors:
        return "The request was refused as invalid; check it against the platform's OpenAPI document."
    first = errors[0]
    path = _field_path(first.get("loc", ()))
    kind = first.get("type", "")
    more = f" ({len(errors) - 1} more problem(s) after this one)" if len(errors) > 1 else ""
    if kind == "extra_forbidden":
        text = (f"Unknown field '{path}': the platform refuses fields it does not know; remove it, "
                f"or update the publisher and the platform to the same version")
    elif kind == "json_invalid":
        text = "The request body is not valid JSON; send a JSON document"
    elif kind == "missing":
        text = f"Field '{path}' is missing; add it"
    else:
        msg = str(first.get("msg", "is invalid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        text = f"Field '{path}' is refused: {msg}"
    return text.rstrip(".") + more + "."


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class _BasicScheme(HTTPBasic):
    """Declares HTTP Basic in the OpenAPI document; the check itself is below."""

    async def __call__(self, request: Request):  # type: ignore[override]
        return request.headers.get("authorization")


class _BearerScheme(HTTPBearer):
    async def __call__(self, request: Request):  # type: ignore[override]
        return _bearer_token(request)


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    code, sep, password = decoded.partition(":")
    if not sep:
        return None
    return code, password


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


VIEWS_PATH = f"{API_PREFIX}/mobile/views"
PUBLISHER_UPLOADS = (f"{API_PREFIX}/users", f"{API_PREFIX}/companies/")


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name or key.lower() == name:
            return value.decode("latin-1")
    return None


def _address(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def _token_of(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class PlatformApp(FastAPI):
    """The FastAPI application, with the platform's own front door.

    Every answer passes through `__call__`, which adds the security headers
    (`guard.secure_headers`), and serves `GET /api/v1/mobile/views` itself: one
    indexed query on the event loop's own database connection, the answer's
    bytes from the worker's cache of immutable publications, `ETag` and 304.
    """

    platform_store: Store
    _loop_cursor = None
    _prepared = False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        if scope["path"] == VIEWS_PATH and scope["method"] == "GET":
            await self._views(scope, send, https)
            return
        path = scope["path"]

        async def secured(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = secure_headers(list(message.get("headers", [])), path, https)
            await send(message)

        await super().__call__(scope, receive, secured)

    # --- GET /api/v1/mobile/views ------------------------------------------------

    def _cursor(self):
        cursor = self._loop_cursor
        path = self.platform_store.sqlite_path
        if path is not None and not os.path.exists(path):  # deleted under a connection that still reads it
            raise MissingDatabase(path)
        if cursor is None:
            db = self.platform_store.db
            if db.is_closed():
                db.connect(reuse_if_open=True)
            cursor = db.connection().cursor()
            self._prepared = self.platform_store.prepare(cursor)
            self._loop_cursor = cursor
        return cursor

    def _drop_cursor(self) -> None:
        self._loop_cursor = None
        self._prepared = False
        try:
            self.platform_store.db.close()
        except Exception:
            pass

    async def _views(self, scope, send, https: bool) -> None:
        token = _token_of(_header(scope, b"authorization"))
        status, body, extra = 200, b"", []
        if token is None:
            status, body = 401, _SESSION_401
            extra = [(b"www-authenticate", b"Bearer")]
        else:
            try:
                cursor = self._cursor()
                found = self.platform_store.mobile_answer(token, cursor, self._prepared)
            except Exception as exc:  # the loop's connection is suspect: a new one next time
                self._drop_cursor()
                failure = database_failure(exc, self.platform_store.sqlite_path)
                if failure is None:
                    log.exception("unexpected error on GET %s", VIEWS_PATH)
                    failure = (500, "internal_error", INTERNAL_500, {})
                status, code, message, headers = failure
                body = bodies.error_bytes(code, message)
                extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
            else:
                if found is None:
                    status, body = 401, _SESSION_401
                    extra = [(b"www-authenticate", b"Bearer")]
                elif found is False:
                    status, body = 404, _NO_PUBLICATION_404
                else:
                    body, etag = found
                    extra = [(b"etag", etag.encode("ascii"))]
                    if _header(scope, b"if-none-match") == etag:
                        status, body = 304, b""
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode("ascii")),
                   NO_STORE, NOSNIFF, *extra]
        if https:
            headers.append(HSTS)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


INTERNAL_500 = ("The platform failed on an unexpected error; try again later, and tell the "
                "platform operator if it lasts.")
NO_PUBLICATION = "Nothing has been published for this company yet; ask your administrator to publish it."
_SESSION_401 = bodies.error_bytes("session_invalid", MOBILE_TOKEN_401)
_NO_PUBLICATION_404 = bodies.error_bytes("no_publication", NO_PUBLICATION)


def ttl_of(token_ttl) -> timedelta:
    if token_ttl is None:
        return DEFAULT_TOKEN_TTL
    seconds = token_ttl.total_seconds() if isinstance(token_ttl, timedelta) else token_ttl
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        raise ValueError("The token lifetime must be a number of seconds.") from None
    if not math.isfinite(seconds) or not (0 < seconds <= 8760 * 3600):
        raise ValueError("The token lifetime must be more than 0 and at most one year (8760 hours).")
    return timedelta(seconds=seconds)


def create_app(database: str | os.PathLike, *, token_ttl: timedelta | float | None = None,
               max_body_bytes: int = MAX_BODY_BYTES, limits: Limits = DEFAULT_LIMITS) -> FastAPI:
    """The platform over `database`: a SQLite file, a folder (its platform.db) or a database URL.

    `token_ttl`: how long a mobile token lives (a timedelta or seconds; default 12 hours, at most a year).
    `limits`: the failed-login throttling (guard.Limits).
    """
    ttl = ttl_of(token_ttl)
    store = Store(database)

    app = PlatformApp(
        title="bizsync reference platform",
        version=_version(),
        description="Receives, stores and serves bizsync publications (PLATFORM_API.md, version 1).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # no docs UI: it would load scripts from another site
        redoc_url=None,
    )
    app.platform_store = store
    app.state.store = store
    app.state.token_ttl = ttl
    app.state.limits = limits

    def publisher_401():
        return ApiError(401, "unauthorized", PUBLISHER_401, {"WWW-Authenticate": 'Basic realm="bizsync"'})

    def too_many(seconds: int):
        return ApiError(429, "too_many_attempts", TOO_MANY.format(seconds=seconds),
                        {"Retry-After": str(max(1, seconds))})

    def check_publisher(authorization: str | None, address: str) -> int:
        """The client id of Basic credentials, after the throttle; ApiError otherwise (in a thread)."""
        creds = _basic_credentials(authorization)
        code = creds[0] if creds else ""
        account, keys = publisher_keys(limits, code, address)
        if not creds:
            keys = keys[1:]
        wait = store.throttled(keys, limits.window)
        if wait:
            raise too_many(wait)
        client_id = store.authenticate_client(*creds) if creds else None
        if client_id is None:
            if creds is None:
                store.authenticate_client("", "")  # same work as a wrong password
            store.record_failure([k for k, _ in keys], limits.window)
            raise publisher_401()
        if store.has_counter(account):
            store.forget_failures(account)
        return client_id

    async def gate(scope) -> int:
        """Before reading a body: authenticate a publisher upload; any other body stays small."""
        path = scope["path"]
        if not (scope["method"] == "PUT" and (path == PUBLISHER_UPLOADS[0] or
                                                (path.startswith(PUBLISHER_UPLOADS[1])
                                                 and path.endswith("/publication")))):
            return bodies.SMALL_BODY_BYTES
        try:
            client_id = await anyio.to_thread.run_sync(check_publisher, _header(scope, b"authorization"),
                                                       _address(scope))
        except ApiError as exc:
            raise bodies.Refused(exc.status, exc.code, exc.message, exc.headers) from None
        except Exception as exc:
            failure = database_failure(exc, store.sqlite_path)
            if failure is None:
                raise
            raise bodies.Refused(*failure) from None
        scope["bizsync.client_id"] = client_id
        return max_body_bytes

    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes, gate=gate)

    # --- every error as {"error": {"code", "message"}} ------------------------

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(422, "invalid_request", validation_message(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return error_response(404, "not_found",
                                  f"There is no {request.url.path[:200]} on this platform; check the platform "
                                  f"address in the settings (portal.url, without /api/v1).", exc.headers)
        if exc.status_code == 405:
            allowed = _allowed_methods(app, request)
            return error_response(405, "method_not_allowed",
                                  f"{request.method} is not allowed on {request.url.path[:200]} "
                                  f"(allowed: {', '.join(allowed)}); check the platform's OpenAPI "
                                  f"document at {API_PREFIX}/openapi.json.",
                                  {"Allow": ", ".join(allowed)})
        detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        return error_response(exc.status_code, f"http_{exc.status_code}", detail, exc.headers)

    async def _database(request: Request, exc: Exception):
        status, code, message, headers = database_failure(exc, store.sqlite_path)
        return error_response(status, code, message, headers)

    for kind in (peewee.OperationalError, peewee.InterfaceError, peewee.DatabaseError, MaxConnectionsExceeded,
                 MissingDatabase):
        app.add_exception_handler(kind, _database)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        failure = database_failure(exc, store.sqlite_path)
        if failure is not None:
            return error_response(*failure)
        log.error("unexpected error on %s %s: %s", request.method, request.url.path, exc.__class__.__name__)
        return error_response(500, "internal_error", INTERNAL_500)

    # --- authentication -------------------------------------------------------

    basic = _BasicScheme(auto_error=False, scheme_name="publisher", description="client code + portal password")
    bearer = _BearerScheme(auto_error=False, scheme_name="mobile", description="token from /api/v1/mobile/login")

    def publisher(request: Request, authorization: Annotated[str | None, Depends(basic)]) -> int:
        known = request.scope.get("bizsync.client_id")
        if known is not None:  # authenticated before its body was read
            return known
        return check_publisher(authorization, _address(request.scope))

    Publisher = Annotated[int, Depends(publisher)]
    ShortCode = Annotated[str, PathParam(pattern=s.CODE_PATTERN, max_length=32,
                                         description="the company's (or group's) short code")]
    PUBLISHER_ERRORS = (401, 429, 500, 503)

    # --- publisher -------------------------------------------------------------

    @app.get(f"{API_PREFIX}/account", response_model=s.Account, tags=["publisher"],
             responses=_errors(*PUBLISHER_ERRORS))
    def get_account(client_id: Publisher):
        return {"client_code": store.client_code(client_id)}

    @app.put(f"{API_PREFIX}/companies/{{short_code}}/publication", response_model=s.PublicationStored,
             tags=["publisher"], responses=_errors(400, 413, 415, 422, *PUBLISHER_ERRORS))
    def put_publication(short_code: ShortCode, body: s.Publication, client_id: Publisher):
        if body.company.short_code != short_code:
            raise ApiError(422, "invalid_request",
                           f"Field 'body.company.short_code' is '{body.company.short_code}' but the address names "
                           f"'{short_code}'; send the publication to its own company's address.")
        data = body.as_json()
        status = store.put_publication(client_id, short_code, data)
        return {"publication_id": body.publication_id, "short_code": short_code,
                "views": len(data["views"]), "status": status}

    @app.delete(f"{API_PREFIX}/companies/{{short_code}}/publication", status_code=204, tags=["publisher"],
                response_class=Response, responses=_errors(422, *PUBLISHER_ERRORS))
    def delete_publication(short_code: ShortCode, client_id: Publisher):
        store.delete_publication(client_id, short_code)
        return Response(status_code=204)

    @app.put(f"{API_PREFIX}/users", response_model=s.UsersStored, tags=["publisher"],
             responses=_errors(400, 413, 415, 422, *PUBLISHER_ERRORS))
    def put_users(body: s.UsersBody, client_id: Publisher):
        users = [u.model_dump(mode="json") for u in body.users]
        count, grants = store.replace_users(client_id, users)
        return {"users": count, "grants": grants}

    @app.delete(f"{API_PREFIX}/data", status_code=204, tags=["publisher"], response_class=Response,
                responses=_errors(*PUBLISHER_ERRORS))
    def delete_data(client_id: Publisher):
        store.delete_data(client_id)
        return Response(status_code=204)

    # --- mobile ------------------------------------------------------------------

    @app.post(f"{API_PREFIX}/mobile/login", response_model=s.Token, tags=["mobile"],
              responses=_errors(400, 401, 413, 415, 422, 429, 500, 503))
    def mobile_login(body: s.LoginBody, request: Request):
        account, keys = mobile_keys(limits, body.client_code, body.company_code, body.login,
                                    _address(request.scope))
        wait = store.throttled(keys, limits.window)
        if wait:
            raise too_many(wait)
        result = store.mobile_login(body.client_code, body.company_code, body.login, body.password,
                                    app.state.token_ttl)
        if result is None:
            store.record_failure([k for k, _ in keys], limits.window)
            raise ApiError(401, "login_failed", MOBILE_LOGIN_401)
        if store.has_counter(account):
            store.forget_failures(account)
        return {"token": result.token, "expires_at": result.expires_at}

    @app.post(f"{API_PREFIX}/mobile/logout", status_code=204, tags=["mobile"], response_class=Response,
              responses=_errors(401, 500, 503))
    def mobile_logout(token: Annotated[str | None, Depends(bearer)]):
        """End the session of this token for good: 204; 401 when it is not a live session."""
        if not token or not store.logout(token):
            raise ApiError(401, "session_invalid", MOBILE_TOKEN_401, {"WWW-Authenticate": "Bearer"})
        return Response(status_code=204)

    @app.get(VIEWS_PATH, response_model=s.MobileViews, tags=["mobile"],
             responses={**_errors(401, 404, 500, 503), 304: {"description": "unchanged since If-None-Match"}})
    def mobile_views(token: Annotated[str | None, Depends(bearer)]):
        """The company's last publication with only the views granted to this user, and
        `previous`: the publication before it, reduced to the amount views this user may see
        (served by PlatformApp's front door; this route documents it and serves HEAD)."""
        found = store.mobile_answer(token) if token else None
        if found is None:
            raise ApiError(401, "session_invalid", MOBILE_TOKEN_401, {"WWW-Authenticate": "Bearer"})
        if found is False:
            raise ApiError(404, "no_publication", NO_PUBLICATION)
        body, etag = found
        return Response(body, media_type="application/json", headers={"ETag": etag})

    app.include_router(web_router())  # the mobile web app at / (webapp.py)
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers: reads BIZSYNC_PLATFORM_DATABASE."""
    database = os.environ.get(ENV_DATABASE)
    if not database:
        raise RuntimeError(f"Set {ENV_DATABASE} to the platform's database file or URL.")
    hours = os.environ.get(ENV_TOKEN_HOURS)
    if hours:
        problem = token_hours_problem(hours)
        if problem:
            raise RuntimeError(problem)
    return create_app(database, token_ttl=timedelta(hours=float(hours)) if hours else None)
