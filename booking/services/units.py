"""The unit tree as the rules need it: a unit's ancestors, its sub-units."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import Unit


def unit_parents(session: Session) -> dict[str, str | None]:
    return {uid: parent for uid, parent in session.execute(select(Unit.id, Unit.parent_id))}


def ancestors_of(parents: dict[str, str | None], unit_id: str | None) -> list[str]:
    """``unit_id`` and every unit above it, nearest first (a cycle stops the walk)."""
    chain: list[str] = []
    current = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def is_within(session: Session, unit_id: str | None, ancestor_id: str) -> bool:
    """Whether ``unit_id`` is ``ancestor_id`` or one of its sub-units."""
    return ancestor_id in ancestors_of(unit_parents(session), unit_id)


def subtree_of(parents: dict[str, str | None], unit_id: str) -> set[str]:
    """``unit_id`` and all units below it."""
    return {u for u in parents if unit_id in ancestors_of(parents, u)}
