"""The audit log: who changed what, when, with the thing before and after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from booking.models import AuditEntry


def jsonable(value: Any) -> Any:
    """Dates and times as ISO text, so that before/after snapshots can be stored as JSON."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    now: datetime,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Add an entry to the session's transaction. It is written at once, by a plain INSERT rather than the
    session's unit of work: nothing reads an entry back in the transaction that makes it, and every booking
    writes one. On the session's connection: no unit of work, no autoflush, nothing of the ORM in the way."""
    session.connection().execute(
        _INSERT_ENTRY,
        {
            "at": now,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": jsonable(before) if before is not None else None,
            "after": jsonable(after) if after is not None else None,
        },
    )


_INSERT_ENTRY = insert(cast(Table, AuditEntry.__table__))


def audit_entries(
    session: Session, *, entity: str | None = None, entity_id: str | None = None, limit: int = 100, before_id: int = 0
) -> list[AuditEntry]:
    """Newest first; ``before_id`` pages back."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query))
