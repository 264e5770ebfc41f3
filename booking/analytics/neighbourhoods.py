"""Making a layout the units' home zones in booking (`floorwise neighbourhoods apply`): plan first, then apply.

For each section of the layout that booking knows, its seats per floor are compared with its home desks per floor
(`booking.analytics.homes`: its own zones' desks and its people's fixed desks):

- the zone desks a section needs on a floor are the layout's seats there less its people's fixed desks there
  (fixed desks are not moved: a floor with more fixed desks than the layout's seats is noted);
- a section whose zones already hold that many desks on every floor keeps its zones as they are;
- any other section gets new zones, one per floor where it needs zone desks.
  On a floor it keeps, it keeps the zone desks nearest the middle of its current ones there; on a floor where it
  needs more, it takes free desks nearest to the desks it keeps there (else to its fixed desks there, else to a
  lift or stair of the floor), so a zone grows as one block. Ties go by desk id. A free desk is bookable (not
  retired, without an owner) and in no zone that stays: zones of sections that keep theirs, of units the layout
  does not name and of departments are never touched. Sections that need more desks are served first, largest
  first.
- New zones keep the weekdays of the section's old zones, or else every weekday the building is open.

Applying deletes the changed sections' zones and creates the new ones in the caller's transaction, each change
in the audit log with a summary entry, after checking that zones and fixed desks are as they were when planned.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from booking.analytics.facts import AttendanceFacts, attendance_facts, default_building
from booking.analytics.homes import Homes, homes_of
from booking.analytics.period import Period
from booking.errors import InvalidInput, InvalidRequest
from booking.models import Zone, zone_desks, zone_spaces
from booking.services import audit
from floorplan.errors import Problem
from floorplan.model import Building, CoreKind
from layouts.scenario import Scenario


@dataclass(frozen=True)
class FloorChange:
    floor: str
    before: int  # home desks on the floor (zones and fixed desks)
    after: int  # the layout's seats there
    added: tuple[str, ...] = ()  # desk refs
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitChange:
    unit_id: str
    unit: str
    changed: bool
    floors: tuple[FloorChange, ...]
    weekdays: tuple[int, ...] = ()
    old_zones: tuple[int, ...] = ()
    new_zones: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (floor name, desk ids) per new zone


@dataclass(frozen=True)
class NeighbourhoodPlan:
    building_id: str
    layout: str
    scenario: str
    units: tuple[UnitChange, ...]
    notes: tuple[str, ...]
    state: str  # a digest of the zones and fixed desks the plan was made from

    @property
    def changed(self) -> list[UnitChange]:
        return [u for u in self.units if u.changed]


def _state(facts: AttendanceFacts) -> str:
    zones = sorted((z.id, z.unit_id, z.weekdays, tuple(z.desks.tolist())) for z in facts.zones)
    owners = tuple(facts.desks.owners)
    return hashlib.sha256(repr((zones, owners)).encode()).hexdigest()


def _facts(session: Session, building_id: str | None, now: datetime) -> AttendanceFacts:
    building = default_building(session, building_id)
    today = now.date()
    return attendance_facts(session, building, Period(today, today), now=now, bookings=False)


def layout_targets(scenario: Scenario, layout: str) -> dict[str, dict[str, int]]:
    """Each section's seats per floor name in ``layout`` (space ids counted on their floors)."""
    chosen = scenario.layout(layout)
    floors = scenario.place_index.floors
    out: dict[str, dict[str, int]] = {}
    for unit, seats in chosen.seats.items():
        for place, n in seats.items():
            name = floors[place].name
            out.setdefault(unit, {})[name] = out.setdefault(unit, {}).get(name, 0) + n
    return out


def plan_neighbourhoods(
    session: Session, scenario: Scenario, *, layout: str, now: datetime, building_id: str | None = None
) -> NeighbourhoodPlan:
    """What `apply_neighbourhoods` would change; raises `InvalidInput` when the layout cannot be made zones."""
    facts = _facts(session, building_id, now)
    homes = homes_of(facts)
    targets = layout_targets(scenario, layout)
    floor_index = {f.name: i for i, f in enumerate(facts.floors)}
    problems: list[Problem] = []
    notes: list[str] = []
    for unit, by_floor in sorted(targets.items()):
        for name in by_floor:
            if name not in floor_index:
                problems.append(Problem(f"floor {name!r} is not a floor of booking's building", f"unit {unit!r}"))
    if problems:
        raise InvalidInput(problems, source=scenario.source)
    tree = facts.units
    units: dict[str, UnitChange] = {}
    moving: list[str] = []
    for unit in sorted(targets):
        if unit not in tree.index:
            notes.append(f"{unit} is not a unit in booking: left as it is")
            continue
        fixed = _per_floor(facts, homes.fixed_desks.get(unit, frozenset()))
        for f, n in sorted(fixed.items()):
            given = targets[unit].get(facts.floors[f].name, 0)
            if n > given:
                notes.append(
                    f"{unit} has {n} fixed desks on {facts.floors[f].name}, where the layout gives it {given} seats: "
                    "fixed desks are not moved"
                )
        wanted = {
            floor_index[name]: seats - fixed.get(floor_index[name], 0)
            for name, seats in targets[unit].items()
            if seats - fixed.get(floor_index[name], 0) > 0
        }
        if wanted == homes.per_floor(facts, unit, zones_only=True):
            units[unit] = _unchanged(facts, homes, unit)
        else:
            moving.append(unit)
    taken = _staying_desks(facts, homes, set(moving))
    kept: dict[str, dict[int, list[int]]] = {}
    for unit in moving:
        kept[unit] = _kept_desks(facts, homes, unit, targets[unit], floor_index, notes)
        taken.update(k for desks in kept[unit].values() for k in desks)
    growth = {u: sum(targets[u].values()) - sum(len(d) for d in kept[u].values()) for u in moving}
    chosen: dict[str, dict[int, list[int]]] = {}
    for unit in sorted(moving, key=lambda u: (-growth[u], u)):
        chosen[unit] = {}
        for name, seats in sorted(targets[unit].items(), key=lambda kv: facts.floors[floor_index[kv[0]]].level):
            f = floor_index[name]
            fixed_here = [k for k in homes.fixed_desks.get(unit, ()) if facts.desks.floor[k] == f]
            want = max(seats - len(fixed_here), 0)
            have = kept[unit].get(f, [])
            extra = _nearest_free(facts, scenario.building, f, have or fixed_here, taken, want - len(have))
            if len(have) + len(extra) < want:
                problems.append(
                    Problem(
                        f"needs {want} zone desks on {name} but only {len(have) + len(extra)} are free there",
                        f"unit {unit!r}",
                    )
                )
            taken.update(extra)
            chosen[unit][f] = sorted(have + extra)
    if problems:
        raise InvalidInput(problems, source=scenario.source)
    open_weekdays = tuple(d for d in range(7) if d not in set(facts.building.closed_weekdays))
    for unit in moving:
        units[unit] = _change(facts, homes, unit, chosen[unit], open_weekdays)
    return NeighbourhoodPlan(
        building_id=facts.building.id,
        layout=layout,
        scenario=scenario.name,
        units=tuple(units[u] for u in sorted(units)),
        notes=tuple(notes),
        state=_state(facts),
    )


def _per_floor(facts: AttendanceFacts, desks: frozenset[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for k in desks:
        counts[int(facts.desks.floor[k])] = counts.get(int(facts.desks.floor[k]), 0) + 1
    return counts


def _unchanged(facts: AttendanceFacts, homes: Homes, unit: str) -> UnitChange:
    per_floor = homes.per_floor(facts, unit)
    floors = tuple(FloorChange(facts.floors[f].name, n, n) for f, n in sorted(per_floor.items()))
    return UnitChange(unit, facts.units.label(facts.units.index[unit]), False, floors)


def _staying_desks(facts: AttendanceFacts, homes: Homes, moving: set[str]) -> set[int]:
    """Desks no moving section may take: owned or retired ones, and those of every zone that stays."""
    taken = {k for k in range(len(facts.desks.ids)) if not facts.desks.bookable[k]}
    for zone in facts.zones:
        if zone.unit_id not in moving:
            taken.update(int(k) for k in zone.desks)
    return taken


def _distance(facts: AttendanceFacts, desks: list[int], anchor: tuple[float, float] | None) -> list[float]:
    if anchor is None:
        return [0.0] * len(desks)
    x, y = facts.desks.x[desks], facts.desks.y[desks]
    far = np.abs(x - anchor[0]) + np.abs(y - anchor[1])
    return [float(d) if np.isfinite(d) else float("inf") for d in far]


def _centre(facts: AttendanceFacts, desks: list[int]) -> tuple[float, float] | None:
    xs, ys = facts.desks.x[desks], facts.desks.y[desks]
    known = np.isfinite(xs) & np.isfinite(ys)
    if not desks or not known.any():
        return None
    return float(xs[known].mean()), float(ys[known].mean())


def _kept_desks(
    facts: AttendanceFacts,
    homes: Homes,
    unit: str,
    target: dict[str, int],
    floor_index: dict[str, int],
    notes: list[str],
) -> dict[int, list[int]]:
    """On each floor of the layout, the zone desks the section keeps: those nearest the middle of its current ones."""
    zone_desks_now = homes.zone_desks.get(unit, frozenset())
    out: dict[int, list[int]] = {}
    for name, seats in target.items():
        f = floor_index[name]
        fixed_here = sum(1 for k in homes.fixed_desks.get(unit, ()) if facts.desks.floor[k] == f)
        if fixed_here > seats:
            notes.append(f"{unit} has {fixed_here} fixed desks on {name}, more than the layout's {seats} seats")
        here = sorted(k for k in zone_desks_now if facts.desks.floor[k] == f)
        order = _distance(facts, here, _centre(facts, here))
        ranked = [k for _, _, k in sorted(zip(order, [facts.desks.refs[k] for k in here], here, strict=True))]
        out[f] = sorted(ranked[: max(seats - fixed_here, 0)])
    return out


def _core_anchor(building: Building, floor_name: str) -> tuple[float, float] | None:
    """A lift's (else a stair's) footprint centre on the floor, by core id."""
    floor = next((f for f in building.floors if f.name == floor_name), None)
    if floor is None:
        return None
    cores = [c for c in building.cores if c.serves(floor.level) and c.footprint is not None]
    cores.sort(key=lambda c: (c.kind != CoreKind.LIFT, c.id))
    if not cores or cores[0].footprint is None:
        return None
    centre = cores[0].footprint.centroid
    return float(centre.x), float(centre.y)


def _nearest_free(
    facts: AttendanceFacts, building: Building, floor: int, near: list[int], taken: set[int], count: int
) -> list[int]:
    if count <= 0:
        return []
    anchor = _centre(facts, near) if near else _core_anchor(building, facts.floors[floor].name)
    free = [k for k in range(len(facts.desks.ids)) if facts.desks.floor[k] == floor and k not in taken]
    order = _distance(facts, free, anchor)
    ranked = sorted(zip(order, [facts.desks.refs[k] for k in free], free, strict=True))
    return [k for _, _, k in ranked[:count]]


def _change(
    facts: AttendanceFacts, homes: Homes, unit: str, chosen: dict[int, list[int]], open_weekdays: tuple[int, ...]
) -> UnitChange:
    refs, ids = facts.desks.refs, facts.desks.ids
    before_zone = homes.zone_desks.get(unit, frozenset())
    fixed = homes.fixed_desks.get(unit, frozenset())
    floors = sorted(
        {int(facts.desks.floor[k]) for k in before_zone | fixed} | set(chosen), key=lambda f: facts.floors[f].level
    )
    changes = []
    for f in floors:
        old = {k for k in before_zone if facts.desks.floor[k] == f}
        new = set(chosen.get(f, []))
        fixed_here = sum(1 for k in fixed if facts.desks.floor[k] == f)
        changes.append(
            FloorChange(
                facts.floors[f].name,
                len(old) + fixed_here,
                len(new) + fixed_here,
                tuple(sorted(refs[k] for k in new - old)),
                tuple(sorted(refs[k] for k in old - new)),
            )
        )
    weekdays = tuple(sorted(homes.weekdays.get(unit, frozenset()))) or open_weekdays
    return UnitChange(
        unit_id=unit,
        unit=facts.units.label(facts.units.index[unit]),
        changed=True,
        floors=tuple(changes),
        weekdays=weekdays,
        old_zones=tuple(z.id for z in facts.zones if z.unit_id == unit),
        new_zones=tuple(
            (facts.floors[f].name, tuple(int(ids[k]) for k in desks))
            for f, desks in sorted(chosen.items(), key=lambda kv: facts.floors[kv[0]].level)
            if desks
        ),
    )


def apply_neighbourhoods(session: Session, plan: NeighbourhoodPlan, *, actor: str, now: datetime) -> list[Zone]:
    """Replace the changed sections' zones as planned (flushes; the caller commits). Raises `InvalidRequest` if
    zones or fixed desks changed since the plan was made."""
    facts = _facts(session, plan.building_id, now)
    if _state(facts) != plan.state:
        raise InvalidRequest("zones or fixed desks changed since the changes were shown; plan them again")
    made: list[Zone] = []
    names = {z.id: z for z in facts.zones}
    for unit in plan.changed:
        for zone_id in unit.old_zones:
            old = names[zone_id]
            session.execute(delete(zone_desks).where(zone_desks.c.zone_id == zone_id))
            session.execute(delete(zone_spaces).where(zone_spaces.c.zone_id == zone_id))
            session.execute(delete(Zone).where(Zone.id == zone_id))
            audit.record(
                session, actor=actor, action="zone.delete", entity="zone", entity_id=zone_id, now=now,
                before={"name": old.name, "unit_id": old.unit_id, "weekdays": list(old.weekdays)},
            )  # fmt: skip
        for floor, desks in unit.new_zones:
            zone = Zone(building_id=plan.building_id, name=f"{unit.unit} {floor}", unit_id=unit.unit_id,
                        weekdays=list(unit.weekdays))  # fmt: skip
            session.add(zone)
            session.flush()
            session.execute(insert(zone_desks), [{"zone_id": zone.id, "desk_id": d} for d in desks])
            audit.record(
                session, actor=actor, action="zone.create", entity="zone", entity_id=zone.id, now=now,
                after={"name": zone.name, "unit_id": zone.unit_id, "weekdays": zone.weekdays, "desk_ids": list(desks),
                       "spaces": []},
            )  # fmt: skip
            made.append(zone)
    audit.record(
        session, actor=actor, action="neighbourhoods.apply", entity="building", entity_id=plan.building_id, now=now,
        after={
            "scenario": plan.scenario, "layout": plan.layout,
            "units": {u.unit_id: {f.floor: [f.before, f.after] for f in u.floors} for u in plan.changed},
        },
    )  # fmt: skip
    session.flush()
    return made


def describe(plan: NeighbourhoodPlan) -> list[tuple[str, str, int, int, str]]:
    """The plan as rows (unit, floor, desks before, desks after, what changes), changed units first."""
    rows = []
    for unit in sorted(plan.units, key=lambda u: (not u.changed, u.unit_id)):
        for f in unit.floors:
            what = "unchanged"
            if unit.changed:
                parts = [f"+{len(f.added)}" if f.added else "", f"-{len(f.removed)}" if f.removed else ""]
                what = " ".join(p for p in parts if p) or "kept"
            rows.append((f"{unit.unit} ({unit.unit_id})", f.floor, f.before, f.after, what))
    return rows
