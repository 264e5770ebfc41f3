"""The statements every new booking runs, as Core statements built once: the PostgreSQL locks that queue bookings
of one desk and of one person, one probe for both overlaps, and the insert.

`booking.services.bookings` decides with them; they hold no rule of their own. The overlap rule is
`overlaps_parameters_clause`; what counts as holding a desk (active states, a person's exclusive bookings) is the
same as in `bookings._holding`, which reads the overlapping bookings themselves once the probe found one.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Integer, Table, Text, bindparam, exists, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from booking.models import ACTIVE_STATES, Booking
from booking.services.intervals import overlap_parameters, overlaps_parameters_clause

_BOOKINGS = cast(Table, Booking.__table__)

_ACTIVE_OVERLAPPING = exists().where(
    _BOOKINGS.c.state.in_(ACTIVE_STATES), overlaps_parameters_clause(_BOOKINGS.c.start_utc, _BOOKINGS.c.end_utc)
)
#: Whether any active booking of the desk, and any exclusive one of the person (``user_id`` None: not asked),
#: overlaps the interval: one round trip for both checks, usually answered (false, false).
_OVERLAP_PROBE = select(
    _ACTIVE_OVERLAPPING.where(_BOOKINGS.c.desk_id == bindparam("desk_id")).label("desk"),
    _ACTIVE_OVERLAPPING.where(_BOOKINGS.c.user_id == bindparam("user_id"), _BOOKINGS.c.exclusive.is_(True)).label(
        "person"
    ),
)

# Advisory locks, the desk's before the person's (see `bookings._serialise`). The person's is taken in the outer
# query over a subquery that takes the desk's: a subquery with a volatile function is not merged into its outer
# query, so the order holds whatever the planner does.
_LOCK_DESK = select(func.pg_advisory_xact_lock(1, bindparam("desk", type_=Integer)))
_LOCK_DESK_THEN_PERSON = select(
    func.pg_advisory_xact_lock(2, func.hashtext(bindparam("user", type_=Text)))
).select_from(select(func.pg_advisory_xact_lock(1, bindparam("desk", type_=Integer))).subquery())

_INSERT = insert(_BOOKINGS).returning(_BOOKINGS.c.id)
#: On PostgreSQL an insert that an exclusion constraint refuses (an overlapping booking committed after the
#: probe) inserts nothing instead of failing: the transaction stays usable, with no savepoint around the insert.
_INSERT_UNLESS_OVERLAPPING = postgresql.insert(_BOOKINGS).on_conflict_do_nothing().returning(_BOOKINGS.c.id)


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_desk_and_person(session: Session, desk_id: int, user_id: str | None) -> None:
    """On PostgreSQL, the transaction's advisory locks on the desk and (``user_id`` given) the person, in one
    statement; until commit, other bookings of the same desk or person wait here."""
    if user_id is None:
        session.connection().execute(_LOCK_DESK, {"desk": desk_id})
    else:
        session.connection().execute(_LOCK_DESK_THEN_PERSON, {"desk": desk_id, "user": user_id})


def overlaps_found(
    session: Session, *, desk_id: int, user_id: str | None, start: datetime, end: datetime
) -> tuple[bool, bool]:
    """(whether an active booking of the desk overlaps [start, end), whether an exclusive one of the person
    does); the person is not asked when ``user_id`` is None."""
    row = (
        session.connection()
        .execute(_OVERLAP_PROBE, {**overlap_parameters(start, end), "desk_id": desk_id, "user_id": user_id})
        .one()
    )
    return bool(row.desk), bool(row.person)


def insert_booking(session: Session, values: dict[str, object]) -> int | None:
    """Insert a booking's row; its id, or None where PostgreSQL's exclusion constraints refused it."""
    statement = _INSERT_UNLESS_OVERLAPPING if is_postgresql(session) else _INSERT
    new_id = session.connection().execute(statement, values).scalar_one_or_none()
    return int(new_id) if new_id is not None else None
