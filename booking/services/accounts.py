"""Passwords (argon2 via pwdlib) and opaque tokens: random secrets handed out once, stored as keyed digests with an
expiry, revoked by marking the row. The same kind of token serves API bearers, page sessions and calendar URLs."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import cast

from pwdlib import PasswordHash
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from booking.models import Token, TokenKind, User


@lru_cache(maxsize=1)
def password_hasher() -> PasswordHash:
    return PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash of no one's password, with the hasher's own parameters, to check against for unknown logins."""
    return password_hasher().hash(secrets.token_urlsafe(16))


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed``; without a hash, a check of the same cost that fails, so that
    timing does not tell who exists. CPU-bound (argon2, about 0.1-0.2 s): run it with no transaction open."""
    if not hashed:
        password_hasher().verify(password, _stand_in_hash())
        return False
    return password_hasher().verify(password, hashed)


def token_digest(secret: str, key: str) -> str:
    return hmac.new(key.encode(), secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class LoginCandidate:
    """What checking a login needs from the database, read before the password is checked (with no transaction
    open): the account's id and its password hash as they were then."""

    user_id: str
    password_hash: str | None


def find_login(session: Session, username: str) -> LoginCandidate | None:
    """The active account whose login (id) or e-mail is ``username``, if any."""
    row = session.execute(
        select(User.id, User.password_hash).where(
            (User.id == username) | (User.email == username), User.is_active.is_(True)
        )
    ).first()
    return LoginCandidate(row.id, row.password_hash) if row is not None else None


def check_login(candidate: LoginCandidate | None, password: str) -> bool:
    """Whether ``password`` is the candidate's; an unknown login costs the same check. No database access."""
    return verify_password(password, candidate.password_hash if candidate is not None else None)


def confirm_login(session: Session, candidate: LoginCandidate) -> User | None:
    """The candidate's user, if still active with the hash that was checked (a write session, after the check)."""
    user = session.get(User, candidate.user_id)
    if user is None or not user.is_active or user.password_hash != candidate.password_hash:
        return None
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user whose login (id) or e-mail is ``username`` and whose password matches, in one session (the
    command line and tests; the web logins check the password outside any transaction, `booking.web.logins`)."""
    candidate = find_login(session, username)
    if not check_login(candidate, password) or candidate is None:
        return None
    return confirm_login(session, candidate)


def issue_token(
    session: Session, user: User, *, kind: TokenKind, key: str, now: datetime, lifetime: timedelta | None
) -> str:
    """A new secret for ``user``; only its digest is stored."""
    secret = secrets.token_urlsafe(32)
    session.add(
        Token(
            digest=token_digest(secret, key),
            user_id=user.id,
            kind=kind.value,
            created_at=now,
            expires_at=now + lifetime if lifetime is not None else None,
        )
    )
    session.flush()
    return secret


# Built once: every request with a token or a session cookie runs it. A Core statement on the session's
# connection: the user's columns and the token's expiry, without loading either row through the ORM.
_USERS = cast(Table, User.__table__)
_TOKENS = cast(Table, Token.__table__)
_LIVE_TOKEN = (
    select(_USERS, _TOKENS.c.expires_at.label("token_expires_at"))
    .join_from(_TOKENS, _USERS, _TOKENS.c.user_id == _USERS.c.id)
    .where(_TOKENS.c.digest == bindparam("digest"), _TOKENS.c.kind == bindparam("kind"), _TOKENS.c.revoked_at.is_(None))
)


def user_from_token(session: Session, secret: str, *, kind: TokenKind, key: str, now: datetime) -> User | None:
    """The active user a live (unexpired, unrevoked) token of ``kind`` belongs to, as a row of ``session`` (the
    instance the session already holds, else one made from the statement's columns, as a query would load it)."""
    found = session.connection().execute(_LIVE_TOKEN, {"digest": token_digest(secret, key), "kind": kind.value})
    row = found.one_or_none()
    if row is None:
        return None
    columns = row._mapping
    if columns["token_expires_at"] is not None and columns["token_expires_at"] <= now:
        return None
    if not columns[_USERS.c.is_active]:
        return None
    held = session.identity_map.get(identity_key(User, columns[_USERS.c.id]))
    if isinstance(held, User):
        return held
    user = User(**{column.key: columns[column] for column in _USERS.c})
    make_transient_to_detached(user)  # loaded, unchanged: adding it issues no statement
    session.add(user)
    return user


def revoke_token(session: Session, secret: str, *, key: str, now: datetime) -> bool:
    result = session.execute(
        update(Token)
        .where(Token.digest == token_digest(secret, key), Token.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def revoke_tokens_of(session: Session, user: User, *, kind: TokenKind, now: datetime) -> int:
    result = session.execute(
        update(Token)
        .where(Token.user_id == user.id, Token.kind == kind.value, Token.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))
