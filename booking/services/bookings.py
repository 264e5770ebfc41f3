"""Making, cancelling and checking in bookings. Functions over a Session with an explicit ``now``; they flush,
the caller commits (the API's request, a command's transaction, a test's rollback).

Two bookings of one desk never overlap, and one person never holds two desks at once (when the building's
``one_desk_per_person`` rule is on), whatever the timing of requests:

- on SQLite the caller's transaction began with ``BEGIN IMMEDIATE`` (`booking.database`), so the overlap check
  below and the insert run with the write lock held: no other writer can come between them;
- on PostgreSQL advisory locks queue bookings of one desk and of one person (`_serialise`), and the exclusion
  constraints of the migration refuse the second of two racing inserts all the same: the insert then inserts
  nothing, and the refusal is the same `Conflict` (409) as the check gives.

A booking not checked in by the end of its check-in window (when the building requires check-in) no longer
holds its desk: availability shows the desk free at once, and the next booking that needs the desk (or the
person's time) marks it ``no_show`` first. `mark_no_shows` marks them all, for the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from booking.errors import BookingError, Conflict, InvalidRequest, NotFound, RuleRefused
from booking.messages import N_
from booking.models import ACTIVE_STATES, Booking, BookingState, BuildingRow, DeskRow, FloorRow, User
from booking.services import audit
from booking.services.booking_writes import insert_booking, is_postgresql, lock_desk_and_person, overlaps_found
from booking.services.desks import DeskContext, load_desk, local_date, requested_interval, zone_info
from booking.services.intervals import (
    Interval,
    Slot,
    local_time,
    overlap_parameters,
    overlaps_clause,
    overlaps_parameters_clause,
)
from booking.services.permissions import is_admin, manages, require_act_for
from booking.services.rules import check_request_rules
from booking.services.time_requests import Preset, Span, TimeRequest, parse_slot, time_request


def is_released(booking: Booking, building: BuildingRow, now: datetime) -> bool:
    """Whether a booking has stopped holding its desk because its check-in window closed without a check-in."""
    if booking.state != BookingState.BOOKED.value or not building.check_in_required:
        return False
    return now >= booking.start_utc + timedelta(minutes=building.check_in_closes_minutes)


@dataclass(frozen=True, slots=True)
class BookingView:
    """A booking as clients see it: its desk's and floor's names, and its times in the building's time zone."""

    id: int
    desk_id: int
    desk: str
    floor_id: int
    floor: str
    user_id: str
    start: datetime
    end: datetime
    state: BookingState
    user_name: str | None = None


def booking_view(
    booking: Booking, *, desk: DeskRow, floor: FloorRow, zone: ZoneInfo, user_name: str | None = None
) -> BookingView:
    """A booking with its desk and floor, its times in ``zone`` (the building's)."""
    return BookingView(
        id=booking.id,
        desk_id=booking.desk_id,
        desk=desk.name or desk.ref,
        floor_id=floor.id,
        floor=floor.name,
        user_id=booking.user_id,
        start=booking.start_utc.astimezone(zone),
        end=booking.end_utc.astimezone(zone),
        state=BookingState(booking.state),
        user_name=user_name,
    )


def _conflict_view(session: Session, other: Booking, context: DeskContext, viewer: User) -> dict[str, Any]:
    """The overlapping booking as a refusal's ``conflict`` member (JSON: ISO times with their offset); its holder
    named where the building shows names, to the holder and to admins."""
    desk = context.desk if other.desk_id == context.desk.id else session.get(DeskRow, other.desk_id)
    assert desk is not None
    floor = context.floor if desk.floor_id == context.floor.id else session.get(FloorRow, desk.floor_id)
    assert floor is not None
    owner = session.get(User, other.user_id)
    assert owner is not None
    view = booking_view(other, desk=desk, floor=floor, zone=context.zone)
    members: dict[str, Any] = {
        "id": view.id,
        "desk_id": view.desk_id,
        "desk": view.desk,
        "floor_id": view.floor_id,
        "floor": view.floor,
        "start": view.start.isoformat(),
        "end": view.end.isoformat(),
        "state": view.state.value,
    }
    if owner.id == viewer.id or context.building.show_booker_names or is_admin(viewer):
        members |= {"user_id": view.user_id, "user_name": owner.name}
    return members


def _holding(
    session: Session, context: DeskContext, interval: Interval, now: datetime, *, desk_id: int | None, user_id: str
) -> Booking | None:
    """The first active booking (of a desk, or of a person's exclusive ones) overlapping ``interval``; bookings
    released for want of a check-in are marked no_show on the way."""
    overlap = overlap_parameters(*interval_utc(interval))
    if desk_id is not None:
        found = session.scalars(_DESK_HOLDING, {**overlap, "desk_id": desk_id})
    else:
        found = session.scalars(_PERSON_HOLDING, {**overlap, "user_id": user_id})
    for other in found:
        building = context.building if desk_id is not None else _building_of(session, other)
        if is_released(other, building, now):
            other.state = BookingState.NO_SHOW.value
            session.flush()
            continue
        return other
    return None


# The overlap checks run on every booking: built once, with the interval as parameters.
_ACTIVE_OVERLAPPING = select(Booking).where(
    Booking.state.in_(ACTIVE_STATES), overlaps_parameters_clause(Booking.start_utc, Booking.end_utc)
)
_DESK_HOLDING = _ACTIVE_OVERLAPPING.where(Booking.desk_id == bindparam("desk_id")).order_by(Booking.start_utc)
_PERSON_HOLDING = _ACTIVE_OVERLAPPING.where(
    Booking.user_id == bindparam("user_id"), Booking.exclusive.is_(True)
).order_by(Booking.start_utc)


def _building_of(session: Session, booking: Booking) -> BuildingRow:
    building = session.scalar(
        select(BuildingRow).join(DeskRow, DeskRow.building_id == BuildingRow.id).where(DeskRow.id == booking.desk_id)
    )
    assert building is not None
    return building


def interval_utc(interval: Interval) -> tuple[datetime, datetime]:
    utc = interval.utc()
    return utc.start, utc.end


def book_desk(
    session: Session,
    *,
    user: User,
    desk_id: int,
    now: datetime,
    day: date | None = None,
    slot: Slot | str | None = None,
    start: datetime | str | None = None,
    end: datetime | str | None = None,
    actor: User | None = None,
    series_id: str | None = None,
    when: TimeRequest | None = None,
) -> Booking:
    """Book ``desk_id`` for ``user`` at ``when``, or a preset (``day`` and ``slot``) or ``start`` and ``end``.

    ``actor`` is who asks (default the user): a manager of the user's unit or an admin may book for others.
    Raises `RuleRefused` / `DeskUnavailable` naming the rule, or `Conflict` naming the overlapping booking.
    """
    actor = actor or user
    if actor.id != user.id:
        require_act_for(session, actor, user)
    context = load_desk(session, desk_id)
    when = when or time_request(day=day, slot=slot, start=start, end=end)
    interval = requested_interval(context, when).utc()
    check_request_rules(session, context, user, interval, now)
    exclusive = context.building.one_desk_per_person
    person_id = user.id if exclusive else None
    _serialise(session, desk_id, person_id)
    # One probe for both overlaps; the bookings themselves are read (and released no-shows marked) only when
    # it finds one, which a booking that succeeds never does.
    desk_overlap, person_overlap = overlaps_found(
        session, desk_id=desk_id, user_id=person_id, start=interval.start, end=interval.end
    )
    taken = _holding(session, context, interval, now, desk_id=desk_id, user_id=user.id) if desk_overlap else None
    if taken is not None:
        raise Conflict(
            "desk %(desk)s is already booked from %(start)s to %(end)s",
            words={
                "desk": context.desk.ref,
                "start": _local(taken.start_utc, context),
                "end": _local(taken.end_utc, context),
            },
            rule="desk_taken",
            conflict=_conflict_view(session, taken, context, actor),
        )
    if person_overlap:
        mine = _holding(session, context, interval, now, desk_id=None, user_id=user.id)
        if mine is not None:
            raise Conflict(
                N_("one desk per person at a time: you already hold a desk from %(start)s to %(end)s")
                if actor.id == user.id
                else N_("one desk per person at a time: %(name)s already holds a desk from %(start)s to %(end)s"),
                words={
                    "name": user.name,
                    "start": _local(mine.start_utc, context),
                    "end": _local(mine.end_utc, context),
                },
                rule="one_desk_per_person",
                conflict=_conflict_view(session, mine, context, actor),
            )

    values = {
        "desk_id": desk_id,
        "user_id": user.id,
        "start_utc": interval.start,
        "end_utc": interval.end,
        "state": BookingState.BOOKED.value,
        "exclusive": exclusive,
        "series_id": series_id,
        "created_at": now,
        "created_by": actor.id,
        "checked_in_at": None,
        "cancelled_at": None,
    }
    new_id = insert_booking(session, values)
    if new_id is None:
        raise _lost_race(session, context, interval, user, actor)
    booking = _as_loaded(session, Booking(id=new_id, **values))
    audit.record(
        session,
        actor=actor.id,
        action="booking.create",
        entity="booking",
        entity_id=booking.id,
        now=now,
        after=_snapshot(booking),
    )
    return booking


def _as_loaded(session: Session, booking: Booking) -> Booking:
    """A booking inserted by a Core statement, in ``session`` as if it had been read back: every column set and
    nothing pending, so no statement is issued for it."""
    make_transient_to_detached(booking)
    session.add(booking)
    return booking


def _serialise(session: Session, desk_id: int, user_id: str | None) -> None:
    """On PostgreSQL, queue bookings of one desk (and of one person) behind each other until commit.

    The exclusion constraints alone would refuse overlaps, but two racing inserts that clash on both constraints
    wait on each other and one dies as a deadlock victim. Transaction-level advisory locks, always the desk's
    before the person's, make such requests wait their turn instead, and the overlap check then sees the winner.
    Should an overlapping booking still be committed between the check and the insert (by a writer that took no
    lock), the insert inserts nothing (`booking_writes.insert_booking`) and the refusal names it (`_lost_race`).
    SQLite needs none of this: its writers are serialised by BEGIN IMMEDIATE.
    """
    if is_postgresql(session):
        lock_desk_and_person(session, desk_id, user_id)


def _lost_race(session: Session, context: DeskContext, interval: Interval, user: User, actor: User) -> Conflict:
    start, end = interval_utc(interval)
    active = select(Booking).where(
        Booking.state.in_(ACTIVE_STATES), overlaps_clause(Booking.start_utc, Booking.end_utc, start, end)
    )
    taken = session.scalar(active.where(Booking.desk_id == context.desk.id).limit(1))
    if taken is not None:
        return Conflict(
            "desk %(desk)s was booked from %(start)s to %(end)s a moment ago",
            words={
                "desk": context.desk.ref,
                "start": _local(taken.start_utc, context),
                "end": _local(taken.end_utc, context),
            },
            rule="desk_taken",
            conflict=_conflict_view(session, taken, context, actor),
        )
    mine = session.scalar(active.where(Booking.user_id == user.id, Booking.exclusive.is_(True)).limit(1))
    if mine is not None:
        return Conflict(
            "one desk per person at a time: a desk was booked for the same time a moment ago",
            rule="one_desk_per_person",
            conflict=_conflict_view(session, mine, context, actor),
        )
    return Conflict(
        "another booking was made for the same time a moment ago; try again", rule="desk_taken", conflict={}
    )


def _local(moment: datetime, context: DeskContext) -> str:
    return moment.astimezone(context.zone).strftime("%Y-%m-%d %H:%M")


def _snapshot(booking: Booking) -> dict[str, Any]:
    return {
        "desk_id": booking.desk_id,
        "user_id": booking.user_id,
        "start": booking.start_utc,
        "end": booking.end_utc,
        "state": booking.state,
    }


def _load_booking(session: Session, booking_id: int) -> tuple[Booking, DeskContext, User]:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound("no booking %(id)s", words={"id": booking_id})
    owner = session.get(User, booking.user_id)
    assert owner is not None
    return booking, load_desk(session, booking.desk_id), owner


def visible_booking(session: Session, booking_id: int, *, viewer: User) -> Booking:
    """A booking the viewer may see (their own, their unit's as a manager, any as an admin); else NotFound."""
    booking, _context, owner = _load_booking(session, booking_id)
    if not (owner.id == viewer.id or is_admin(viewer) or manages(session, viewer, owner)):
        raise NotFound("no booking %(id)s", words={"id": booking_id})
    return booking


def cancel_booking(session: Session, booking_id: int, *, actor: User, now: datetime) -> Booking:
    """Cancel: the row stays, with state ``cancelled``. Refused after the building's cancellation cut-off."""
    booking, context = _actionable(session, booking_id, actor)
    if booking.state not in ACTIVE_STATES:
        raise InvalidRequest(
            "booking %(id)s is %(state)s, not active",
            words={"id": booking_id, "state": booking.state.replace("_", " ")},
            booking_state=booking.state,
            refused="cancel",
        )
    cutoff = booking.start_utc - timedelta(minutes=context.building.cancel_cutoff_minutes)
    if now >= cutoff and not is_admin(actor):
        limit = context.building.cancel_cutoff_minutes
        raise RuleRefused(
            N_("a booking can be cancelled only before it starts")
            if limit == 0
            else N_("a booking can be cancelled up to %(minutes)s minutes before it starts"),
            rule="cancel_cutoff",
            minutes=limit,
        )
    return _change_state(session, booking, BookingState.CANCELLED, actor=actor.id, now=now, stamp="cancelled_at")


def check_in(session: Session, booking_id: int, *, actor: User, now: datetime) -> Booking:
    """Check in, within the building's window around the start (e.g. 30 minutes before to 60 after)."""
    booking, context = _actionable(session, booking_id, actor)
    if booking.state == BookingState.CHECKED_IN.value:
        return booking
    if booking.state != BookingState.BOOKED.value:
        raise InvalidRequest(
            "booking %(id)s is %(state)s; it cannot be checked in",
            words={"id": booking_id, "state": booking.state.replace("_", " ")},
            booking_state=booking.state,
            refused="check_in",
        )
    building = context.building
    opens = booking.start_utc - timedelta(minutes=building.check_in_opens_minutes)
    closes = booking.start_utc + timedelta(minutes=building.check_in_closes_minutes)
    if not (opens <= now < closes):
        raise RuleRefused(
            "check-in for this booking is open from %(from)s to %(to)s",
            words={"from": _local(opens, context), "to": _local(closes, context)},
            rule="check_in_window",
            opens=opens.astimezone(context.zone),
            closes=closes.astimezone(context.zone),
        )
    return _change_state(session, booking, BookingState.CHECKED_IN, actor=actor.id, now=now, stamp="checked_in_at")


def _actionable(session: Session, booking_id: int, actor: User) -> tuple[Booking, DeskContext]:
    """The booking with its desk, for its holder, a manager of the holder's unit or an admin; to anyone else it
    does not exist (404, not 403: bookings' ids say nothing of who holds them)."""
    booking, context, owner = _load_booking(session, booking_id)
    if owner.id != actor.id and not (is_admin(actor) or manages(session, actor, owner)):
        raise NotFound("no booking %(id)s", words={"id": booking_id})
    return booking, context


_ACTIONS = {
    BookingState.CANCELLED: "booking.cancel",
    BookingState.CHECKED_IN: "booking.check_in",
    BookingState.NO_SHOW: "booking.no_show",
}


def _change_state(
    session: Session, booking: Booking, state: BookingState, *, actor: str, now: datetime, stamp: str | None = None
) -> Booking:
    """Move a booking to ``state`` (setting the ``stamp`` column to ``now``), with its audit entry."""
    before = _snapshot(booking)
    booking.state = state.value
    if stamp is not None:
        setattr(booking, stamp, now)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=_ACTIONS[state],
        entity="booking",
        entity_id=booking.id,
        now=now,
        before=before,
        after=_snapshot(booking),
    )
    return booking


def mark_no_shows(session: Session, *, now: datetime, actor: str = "system") -> list[Booking]:
    """Mark ``no_show`` every booking whose check-in window has closed without a check-in (where required)."""
    rows = session.execute(
        select(Booking, BuildingRow)
        .join(DeskRow, Booking.desk_id == DeskRow.id)
        .join(BuildingRow, DeskRow.building_id == BuildingRow.id)
        .where(
            Booking.state == BookingState.BOOKED.value,
            BuildingRow.check_in_required.is_(True),
            Booking.start_utc <= now,
        )
    ).all()
    marked = []
    for booking, building in rows:
        if is_released(booking, building, now):
            marked.append(_change_state(session, booking, BookingState.NO_SHOW, actor=actor, now=now))
    return marked


@dataclass
class Occurrence:
    """One date of a recurring booking: created (with the booking) or refused (with the rule and why)."""

    day: date
    booking: Booking | None = None
    error: BookingError | None = None

    @property
    def created(self) -> bool:
        return self.booking is not None


#: The longest stretch a recurring booking may cover, whatever the rules: a guard against runaway requests.
MAX_SERIES_DAYS = 366


def book_series(
    session: Session,
    *,
    user: User,
    desk_id: int,
    weekdays: list[int],
    first_day: date,
    last_day: date,
    now: datetime,
    slot: Slot | str | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    actor: User | None = None,
) -> list[Occurrence]:
    """Weekly on ``weekdays`` (0 Monday .. 6 Sunday) from ``first_day`` to ``last_day``, occurrence by occurrence.

    Each date is booked in its own savepoint: the ones that pass are kept, the others are reported with the rule
    or the conflict that refused them (partial success).
    """
    if not weekdays or any(not 0 <= w <= 6 for w in weekdays):
        raise InvalidRequest("weekdays are 0 (Monday) to 6 (Sunday), at least one")
    if last_day < first_day:
        raise InvalidRequest("the last day is before the first")
    if (last_day - first_day).days > MAX_SERIES_DAYS:
        raise InvalidRequest("a recurring booking covers at most %(days)s days", words={"days": MAX_SERIES_DAYS})
    if (slot is None) == (start_time is None or end_time is None):
        raise InvalidRequest("give either a slot (full, am, pm), or a start time and an end time")
    actor = actor or user
    if actor.id != user.id:
        require_act_for(session, actor, user)
    zone = zone_info(load_desk(session, desk_id).building.timezone)
    series_id = str(uuid4())
    results: list[Occurrence] = []
    day = first_day
    while day <= last_day:
        if day.weekday() in weekdays:
            when: TimeRequest
            if slot is not None:
                when = Preset(day, parse_slot(slot))
            else:
                assert start_time is not None and end_time is not None  # checked above
                when = Span(local_time(day, start_time, zone), local_time(day, end_time, zone))
            try:
                with session.begin_nested():
                    made = book_desk(
                        session, user=user, desk_id=desk_id, now=now, actor=actor, series_id=series_id, when=when
                    )
                results.append(Occurrence(day, booking=made))
            except BookingError as exc:
                results.append(Occurrence(day, error=exc))
        day += timedelta(days=1)
    return results


def bookings_of(session: Session, user_id: str, *, since: datetime, include_inactive: bool = False) -> list[Booking]:
    """A person's bookings that end after ``since``, soonest first."""
    query = select(Booking).where(Booking.user_id == user_id, Booking.end_utc > since).order_by(Booking.start_utc)
    if not include_inactive:
        query = query.where(Booking.state.in_(ACTIVE_STATES))
    return list(session.scalars(query))


def booking_views(session: Session, bookings: list[Booking]) -> list[BookingView]:
    """`booking_view` of many bookings; desks, floors and buildings already in the session are not read again,
    the others are loaded in one query."""
    if not bookings:
        return []
    places: dict[int, tuple[DeskRow, FloorRow, ZoneInfo]] = {}
    for desk_id in {b.desk_id for b in bookings}:
        desk = session.identity_map.get(identity_key(DeskRow, desk_id))
        floor = session.identity_map.get(identity_key(FloorRow, desk.floor_id)) if desk is not None else None
        building = session.identity_map.get(identity_key(BuildingRow, desk.building_id)) if desk is not None else None
        if desk is not None and floor is not None and building is not None:
            places[desk_id] = (desk, floor, zone_info(building.timezone))
    missing = {b.desk_id for b in bookings} - set(places)
    if missing:
        rows = session.execute(
            select(DeskRow, FloorRow, BuildingRow.timezone)
            .join(FloorRow, DeskRow.floor_id == FloorRow.id)
            .join(BuildingRow, DeskRow.building_id == BuildingRow.id)
            .where(DeskRow.id.in_(missing))
        ).all()
        places.update({desk.id: (desk, floor, zone_info(tz)) for desk, floor, tz in rows})
    views = []
    for b in bookings:
        desk, floor, zone = places[b.desk_id]
        views.append(booking_view(b, desk=desk, floor=floor, zone=zone))
    return views


def local_day_of(booking: Booking, zone: ZoneInfo) -> date:
    return local_date(booking.start_utc, zone)
