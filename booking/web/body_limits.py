"""Request bodies bounded before they are read: a pure ASGI middleware in front of the API and the pages.

A body may be at most ``max_body_bytes`` (JSON, forms), or ``max_upload_bytes`` for a multipart upload to a page
(the API takes no uploads). A larger one is answered 413 without being read: at once when its Content-Length says
so, else (chunked) as soon as the bytes counted while it streams in pass the limit. A body larger than
``max_body_bytes`` (an upload) is read only from a request with valid credentials (a session cookie or a bearer
token); an anonymous one is sent to the login page before any of it is read, so that parsing megabytes costs an
attacker a login. The API takes no uploads: every API body is held to ``max_body_bytes``.

The API answers with problem documents (`booking.web.problems`), the pages with a page in the visitor's language
(the error page the composition root hands in: `booking.pages.core.error_page`).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking.errors import PROBLEM_BASE
from booking.models import TokenKind
from booking.services.accounts import user_from_token
from booking.settings import Settings
from booking.web.deps import auth_session
from booking.web.error_pages import ErrorPage
from booking.web.logins import login_url
from booking.web.problems import (
    API_PREFIXES,
    DATABASE_BUSY,
    database_busy_problem,
    is_database_busy,
    problem_response,
)


class BodyRefused(Exception):
    """Raised into the application's read of a body the middleware has refused; the middleware answers instead."""


class BodyLimits:
    """Refuse request bodies past their limit (413), and anonymous uploads past ``max_body_bytes`` (the login page)."""

    def __init__(self, app: ASGIApp, *, settings: Settings, error_page: ErrorPage) -> None:
        self.app = app
        self.settings = settings
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        is_upload = not path.startswith(API_PREFIXES) and headers.get("content-type", "").lower().startswith(
            "multipart/form-data"
        )
        body_limit = self.settings.max_body_bytes
        limit = max(self.settings.max_upload_bytes, body_limit) if is_upload else body_limit
        length = _content_length(headers)
        if length is not None:
            if length > limit:
                await self._answer(scope, send, self._too_large(scope, limit))
                return
            if length > body_limit:
                refusal = await self._unless_authenticated(scope)
                if refusal is not None:
                    await self._answer(scope, send, refusal)
                    return
            await self.app(scope, receive, send)  # the server holds the client to its Content-Length
            return
        await self._streamed(scope, receive, send, limit, body_limit)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int, body_limit: int) -> None:
        """A body without Content-Length: counted as the application reads it, refused once past a limit."""
        counted = 0
        checked = False
        refusal: Response | _PageAnswer | None = None
        started = False

        async def counting_receive() -> Message:
            nonlocal counted, checked, refusal
            if refusal is not None:
                raise BodyRefused()
            message = await receive()
            if message["type"] == "http.request":
                counted += len(message.get("body", b""))
                if counted > limit:
                    refusal = self._too_large(scope, limit)
                elif counted > body_limit and not checked:
                    checked = True
                    refusal = await self._unless_authenticated(scope)
                if refusal is not None:
                    raise BodyRefused()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refusal is not None:
                return  # the application's answer to a body it could not read: ours goes instead
            started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if refusal is None or started:
                raise
        if refusal is not None and not started:
            await self._answer(scope, send, refusal)

    def _too_large(self, scope: Scope, limit: int) -> Response | _PageAnswer:
        path: str = scope["path"]
        detail = f"the request body is larger than the {limit:,} bytes this server accepts here"
        if path.startswith(API_PREFIXES):
            return problem_response(
                {
                    "type": PROBLEM_BASE + "too-large",
                    "title": "Request body too large",
                    "status": 413,
                    "detail": detail,
                    "instance": path,
                    "limit": limit,
                },
                {"Connection": "close"},
            )
        return _PageAnswer(self.error_page, 413, "error.too_large", detail)

    async def _unless_authenticated(self, scope: Scope) -> Response | _PageAnswer | None:
        """None when the request carries a valid session cookie or bearer token; else the refusal to send: the
        login page (only a page's upload may pass ``max_body_bytes``; an API body past it is 413 already)."""
        request = Request(scope)
        try:
            if await run_in_threadpool(_has_credentials, request):
                return None
        except DATABASE_BUSY as exc:
            if not is_database_busy(exc):
                raise
            database_busy_problem(request, exc)  # logs it
            return _PageAnswer(self.error_page, 503, "error.busy", "")
        return RedirectResponse(login_url(request), status_code=303, headers={"Connection": "close"})

    async def _answer(self, scope: Scope, send: Send, answer: Response | _PageAnswer) -> None:
        if isinstance(answer, _PageAnswer):
            answer = await answer.render(scope)

        async def nothing() -> Message:  # the body stays unread
            return {"type": "http.disconnect"}

        await answer(scope, nothing, send)


class _PageAnswer:
    """A refusal to render as a page, in the visitor's language."""

    def __init__(self, error_page: ErrorPage, status: int, message_key: str, detail: str) -> None:
        self.error_page = error_page
        self.status = status
        self.message_key = message_key
        self.detail = detail

    async def render(self, scope: Scope) -> Response:
        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        response = await self.error_page(Request(scope, nothing), self.status, self.message_key, detail=self.detail)
        response.headers["Connection"] = "close"
        return response


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None or "chunked" in headers.get("transfer-encoding", "").lower():
        return None
    try:
        return int(value)
    except ValueError:
        return None  # the server refuses a malformed length before the application sees it


def _has_credentials(request: Request) -> bool:
    """Whether the request's bearer token or session cookie belongs to an active user (a short read session)."""
    app: Any = request.app
    settings: Settings = app.state.settings
    now = app.state.clock.now()
    key = settings.secret_key.get_secret_value()
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    cookie = request.cookies.get(settings.session_cookie_name)
    if not (bearer and scheme.lower() == "bearer") and not cookie:
        return False
    with auth_session(request) as session:
        if bearer and scheme.lower() == "bearer":
            return user_from_token(session, bearer.strip(), kind=TokenKind.API, key=key, now=now) is not None
        assert cookie is not None
        return user_from_token(session, cookie, kind=TokenKind.SESSION, key=key, now=now) is not None
