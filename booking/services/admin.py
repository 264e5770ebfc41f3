"""What facilities admins change: a building's rules, closures, blocked desks, team zones and fixed desks.
Every change is checked for the right and written to the audit log with the thing before and after."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from booking.errors import InvalidRequest, NotFound
from booking.models import (
    ACTIVE_STATES,
    Block,
    Booking,
    BuildingRow,
    Closure,
    DeskRow,
    SpaceRow,
    Unit,
    User,
    Zone,
    zone_desks,
    zone_spaces,
)
from booking.services import audit
from booking.services.desks import zone_info
from booking.services.intervals import local_day_bounds, overlaps_clause
from booking.services.permissions import require

RULE_FIELDS = (
    "opens_at",
    "closes_at",
    "noon",
    "days_ahead",
    "longest_booking_minutes",
    "hourly_step_minutes",
    "one_desk_per_person",
    "closed_weekdays",
    "holiday_country",
    "year_end_closure",
    "cancel_cutoff_minutes",
    "check_in_required",
    "check_in_opens_minutes",
    "check_in_closes_minutes",
    "zone_release_time",
    "show_booker_names",
)


def building_or_404(session: Session, building_id: str) -> BuildingRow:
    building = session.get(BuildingRow, building_id)
    if building is None:
        raise NotFound("no building %(id)r", words={"id": building_id})
    return building


def rules_of(building: BuildingRow) -> dict[str, Any]:
    return {"timezone": building.timezone} | {name: getattr(building, name) for name in RULE_FIELDS}


def update_rules(
    session: Session, building_id: str, changes: Mapping[str, Any], *, actor: User, now: datetime
) -> BuildingRow:
    """Change some of a building's rules; the result must still make sense (opening before noon before closing)."""
    require(actor, "manage_rules")
    building = building_or_404(session, building_id)
    unknown = set(changes) - set(RULE_FIELDS) - {"timezone"}
    if unknown:
        raise InvalidRequest("unknown rule(s): %(rules)s", words={"rules": sorted(unknown)})
    before = rules_of(building)
    merged = before | dict(changes)
    opens, noon, closes = merged["opens_at"], merged["noon"], merged["closes_at"]
    if not (isinstance(opens, time) and isinstance(noon, time) and isinstance(closes, time) and opens < noon < closes):
        raise InvalidRequest("office hours must open before noon and close after it (opens_at < noon < closes_at)")
    if "timezone" in changes:
        try:
            zone_info(str(changes["timezone"]))
        except Exception:
            raise InvalidRequest("unknown time zone %(zone)r", words={"zone": changes["timezone"]}) from None
    if any(not 0 <= d <= 6 for d in merged["closed_weekdays"]):
        raise InvalidRequest("closed_weekdays are 0 (Monday) to 6 (Sunday)")
    for name, value in changes.items():
        setattr(building, name, value)
    session.flush()
    audit.record(
        session,
        actor=actor.id,
        action="rules.update",
        entity="building",
        entity_id=building_id,
        now=now,
        before=before,
        after=rules_of(building),
    )
    return building


def add_closure(
    session: Session, building_id: str, day: date, reason: str, *, actor: User, now: datetime
) -> tuple[Closure, list[Booking]]:
    """Close the building on ``day``; returns the closure and the active bookings on that day (left as they are,
    for the admin to tell people)."""
    require(actor, "manage_rules")
    building = building_or_404(session, building_id)
    if session.scalar(select(Closure).where(Closure.building_id == building_id, Closure.day == day)) is not None:
        raise InvalidRequest("the building is already closed on %(day)s", words={"day": day})
    closure = Closure(building_id=building_id, day=day, reason=reason)
    session.add(closure)
    session.flush()
    audit.record(
        session,
        actor=actor.id,
        action="closure.create",
        entity="closure",
        entity_id=closure.id,
        now=now,
        after={"building_id": building_id, "day": day, "reason": reason},
    )
    bounds = local_day_bounds(day, zone_info(building.timezone))
    affected = session.scalars(
        select(Booking)
        .join(DeskRow, Booking.desk_id == DeskRow.id)
        .where(
            DeskRow.building_id == building_id,
            Booking.state.in_(ACTIVE_STATES),
            overlaps_clause(Booking.start_utc, Booking.end_utc, bounds.start, bounds.end),
        )
    ).all()
    return closure, list(affected)


def remove_closure(session: Session, closure_id: int, *, actor: User, now: datetime) -> None:
    require(actor, "manage_rules")
    closure = session.get(Closure, closure_id)
    if closure is None:
        raise NotFound("no closure %(id)s", words={"id": closure_id})
    before = {"building_id": closure.building_id, "day": closure.day, "reason": closure.reason}
    session.delete(closure)
    session.flush()
    audit.record(
        session, actor=actor.id, action="closure.delete", entity="closure", entity_id=closure_id, now=now, before=before
    )


def block_desks(
    session: Session,
    desk_ids: list[int],
    *,
    first_day: date,
    last_day: date,
    reason: str,
    actor: User,
    now: datetime,
) -> list[Block]:
    """Take desks out of booking for some days, with a reason. Bookings already made are kept (and reported by
    availability as booked); the admin cancels them if need be."""
    require(actor, "manage_blocks")
    if last_day < first_day:
        raise InvalidRequest("the last day is before the first")
    if not reason.strip():
        raise InvalidRequest("a block needs a reason")
    found = set(session.scalars(select(DeskRow.id).where(DeskRow.id.in_(desk_ids))))
    missing = [d for d in desk_ids if d not in found]
    if missing:
        raise NotFound("no desk(s) %(ids)s", words={"ids": missing})
    blocks = [
        Block(desk_id=d, first_day=first_day, last_day=last_day, reason=reason, created_by=actor.id, created_at=now)
        for d in desk_ids
    ]
    session.add_all(blocks)
    session.flush()
    for block in blocks:
        audit.record(
            session,
            actor=actor.id,
            action="block.create",
            entity="block",
            entity_id=block.id,
            now=now,
            after=block_snapshot(block),
        )
    return blocks


def block_snapshot(block: Block) -> dict[str, Any]:
    return {"desk_id": block.desk_id, "first_day": block.first_day, "last_day": block.last_day, "reason": block.reason}


def remove_block(session: Session, block_id: int, *, actor: User, now: datetime) -> None:
    require(actor, "manage_blocks")
    block = session.get(Block, block_id)
    if block is None:
        raise NotFound("no block %(id)s", words={"id": block_id})
    before = block_snapshot(block)
    session.delete(block)
    session.flush()
    audit.record(
        session, actor=actor.id, action="block.delete", entity="block", entity_id=block_id, now=now, before=before
    )


def create_zone(
    session: Session,
    building_id: str,
    *,
    name: str,
    unit_id: str,
    weekdays: list[int],
    desk_ids: list[int],
    space_refs: list[str],
    actor: User,
    now: datetime,
) -> Zone:
    """A team neighbourhood: ``desk_ids`` and the desks of spaces ``space_refs`` kept for ``unit_id``."""
    require(actor, "manage_zones")
    building_or_404(session, building_id)
    if session.get(Unit, unit_id) is None:
        raise NotFound("no unit %(id)r", words={"id": unit_id})
    if not weekdays or any(not 0 <= d <= 6 for d in weekdays):
        raise InvalidRequest("weekdays are 0 (Monday) to 6 (Sunday), at least one")
    if not desk_ids and not space_refs:
        raise InvalidRequest("a zone needs desks or spaces")
    desks = set(session.scalars(select(DeskRow.id).where(DeskRow.id.in_(desk_ids), DeskRow.building_id == building_id)))
    if missing := [d for d in desk_ids if d not in desks]:
        raise NotFound("no desk(s) %(ids)s in building %(building)r", words={"ids": missing, "building": building_id})
    spaces: dict[str, int] = {
        ref: sid
        for ref, sid in session.execute(
            select(SpaceRow.ref, SpaceRow.id).where(SpaceRow.ref.in_(space_refs), SpaceRow.building_id == building_id)
        )
    }
    if missing_spaces := [s for s in space_refs if s not in spaces]:
        raise NotFound(
            "no space(s) %(refs)s in building %(building)r", words={"refs": missing_spaces, "building": building_id}
        )
    zone = Zone(building_id=building_id, name=name, unit_id=unit_id, weekdays=sorted(set(weekdays)))
    session.add(zone)
    session.flush()
    if desks:
        session.execute(insert(zone_desks), [{"zone_id": zone.id, "desk_id": d} for d in sorted(desks)])
    if spaces:
        session.execute(insert(zone_spaces), [{"zone_id": zone.id, "space_id": s} for s in sorted(spaces.values())])
    audit.record(
        session,
        actor=actor.id,
        action="zone.create",
        entity="zone",
        entity_id=zone.id,
        now=now,
        after={
            "name": name,
            "unit_id": unit_id,
            "weekdays": zone.weekdays,
            "desk_ids": sorted(desks),
            "spaces": sorted(space_refs),
        },
    )
    return zone


def zone_members(session: Session, zone_id: int) -> tuple[list[int], list[str]]:
    desks = list(session.scalars(select(zone_desks.c.desk_id).where(zone_desks.c.zone_id == zone_id)))
    spaces = list(
        session.scalars(
            select(SpaceRow.ref)
            .join(zone_spaces, zone_spaces.c.space_id == SpaceRow.id)
            .where(zone_spaces.c.zone_id == zone_id)
        )
    )
    return sorted(desks), sorted(spaces)


def remove_zone(session: Session, zone_id: int, *, actor: User, now: datetime) -> None:
    require(actor, "manage_zones")
    zone = session.get(Zone, zone_id)
    if zone is None:
        raise NotFound("no zone %(id)s", words={"id": zone_id})
    before = {"name": zone.name, "unit_id": zone.unit_id, "weekdays": zone.weekdays}
    session.execute(delete(zone_desks).where(zone_desks.c.zone_id == zone_id))
    session.execute(delete(zone_spaces).where(zone_spaces.c.zone_id == zone_id))
    session.delete(zone)
    session.flush()
    audit.record(
        session, actor=actor.id, action="zone.delete", entity="zone", entity_id=zone_id, now=now, before=before
    )


def set_desk_owner(session: Session, desk_id: int, owner_id: str | None, *, actor: User, now: datetime) -> DeskRow:
    """Make a desk someone's fixed desk (or a free-address desk again, with ``owner_id`` None)."""
    require(actor, "manage_desks")
    desk = session.get(DeskRow, desk_id)
    if desk is None:
        raise NotFound("no desk %(id)s", words={"id": desk_id})
    if owner_id is not None and session.get(User, owner_id) is None:
        raise NotFound("no person %(id)r", words={"id": owner_id})
    before = {"owner_id": desk.owner_id}
    desk.owner_id = owner_id
    session.flush()
    audit.record(
        session,
        actor=actor.id,
        action="desk.owner",
        entity="desk",
        entity_id=desk_id,
        now=now,
        before=before,
        after={"owner_id": owner_id},
    )
    return desk
