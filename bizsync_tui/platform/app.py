"""The reference platform service (PLATFORM_API.md), as a FastAPI application.

`create_app(database)` builds it over a SQLite file (or a data folder holding
`platform.db`) or a database URL such as `postgresql://user@host/db`. All state
is in the database, so several workers may serve one PostgreSQL database.
"""

import base64
import binascii
import logging
import os
from datetime import timedelta
from typing import Annotated

import peewee
from fastapi import Depends, FastAPI, Path as PathParam, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from bizsync_tui.engine.contract import API_PREFIX, MAX_BODY_BYTES
from bizsync_tui.platform import schemas as s
from bizsync_tui.platform.bodies import BodyLimitMiddleware
from bizsync_tui.platform.store import Store

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


def create_app(database: str | os.PathLike, *, token_ttl: timedelta | float | None = None,
               max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The platform over `database`: a SQLite file, a folder (its platform.db) or a database URL.

    `token_ttl`: how long a mobile token lives (a timedelta or seconds; default 12 hours).
    """
    if token_ttl is None:
        ttl = DEFAULT_TOKEN_TTL
    elif isinstance(token_ttl, timedelta):
        ttl = token_ttl
    else:
        ttl = timedelta(seconds=float(token_ttl))
    store = Store(database)

    app = FastAPI(
        title="bizsync reference platform",
        version=_version(),
        description="Receives, stores and serves bizsync publications (PLATFORM_API.md, version 1).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.store = store
    app.state.token_ttl = ttl
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)

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

    @app.exception_handler(peewee.OperationalError)
    async def _busy(request: Request, exc: peewee.OperationalError):
        log.warning("database error: %s", exc.__class__.__name__)
        return error_response(503, "busy", "The platform's database is busy or unavailable; try again in a moment.",
                              {"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.error("unexpected error on %s %s: %s", request.method, request.url.path, exc.__class__.__name__)
        return error_response(500, "internal_error",
                              "The platform failed on an unexpected error; try again later, and tell the "
                              "platform operator if it lasts.")

    # --- authentication -------------------------------------------------------

    basic = _BasicScheme(auto_error=False, scheme_name="publisher", description="client code + portal password")
    bearer = _BearerScheme(auto_error=False, scheme_name="mobile", description="token from /api/v1/mobile/login")

    def publisher(authorization: Annotated[str | None, Depends(basic)]) -> int:
        creds = _basic_credentials(authorization)
        client_id = store.authenticate_client(*creds) if creds else None
        if client_id is None:
            if creds is None:
                store.authenticate_client("", "")  # same work as a wrong password
            raise ApiError(401, "unauthorized", PUBLISHER_401, {"WWW-Authenticate": 'Basic realm="bizsync"'})
        return client_id

    def mobile_session(token: Annotated[str | None, Depends(bearer)]):
        session = store.session_of(token) if token else None
        if session is None:
            raise ApiError(401, "session_invalid", MOBILE_TOKEN_401, {"WWW-Authenticate": "Bearer"})
        return session

    Publisher = Annotated[int, Depends(publisher)]
    ShortCode = Annotated[str, PathParam(pattern=s.CODE_PATTERN, max_length=32,
                                         description="the company's (or group's) short code")]

    # --- publisher -------------------------------------------------------------

    @app.get(f"{API_PREFIX}/account", response_model=s.Account, tags=["publisher"],
             responses=_errors(401, 500, 503))
    def get_account(client_id: Publisher):
        with store.connection():
            code = store.Client.get_by_id(client_id).code
        return {"client_code": code}

    @app.put(f"{API_PREFIX}/companies/{{short_code}}/publication", response_model=s.PublicationStored,
             tags=["publisher"], responses=_errors(400, 401, 413, 415, 422, 500, 503))
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
                response_class=Response, responses=_errors(401, 422, 500, 503))
    def delete_publication(short_code: ShortCode, client_id: Publisher):
        store.delete_publication(client_id, short_code)
        return Response(status_code=204)

    @app.put(f"{API_PREFIX}/users", response_model=s.UsersStored, tags=["publisher"],
             responses=_errors(400, 401, 413, 415, 422, 500, 503))
    def put_users(body: s.UsersBody, client_id: Publisher):
        users = [u.model_dump(mode="json") for u in body.users]
        count, grants = store.replace_users(client_id, users)
        return {"users": count, "grants": grants}

    @app.delete(f"{API_PREFIX}/data", status_code=204, tags=["publisher"], response_class=Response,
                responses=_errors(401, 500, 503))
    def delete_data(client_id: Publisher):
        store.delete_data(client_id)
        return Response(status_code=204)

    # --- mobile ------------------------------------------------------------------

    @app.post(f"{API_PREFIX}/mobile/login", response_model=s.Token, tags=["mobile"],
              responses=_errors(400, 401, 413, 415, 422, 500, 503))
    def mobile_login(body: s.LoginBody):
        result = store.mobile_login(body.client_code, body.company_code, body.login, body.password,
                                    app.state.token_ttl)
        if result is None:
            raise ApiError(401, "login_failed", MOBILE_LOGIN_401)
        return {"token": result.token, "expires_at": result.expires_at}

    @app.get(f"{API_PREFIX}/mobile/views", response_model=s.Publication, tags=["mobile"],
             response_model_exclude_unset=True, responses=_errors(401, 404, 500, 503))
    def mobile_views(session: Annotated[tuple, Depends(mobile_session)]):
        client_id, company_code, granted = session
        publication = store.publication_of(client_id, company_code)
        if publication is None:
            raise ApiError(404, "no_publication",
                           "Nothing has been published for this company yet; ask your administrator to publish it.")
        allowed = set(granted)
        publication["views"] = {k: v for k, v in publication["views"].items() if k in allowed}
        return JSONResponse(publication)

    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers: reads BIZSYNC_PLATFORM_DATABASE."""
    database = os.environ.get(ENV_DATABASE)
    if not database:
        raise RuntimeError(f"Set {ENV_DATABASE} to the platform's database file or URL.")
    hours = os.environ.get(ENV_TOKEN_HOURS)
    return create_app(database, token_ttl=timedelta(hours=float(hours)) if hours else None)
