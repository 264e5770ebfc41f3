"""The page session's cookie, set on logging in and cleared on logging out, for the API's cookie login
(``POST /api/auth/login``, ``/api/auth/logout``) and the pages' (``/login``, ``/logout``) alike.

The cookie holds an opaque session token (`booking.services.accounts`): HttpOnly, SameSite=Lax, Secure when
FLOORWISE_SESSION_COOKIE_SECURE says so, for the whole site, and as long-lived as its token.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from booking.services.accounts import revoke_token
from booking.settings import Settings
from booking.web.logins import LoggedIn


def set_session_cookie(response: Response, settings: Settings, done: LoggedIn) -> None:
    """Give the browser the session token of a login that succeeded."""
    response.set_cookie(
        settings.session_cookie_name,
        done.secret,
        max_age=int(done.lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/",
    )


def end_session(request: Request, response: Response, session: Session, settings: Settings, now: datetime) -> None:
    """Revoke the token of the request's session cookie, if it has one, and clear the cookie on ``response``."""
    cookie = request.cookies.get(settings.session_cookie_name)
    if cookie:
        revoke_token(session, cookie, key=settings.secret_key.get_secret_value(), now=now)
    response.delete_cookie(settings.session_cookie_name, path="/", httponly=True, samesite="lax")
