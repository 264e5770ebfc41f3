"""Logging in (``POST /api/auth/token``, ``POST /api/auth/login``, the page ``/login``) without stalling the service.

A password check is argon2: about 0.15 s of CPU and 64 MiB. It never runs inside a transaction, so that on SQLite
no login holds the database's write lock while it hashes (every booking waits for that lock), and on PostgreSQL
none holds a connection of the pool. A login goes:

1. **read** (a read session, closed after): is the login name or the client's address throttled
   (`booking.services.login_throttle`; a refused login costs this read only), and the account, if any;
2. **count** the attempt: a short write transaction, committed (two upserts), which may still refuse it;
3. **check** the password with no transaction open and no connection held, in a thread of its own limiter:
   at most ``FLOORWISE_LOGIN_HASH_THREADS`` checks at once per process, and logins waiting for one hold no worker
   thread of the application's pool (bookings keep theirs) and no database connection;
4. on success, a short **write**: the account's count forgotten, the address's attempt given back, the token.

A refused login (429) is answered after ``FLOORWISE_LOGIN_REFUSAL_DELAY_MS`` (1,000), asleep on the event loop: a
client that waits for each answer then asks at most once a second, where it could otherwise ask hundreds of times
a second and crowd out every other request, cheap as each refusal is (the keys a process has seen refused are
remembered until their window ends, so a refusal needs no database). Clients that open connection after
connection without waiting are for the reverse proxy's per-address connection and rate limits.

An unknown login goes through the same steps, its check against a stand-in hash, so that neither the answers
nor their timing tell who has an account. Each step's database work runs in the thread pool and commits in the
thread that began it (`booking.web.transactions` says why). The client's address is ``request.client.host``:
behind a reverse proxy, uvicorn sets it from the proxy's headers only for the proxies ``--forwarded-allow-ips``
trusts (else every client is the proxy's address, and shares its limit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, TypeVar
from urllib.parse import quote

import anyio
import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Form, Request
from pydantic import StringConstraints
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from booking.errors import NotAuthenticated, TooManyLogins
from booking.models import TokenKind, User
from booking.services import login_throttle
from booking.services.accounts import LoginCandidate, check_login, confirm_login, find_login, issue_token
from booking.settings import Settings
from booking.web.bounds import NoNul
from booking.web.deps import auth_session

#: The longest login name taken (an e-mail address is at most 254 characters, RFC 5321's path limit).
MAX_USERNAME = 254
#: The longest password taken: argon2 would hash more, but nobody types it, and bounding it bounds the work.
MAX_PASSWORD = 1024

#: The login form's fields, bounded (a NUL, which PostgreSQL text cannot hold, is refused by name too).
Username = Annotated[str, Form(min_length=1), StringConstraints(max_length=MAX_USERNAME), NoNul()]
Password = Annotated[str, Form(min_length=1), StringConstraints(max_length=MAX_PASSWORD), NoNul()]

WRONG_LOGIN = "wrong login or password"

T = TypeVar("T")


@dataclass(frozen=True)
class LoggedIn:
    user: User
    secret: str
    lifetime: timedelta


def field_fault(name: str, value: str) -> str | None:
    """Why a login form's field ``name`` (``username`` or ``password``) is refused, or None: the same bounds as
    `Username` and `Password`, for the pages, which word them on the login page."""
    most = MAX_USERNAME if name == "username" else MAX_PASSWORD
    if len(value) > most:
        return "too_long"
    if "\x00" in value:
        return "nul"
    return None


def login_url(request: Request) -> str:
    """The login page, coming back to the page asked for once logged in."""
    query = request.url.query
    here = request.url.path + (f"?{query}" if query else "")
    return "/login?next=" + quote(here, safe="/")


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


async def log_in(
    request: Request,
    session: Session,
    username: str,
    password: str,
    *,
    kind: TokenKind,
    settings: Settings,
    now: datetime,
) -> LoggedIn:
    """Check a login and issue a token of ``kind``; `TooManyLogins` (429) or `NotAuthenticated` (401) otherwise.

    ``session`` is the request's write session: it is used (and committed) only for the two short writes."""
    key = settings.secret_key.get_secret_value()
    account = login_throttle.Limit(login_throttle.key_of("account", username, key), settings.login_failures_per_account)
    address = login_throttle.Limit(
        login_throttle.key_of("address", client_address(request), key), settings.login_failures_per_address
    )
    limits = (account, address)
    at = login_throttle.seconds(now)
    refused = _refused_keys(request)

    async def throttled(ends: dict[str, int]) -> TooManyLogins:
        refused.remember(ends, at)
        await anyio.sleep(settings.login_refusal_delay_ms / 1000)  # holds no thread, no connection
        return TooManyLogins(max(ends.values()) - at)

    if known := refused.refused([account.key, address.key], at):  # from memory: no read, no thread
        raise await throttled(known)

    def look() -> tuple[dict[str, int], LoginCandidate | None]:
        with auth_session(request) as reading:
            ends = login_throttle.spent(reading, limits, at)
            return ends, (find_login(reading, username) if not ends else None)

    ends, candidate = await run_in_threadpool(look)
    if ends:
        raise await throttled(ends)

    window_s = settings.login_window_minutes * 60
    ends = await run_in_threadpool(
        _committed, session, lambda: login_throttle.count_attempt(session, limits, at, window_s)
    )
    if ends:
        raise await throttled(ends)

    checker: Callable[[LoginCandidate | None, str], bool] = getattr(request.app.state, "check_login", check_login)
    matches = await anyio.to_thread.run_sync(checker, candidate, password, limiter=_hash_limiter(request, settings))
    if not matches or candidate is None:
        raise NotAuthenticated(WRONG_LOGIN)

    lifetime = timedelta(
        hours=settings.token_lifetime_hours if kind == TokenKind.API else settings.session_lifetime_hours
    )

    def succeed() -> LoggedIn | None:
        user = confirm_login(session, candidate)
        if user is None:  # deactivated or given a new password while the old one was checked
            return None
        login_throttle.forget(session, account.key)
        login_throttle.give_back(session, address.key, at)
        secret = issue_token(session, user, kind=kind, key=key, now=now, lifetime=lifetime)
        return LoggedIn(user, secret, lifetime)

    done = await run_in_threadpool(_committed, session, succeed)
    if done is None:
        raise NotAuthenticated(WRONG_LOGIN)
    return done


def _committed(session: Session, work: Callable[[], T]) -> T:
    """``work()`` in one transaction of ``session``, committed (rolled back if it raises), in this thread."""
    try:
        result = work()
        session.commit()
        return result
    except BaseException:
        session.rollback()
        raise


def _refused_keys(request: Request) -> login_throttle.RefusedKeys:
    refused: login_throttle.RefusedKeys | None = getattr(request.app.state, "login_refused_keys", None)
    if refused is None:
        refused = request.app.state.login_refused_keys = login_throttle.RefusedKeys()
    return refused


def _hash_limiter(request: Request, settings: Settings) -> CapacityLimiter:
    """The application's limit on password checks at once (made on first use, inside the event loop)."""
    limiter: CapacityLimiter | None = getattr(request.app.state, "login_hash_limiter", None)
    if limiter is None:
        limiter = request.app.state.login_hash_limiter = CapacityLimiter(settings.login_hash_threads)
    return limiter
