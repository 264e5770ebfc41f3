"""Dependencies as named aliases: the request's session (which owns the transaction), the clock, the user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from booking.clock import Clock
from booking.database import Database
from booking.errors import NotAuthenticated
from booking.models import TokenKind, User
from booking.services.accounts import user_from_token
from booking.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request. Its route commits it when the endpoint returns and rolls it back when it raises,
    in the endpoint's worker thread (`booking.web.transactions`); by the time this closes it, the connection has
    no transaction left, so closing does no I/O on the event loop. Requests that may write take SQLite's write
    lock with their first statement (`booking.database`).

    The trivial dependencies are coroutines so that they cost no trip through the thread pool."""
    database: Database = request.app.state.database
    session = database.session(write=request.method not in SAFE_METHODS)
    try:
        yield session
    finally:
        session.close()


async def get_now(request: Request) -> datetime:
    clock: Clock = request.app.state.clock
    return clock.now()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
NowDep = Annotated[datetime, Depends(get_now)]


def get_current_user(
    request: Request,
    settings: SettingsDep,
    now: NowDep,
    bearer: Annotated[str | None, Depends(bearer_scheme)],
) -> User:
    """The user of a bearer token (API clients) or of the session cookie (pages); 401 without either.

    The look-up runs in a read session of its own, so that it never takes SQLite's write lock outside the
    endpoint's thread; the user comes back detached, with its columns loaded.
    """
    with auth_session(request) as session:
        return _user_of(request, session, settings, now, bearer)


def auth_session(request: Request) -> AbstractContextManager[Session]:
    """A short read session for credential look-ups; ``app.state.auth_session`` may supply another (tests)."""
    factory: Callable[[], AbstractContextManager[Session]] | None = getattr(request.app.state, "auth_session", None)
    if factory is not None:
        return factory()
    database: Database = request.app.state.database
    return database.session(write=False)


def _user_of(request: Request, session: Session, settings: Settings, now: datetime, bearer: str | None) -> User:
    key = settings.secret_key.get_secret_value()
    if bearer:
        user = user_from_token(session, bearer, kind=TokenKind.API, key=key, now=now)
        if user is None:
            raise NotAuthenticated("the bearer token is unknown, expired or revoked")
        return user
    cookie = request.cookies.get(settings.session_cookie_name)
    if cookie:
        user = user_from_token(session, cookie, kind=TokenKind.SESSION, key=key, now=now)
        if user is None:
            raise NotAuthenticated("the session has expired or was ended; log in again")
        return user
    raise NotAuthenticated("log in: send a bearer token (POST /api/auth/token) or the session cookie")


CurrentUser = Annotated[User, Depends(get_current_user)]
