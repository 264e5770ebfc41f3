"""Desk suggestions: for a person and a time, the free desks that keep their travel to the people they work with
shortest, by the layout score's own model.

For person p of unit U, over the interval asked for (a day or a half-day):

    seconds(d) = sum over units V of w(U, V) * mean over V's people q booked then of t(space(d), space(q))
                 / sum of w(U, V) over the units V with someone booked

t is the travel time of `floorplan.circulation` between the spaces holding the desks (mean of both directions,
as `layouts.scoring` uses it: desks are seated in their spaces, so every desk of a space has the same time).
The weights w(U, V), trips per week:

1. the relations of the scenario in ``FLOORWISE_RELATIONS_SCENARIO`` when one is set and names U (its relation
   graph, a unit's own traffic included);
2. else co-attendance over the eight weeks before the day (`booking.analytics.coattendance`): U's own traffic,
   5 trips per person a week, and ``40 * r`` with every unit U is related to;
3. else U alone.

People booked are those holding an active booking (not released for want of a check-in) that overlaps the
interval, p left out. Ties (desks of one space) go to the desk whose weighted mean walk, rectilinear, to the
related people on its floor is shortest, then by desk id. Only desks free for p (availability's ``free``) are
suggested; p's own bookings do not change the answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.analytics.coattendance import co_attendance
from booking.analytics.facts import attendance_facts
from booking.analytics.occupancy import tally
from booking.analytics.period import Period
from booking.models import ACTIVE_STATES, Booking, BookingState, BuildingRow, DeskRow, FloorRow, SpaceRow, Unit, User
from booking.services.availability import DeskLayoutCache, floor_availability
from booking.services.caches import LockedLRU
from booking.services.intervals import Interval, overlaps_clause
from floorplan.circulation import Circulation
from floorplan.model import Building
from layouts.layout import place_index
from layouts.relations import relation_graph
from layouts.scenario import Scenario, read_scenario
from layouts.units import DEFAULT_INTERNAL_TRIPS_PER_PERSON

#: Co-attendance weights look back this far from the day asked about.
CO_ATTENDANCE_DAYS = 56


@dataclass(frozen=True)
class SpaceTravel:
    """Mean travel seconds between the spaces of a plan that hold seats (inf where no core links two floors)."""

    index: dict[str, int]
    seconds: NDArray[np.float64]


def space_travel(plan: Building) -> SpaceTravel:
    places = place_index(plan).places
    matrix = Circulation(plan).travel_matrix(places)
    return SpaceTravel({p.id: i for i, p in enumerate(matrix.places)}, np.asarray(matrix.seconds))


class AnalyticsCache:
    """Per application: travel matrices per building load, the relations scenario per file version, and
    co-attendance per building and day (past days do not change). Thread-safe, bounded."""

    def __init__(self, size: int = 32) -> None:
        self._items: LockedLRU[tuple[Any, ...], Any] = LockedLRU(size)  # values of several kinds, by key's head

    @property
    def size(self) -> int:
        return self._items.size

    def get(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        return self._items.get_or_make(key, make)

    def travel(self, building: BuildingRow, plan: Building) -> SpaceTravel:
        """The travel matrix of ``plan``, kept per building load (and made again for another plan object)."""
        key = ("travel", building.id, building.loaded_at)
        kept: tuple[Building, SpaceTravel] = self.get(key, lambda: (plan, space_travel(plan)))
        if kept[0] is not plan:
            kept = (plan, space_travel(plan))
            self._items.put(key, kept)
        return kept[1]

    def scenario(self, path: Path) -> Scenario:
        stamp = path.stat().st_mtime
        return self.get(("scenario", str(path), stamp), lambda: read_scenario(path))  # type: ignore[no-any-return]


def configured_scenario(path: Path | None, cache: AnalyticsCache | None) -> Scenario | None:
    """The scenario whose relations weigh suggestions (``FLOORWISE_RELATIONS_SCENARIO``), read once per version."""
    if path is None:
        return None
    return cache.scenario(path) if cache is not None else read_scenario(path)


@dataclass(frozen=True)
class Weights:
    source: str  # "scenario", "co-attendance" or "unit"
    trips: dict[str, float]  # unit id -> trips per week with the person's unit (itself included)


def relation_weights(
    session: Session,
    building: BuildingRow,
    unit_id: str,
    day: date,
    *,
    now: datetime,
    scenario: Scenario | None = None,
    cache: AnalyticsCache | None = None,
) -> Weights:
    """w(U, V) for the person's unit U (see the module's text for where they come from)."""
    if scenario is not None and unit_id in scenario.organisation and scenario.organisation.is_leaf(unit_id):
        graph = relation_graph(scenario.organisation, scenario.relations, ratings=scenario.ratings)
        trips = {str(v): float(data["trips"]) for v, data in graph[unit_id].items() if data["trips"] > 0}
        if trips:
            return Weights("scenario", trips)

    def pairs() -> tuple[dict[str, int], list[tuple[str, str, float]]]:
        period = Period(day - timedelta(days=CO_ATTENDANCE_DAYS), day - timedelta(days=1))
        facts = attendance_facts(session, building, period, now=now)
        counts = tally(facts)
        headcount = {u: int(n) for u, n in zip(facts.units.ids, facts.headcount(), strict=True)}
        related = [(p.a, p.b, p.trips_per_week) for p in co_attendance(facts, counts) if p.related]
        return headcount, related

    key = ("co-attendance", building.id, day)
    headcount, related = cache.get(key, pairs) if cache is not None else pairs()
    trips = {(b if a == unit_id else a): t for a, b, t in related if unit_id in (a, b)}
    if trips:
        trips[unit_id] = DEFAULT_INTERNAL_TRIPS_PER_PERSON * max(headcount.get(unit_id, 1), 1)
        return Weights("co-attendance", trips)
    return Weights("unit", {unit_id: 1.0})


@dataclass(frozen=True)
class Nearby:
    """Some of the people that make a desk good: ``people`` of ``unit`` on ``floor``."""

    unit_id: str
    unit: str
    own: bool
    floor: str
    people: int

    def text(self) -> str:
        who = "your team" if self.own else self.unit
        return f"{self.people} of {who} on {self.floor}"


@dataclass(frozen=True)
class Suggestion:
    rank: int
    desk_id: int
    desk: str
    desk_ref: str
    floor_id: int
    floor: str
    space: str
    seconds: float  # weighted mean travel time to the people counted, per trip
    walk_m: float  # the tie-break: weighted mean walk to them on the desk's floor
    reasons: tuple[Nearby, ...]

    @property
    def why(self) -> str:
        return "; ".join(r.text() for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "desk_id": self.desk_id,
            "desk": self.desk,
            "desk_ref": self.desk_ref,
            "floor_id": self.floor_id,
            "floor": self.floor,
            "space": self.space,
            "seconds": round(self.seconds, 1),
            "walk_m": round(self.walk_m, 1),
            "why": self.why,
            "reasons": [r.__dict__ for r in self.reasons],
        }


@dataclass(frozen=True)
class Suggestions:
    person_id: str
    unit_id: str | None
    weights: str  # where the weights came from
    people_counted: int  # related people booked then
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "unit_id": self.unit_id,
            "weights": self.weights,
            "people_counted": self.people_counted,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


def suggest_desks(
    session: Session,
    person: User,
    *,
    building: BuildingRow,
    plan: Building,
    interval: Interval,
    day: date,
    now: datetime,
    limit: int = 5,
    scenario: Scenario | None = None,
    cache: AnalyticsCache | None = None,
    desk_layouts: DeskLayoutCache | None = None,
) -> Suggestions:
    """The ``limit`` best free desks of ``building`` for ``person`` over ``interval`` (on local date ``day``)."""
    if person.unit_id is None:
        return Suggestions(person.id, None, "none", 0)
    weights = relation_weights(session, building, person.unit_id, day, now=now, scenario=scenario, cache=cache)
    booked = _related_bookings(session, building, person, interval, weights, now)
    if not booked:
        return Suggestions(person.id, person.unit_id, weights.source, 0)
    travel = cache.travel(building, plan) if cache is not None else space_travel(plan)
    desks = session.execute(
        select(
            DeskRow.id, DeskRow.ref, DeskRow.name, DeskRow.floor_id, FloorRow.name, SpaceRow.ref, DeskRow.x, DeskRow.y
        )
        .join(FloorRow, DeskRow.floor_id == FloorRow.id)
        .join(SpaceRow, DeskRow.space_id == SpaceRow.id)
        .where(DeskRow.building_id == building.id, DeskRow.retired_at.is_(None))
    ).all()
    # S[V, b]: the share of unit V's booked people in space b; cost over spaces = (w . S) @ T.
    units = sorted({b.unit_id for b in booked})
    row = {u: i for i, u in enumerate(units)}
    shares = np.zeros((len(units), len(travel.index)))
    for b in booked:
        if b.space in travel.index:
            shares[row[b.unit_id], travel.index[b.space]] += 1.0
    present = shares.sum(axis=1) > 0
    if not present.any():
        return Suggestions(person.id, person.unit_id, weights.source, len(booked))
    shares[present] /= shares[present].sum(axis=1, keepdims=True)
    w = np.array([weights.trips[u] if present[i] else 0.0 for i, u in enumerate(units)])
    with np.errstate(invalid="ignore"):
        per_space = (w @ shares) @ travel.seconds / w.sum()
    ranked = []
    for desk_id, ref, name, floor_id, floor, space, x, y in desks:
        k = travel.index.get(space)
        if k is None or not np.isfinite(per_space[k]):
            continue
        walk = _walk(booked, floor_id, x, y, weights)
        ranked.append((round(float(per_space[k]), 6), walk, ref, desk_id, name or ref, floor_id, floor, space))
    ranked.sort()
    free = _free_desks_in_order(session, ranked, person, interval, now, limit, desk_layouts)
    names = {uid: name for uid, name in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(units)))}
    found: list[Suggestion] = []
    for entry in ranked:
        if entry[3] not in free:
            continue
        seconds, walk, ref, desk_id, label, floor_id, floor, space = entry
        reasons = _reasons(booked, floor, person.unit_id, weights, names)
        found.append(Suggestion(len(found) + 1, desk_id, label, ref, floor_id, floor, space, seconds, walk, reasons))
        if len(found) == limit:
            break
    return Suggestions(person.id, person.unit_id, weights.source, len(booked), found)


@dataclass(frozen=True)
class _Booked:
    user_id: str
    unit_id: str
    floor_id: int
    floor: str
    space: str
    x: float | None
    y: float | None


def _related_bookings(
    session: Session, building: BuildingRow, person: User, interval: Interval, weights: Weights, now: datetime
) -> list[_Booked]:
    utc = interval.utc()
    rows = session.execute(
        select(Booking.user_id, Booking.state, Booking.start_utc, User.unit_id, DeskRow.floor_id, FloorRow.name,
               SpaceRow.ref, DeskRow.x, DeskRow.y)
        .join(User, Booking.user_id == User.id)
        .join(DeskRow, Booking.desk_id == DeskRow.id)
        .join(FloorRow, DeskRow.floor_id == FloorRow.id)
        .join(SpaceRow, DeskRow.space_id == SpaceRow.id)
        .where(
            DeskRow.building_id == building.id,
            Booking.state.in_(ACTIVE_STATES),
            User.unit_id.in_(list(weights.trips)),
            Booking.user_id != person.id,
            overlaps_clause(Booking.start_utc, Booking.end_utc, utc.start, utc.end),
        )
        .order_by(Booking.start_utc, Booking.id)
    ).all()  # fmt: skip
    release = timedelta(minutes=building.check_in_closes_minutes)
    seen: set[str] = set()
    out = []
    for user_id, state, start, unit_id, floor_id, floor, space, x, y in rows:
        if state == BookingState.BOOKED.value and building.check_in_required and now >= start + release:
            continue
        if user_id in seen:  # one place per person: their first booking of the interval
            continue
        seen.add(user_id)
        out.append(_Booked(user_id, str(unit_id), floor_id, floor, space, x, y))
    return out


def _walk(booked: list[_Booked], floor_id: int, x: float | None, y: float | None, weights: Weights) -> float:
    """Weighted mean rectilinear metres from (x, y) to the related people on the same floor (0 with none)."""
    if x is None or y is None:
        return 0.0
    per_unit: dict[str, list[float]] = {}
    for b in booked:
        if b.floor_id == floor_id and b.x is not None and b.y is not None:
            per_unit.setdefault(b.unit_id, []).append(abs(b.x - x) + abs(b.y - y))
    if not per_unit:
        return 0.0
    total = sum(weights.trips[u] for u in per_unit)
    return round(sum(weights.trips[u] * float(np.mean(d)) for u, d in per_unit.items()) / total, 6)


def _free_desks_in_order(
    session: Session,
    ranked: list[tuple[Any, ...]],
    person: User,
    interval: Interval,
    now: datetime,
    limit: int,
    desk_layouts: DeskLayoutCache | None,
) -> set[int]:
    """Desks free for ``person``, looked up floor by floor in the ranking's order until ``limit`` are found."""
    free: set[int] = set()
    states: dict[int, dict[int, str]] = {}
    for entry in ranked:
        desk_id, floor_id = entry[3], entry[5]
        if floor_id not in states:
            availability = floor_availability(
                session, floor_id, interval=interval, viewer=person, now=now, cache=desk_layouts
            )
            states[floor_id] = {d.id: d.kind for d in availability.desks}
        if states[floor_id].get(desk_id) == "free":
            free.add(desk_id)
            if len(free) == limit:
                break
    return free


def _reasons(
    booked: list[_Booked], floor: str, unit_id: str, weights: Weights, names: dict[str, str]
) -> tuple[Nearby, ...]:
    """The two groups of related people that weigh most (trips a week times people), those on the desk's floor
    first, the person's own unit first among equals."""
    groups = Counter((b.unit_id, b.floor) for b in booked)
    ordered = sorted(
        groups.items(),
        key=lambda kv: (kv[0][1] != floor, -weights.trips[kv[0][0]] * kv[1], kv[0][0] != unit_id, kv[0]),
    )
    return tuple(Nearby(unit, names.get(unit) or unit, unit == unit_id, where, n) for (unit, where), n in ordered[:2])
