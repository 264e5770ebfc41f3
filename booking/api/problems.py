"""Errors as RFC 9457 problem documents (``application/problem+json``), from one set of handlers."""

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

from booking.api.schemas import Problem
from booking.errors import PROBLEM_BASE, BookingError

PROBLEM_JSON = "application/problem+json"
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


_EXAMPLES: dict[int, dict[str, Any]] = {
    401: {
        "type": PROBLEM_BASE + "not-authenticated",
        "title": "Not authenticated",
        "status": 401,
        "detail": "log in: send a bearer token or the session cookie",
        "instance": "/api/bookings",
    },
    429: {
        "type": PROBLEM_BASE + "too-many-logins",
        "title": "Too many failed logins",
        "status": 429,
        "detail": "too many failed logins for this login or from this address; try again in 540 seconds",
        "instance": "/api/auth/token",
        "retry_after": 540,
    },
    403: {
        "type": PROBLEM_BASE + "forbidden",
        "title": "Forbidden",
        "status": 403,
        "detail": "only facilities admins may change a building's booking rules and closures",
        "instance": "/api/buildings/bcc/rules",
        "right": "manage_rules",
    },
    404: {
        "type": PROBLEM_BASE + "not-found",
        "title": "Not found",
        "status": 404,
        "detail": "no desk 99999",
        "instance": "/api/bookings",
    },
    409: {
        "type": PROBLEM_BASE + "conflict",
        "title": "Booking conflict",
        "status": 409,
        "detail": "desk 6F-N1-07 is already booked from 2026-04-01 08:30 to 2026-04-01 17:15",
        "instance": "/api/bookings",
        "rule": "desk_taken",
        "conflict": {
            "id": 811,
            "desk_id": 1041,
            "desk": "6F-N1-07",
            "start": "2026-04-01T08:30:00+09:00",
            "end": "2026-04-01T17:15:00+09:00",
            "state": "booked",
            "user_id": "tanaka",
            "user_name": "田中 一郎",
        },
    },
    400: {
        "type": "about:blank",
        "title": "There was an error parsing the body",
        "status": 400,
        "detail": "There was an error parsing the body",
        "instance": "/api/bookings",
    },
    413: {
        "type": PROBLEM_BASE + "too-large",
        "title": "Request body too large",
        "status": 413,
        "detail": "the request body is larger than the 1,048,576 bytes this server accepts here",
        "instance": "/api/bookings",
        "limit": 1048576,
    },
    503: {
        "type": PROBLEM_BASE + "busy",
        "title": "Service busy",
        "status": 503,
        "detail": "the database is busy; try again in a few seconds",
        "instance": "/api/bookings",
    },
    422: {
        "type": PROBLEM_BASE + "rule",
        "title": "Refused by a booking rule",
        "status": 422,
        "detail": "2026-04-29 is a public holiday (昭和の日)",
        "instance": "/api/bookings",
        "rule": "closed_day",
    },
}


#: The header a 503 (and a 429) answers with.
RETRY_AFTER_HEADER: dict[str, Any] = {
    "Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}
}

#: The 422 of a request that failed validation (bounds, types, missing fields), as the handler below writes it.
VALIDATION_EXAMPLE: dict[str, Any] = {
    "type": PROBLEM_BASE + "validation",
    "title": "Invalid request",
    "status": 422,
    "detail": "body.date: must be from 2016-04-01 to 2036-04-01 (within 10 years of today)",
    "instance": "/api/bookings",
    "errors": [
        {
            "loc": ["body", "date"],
            "msg": "must be from 2016-04-01 to 2036-04-01 (within 10 years of today)",
            "type": "date_out_of_range",
        }
    ],
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry of the problems an endpoint can answer with."""
    return {
        status: {
            "model": Problem,
            "content": {
                PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}, "example": _EXAMPLES[status]}
            },
            "description": _EXAMPLES[status]["title"],
        }
        for status in statuses
    }


def declare_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI ``document`` say what the handlers answer: every error response is
    ``application/problem+json`` only (FastAPI adds ``application/json`` beside a response's model), and the 422
    FastAPI declares for an operation with parameters or a body (``HTTPValidationError``, which this application
    never sends) is the validation problem. Changes ``document`` in place and returns it."""
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                content = response.get("content", {})
                if status[:1] in "45" and PROBLEM_JSON in content:
                    content.pop("application/json", None)
            if "requestBody" in operation and "400" not in responses:
                # A body that is not text in its declared encoding (FastAPI answers 400 before validating).
                responses["400"] = problem_responses(400)[400] | {"description": "The body could not be read"}
                responses["400"].pop("model")
            if "requestBody" in operation and "413" not in responses:
                # Past FLOORWISE_MAX_BODY_BYTES, before it is read (`booking.api.body_limits`).
                responses["413"] = problem_responses(413)[413]
                responses["413"].pop("model")
            if path != "/api/health" and "503" not in responses:
                # The database could not take the request now (no free connection, a lock held too long).
                responses["503"] = problem_responses(503)[503] | {"headers": RETRY_AFTER_HEADER}
                responses["503"].pop("model")
            schema = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref", "").endswith("/HTTPValidationError"):
                responses["422"] = {
                    "description": "Invalid request",
                    "content": {
                        PROBLEM_JSON: {
                            "schema": {"$ref": "#/components/schemas/Problem"},
                            "example": VALIDATION_EXAMPLE,
                        }
                    },
                }
    for unused in ("HTTPValidationError", "ValidationError"):
        document.get("components", {}).get("schemas", {}).pop(unused, None)
    return document


def problem_response(doc: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(doc, status_code=int(doc["status"]), media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(BookingError)
    async def booking_error(request: Request, exc: BookingError) -> JSONResponse:
        return problem_response(exc.problem(request.url.path), exc.headers or None)

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
    # after answering, and the server then closes the connection. `booking.api.server_errors` answers instead.

    async def database_busy(request: Request, exc: Exception) -> JSONResponse:
        if not is_database_busy(exc):
            raise exc  # a bug, not load: answered as every unexpected error is (`booking.api.server_errors`)
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
