"""Errors as RFC 9457 problem documents (``application/problem+json``), from one set of handlers, and the rule for
telling a database too busy to answer (503) from a bug (500): shared by the API and the pages. What the OpenAPI
document says of them is the API's (`booking.api.problems`)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from booking.errors import PROBLEM_BASE, BookingError
from booking.messages import preferred_language

PROBLEM_JSON = "application/problem+json"
#: Paths answered with problem documents; the others are pages.
API_PREFIXES = ("/api", "/openapi.json", "/docs", "/redoc", "/static")
log = logging.getLogger("floorwise")

#: Seconds a client is asked to wait when the database is busy (503).
BUSY_RETRY_AFTER_S = 2
#: Errors that may say the database cannot take the request now (`is_database_busy` tells).
DATABASE_BUSY: tuple[type[Exception], ...] = (PoolTimeout, OperationalError)


def is_database_busy(exc: Exception) -> bool:
    """Whether ``exc`` says the database cannot take the request now, not that the request or the code is wrong:
    no free connection in this process's pool within FLOORWISE_DB_POOL_TIMEOUT_S, SQLite's write lock still held
    after the busy timeout, PostgreSQL refusing or dropping a connection or cancelling a statement. The client may
    try again (503); anything else stays a 500, a bug. SQLite's other operational errors ("no such table") are
    bugs or an un-upgraded database, not load."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if exc.orig is not None and type(exc.orig).__module__.startswith("sqlite3"):
        message = str(exc.orig).lower()
        return "locked" in message or "busy" in message
    return True


def problem_response(doc: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(doc, status_code=int(doc["status"]), media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(BookingError)
    async def booking_error(request: Request, exc: BookingError) -> JSONResponse:
        # The detail in the caller's language (Accept-Language: ja or en); API clients without one read English.
        lang = preferred_language(request.headers.get("accept-language"), "en")
        return problem_response(exc.problem(request.url.path, lang=lang), exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem_response(
            {
                "type": PROBLEM_BASE + "validation",
                "title": "Invalid request",
                "status": 422,
                "detail": detail,
                "instance": request.url.path,
                "errors": errors,
            }
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405 and (methods := allowed_methods(request)):
            headers["Allow"] = ", ".join(methods)
        return problem_response(
            {
                "type": "about:blank",
                "title": str(exc.detail) if exc.status_code != 404 else "Not found",
                "status": exc.status_code,
                "detail": str(exc.detail),
                "instance": request.url.path,
            },
            headers or None,
        )

    # No handler for Exception: Starlette runs that one in its outermost middleware, which raises the exception again
    # after answering, and the server then closes the connection. `booking.web.server_errors` answers instead.

    async def database_busy(request: Request, exc: Exception) -> JSONResponse:
        if not is_database_busy(exc):
            raise exc  # a bug, not load: answered as every unexpected error is (`booking.web.server_errors`)
        return problem_response(database_busy_problem(request, exc), {"Retry-After": str(BUSY_RETRY_AFTER_S)})

    for busy in DATABASE_BUSY:
        app.add_exception_handler(busy, database_busy)


def unexpected_problem(path: str) -> JSONResponse:
    """The 500 problem of an unexpected error (a bug) on an API path; the error is logged where it is caught."""
    return problem_response(
        {
            "type": "about:blank",
            "title": "Internal server error",
            "status": 500,
            "detail": "something went wrong on our side; it has been logged",
            "instance": path,
        }
    )


#: The methods `allowed_methods` tries.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """The methods some route takes at the request's path. Starlette's 405 names only those of the first route
    whose path matched, but a path such as /api/calendar/token has one route per method (and RFC 9110 has
    ``Allow`` list the target's methods): each method is tried on the application's routes."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


def database_busy_problem(request: Request, exc: Exception) -> dict[str, Any]:
    """The 503 problem of a request the database could not take now (see `DATABASE_BUSY`), logged for operators."""
    log.warning("database busy on %s %s: %s", request.method, request.url.path, str(exc).splitlines()[0])
    return {
        "type": PROBLEM_BASE + "busy",
        "title": "Service busy",
        "status": 503,
        "detail": "the database is busy; try again in a few seconds",
        "instance": request.url.path,
    }
