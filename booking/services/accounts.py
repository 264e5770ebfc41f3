"""Passwords (argon2 via pwdlib) and opaque tokens: random secrets handed out once, stored as keyed digests with an
expiry, revoked by marking the row. The same kind of token serves API bearers, page sessions and calendar URLs."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from pwdlib import PasswordHash
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from booking.models import Token, TokenKind, User


@lru_cache(maxsize=1)
def password_hasher() -> PasswordHash:
    return PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        password_hasher().hash(password)  # as slow as a real check, so that timing does not tell who exists
        return False
    return password_hasher().verify(password, hashed)


def token_digest(secret: str, key: str) -> str:
    return hmac.new(key.encode(), secret.encode(), hashlib.sha256).hexdigest()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user whose login (id) or e-mail is ``username`` and whose password matches."""
    user = session.scalar(select(User).where((User.id == username) | (User.email == username)))
    if user is None or not user.is_active:
        verify_password(password, None)
        return None
    return user if verify_password(password, user.password_hash) else None


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


# Built once: every request with a token or a session cookie runs it.
_LIVE_TOKEN = (
    select(Token, User)
    .join(User, Token.user_id == User.id)
    .where(Token.digest == bindparam("digest"), Token.kind == bindparam("kind"), Token.revoked_at.is_(None))
)


def user_from_token(session: Session, secret: str, *, kind: TokenKind, key: str, now: datetime) -> User | None:
    """The active user a live (unexpired, unrevoked) token of ``kind`` belongs to."""
    row = session.execute(_LIVE_TOKEN, {"digest": token_digest(secret, key), "kind": kind.value}).one_or_none()
    if row is None:
        return None
    token, user = row
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return user if user.is_active else None


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
