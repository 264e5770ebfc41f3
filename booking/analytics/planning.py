"""A scenario from live data (`floorwise plan from-bookings`): units with the seats their bookings show they need,
relations from co-attendance, and today's layout from the units' home zones.

- **Units**: booking's unit tree, each unit that has active people in it or below it. A section's ``headcount`` is
  its active people and its ``desk_ratio`` is seats / headcount (`booking.analytics.needs`), written rounded down
  to four decimals so that the scenario's own rule, ceil(headcount * desk_ratio), gives those seats back exactly.
  People who belong directly to a unit that has sections are left out (a scenario seats sections only), and so
  is a section nobody came in from (no booking and no fixed desk in the period), unless the base scenario has it:
  then it keeps the base's ``desk_ratio`` and ``fixed_share``.
- **Relations**: the base scenario's, for the units kept; then, for each pair of sections the base does not relate
  directly, co-attendance beyond chance (`booking.analytics.coattendance`) as trips per week, with a ``note:``
  saying where it came from.
- **Layout** ``current``: each section's home desks per floor (`booking.analytics.homes`: its zones' desks and its
  people's fixed desks), which always fit the building and show a unit's seats against its need. A section
  without a home gets its seats spread over the floors it booked on, in proportion to its person-slots there
  (largest remainders), cut back where a floor would overflow.
- **The rest** (building, constraints naming units kept, ratings, internal trips, optimiser settings) comes from
  the base scenario; without one, the building is the one booking serves: ``demo`` for the demo civic centre,
  else the plan stored when it was loaded (`booking.services.plans`), to be written beside the scenario as
  ``<scenario>.building.geojson``, the file its ``building:`` names.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from sqlalchemy.orm import Session

from booking.analytics.coattendance import PairAttendance, co_attendance
from booking.analytics.current_layout import current_layout
from booking.analytics.facts import AttendanceFacts, attendance_facts, default_building
from booking.analytics.homes import homes_of
from booking.analytics.needs import UnitNeeds, unit_needs
from booking.analytics.occupancy import tally
from booking.analytics.period import Period
from booking.errors import InvalidInput
from booking.services.plans import stored_plan
from floorplan.errors import Problem
from floorplan.model import Building
from layouts.relations import Relation
from layouts.scenario import DEMO_BUILDING, Scenario, scenario_from_dict

#: Decimals a derived desk ratio is written with (rounded down: see the module's text).
RATIO_DECIMALS = 4


@dataclass(frozen=True)
class UnitPlan:
    unit_id: str
    name: str
    headcount: int
    fixed_desks: int
    peak: int
    p90: int
    seats: int  # what the scenario's desk ratio gives
    current: dict[str, int]  # floor name -> seats in the current layout
    source: str  # "home", "bookings" or "base"


@dataclass
class DerivedScenario:
    text: str  # the YAML, ready to write
    units: list[UnitPlan]
    added: list[PairAttendance]  # relations added from co-attendance
    confirmed: list[PairAttendance]  # related pairs the base relates already
    notes: list[str] = field(default_factory=list)
    # The building's stored plan and where to write it (the file the scenario's ``building:`` names); None when
    # the scenario names the demo or the base scenario's building.
    plan: Building | None = None
    plan_path: Path | None = None


def ratio_for(seats: int, headcount: int) -> float:
    """The largest ratio of `RATIO_DECIMALS` decimals with ceil(headcount * ratio) == seats (0 < seats <= headcount)."""
    scale = 10**RATIO_DECIMALS
    ratio = math.floor(seats * scale / headcount) / scale
    while math.ceil(round(headcount * ratio, 9)) < seats:  # never for fewer than 10,000 people
        ratio += 1 / scale
    return float(ratio)


def scenario_from_bookings(
    session: Session,
    *,
    since: date,
    until: date,
    now: datetime,
    out: Path,
    building_id: str | None = None,
    base: Scenario | None = None,
) -> DerivedScenario:
    """The scenario of the period's bookings, to be written at ``out`` (building paths are made relative to it),
    with ``plan`` written at ``plan_path`` when it has one.

    Raises `InvalidInput` listing what stops it (no plan of the building, floors the base's building lacks...).
    """
    building_row = default_building(session, building_id)
    facts = attendance_facts(session, building_row, Period(since, until), now=now)
    counts = tally(facts)
    needs = {n.unit_id: n for n in unit_needs(facts, counts)}
    pairs = co_attendance(facts, counts)
    homes = homes_of(facts)
    notes: list[str] = []
    problems: list[Problem] = []
    building_ref, building, plan_path = _building(session, building_row.id, out, base, problems)
    if problems:
        raise InvalidInput(problems, source=str(out))
    assert building is not None
    base_units = _base_units(base)
    leaves = _leaves(facts, needs, base_units, notes)
    kept = _with_parents(facts, leaves)
    current, sources = current_layout(facts, homes, leaves, base, building, notes)
    if base is not None:
        missing = sorted({f for seats in current.values() for f in seats} - {f.name for f in building.floors})
        if missing:
            raise InvalidInput(
                [Problem(f"booking's floors {', '.join(missing)} are not floors of the base scenario's building")],
                source=str(out),
            )
    data = CommentedMap()
    data["name"] = f"{(base.name if base else building_row.name or building_row.id)} (bookings {since} to {until})"
    data["building"] = building_ref
    raw = dict(base.raw) if base is not None else {}
    for key in ("internal_trips_per_person", "ratings"):
        if key in raw:
            data[key] = raw[key]
    data["units"] = _units_section(facts, kept, leaves, needs, base_units)
    relations, added, confirmed = _relations(base, set(leaves), set(kept), pairs, Period(since, until), notes)
    if relations:
        data["relations"] = relations
    constraints = _constraints(raw.get("constraints"), set(kept), notes)
    if constraints:
        data["constraints"] = constraints
    for key in ("optimiser", "optimizer"):
        if key in raw:
            data[key] = raw[key]
    layouts = CommentedMap()
    layouts["current"] = current
    data["layouts"] = layouts
    text = _header(since, until, base) + _dump(data)
    # Checked as `floorwise score` will read it, before anything is written.
    made = scenario_from_dict(YAML(typ="safe").load(text), base=out.parent, source=str(out), building=building)
    units = [
        UnitPlan(
            u, facts.units.label(facts.units.index[u]), needs[u].headcount, needs[u].fixed_desks, needs[u].peak,
            needs[u].p90, made.organisation.seats_needed(u), dict(current[u]), sources[u],
        )
        for u in leaves
    ]  # fmt: skip
    plan = building if plan_path is not None else None
    return DerivedScenario(text, units, added, confirmed, notes, plan=plan, plan_path=plan_path)


def _building(
    session: Session, building_id: str, out: Path, base: Scenario | None, problems: list[Problem]
) -> tuple[Any, Building | None, Path | None]:
    """The scenario's ``building:``, the building, and where to write its plan (None: the file exists already)."""
    if base is not None:
        ref = base.raw.get("building")
        if isinstance(ref, str) and ref != DEMO_BUILDING and not Path(ref).is_absolute():
            ref = Path(os.path.relpath((Path(base.source).parent / ref).resolve(), out.parent.resolve())).as_posix()
        return ref, base.building, None
    from floorplan.demo import demo_building

    demo = demo_building()
    if building_id == demo.id:
        return DEMO_BUILDING, demo, None
    stored = stored_plan(session, building_id)
    if stored is None:
        problems.append(
            Problem(
                f"no plan of building {building_id!r} is stored: load the building with `floorwise load`, "
                "or give a base scenario with --base",
                "building",
            )
        )
        return None, None, None
    path = out.with_name(f"{out.stem}.building.geojson")
    return path.name, stored.building, path


def _base_units(base: Scenario | None) -> dict[str, Mapping[str, Any]]:
    if base is None:
        return {}
    return {str(u["id"]): u for u in base.raw.get("units", []) if isinstance(u, Mapping) and "id" in u}


def _leaves(
    facts: AttendanceFacts,
    needs: Mapping[str, UnitNeeds],
    base_units: Mapping[str, Mapping[str, Any]],
    notes: list[str],
) -> dict[str, tuple[int, int]]:
    """Sections to seat: id -> (headcount, seats)."""
    tree = facts.units
    direct = facts.headcount()
    out: dict[str, tuple[int, int]] = {}
    for i, uid in enumerate(tree.ids):
        if not tree.is_leaf(i):
            if direct[i]:
                notes.append(f"{direct[i]} people belong to {uid} itself, which has sections: they are not seated")
            continue
        need = needs.get(uid)
        if need is None or need.headcount == 0:
            continue
        if need.seats > 0:
            out[uid] = (need.headcount, need.seats)
        elif uid in base_units:
            notes.append(f"nobody of {uid} came in during the period: its seats follow the base scenario's figures")
            out[uid] = (need.headcount, 0)
        else:
            notes.append(f"nobody of {uid} came in during the period and the base has no figures: left out")
    return out


def _with_parents(facts: AttendanceFacts, leaves: Mapping[str, Any]) -> list[str]:
    tree = facts.units
    kept: set[int] = set()
    for uid in leaves:
        i = tree.index[uid]
        while i >= 0 and i not in kept:
            kept.add(i)
            i = tree.parents[i]
    return [tree.ids[i] for i in sorted(kept)]


def _units_section(
    facts: AttendanceFacts,
    kept: list[str],
    leaves: Mapping[str, tuple[int, int]],
    needs: Mapping[str, UnitNeeds],
    base_units: Mapping[str, Mapping[str, Any]],
) -> CommentedSeq:
    tree = facts.units
    seq = CommentedSeq()
    for uid in kept:
        i = tree.index[uid]
        entry = CommentedMap()
        entry["id"] = uid
        entry["name"] = tree.names[i] or uid
        if tree.parents[i] >= 0:
            entry["parent"] = tree.ids[tree.parents[i]]
        comment = ""
        if uid in leaves:
            headcount, seats = leaves[uid]
            entry["headcount"] = headcount
            need = needs[uid]
            if seats > 0:
                entry["desk_ratio"] = ratio_for(seats, headcount)
                fixed = need.headcount - need.free_address
                comment = f"{seats} seats: {fixed} with fixed desks + p90 {need.p90} in at once (peak {need.peak})"
            else:
                for key in ("fixed_share", "desk_ratio"):
                    if key in base_units[uid]:
                        entry[key] = base_units[uid][key]
                comment = "no bookings in the period: the base scenario's figures"
        entry.fa.set_flow_style()
        seq.append(entry)
        if comment:
            seq.yaml_add_eol_comment(comment, len(seq) - 1)
    return seq


def _relations(
    base: Scenario | None,
    leaves: set[str],
    kept: set[str],
    pairs: list[PairAttendance],
    period: Period,
    notes: list[str],
) -> tuple[CommentedSeq, list[PairAttendance], list[PairAttendance]]:
    seq = CommentedSeq()
    given: set[frozenset[str]] = set()
    if base is not None:
        org = base.organisation
        kept_units = {u for u in org.units if u in kept and set(org.leaves(u)) & leaves}
        raw = base.raw.get("relations") or []
        parsed = list(base.relations)
        from_file = parsed[len(raw) :] if base.raw.get("relations_file") else []
        for entry, relation in zip(raw, parsed, strict=False):
            if relation.a in kept_units and relation.b in kept_units:
                seq.append(_flow(entry))
                given.add(frozenset((relation.a, relation.b)))
            else:
                notes.append(f"relation {relation.a} - {relation.b} left out: a unit of it is not in the scenario")
        for relation in from_file:
            if relation.a in kept_units and relation.b in kept_units:
                seq.append(_relation_entry(relation, f"from {base.raw['relations_file']}"))
                given.add(frozenset((relation.a, relation.b)))
    added, confirmed = [], []
    for pair in pairs:
        if not pair.related or pair.a not in leaves or pair.b not in leaves:
            continue
        if frozenset((pair.a, pair.b)) in given:
            confirmed.append(pair)
            continue
        added.append(pair)
        entry = CommentedMap()
        entry["a"], entry["b"], entry["trips"] = pair.a, pair.b, pair.trips_per_week
        p = "p < 0.001" if (pair.p_value or 0) < 0.001 else f"p = {pair.p_value:.3f}"
        entry["note"] = f"co-attendance {period.since}..{period.until}: r {pair.r:.2f}, {pair.days} open days, {p}"
        entry.fa.set_flow_style()
        seq.append(entry)
    return seq, added, confirmed


def _flow(entry: Any) -> Any:
    if isinstance(entry, Mapping):
        made = CommentedMap(entry)
        made.fa.set_flow_style()
        return made
    if isinstance(entry, list):
        seq = CommentedSeq(entry)
        seq.fa.set_flow_style()
        return seq
    return entry


def _relation_entry(relation: Relation, note: str) -> CommentedMap:
    entry = CommentedMap()
    entry["a"], entry["b"] = relation.a, relation.b
    if relation.trips is not None:
        entry["trips"] = relation.trips
    else:
        entry["rating"] = relation.rating
    entry["note"] = note
    entry.fa.set_flow_style()
    return entry


def _constraints(raw: Any, kept: set[str], notes: list[str]) -> CommentedMap:
    out = CommentedMap()
    if not isinstance(raw, Mapping):
        return out
    for key, value in raw.items():
        if key in ("fixed", "max_floors") and isinstance(value, Mapping):
            entries = {u: v for u, v in value.items() if str(u) in kept}
            dropped = sorted(str(u) for u in value if str(u) not in kept)
            value = _flow(entries) if entries else None
        elif key in ("adjacent", "split") and isinstance(value, list):
            dropped = sorted(str(u) for u in value if str(u) not in kept)
            value = _flow([u for u in value if str(u) in kept]) or None
        elif key == "apart" and isinstance(value, list):
            pairs = [p for p in value if isinstance(p, list) and all(str(u) in kept for u in p)]
            dropped = [" - ".join(map(str, p)) for p in value if p not in pairs]
            value = CommentedSeq(_flow(p) for p in pairs) or None
        else:
            dropped = []
            value = _flow(value)
        for what in dropped:
            notes.append(f"constraints.{key}: {what} left out (not in the scenario)")
        if value is not None:
            out[key] = value
    return out


def _header(since: date, until: date, base: Scenario | None) -> str:
    origin = f" --base {Path(base.source).name}" if base is not None else ""
    return (
        f"# Made by `floorwise plan from-bookings --since {since} --until {until}{origin}`: each section's headcount\n"
        "# and desk ratio from the seats its bookings show it needs (fixed desks + the 90th percentile of its people\n"
        "# in at once), relations from co-attendance marked with a note, and the current layout from the units'\n"
        "# home zones in booking. Score, compare and optimise it as any other scenario.\n"
    )


def _dump(data: CommentedMap) -> str:
    yaml = YAML()
    yaml.width = 4096  # one line per unit and relation, however long its comment
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()
