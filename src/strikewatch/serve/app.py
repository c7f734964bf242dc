"""The FastAPI application: settings, who is asking, one error shape, security headers, a
request body limit, assets."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from strikewatch.errors import StoreError, StrikewatchError
from strikewatch.serve import security
from strikewatch.store import accounts
from strikewatch.store.queries import QueryError
from strikewatch.store.repository import Store

log = logging.getLogger("strikewatch.serve")

REPO_WEB = Path(__file__).resolve().parents[3] / "web"
# Third-party browser assets, installed by `npm ci --prefix web` (never in the repository):
# URL folder -> folder under web/node_modules
VENDOR = {
    "leaflet": "leaflet/dist",
    "markercluster": "leaflet.markercluster/dist",
    "topojson": "topojson-client/dist",
    "world": "world-atlas",
}
# Largest request body accepted, in bytes (every write is a small JSON body or form)
MAX_BODY = int(os.environ.get("STRIKEWATCH_MAX_BODY") or 1 << 20)
# URL folders whose files are the same for every viewer
STATIC = ("/static/", "/vendor/")


@dataclass
class Settings:
    db: str | None = None
    public: str = "verified"  # what logged-out visitors see: "verified" events, or "all"
    secure_cookies: bool = True
    max_body: int = MAX_BODY
    base_url: str | None = None  # the feed's links (None: settings.base_url's default)
    assets: Path = field(default_factory=lambda: Path(
        os.environ.get("STRIKEWATCH_ASSETS", REPO_WEB / "node_modules")))


@dataclass
class Viewer:
    """Who is asking: a logged-in user (name and role) or nobody, and the CSRF token their
    forms and scripts must send back."""

    name: str | None
    role: str | None
    csrf: str
    session: bool

    def can(self, role: str) -> bool:
        return self.role is not None and accounts.RANK[self.role] >= accounts.RANK[role]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"status": status, "code": code, "message": message}}


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
          429: "too_many_requests"}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, code: str, message: str,
           headers: dict | None = None):
    if _wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status,
                            headers=headers)
    from strikewatch.serve.pages import render_error
    return render_error(request, status, message, headers)


class BodyLimit:
    """ASGI middleware: a request whose body is over `limit` bytes gets 413 before the app
    reads any of it, by its Content-Length up front, or, for a chunked body, by counting as it
    arrives (the body is read here, at most `limit` bytes of it, and handed on whole)."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            return await self._too_large(scope, receive, send)
        if length or b"transfer-encoding" in headers:
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.limit:
                    return await self._too_large(scope, receive, send)
                more = message.get("more_body", False)
            body, upstream = [{"type": "http.request", "body": b"".join(chunks)}], receive

            async def replay():
                return body.pop() if body else await upstream()
            receive = replay
        await self.app(scope, receive, send)

    async def _too_large(self, scope, receive, send) -> None:
        response = JSONResponse(error_body(413, "too_large", "the request body is over "
                                           f"{self.limit} bytes"), status_code=413)
        await response(scope, receive, send)


def viewer(request: Request) -> Viewer:
    """Who is asking, from the session cookie (cached on the request)."""
    cached = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    store: Store = request.app.state.store
    found = accounts.session_user(store, request.cookies.get(security.SESSION_COOKIE))
    if found:
        user, csrf = found
        v = Viewer(user.name, user.role, csrf, True)
    else:
        v = Viewer(None, None, request.cookies.get(security.ANON_CSRF_COOKIE)
                   or security.new_token(), False)
    request.state.viewer = v
    return v


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="strikewatch", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Strike and protest events with every figure's claims and "
                              "source sentences.")
    app.state.settings = settings
    app.state.store = store or Store.open(settings.db)
    app.state.limiter = security.LoginLimiter()
    # added first, so it runs inside the headers middleware below (which reads no body) and
    # its 413 gets the same headers
    app.add_middleware(BodyLimit, limit=settings.max_body)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        # a NUL character is in no id, name or word, and PostgreSQL text cannot hold one
        if "\x00" in request.url.path or "%00" in request.url.query:
            response = _error(request, 400, "bad_request", "the address holds a NUL character")
        else:
            response = await call_next(request)
        for k, v in security.HEADERS.items():
            response.headers.setdefault(k, v)
        v = getattr(request.state, "viewer", None)
        path = request.url.path
        # nothing built for a viewer (unverified events to reviewers, a CSRF token in every
        # page) or sent to a session may be kept by a browser or proxy cache
        if v is not None or path.startswith(("/api/", "/login", "/review")) or (
                security.SESSION_COOKIE in request.cookies and not path.startswith(STATIC)):
            response.headers["Cache-Control"] = "no-store"
        if v is not None and not v.session and not request.url.path.startswith("/api/") and \
                request.cookies.get(security.ANON_CSRF_COOKIE) != v.csrf:
            response.set_cookie(security.ANON_CSRF_COOKIE, v.csrf, httponly=True,
                                samesite="strict", secure=settings.secure_cookies)
        return response

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return _error(request, exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, _CODES.get(exc.status_code, "error"),
                      str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body"))
            parts.append(f"{where}: {e.get('msg')}")
        return _error(request, 400, "invalid", "; ".join(parts) or "invalid request")

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError):
        return _error(request, 400, "bad_request", str(exc))

    @app.exception_handler(StrikewatchError)
    async def domain_error(request: Request, exc: StrikewatchError):
        if isinstance(exc, StoreError):
            return _error(request, 503, "store_unavailable", "the store cannot be read now")
        text = f"{exc.message} ({exc.fix})" if exc.fix else exc.message
        return _error(request, 400, "rejected", text)

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError):
        # a value the database cannot hold or compare (a NUL in a JSON string, on PostgreSQL)
        return _error(request, 400, "bad_request", "a value in the request cannot be stored "
                      "or looked up (a NUL character, or a number out of range)")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.error("%s %s failed: %s", request.method, ascii(request.url.path)[:200],
                  exc.__class__.__name__, exc_info=exc)
        return _error(request, 500, "internal", "the server failed on this request; it is "
                      "logged")

    from strikewatch.serve import api, pages
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("strikewatch.serve") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for url, sub in VENDOR.items():
        folder = settings.assets / sub
        if folder.is_dir():
            app.mount(f"/vendor/{url}", StaticFiles(directory=str(folder)), name=f"v-{url}")
    return app


def assets_missing(settings: Settings) -> list[str]:
    return [sub for sub in VENDOR.values() if not (settings.assets / sub).is_dir()]

