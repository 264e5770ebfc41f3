"""A generated quarter of bookings with planted patterns, and the truth to check the reports against.

The office: three floors (1F-3F), each with two office spaces of 20 desks (``{F}-west``, ``{F}-east``; desks
``{F}-W01``.. and ``{F}-E01``..), a lift and a stair at the east end. One department, ``ops``, with sections:

- ``ops.pair_a`` (6 people, zone of 6 desks on 1F-east) and ``ops.pair_b`` (6, zone on 3F-east): in together, or
  not at all: on about half the days both sections come (each person with probability 0.9), on the others nobody;
- ``ops.sixty`` (10 people, a zone of 10 desks on 2F-west): between 2 and 6 of them a day, never more;
- ``ops.monday`` (10, zone of 10 desks on 2F-east): 9 or 10 on Mondays, 1 to 4 on other days;
- ``ops.steady`` (10, no zone; they book on 3F-west): each person on half the days; besides, some no-shows (marked,
  and booked but never checked in), some cancellations; a fifth of their bookings are mornings only;
- ``ops.fixed`` (4 people with fixed desks on 1F-west, who never book).

The quarter: Monday 5 January to Friday 27 March 2026, 56 open days (four public holidays), all before NOW.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shapely import Point, box
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from booking.models import Booking, BookingState, DeskRow, Role, User, Zone, zone_desks
from booking.services.calendar_rules import holiday_name
from booking.services.loading import load_building
from booking.services.people import search_key
from floorplan.model import Building, Core, CoreKind, Desk, Floor, Space, SpaceKind
from tests.booking.factories import NOW, make_unit

SINCE, UNTIL = date(2026, 1, 5), date(2026, 3, 27)
TOKYO = ZoneInfo("Asia/Tokyo")
SECTIONS = {"pair_a": 6, "pair_b": 6, "sixty": 10, "monday": 10, "steady": 10, "fixed": 4}
ZONES = {"pair_a": ("1F", "E", 6), "pair_b": ("3F", "E", 6), "sixty": ("2F", "W", 10), "monday": ("2F", "E", 10)}
STEADY_DESKS = ("3F", "W")


def office_building() -> Building:
    floors = []
    for level in range(3):
        name = f"{level + 1}F"
        spaces, desks = [], []
        for side, x0 in (("W", 0.0), ("E", 20.0)):
            space = Space(
                f"{name}-{'west' if side == 'W' else 'east'}", name, SpaceKind.OFFICE, box(x0, 0, x0 + 20, 10)
            )
            spaces.append(space)
            for i in range(20):
                x, y = x0 + 1 + 2 * (i % 10), 3.0 if i < 10 else 7.0
                desks.append(Desk(f"{name}-{side}{i + 1:02d}", space.id, Point(x, y)))
        floors.append(
            Floor(name, level, name, 4.0 * level, outline=box(0, 0, 46, 10), spaces=tuple(spaces), desks=tuple(desks))
        )
    cores = (
        Core("lift", CoreKind.LIFT, (0, 1, 2), footprint=box(41, 1, 45, 4)),
        Core("stair", CoreKind.STAIR, (0, 1, 2), footprint=box(41, 6, 45, 9)),
    )
    return Building("office", "Office", tuple(floors), cores=cores, timezone="Asia/Tokyo")


def open_days() -> list[date]:
    days, day = [], SINCE
    while day <= UNTIL:
        if day.weekday() < 5 and holiday_name("JP", day) is None:
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass
class Planted:
    """What was generated: the people of each section and, per section and day, who was in in each slot."""

    people: dict[str, list[str]]
    desks: dict[str, int]  # desk ref -> id
    in_slot: dict[tuple[str, date, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    outcomes: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    used_desk_slots: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # floor -> desk-slots used

    def daily_peak(self, section: str, day: date) -> int:
        return max(len(self.in_slot[(section, day, "am")]), len(self.in_slot[(section, day, "pm")]))


def _interval(day: date, slot: str) -> tuple[datetime, datetime]:
    start, end = {"full": (time(8, 30), time(17, 15)), "am": (time(8, 30), time(12)), "pm": (time(12), time(17, 15))}[
        slot
    ]
    return (
        datetime.combine(day, start, tzinfo=TOKYO).astimezone(UTC),
        datetime.combine(day, end, tzinfo=TOKYO).astimezone(UTC),
    )


def planted_office(session: Session, *, seed: int = 1) -> Planted:
    """Load the office, its units, people, zones and fixed desks, and the quarter's bookings."""
    load_building(session, office_building(), now=NOW, actor="test")
    desks = {ref: desk_id for ref, desk_id in session.execute(select(DeskRow.ref, DeskRow.id))}
    make_unit(session, "ops", name="Operations")
    people: dict[str, list[str]] = {}
    rows: list[dict[str, Any]] = []
    for section, size in SECTIONS.items():
        make_unit(session, f"ops.{section}", name=section.replace("_", " ").title(), parent="ops")
        people[section] = [f"{section}{i}" for i in range(size)]
        for i, person in enumerate(people[section]):
            role = Role.MANAGER.value if i == 0 else Role.STAFF.value
            rows.append({"id": person, "name": person, "unit_id": f"ops.{section}", "role": role,
                         "search_key": search_key(person), "created_at": NOW})  # fmt: skip
    session.execute(insert(User), rows)
    for i, person in enumerate(people["fixed"]):
        session.execute(update(DeskRow).where(DeskRow.id == desks[f"1F-W{i + 1:02d}"]).values(owner_id=person))
    homes: dict[str, list[int]] = {}
    for section, (floor, side, count) in ZONES.items():
        zone = Zone(building_id="office", name=f"{section} zone", unit_id=f"ops.{section}", weekdays=[0, 1, 2, 3, 4])
        session.add(zone)
        session.flush()
        homes[section] = [desks[f"{floor}-{side}{i + 1:02d}"] for i in range(count)]
        session.execute(insert(zone_desks), [{"zone_id": zone.id, "desk_id": d} for d in homes[section]])
    homes["steady"] = [desks[f"{STEADY_DESKS[0]}-{STEADY_DESKS[1]}{i + 1:02d}"] for i in range(10)]
    floor_of = {desk_id: ref.split("-")[0] for ref, desk_id in desks.items()}
    planted = Planted(people, desks)
    rng = random.Random(seed)
    bookings: list[dict[str, Any]] = []

    def book(section: str, person: str, desk_id: int, day: date, slot: str, state: str) -> None:
        start, end = _interval(day, slot)
        bookings.append({"desk_id": desk_id, "user_id": person, "start_utc": start, "end_utc": end, "state": state,
                         "exclusive": True, "created_at": start - timedelta(days=2),
                         "checked_in_at": start if state == "checked_in" else None})  # fmt: skip
        outcome = {"checked_in": "in", "no_show": "no_show", "booked": "no_show", "cancelled": "cancelled"}[state]
        planted.outcomes[section][outcome] += 1
        if outcome == "in":
            for half in ("am", "pm") if slot == "full" else (slot,):
                planted.in_slot[(section, day, half)].add(person)
                planted.used_desk_slots[floor_of[desk_id]] += 1

    for day in open_days():
        together = rng.random() < 0.5
        coming: dict[str, list[str]] = {
            "pair_a": [p for p in people["pair_a"] if together and rng.random() < 0.9],
            "pair_b": [p for p in people["pair_b"] if together and rng.random() < 0.9],
            "sixty": rng.sample(people["sixty"], rng.randint(2, 6)),
            "monday": rng.sample(people["monday"], rng.randint(9, 10) if day.weekday() == 0 else rng.randint(1, 4)),
        }
        for section, who in coming.items():
            for person, desk_id in zip(who, homes[section], strict=False):
                book(section, person, desk_id, day, "full", BookingState.CHECKED_IN.value)
        for person, desk_id in zip(people["steady"], homes["steady"], strict=True):
            roll = rng.random()
            slot = "am" if rng.random() < 0.2 else "full"
            if roll < 0.5:
                book("steady", person, desk_id, day, slot, BookingState.CHECKED_IN.value)
            elif roll < 0.55:
                book("steady", person, desk_id, day, slot, BookingState.NO_SHOW.value)
            elif roll < 0.58:
                book("steady", person, desk_id, day, slot, BookingState.BOOKED.value)  # released, never marked
            elif roll < 0.65:
                book("steady", person, desk_id, day, slot, BookingState.CANCELLED.value)
    session.execute(insert(Booking), bookings)
    session.flush()
    return planted
