"""The demo: the demo civic centre with the demo scenario's units, their staff, rules and two months of bookings
around today, so that every page shows something real at once (`floorwise serve --demo`).

Loaded once: a database that has the demo building already is left as it is. The same seed and the same day give
the same people and bookings. Everyone's password is `DEMO_PASSWORD`; `load_demo` returns the logins to print.

The bookings carry patterns for the reports to find (`booking.analytics`): 経済課 and 福祉政策課 come in together
on their shared project days, 税務課 is nearly all in on Mondays, and 国保年金課 never fills more than 60 % of its
desks; everyone else books on most open days at `BOOKING_RATE`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from booking.demo.names import person_names
from booking.models import Block, Booking, BookingState, BuildingRow, DeskRow, Role, SpaceRow, Unit, User, Zone
from booking.models import zone_spaces as zone_spaces_table
from booking.services import audit
from booking.services.accounts import hash_password
from booking.services.buildings import building_zone, home_building
from booking.services.calendar_rules import closed_reason
from booking.services.desks import office_hours, zone_info
from booking.services.intervals import Slot
from booking.services.loading import load_building
from booking.services.people import import_units, search_key
from floorplan.demo import demo_building
from floorplan.floorguide import load_yaml
from floorplan.model import Building
from layouts.demo import DEMO_SCENARIO

DEMO_PASSWORD = "floorwise-demo"
ADMIN_LOGIN = "admin"
#: Bookings are made for the days from this many days before today (six weeks: enough for the reports to tell
#: patterns from chance) to this many after.
DAYS_BEFORE = 42
DAYS_AFTER = 15
#: The share of a unit's free-address staff who book on an open day.
BOOKING_RATE = 0.6
#: Units that come in together on shared project days (about two days in five), and little on the others.
PROJECT_UNITS = ("kumin.keizai", "fukushi.seisaku")
PROJECT_DAY_SHARE, PROJECT_DAY_RATE, OTHER_DAY_RATE = 0.4, 0.9, 0.25
#: A unit that meets on Mondays, and one that never fills more than this share of its desks.
MONDAY_UNIT, MONDAY_RATE, WEEKDAY_RATE = "kumin.zeimu", 0.95, 0.5
LIGHT_UNIT, LIGHT_SHARE, LIGHT_RATE = "kumin.kokuho", 0.6, 0.4


@dataclass(frozen=True)
class Login:
    user_id: str
    name: str
    role: str
    unit: str


@dataclass
class DemoReport:
    created: bool
    people: int = 0
    bookings: int = 0
    logins: list[Login] = field(default_factory=list)


def load_demo(session: Session, *, now: datetime, seed: int = 0) -> DemoReport:
    """Load the demo into an empty (migrated) database; a second call finds it there and only lists the logins."""
    building = demo_building()
    if session.get(BuildingRow, building.id) is not None:
        return DemoReport(created=False, logins=demo_logins(session))
    rng = random.Random(seed)
    data = load_yaml(DEMO_SCENARIO)
    load_building(session, building, now=now, actor="demo")
    units = [{"id": u["id"], "name": u.get("name", ""), "parent": u.get("parent")} for u in data["units"]]
    import_units(session, units, source="demo scenario", now=now, actor="demo")
    people = _add_people(session, data["units"], rng, now)
    homes = _home_desks(session, building, data["layouts"]["current"])
    fixed = _give_fixed_desks(session, data["units"], people, homes)
    _add_rules(session, building.id, homes, now)
    count = _add_bookings(session, building.id, people, homes, fixed, rng, now)
    audit.record(
        session, actor="demo", action="demo.load", entity="building", entity_id=building.id, now=now,
        after={"people": sum(len(p) for p in people.values()) + 1, "bookings": count, "seed": seed},
    )  # fmt: skip
    session.flush()
    return DemoReport(True, sum(len(p) for p in people.values()) + 1, count, demo_logins(session))


def _add_people(
    session: Session, units: list[dict[str, Any]], rng: random.Random, now: datetime
) -> dict[str, list[str]]:
    """Each section's headcount of staff, its first person its manager (課長), and one facilities admin."""
    password = hash_password(DEMO_PASSWORD)  # one hash for all: hashing 600 passwords would take half a minute
    sections = [u for u in units if u.get("headcount")]
    names = person_names(sum(int(u["headcount"]) for u in sections), rng)
    rows: list[dict[str, Any]] = [
        _user_row(ADMIN_LOGIN, "施設 管理者", None, Role.ADMIN, password, now),
    ]
    people: dict[str, list[str]] = {}
    taken = iter(names)
    for unit in sections:
        members = people.setdefault(unit["id"], [])
        for i in range(int(unit["headcount"])):
            name, login = next(taken)
            rows.append(_user_row(login, name, unit["id"], Role.MANAGER if i == 0 else Role.STAFF, password, now))
            members.append(login)
    session.execute(insert(User), rows)
    return people


def _user_row(login: str, name: str, unit: str | None, role: Role, password: str, now: datetime) -> dict[str, Any]:
    email = f"{login}@demo.example.jp"
    return {
        "id": login, "name": name, "email": email, "unit_id": unit, "role": role.value, "password_hash": password,
        "search_key": search_key(name, email), "is_active": True, "created_at": now,
    }  # fmt: skip


def _home_desks(session: Session, building: Building, current: dict[str, dict[str, int]]) -> dict[str, list[int]]:
    """Each section's desks in today's layout: its seats on each floor, taken in desk order, section by section."""
    floors = {f.name: f.id for f in building.floors}
    refs = select(DeskRow.ref, DeskRow.id).where(DeskRow.building_id == building.id)
    desk_ids = {ref: desk_id for ref, desk_id in session.execute(refs)}
    free: dict[str, list[int]] = {}
    for f in building.floors:
        free[f.name] = [desk_ids[d.id] for d in sorted(f.desks, key=lambda d: d.id)]
    homes: dict[str, list[int]] = {}
    for unit in sorted(current):
        for floor_name, seats in sorted(current[unit].items()):
            if floor_name not in floors:
                continue
            pool = free[floor_name]
            homes.setdefault(unit, []).extend(pool[:seats])
            del pool[:seats]
    return homes


def _give_fixed_desks(
    session: Session, units: list[dict[str, Any]], people: dict[str, list[str]], homes: dict[str, list[int]]
) -> set[str]:
    """Sections with a fixed share keep fixed desks (the counters of 戸籍住民課): their first people own them."""
    fixed: set[str] = set()
    for unit in units:
        share = float(unit.get("fixed_share") or 0)
        members, desks = people.get(unit["id"], []), homes.get(unit["id"], [])
        for login, desk_id in zip(members[: round(share * len(members))], desks, strict=False):
            session.execute(update(DeskRow).where(DeskRow.id == desk_id).values(owner_id=login))
            fixed.add(login)
    return fixed


def _add_rules(session: Session, building_id: str, homes: dict[str, list[int]], now: datetime) -> None:
    """The building's default rules, two team zones (the first office space of two sections' home floors on
    Mondays and Wednesdays) and a few desks blocked for repairs."""
    for unit in ("fukushi.korei", "kodomo.kosodate"):
        desk = session.get(DeskRow, homes[unit][0])
        assert desk is not None
        space = session.get(SpaceRow, desk.space_id)
        assert space is not None
        zone = Zone(building_id=building_id, name=f"{space.ref} チームエリア", unit_id=unit, weekdays=[0, 2])
        session.add(zone)
        session.flush()
        session.execute(insert(zone_spaces_table), [{"zone_id": zone.id, "space_id": space.id}])
    today = now.astimezone(building_zone(home_building(session, building_id=building_id))).date()
    for unit in ("kumin.zeimu", "fukushi.shogai"):
        for desk_id in homes[unit][-2:]:
            session.add(
                Block(
                    desk_id=desk_id, first_day=today - timedelta(days=3), last_day=today + timedelta(days=10),
                    reason="椅子の交換待ち (chair replacement on order)", created_by=ADMIN_LOGIN, created_at=now,
                )
            )  # fmt: skip
    session.flush()


def _add_bookings(
    session: Session,
    building_id: str,
    people: dict[str, list[str]],
    homes: dict[str, list[int]],
    fixed: set[str],
    rng: random.Random,
    now: datetime,
) -> int:
    """Two months of bookings around today: free-address staff book a desk of their section on most open days."""
    building = session.get(BuildingRow, building_id)
    assert building is not None
    zone = zone_info(building.timezone)
    hours = office_hours(building)
    today = now.astimezone(zone).date()
    blocked = set(session.scalars(select(Block.desk_id)))
    rows: list[dict[str, Any]] = []
    for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
        day = today + timedelta(days=offset)
        if offset > building.days_ahead or closed_reason(session, building, day) is not None:
            continue
        project_day = rng.random() < PROJECT_DAY_SHARE
        for unit in sorted(people):
            desks = [d for d in homes.get(unit, []) if d not in blocked]
            rng.shuffle(desks)
            rate = _booking_rate(unit, day, project_day)
            room = int(LIGHT_SHARE * len(homes.get(unit, []))) if unit == LIGHT_UNIT else len(desks)
            for login in people[unit]:
                if login in fixed or not desks or room <= 0 or rng.random() > rate:
                    continue
                slot = rng.choices([Slot.FULL, Slot.AM, Slot.PM], weights=[8, 1, 1])[0]
                interval = hours.interval(day, slot, zone)
                rows.append(_booking_row(desks.pop(), login, interval.start, interval.end, day, today, rng, now))
                room -= 1
    if rows:
        session.execute(insert(Booking), rows)
    return len(rows)


def _booking_rate(unit: str, day: date, project_day: bool) -> float:
    """The share of a unit's staff who book on ``day`` (see the module's text for the patterns)."""
    if unit in PROJECT_UNITS:
        return PROJECT_DAY_RATE if project_day else OTHER_DAY_RATE
    if unit == MONDAY_UNIT:
        return MONDAY_RATE if day.weekday() == 0 else WEEKDAY_RATE
    if unit == LIGHT_UNIT:
        return LIGHT_RATE
    return BOOKING_RATE


def _booking_row(
    desk_id: int, login: str, start: datetime, end: datetime, day: date, today: date, rng: random.Random, now: datetime
) -> dict[str, Any]:
    made = min(now, datetime.combine(day - timedelta(days=rng.randint(1, 10)), time(9), tzinfo=start.tzinfo))
    state, checked_in = BookingState.BOOKED.value, None
    if day < today:
        roll = rng.random()
        if roll < 0.9:
            state, checked_in = BookingState.CHECKED_IN.value, start + timedelta(minutes=rng.randint(-20, 40))
        else:
            state = BookingState.NO_SHOW.value if roll < 0.95 else BookingState.CANCELLED.value
    elif day == today and start + timedelta(minutes=20) <= now and rng.random() < 0.8:
        state, checked_in = BookingState.CHECKED_IN.value, start + timedelta(minutes=rng.randint(-20, 20))
    return {
        "desk_id": desk_id, "user_id": login, "start_utc": start, "end_utc": end, "state": state, "exclusive": True,
        "created_at": made, "created_by": login, "checked_in_at": checked_in,
        "cancelled_at": made if state == BookingState.CANCELLED.value else None,
    }  # fmt: skip


def demo_logins(session: Session) -> list[Login]:
    """The accounts to try: the admin, two section managers and three staff (everyone's password: DEMO_PASSWORD)."""
    names = {k: v for k, v in session.execute(select(Unit.id, Unit.name))}
    picked: list[User] = []
    admin = session.get(User, ADMIN_LOGIN)
    if admin is not None:
        picked.append(admin)
    for unit, role in (
        ("kumin.zeimu", Role.MANAGER),
        ("fukushi.korei", Role.MANAGER),
        ("kumin.zeimu", Role.STAFF),
        ("kodomo.kosodate", Role.STAFF),
        ("fukushi.korei", Role.STAFF),
    ):
        found = session.scalar(
            select(User)
            .where(User.unit_id == unit, User.role == role.value)
            .order_by(User.created_at, User.id)
            .limit(1)
        )
        if found is not None:
            picked.append(found)
    return [Login(u.id, u.name, u.role, names.get(u.unit_id or "", "")) for u in picked]
