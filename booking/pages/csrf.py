"""Cross-site request forgery: every form a page posts carries a token that only a page of this site could know.

The token is an HMAC, under the application's secret key, of the session cookie (or, before logging in, of a
random cookie of its own): per session, nothing stored, and worthless to a page on another site, which can make a
browser send the cookie but cannot read it or the token. Both cookies are SameSite=Lax as well.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

from booking.settings import Settings

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
#: The cookie that a visitor who has not logged in yet gets, so that the login form has a token too.
ANONYMOUS_COOKIE = "floorwise_csrf"


def new_anonymous_seed() -> str:
    return secrets.token_urlsafe(24)


def seed_of(request: Request, settings: Settings) -> str | None:
    """What the token of this request's session is made from: the session cookie, else the anonymous one."""
    return request.cookies.get(settings.session_cookie_name) or request.cookies.get(ANONYMOUS_COOKIE)


def token_for(seed: str, settings: Settings) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"csrf:" + seed.encode(), hashlib.sha256).hexdigest()


def is_valid(request: Request, settings: Settings, sent: str | None) -> bool:
    """Whether ``sent`` (the form field, or the header of a script's request) is this session's token."""
    seed = seed_of(request, settings)
    if not seed or not sent:
        return False
    return hmac.compare_digest(token_for(seed, settings), sent)
