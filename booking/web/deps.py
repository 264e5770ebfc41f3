"""Dependencies as named aliases: the request's session (which owns the transaction), the clock, the user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from booking.clock import Clock
from booking.database import Database
from booking.errors import NotAuthenticated
from booking.messages import N_
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
    return user_of_credential(session, credential_of(request, settings, bearer), settings, now)


@dataclass(frozen=True, slots=True)
class Credential:
    """A bearer token or a session cookie as the request sent it, not yet looked up."""

    secret: str
    kind: TokenKind


#: Why a credential that was sent is refused, by its kind.
_REFUSED = {
    TokenKind.API: N_("the bearer token is unknown, expired or revoked"),
    TokenKind.SESSION: N_("the session has expired or was ended; log in again"),
}


def credential_of(request: Request, settings: Settings, bearer: str | None) -> Credential:
    """The request's bearer token, else its session cookie; 401 without either."""
    if bearer:
        return Credential(bearer, TokenKind.API)
    cookie = request.cookies.get(settings.session_cookie_name)
    if cookie:
        return Credential(cookie, TokenKind.SESSION)
    raise NotAuthenticated("log in: send a bearer token (POST /api/auth/token) or the session cookie")


def user_of_credential(session: Session, credential: Credential, settings: Settings, now: datetime) -> User:
    """The user of a credential, looked up in ``session``; 401 if it is unknown, expired or revoked."""
    key = settings.secret_key.get_secret_value()
    user = user_from_token(session, credential.secret, kind=credential.kind, key=key, now=now)
    if user is None:
        raise NotAuthenticated(_REFUSED[credential.kind])
    return user


async def get_credential(
    request: Request, settings: SettingsDep, bearer: Annotated[str | None, Depends(bearer_scheme)]
) -> Credential:
    """The credential alone, for an endpoint that looks its user up in its own transaction
    (`user_of_credential`): no session of its own, no trip through the thread pool. A request without one is
    refused here, before its body is read, as with `CurrentUser`."""
    return credential_of(request, settings, bearer)


CurrentUser = Annotated[User, Depends(get_current_user)]
CredentialDep = Annotated[Credential, Depends(get_credential)]
