"""Idempotency-Key: the first successful response to a keyed request is kept for a while; the same key with the
same body gets it again, the same key with another body is refused (422). Failed requests are not kept, so a
client may retry them with the same key."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from booking.errors import IdempotencyMismatch
from booking.models import IdempotentResponse


def request_digest(method: str, path: str, body: Any) -> str:
    text = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def remembered(
    session: Session, *, user_id: str, key: str, digest: str, now: datetime, keep: timedelta
) -> IdempotentResponse | None:
    """The kept response for this key, if it is still fresh; raises if the key came with another request."""
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
            f"Idempotency-Key {key!r} was used with another request; use a new key for a new request"
        )
    return row


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
