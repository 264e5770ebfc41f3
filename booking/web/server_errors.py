"""Unexpected errors (bugs) answered with a 500 and logged once, never a dropped connection.

Starlette serves a handler registered for ``Exception`` from its outermost middleware, which answers and then raises
the exception again "for the server to log"; uvicorn then logs it a second time and, as the answer has started,
closes the connection, so the next request a browser or client sends on that keep-alive connection fails with no
answer at all. This pure ASGI middleware sits inside that one, in front of everything else (the body limits, the
request clock, the routes): an exception raised before the answer has started is logged with its traceback and
answered with a problem document on API paths, else with a page in the visitor's language (the composition root
hands in `booking.pages.core.error_page`). Only an exception raised once an answer has started goes on: the client
has part of a response, and closing the connection is the one way left to tell it the response is cut short.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking.web.error_pages import ErrorPage
from booking.web.problems import API_PREFIXES, unexpected_problem
from booking.web.request_logs import current_request_id

log = logging.getLogger("floorwise")


class UnexpectedErrors:
    """Answer an exception that no handler took with a logged 500 (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, error_page: ErrorPage) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as exc:
            if started:
                raise
            # The request id goes with the record (the log's formatter writes it), not into the message.
            log.error(
                "unexpected error on %s %s",
                scope.get("method"),
                scope.get("path"),
                exc_info=exc,
                extra={"request_id": current_request_id()},
            )
            answer = await _answer(scope, receive, self.error_page)
            await answer(scope, receive, send)


async def _answer(scope: Scope, receive: Receive, error_page: ErrorPage) -> Response:
    path: str = scope.get("path", "")
    if path.startswith(API_PREFIXES):
        return unexpected_problem(path)
    try:
        return await error_page(Request(scope, receive), 500, "error.server")
    except Exception:  # the page itself failed: a plain answer still beats none
        log.exception("the error page of an unexpected error failed too")
        return PlainTextResponse("Internal Server Error", status_code=500)
