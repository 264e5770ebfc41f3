"""Idempotency-Key: the first successful response to a keyed request is kept for a while; the same key with the
same body gets it again, the same key with another body is refused (422). Failed requests are not kept, so a
client may retry them with the same key."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from booking.errors import IdempotencyMismatch
from booking.models import IdempotentResponse


def request_digest(method: str, path: str, body: Any) -> str:
    text = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def remembered(
    session: Session, *, user_id: str, key: str, digest: str, now: datetime, keep: timedelta
) -> IdempotentResponse | None:
    """The kept response for this key, if it is still fresh; raises if the key came with another request.

    Requests with one key run one at a time (`_serialise`), so that a second one sent while the first is still
    running waits for it and then gets its response, instead of doing the work again or clashing with it."""
    _serialise(session, user_id, key)
    row = session.scalar(
        select(IdempotentResponse).where(IdempotentResponse.user_id == user_id, IdempotentResponse.key == key)
    )
    if row is None:
        return None
    if row.created_at + keep <= now:
        session.delete(row)
        session.flush()
        return None
    if row.request_digest != digest:
        raise IdempotencyMismatch(
            "Idempotency-Key %(key)r was used with another request; use a new key for a new request",
            words={"key": key},
        )
    return row


def _serialise(session: Session, user_id: str, key: str) -> None:
    """On PostgreSQL, a transaction-level advisory lock on (user, key) until commit: a concurrent request with the
    same key waits here, then (READ COMMITTED: each statement sees what was committed before it) finds the first
    one's response. Without it both would miss the key, both would book, and the second insert of the key would
    fail on its unique constraint, or the second booking would conflict with the first, the caller's own.
    SQLite needs none: a writing request holds the database's write lock from its first statement."""
    if session.get_bind().dialect.name != "postgresql":
        return
    # Namespace 3 (bookings take 1 for desks and 2 for people), then 32 bits of a digest of user and key.
    lock = int.from_bytes(hashlib.sha256(f"{user_id}\x00{key}".encode()).digest()[:4], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(3, :lock)"), {"lock": lock})


def remember(
    session: Session, *, user_id: str, key: str, digest: str, status_code: int, body: dict[str, Any], now: datetime
) -> None:
    session.add(
        IdempotentResponse(
            user_id=user_id, key=key, request_digest=digest, status_code=status_code, body=body, created_at=now
        )
    )
    session.flush()


def forget_expired(session: Session, *, now: datetime, keep: timedelta) -> int:
    result = session.execute(delete(IdempotentResponse).where(IdempotentResponse.created_at <= now - keep))
    return int(getattr(result, "rowcount", 0))
