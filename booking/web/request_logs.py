"""One structured log line per request, with a request id that the response echoes and error logs carry.

`RequestLogs` is a pure ASGI middleware, outermost of the application's own: it takes the client's
``X-Request-ID`` when it is sane (1 to `MAX_REQUEST_ID` characters of letters, digits and ``-_.:``), else makes
one (a uuid4 in hex), sets it in `REQUEST_ID` (a context variable, so that whatever logs while the request runs,
in the event loop or a worker thread, can name it), adds the header to every response (a 413 or 503 answered by
the middleware, a 500 of `booking.web.server_errors` included) and, once the response is sent, logs one record on
the ``floorwise.requests`` logger with ``method``, ``path``, ``status``, ``duration_ms`` and ``request_id``.

`JsonFormatter` writes any record as one JSON object per line; `log_config` is the `logging.config.dictConfig`
that `floorwise serve` hands uvicorn (FLOORWISE_LOG_FORMAT: ``json`` or ``text``).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
#: The longest request id taken from a client; a longer one is replaced.
MAX_REQUEST_ID = 128
_SANE_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_REQUEST_ID}}}")

#: The id of the request being served in this context (None outside a request).
REQUEST_ID: ContextVar[str | None] = ContextVar("floorwise_request_id", default=None)

log = logging.getLogger("floorwise.requests")

#: The attributes a request's record carries (as ``extra``), written as fields of its JSON line.
FIELDS = ("method", "path", "status", "duration_ms", "request_id")


def request_id_of(headers: Headers) -> str:
    """The client's request id when it is sane, else a new one."""
    sent = headers.get(HEADER.lower(), "")
    return sent if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being served, for error logs."""
    return REQUEST_ID.get()


class RequestLogs:
    """Give each HTTP request an id, echo it in ``X-Request-ID`` and log the request once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope))
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500  # unless an answer starts: an exception that escapes is the server's 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 3)
            log.info(
                "%s %s %d %.1f ms",
                scope.get("method", ""),
                scope.get("path", ""),
                status,
                duration_ms,
                extra={
                    "method": scope.get("method", ""),
                    "path": scope.get("path", ""),
                    "status": status,
                    "duration_ms": duration_ms,
                    "request_id": request_id,
                },
            )
            REQUEST_ID.reset(token)


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the request's fields, and the
    traceback of an exception. A record logged while a request is served carries that request's id."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if "request_id" not in line and (request_id := current_request_id()) is not None:
            line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdText(logging.Formatter):
    """The text format: uvicorn's level prefix, the message, and ``[request id]`` when a request is being served."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None) or current_request_id()
        return f"{text} [{request_id}]" if request_id else text


LogFormat = Literal["json", "text"]


def access_log(fmt: LogFormat) -> bool:
    """Whether uvicorn's access log stays on: in text only (the JSON request lines say all it says, and more)."""
    return fmt == "text"


def log_config(fmt: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the server: uvicorn's loggers and the application's (``floorwise``) to
    standard error, each record one JSON line or one line of text. In JSON the request lines replace uvicorn's
    access log (they say more: the duration and the request id): `access_log` says whether to keep it."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"()": f"{__name__}.RequestIdText", "fmt": "%(levelname)s:     %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["default"], "level": level, "propagate": False},
            "floorwise": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }
