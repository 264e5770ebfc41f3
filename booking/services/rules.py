"""The booking rules, each a check that raises with the rule's name and a sentence a person can act on.

Rules (per building, stored in ``buildings``, edited through ``PUT /api/buildings/{id}/rules``):

- ``retired``: the desk has left the building file;
- ``past``: the interval has already ended;
- ``days_ahead``: bookings open at most this many days ahead (local dates);
- ``closed_day``: closed weekdays, public holidays of ``holiday_country``, closures added by admins;
- ``office_hours``: within the day's opening and closing time;
- ``hourly``: a space that is not ``hourly`` takes only the presets (full day, morning, afternoon);
- ``hourly_step``: hourly bookings start and end on multiples of ``hourly_step_minutes`` (the presets are always
  allowed, on any step);
- ``longest_booking``: at most ``longest_booking_minutes``;
- ``blocked``: an admin took the desk out of booking on that date, with a reason;
- ``fixed_desk``: the desk has an owner, and only they may book it;
- ``reserved``: the desk is in a unit's zone on that weekday, until the release time the day before;
- ``desk_taken`` and ``one_desk_per_person``: overlaps (see `booking.services.bookings`).

Besides ``rule``, a refusal carries its particulars as members of the problem document, for clients (and the
pages) to word it themselves; dates are ISO dates, times ``HH:MM`` and moments ISO datetimes with the building's
offset:

- ``retired``, ``hourly``, ``fixed_desk``: ``desk`` (the desk's ref);
- ``days_ahead``: ``day`` (asked for), ``days_ahead``, ``bookable_from`` (the first day ``day`` can be booked),
  ``last_bookable_day`` (the last one bookable now);
- ``closed_day``: ``day``, ``closed`` (``weekday``, ``holiday`` or ``closure``) and then ``weekday`` (its English
  name), or ``holiday`` (the holiday's name) and ``holiday_country``, or ``reason`` (the admin's, may be empty);
- ``office_hours``: ``day``, ``opens``, ``closes``;
- ``hourly_step``, ``longest_booking``: ``minutes``;
- ``blocked``: ``desk``, ``day``, ``reason``;
- ``reserved``: ``desk``, ``day``, ``zone_name``, ``unit`` (its id), ``unit_name``, ``release`` (when the zone's
  desks open to everyone).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from booking.errors import DeskUnavailable, RuleRefused
from booking.messages import N_
from booking.models import Block, BuildingRow, Unit, User, Zone, zone_desks, zone_spaces
from booking.services.calendar_rules import ClosedKind, closed_day
from booking.services.desks import DeskContext, format_time, local_date, wall_minutes
from booking.services.intervals import Interval, Slot, local_time
from booking.services.units import ancestors_of, unit_parents


def check_request_rules(session: Session, context: DeskContext, user: User, interval: Interval, now: datetime) -> None:
    """Every rule but the overlaps, in the order a person would want to hear about them."""
    desk, building, zone = context.desk, context.building, context.zone
    if desk.retired_at is not None:
        raise DeskUnavailable("desk %(desk)s is no longer in the building", rule="retired", desk=desk.ref)
    if interval.end <= now:
        raise RuleRefused("that time has already passed", rule="past")
    day = local_date(interval.start, zone)
    today = local_date(now, zone)
    if (day - today).days > building.days_ahead:
        last = today + timedelta(days=building.days_ahead)
        bookable_from = day - timedelta(days=building.days_ahead)
        raise RuleRefused(
            "bookings open %(days_ahead)s days ahead: %(day)s can be booked from %(bookable_from)s (the last "
            "bookable day now is %(last_bookable_day)s)",
            rule="days_ahead",
            day=day,
            days_ahead=building.days_ahead,
            bookable_from=bookable_from,
            last_bookable_day=last,
        )
    closed = closed_day(session, building, day)
    if closed is not None:
        message = CLOSED_MESSAGES[closed.kind]
        if closed.kind is ClosedKind.CLOSURE and closed.reason:
            message = N_("the building is closed on %(day)s: %(reason)s")
        raise RuleRefused(message, rule="closed_day", **{**closed.members, "day": closed.day})
    office_day = context.hours.day_interval(day, zone)
    if not (office_day.start <= interval.start and interval.end <= office_day.end):
        raise RuleRefused(
            "bookings on %(day)s must lie within office hours, %(opens)s-%(closes)s",
            rule="office_hours",
            day=day,
            opens=format_time(building.opens_at),
            closes=format_time(building.closes_at),
        )
    # The presets (full day, morning, afternoon) are always bookable, whatever the step: office hours of
    # 08:30-17:15 are not on a 30-minute step at their end, yet a full day must be bookable everywhere.
    is_preset = interval.utc() in [context.hours.interval(day, slot, zone) for slot in Slot]
    if not context.space.hourly:
        if not is_preset:
            raise RuleRefused(
                "desk %(desk)s can be booked for a full day, a morning or an afternoon; hourly booking is only "
                "for spaces that allow it",
                rule="hourly",
                desk=desk.ref,
            )
    elif not is_preset:
        step = building.hourly_step_minutes
        for moment in (interval.start, interval.end):
            minutes, seconds = wall_minutes(moment, zone)
            if seconds or minutes % step:
                raise RuleRefused(
                    "hourly bookings start and end on multiples of %(minutes)s minutes",
                    rule="hourly_step",
                    minutes=step,
                )
    longest = building.longest_booking_minutes
    if longest is not None and interval.duration > timedelta(minutes=longest):
        raise RuleRefused("a booking may last at most %(minutes)s minutes", rule="longest_booking", minutes=longest)
    block = session.scalar(_BLOCK_ON_DAY, {"desk_id": desk.id, "day": day})
    if block is not None:
        raise DeskUnavailable(
            "desk %(desk)s is blocked on %(day)s: %(reason)s",
            rule="blocked",
            desk=desk.ref,
            day=day,
            reason=block.reason,
        )
    if desk.owner_id is not None and desk.owner_id != user.id:
        raise DeskUnavailable("desk %(desk)s is a fixed desk with an owner", rule="fixed_desk", desk=desk.ref)
    reserved = reserving_zone(session, context, user, interval, now)
    if reserved is not None:
        zone_row, unit_name, release = reserved
        raise DeskUnavailable(
            "desk %(desk)s is in %(zone_name)s, kept for %(unit_name)s on that day until %(until)s",
            words={"until": release.astimezone(zone).strftime("%Y-%m-%d %H:%M")},
            rule="reserved",
            desk=desk.ref,
            day=day,
            zone_name=zone_row.name,
            unit=zone_row.unit_id,
            unit_name=unit_name,
            release=release.astimezone(zone),
        )


#: The closed-day refusal of each kind, from its members (``day``, ``weekday``, ``holiday``, ``reason``).
CLOSED_MESSAGES = {
    ClosedKind.WEEKDAY: N_("%(day)s is a %(weekday)s, when the building is closed"),
    ClosedKind.HOLIDAY: N_("%(day)s is a public holiday (%(holiday)s)"),
    ClosedKind.YEAR_END: N_("%(day)s is in the year-end closure (29 December to 3 January)"),
    ClosedKind.CLOSURE: N_("the building is closed on %(day)s"),
}


# The queries every booking runs, built once with parameters.
_BLOCK_ON_DAY = (
    select(Block)
    .where(
        Block.desk_id == bindparam("desk_id"), Block.first_day <= bindparam("day"), Block.last_day >= bindparam("day")
    )
    .limit(1)
)
_ZONES_OF_DESK = select(Zone).where(
    Zone.building_id == bindparam("building_id"),
    or_(
        Zone.id.in_(select(zone_desks.c.zone_id).where(zone_desks.c.desk_id == bindparam("desk_id"))),
        Zone.id.in_(select(zone_spaces.c.zone_id).where(zone_spaces.c.space_id == bindparam("space_id"))),
    ),
)


def zone_release(building: BuildingRow, day: date, zone: ZoneInfo) -> datetime:
    """When team zones' desks on local date ``day`` open to everyone: the building's release time the day before."""
    return local_time(day - timedelta(days=1), building.zone_release_time, zone)


def own_zone_units(session: Session, user: User) -> set[str]:
    """The units whose team zones are ``user``'s: their unit and every unit above it."""
    return set(ancestors_of(unit_parents(session), user.unit_id))


def reserving_zone(
    session: Session, context: DeskContext, user: User, interval: Interval, now: datetime
) -> tuple[Zone, str, datetime] | None:
    """The zone that keeps this desk from ``user`` at ``interval`` (with its unit's name and release), if any."""
    day = local_date(interval.start, context.zone)
    release = zone_release(context.building, day, context.zone)
    if now >= release:
        return None
    weekday = day.weekday()
    zones = session.scalars(
        _ZONES_OF_DESK,
        {"building_id": context.building.id, "desk_id": context.desk.id, "space_id": context.space.id},
    ).all()
    zones = [z for z in zones if weekday in z.weekdays]
    if not zones:
        return None
    mine = own_zone_units(session, user)
    if any(z.unit_id in mine for z in zones):
        return None
    zone_row = zones[0]
    unit = session.get(Unit, zone_row.unit_id)
    return zone_row, (unit.name or unit.id) if unit else zone_row.unit_id, release
