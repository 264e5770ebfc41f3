"""What facilities admins run: buildings' rules, closures, blocks, zones, fixed desks, people, units, the audit log.
Managers read the bookings of their units."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.api.problems import problem_responses
from booking.api.schemas import (
    AuditRead,
    BlockCreate,
    BlockRead,
    BookingRead,
    BuildingRead,
    ClosureCreate,
    ClosureRead,
    DeskRead,
    OwnerUpdate,
    PersonRead,
    RulesRead,
    RulesUpdate,
    UnitRead,
    UnitWrite,
    UserCreate,
    ZoneCreate,
    ZoneRead,
)
from booking.errors import NotFound
from booking.models import ACTIVE_STATES, Block, Booking, BuildingRow, Closure, DeskRow, Role, Unit, User, Zone
from booking.services import admin
from booking.services.audit import audit_entries
from booking.services.bookings import BookingView, booking_views
from booking.services.buildings import home_zone
from booking.services.intervals import local_day_bounds, overlaps_clause
from booking.services.people import create_user, import_units
from booking.services.permissions import require, require_see_unit
from booking.services.units import subtree_of, unit_parents
from booking.web.bounds import MAX_ID, BoundedDate, EntityId, EntityKind, Id, Key
from booking.web.deps import CurrentUser, NowDep, SessionDep
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api", tags=["administration"], route_class=TransactionRoute)

R401_403_404 = problem_responses(401, 403, 404)
R_ALL = problem_responses(401, 403, 404, 422)
HEALTH_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"example": {"status": "ok"}}}}
}
#: A department and a section under it, in one request: parents may come in the same list.
UNITS_EXAMPLE = [
    {"id": "kodomo", "name": "子ども家庭部", "parent": None},
    {"id": "kodomo.kosodate", "name": "子育て支援課", "parent": "kodomo"},
]


@router.get("/health", tags=["health"], responses=HEALTH_RESPONSE)
async def health() -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok"}


@router.get("/buildings", response_model=list[BuildingRead], responses=problem_responses(401))
def buildings(_user: CurrentUser, session: SessionDep) -> list[BuildingRead]:
    """The buildings loaded, with their time zones."""
    return [
        BuildingRead(id=b.id, name=b.name, timezone=b.timezone)
        for b in session.scalars(select(BuildingRow).order_by(BuildingRow.id))
    ]


@router.get("/buildings/{building_id}/rules", response_model=RulesRead, responses=problem_responses(401, 404))
def get_rules(building_id: Key, _user: CurrentUser, session: SessionDep) -> BuildingRow:
    """A building's booking rules (everyone may read them)."""
    return admin.building_or_404(session, building_id)


@router.patch("/buildings/{building_id}/rules", response_model=RulesRead, responses=R_ALL)
def patch_rules(
    building_id: Key, body: RulesUpdate, user: CurrentUser, session: SessionDep, now: NowDep
) -> BuildingRow:
    """Change some of a building's rules (facilities admins; audited)."""
    return admin.update_rules(session, building_id, body.model_dump(exclude_unset=True), actor=user, now=now)


@router.get("/buildings/{building_id}/closures", response_model=list[ClosureRead], responses=R401_403_404)
def closures(building_id: Key, _user: CurrentUser, session: SessionDep) -> list[ClosureRead]:
    """The days a building is closed beyond weekends and public holidays."""
    admin.building_or_404(session, building_id)
    rows = session.scalars(select(Closure).where(Closure.building_id == building_id).order_by(Closure.day))
    return [ClosureRead(id=c.id, building_id=c.building_id, day=c.day, reason=c.reason) for c in rows]


@router.post("/buildings/{building_id}/closures", status_code=201, response_model=ClosureRead, responses=R_ALL)
def add_closure(
    building_id: Key, body: ClosureCreate, user: CurrentUser, session: SessionDep, now: NowDep
) -> ClosureRead:
    """Close the building on a day. Bookings already made that day are listed in ``affected_bookings``."""
    closure, affected = admin.add_closure(session, building_id, body.day, body.reason, actor=user, now=now)
    return ClosureRead(
        id=closure.id,
        building_id=building_id,
        day=closure.day,
        reason=closure.reason,
        affected_bookings=[b.id for b in affected],
    )


@router.delete("/closures/{closure_id}", status_code=204, responses=R401_403_404)
def delete_closure(closure_id: Id, user: CurrentUser, session: SessionDep, now: NowDep) -> Response:
    """Open the building again on a closed day (facilities admins)."""
    admin.remove_closure(session, closure_id, actor=user, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/blocks", response_model=list[BlockRead], responses=problem_responses(401))
def blocks(
    _user: CurrentUser, session: SessionDep, desk_id: Id | None = None, on: BoundedDate | None = None
) -> list[BlockRead]:
    """Blocked desks, optionally of one desk or on one date."""
    query = select(Block).order_by(Block.first_day, Block.desk_id)
    if desk_id is not None:
        query = query.where(Block.desk_id == desk_id)
    if on is not None:
        query = query.where(Block.first_day <= on, Block.last_day >= on)
    return [_block(b) for b in session.scalars(query)]


def _block(b: Block) -> BlockRead:
    return BlockRead(id=b.id, desk_id=b.desk_id, first_day=b.first_day, last_day=b.last_day, reason=b.reason)


@router.post("/blocks", status_code=201, response_model=list[BlockRead], responses=R_ALL)
def add_blocks(body: BlockCreate, user: CurrentUser, session: SessionDep, now: NowDep) -> list[BlockRead]:
    """Block desks for some days, with a reason (facilities admins)."""
    made = admin.block_desks(
        session,
        body.desk_ids,
        first_day=body.first_day,
        last_day=body.last_day,
        reason=body.reason,
        actor=user,
        now=now,
    )
    return [_block(b) for b in made]


@router.delete("/blocks/{block_id}", status_code=204, responses=R401_403_404)
def delete_block(block_id: Id, user: CurrentUser, session: SessionDep, now: NowDep) -> Response:
    """Lift a block (facilities admins)."""
    admin.remove_block(session, block_id, actor=user, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _zone(session: Session, zone: Zone) -> ZoneRead:
    desks, spaces = admin.zone_members(session, zone.id)
    return ZoneRead(
        id=zone.id,
        building_id=zone.building_id,
        name=zone.name,
        unit_id=zone.unit_id,
        weekdays=zone.weekdays,
        desk_ids=desks,
        space_refs=spaces,
    )


@router.get("/buildings/{building_id}/zones", response_model=list[ZoneRead], responses=problem_responses(401, 404))
def zones(building_id: Key, _user: CurrentUser, session: SessionDep) -> list[ZoneRead]:
    """A building's team zones."""
    admin.building_or_404(session, building_id)
    return [_zone(session, z) for z in session.scalars(select(Zone).where(Zone.building_id == building_id))]


@router.post("/buildings/{building_id}/zones", status_code=201, response_model=ZoneRead, responses=R_ALL)
def add_zone(building_id: Key, body: ZoneCreate, user: CurrentUser, session: SessionDep, now: NowDep) -> ZoneRead:
    """A team neighbourhood: desks or spaces kept for a unit on some weekdays, released at the building's release
    time the day before (facilities admins)."""
    zone = admin.create_zone(
        session,
        building_id,
        name=body.name,
        unit_id=body.unit_id,
        weekdays=body.weekdays,
        desk_ids=body.desk_ids,
        space_refs=body.space_refs,
        actor=user,
        now=now,
    )
    return _zone(session, zone)


@router.delete("/zones/{zone_id}", status_code=204, responses=R401_403_404)
def delete_zone(zone_id: Id, user: CurrentUser, session: SessionDep, now: NowDep) -> Response:
    """Remove a team zone (facilities admins)."""
    admin.remove_zone(session, zone_id, actor=user, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/desks/{desk_id}/owner", response_model=DeskRead, responses=R_ALL)
def put_owner(desk_id: Id, body: OwnerUpdate, user: CurrentUser, session: SessionDep, now: NowDep) -> DeskRead:
    """Make a desk someone's fixed desk, or free it again with ``null`` (facilities admins)."""
    desk = admin.set_desk_owner(session, desk_id, body.owner_id, actor=user, now=now)
    return DeskRead(
        id=desk.id,
        ref=desk.ref,
        name=desk.name,
        floor_id=desk.floor_id,
        owner_id=desk.owner_id,
        retired=desk.retired_at is not None,
    )


@router.get("/audit", response_model=list[AuditRead], responses=problem_responses(401, 403))
def audit(
    user: CurrentUser,
    session: SessionDep,
    entity: EntityKind | None = None,
    entity_id: EntityId | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int, Query(ge=0, le=MAX_ID, description="Entries older than this id (0: the newest).")] = 0,
) -> list[AuditRead]:
    """The audit log, newest first (facilities admins)."""
    require(user, "read_audit")
    return [
        AuditRead.model_validate(e, from_attributes=True)
        for e in audit_entries(session, entity=entity, entity_id=entity_id, limit=limit, before_id=before_id)
    ]


@router.get("/units", response_model=list[UnitRead], responses=problem_responses(401))
def units(_user: CurrentUser, session: SessionDep) -> list[UnitRead]:
    """The organisation's units."""
    return [UnitRead(id=u.id, name=u.name, parent=u.parent_id) for u in session.scalars(select(Unit).order_by(Unit.id))]


@router.post("/units", status_code=201, response_model=list[UnitRead], responses=R_ALL)
def put_units(
    body: Annotated[list[UnitWrite], Body(examples=[UNITS_EXAMPLE])],
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
) -> list[UnitRead]:
    """Create or update units (facilities admins); all or nothing."""
    require(user, "manage_people")
    import_units(session, [u.model_dump() for u in body], source="request", now=now, actor=user.id)
    ids = [u.id for u in body]
    return [
        UnitRead(id=u.id, name=u.name, parent=u.parent_id)
        for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))
    ]


@router.post("/users", status_code=201, response_model=PersonRead, responses=R_ALL)
def add_user(body: UserCreate, user: CurrentUser, session: SessionDep, now: NowDep) -> PersonRead:
    """Add a person (facilities admins)."""
    require(user, "manage_people")
    made = create_user(
        session,
        user_id=body.id,
        name=body.name,
        email=body.email,
        unit_id=body.unit,
        password=body.password,
        role=Role(body.role),
        now=now,
        actor=user.id,
    )
    return PersonRead(id=made.id, name=made.name, email=made.email, unit=made.unit_id, role=made.role)


@router.get("/units/{unit_id}/bookings", response_model=list[BookingRead], responses=R401_403_404)
def unit_bookings(
    unit_id: Key, user: CurrentUser, session: SessionDep, now: NowDep, date: BoundedDate | None = None
) -> list[BookingView]:
    """The active bookings of a unit's people (and its sub-units') on a date: the unit's managers and admins."""
    parents = unit_parents(session)
    if unit_id not in parents:
        raise NotFound("no unit %(id)r", words={"id": unit_id})
    require_see_unit(session, user, unit_id)
    zone = home_zone(session, user)
    bounds = local_day_bounds(date or now.astimezone(zone).date(), zone)
    members = select(User.id).where(User.unit_id.in_(subtree_of(parents, unit_id)))
    rows = session.scalars(
        select(Booking)
        .join(DeskRow, Booking.desk_id == DeskRow.id)
        .where(
            Booking.user_id.in_(members),
            Booking.state.in_(ACTIVE_STATES),
            overlaps_clause(Booking.start_utc, Booking.end_utc, bounds.start, bounds.end),
        )
        .order_by(Booking.start_utc)
    ).all()
    return booking_views(session, list(rows))
