"""What the OpenAPI document says of the problem documents the handlers answer with (`booking.web.problems`)."""

from __future__ import annotations

from typing import Any

from booking.api.schemas import Problem
from booking.errors import PROBLEM_BASE
from booking.web.problems import PROBLEM_JSON

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
                # Past FLOORWISE_MAX_BODY_BYTES, before it is read (`booking.web.body_limits`).
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
