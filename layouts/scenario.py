"""Scenarios: a building, units, relations, named layouts and constraints, read from YAML (DESIGN.md's contract).

Every mistake is reported with where it is (``layouts.current, unit 'kumin.zeimu', place '6F'``), all at once.
The files a scenario names are asked of a resolver (`layouts.resolvers`): reading does no I/O of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from floorplan.archives import MAX_UNPACKED_BYTES
from floorplan.errors import FloorplanError, InvalidBuilding, Problem
from floorplan.floorguide import building_from_floor_guide, load_yaml
from floorplan.importing import QUOTE_LIMIT, parse_yaml, read_building_bytes
from floorplan.model import Building
from layouts.errors import InvalidScenario, UnresolvedFile, clipped, shown
from layouts.layout import Layout, PlaceIndex, place_index
from layouts.relations import DEFAULT_RATINGS, RATING_LETTERS, Relation, apart_pairs, relations_from_csv_text
from layouts.resolvers import NO_FILES, FolderResolver, Resolver, UploadResolver
from layouts.units import DEFAULT_INTERNAL_TRIPS_PER_PERSON, Organisation, Unit

#: The name that stands for floorwise's demo building in a scenario's ``building:``.
DEMO_BUILDING = "demo"


@dataclass(frozen=True)
class Constraints:
    """What every layout the optimiser proposes must respect; the scorer reports any a layout breaks.

    - ``available_floors``: the floors the scenario's units may use at all (the rest belong to others); empty
      means every floor with seats;
    - ``fixed``: a unit (or every leaf of a department) only on these floors (floor ids);
    - ``closed_floors``: floors no unit may use (renovation, say);
    - ``max_floors``: a unit (typically a department) on at most k floors;
    - ``adjacent``: units whose floors must be consecutive levels;
    - ``apart``: pairs of leaf units never on the same floor (also from X ratings);
    - ``split``: units the optimiser may split over floors even if one floor could hold them.
    """

    fixed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    available_floors: tuple[str, ...] = ()
    closed_floors: tuple[str, ...] = ()
    max_floors: Mapping[str, int] = field(default_factory=dict)
    adjacent: tuple[str, ...] = ()
    apart: frozenset[frozenset[str]] = frozenset()
    split: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """Everything a layout is scored against. Immutable; `with_layout` returns a new scenario."""

    name: str
    building: Building
    organisation: Organisation
    relations: tuple[Relation, ...]
    layouts: Mapping[str, Layout]
    constraints: Constraints = Constraints()
    ratings: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATINGS))
    internal_trips_per_person: float = DEFAULT_INTERNAL_TRIPS_PER_PERSON
    optimiser: Mapping[str, Any] = field(default_factory=dict)
    places: PlaceIndex | None = None
    source: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layouts", MappingProxyType(dict(self.layouts)))
        if self.places is None:
            extra = {p for lay in self.layouts.values() for seats in lay.seats.values() for p in seats}
            object.__setattr__(self, "places", place_index(self.building, extra_spaces=extra))

    @property
    def place_index(self) -> PlaceIndex:
        assert self.places is not None
        return self.places

    def layout(self, name: str | None = None) -> Layout:
        """The layout called ``name``; without a name, the first in the file."""
        if name is None:
            if not self.layouts:
                raise InvalidScenario([Problem("the scenario has no layouts", "layouts")], source=self.source)
            return next(iter(self.layouts.values()))
        if name not in self.layouts:
            known = ", ".join(self.layouts) or "none"
            raise InvalidScenario(
                [Problem(f"no layout {shown(name)} (layouts: {known})", "layouts")], source=self.source
            )
        return self.layouts[name]


# -- reading ---------------------------------------------------------------------------------------------------------

_TOP_KEYS = {
    "name",
    "description",
    "building",
    "units",
    "relations",
    "relations_file",
    "internal_trips_per_person",
    "ratings",
    "layouts",
    "constraints",
    "optimiser",
    "optimizer",
}
_UNIT_KEYS = {"id", "name", "parent", "headcount", "fixed_share", "desk_ratio", "internal_trips_per_person"}
_CONSTRAINT_KEYS = {"available_floors", "fixed", "closed_floors", "max_floors", "adjacent", "apart", "split"}


def read_scenario(
    path: str | Path, *, resolver: Resolver | None = None, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> Scenario:
    """Read and check a scenario file; raise `InvalidScenario` listing every mistake found.

    The files it names come from ``resolver``; by default from the file's folder as the command line reads them
    (`FolderResolver` not confined: ``../b.geojson`` and absolute paths are read too). A folder holding what was
    uploaded is read with ``resolver=FolderResolver(folder, confined=True)``.
    """
    path = Path(path)
    if not path.exists():
        raise InvalidScenario([Problem("no such file")], source=str(path))
    try:
        data = load_yaml(path)
    except FloorplanError as exc:
        raise InvalidScenario(getattr(exc, "problems", [Problem(str(exc))]), source=str(path)) from None
    if resolver is None:
        resolver = FolderResolver(path.parent, confined=False)
    return scenario_from_dict(data, resolver=resolver, source=str(path), max_unpacked_bytes=max_unpacked_bytes)


def scenario_from_yaml(
    text: str | bytes, *, resolver: Resolver = NO_FILES, source: str = "", max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> Scenario:
    """Read and check a scenario from its YAML text (``source`` names it in messages); the files it names come
    from ``resolver`` alone, nothing is read from disk by name."""
    try:
        data = parse_yaml(text, source=source)
    except FloorplanError as exc:
        raise InvalidScenario(getattr(exc, "problems", [Problem(str(exc))]), source=source) from None
    return scenario_from_dict(data, resolver=resolver, source=source, max_unpacked_bytes=max_unpacked_bytes)


def scenario_from_upload(files: UploadResolver, name: str, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Scenario:
    """Read and check the scenario ``name`` among uploaded ``files`` (a multipart upload's files, or
    `layouts.upload_zip.resolver_from_zip`); the files it names are looked up from its folder within the upload
    and nowhere else."""
    try:
        scenario_file = files.resolve(name)
    except UnresolvedFile as exc:
        raise InvalidScenario([Problem(str(exc))], source="upload") from None
    folder = str(PurePosixPath(scenario_file.name).parent)
    return scenario_from_yaml(
        scenario_file.data,
        resolver=files.within("" if folder == "." else folder),
        source=scenario_file.name,
        max_unpacked_bytes=max_unpacked_bytes,
    )


def scenario_from_dict(
    data: Any,
    *,
    resolver: Resolver | None = None,
    base: Path | None = None,
    source: str = "",
    building: Building | None = None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> Scenario:
    """Build and check a scenario from a parsed YAML mapping; the files it names come from ``resolver``.

    ``base`` is the command line's shorthand for ``resolver=FolderResolver(base, confined=False)``; with neither,
    the mapping may name no file (`NO_FILES`). ``building``, when given, stands for the building the mapping names
    (a building not yet written to a file).
    """
    if base is not None:
        if resolver is not None:
            raise TypeError("give a resolver or a base folder, not both")
        resolver = FolderResolver(base, confined=False)
    if not isinstance(data, Mapping):
        raise InvalidScenario([Problem("a scenario must be a mapping with building, units and layouts")], source=source)
    reader = _ScenarioReader(resolver or NO_FILES, building, max_unpacked_bytes)
    scenario = reader.read(data, source)
    if reader.problems or scenario is None:
        raise InvalidScenario(reader.problems, source=source)
    return scenario


def load_building_reference(
    ref: Any, resolver: Resolver | Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> Building:
    """The building a scenario names: a file (any format floorwise reads) that ``resolver`` gives, ``demo``, or an
    inline floor guide. A folder (``Path``) stands for its `FolderResolver`, not confined.

    Raises `UnresolvedFile` when the resolver cannot give the file, `FloorplanError` when it holds no building."""
    if isinstance(ref, Mapping):
        return building_from_floor_guide(ref, source="building (inline floor guide)")
    if ref == DEMO_BUILDING:
        from floorplan.demo import demo_building

        return demo_building()
    if not isinstance(ref, str):
        raise InvalidBuilding(
            [Problem(f"must name a building file, {DEMO_BUILDING!r} or a floor guide, not {shown(ref)}")]
        )
    if isinstance(resolver, Path):
        resolver = FolderResolver(resolver, confined=False)
    found = resolver.resolve(ref)
    return read_building_bytes(
        found.data, found.name, format=found.format, max_unpacked_bytes=max_unpacked_bytes
    ).building


class _ScenarioReader:
    def __init__(self, resolver: Resolver, building: Building | None, max_unpacked_bytes: int) -> None:
        self.resolver = resolver
        self.given_building = building
        self.max_unpacked_bytes = max_unpacked_bytes
        self.problems: list[Problem] = []

    def problem(self, message: str, where: str, field: str = "") -> None:
        self.problems.append(Problem(message, where, field))

    def read(self, data: Mapping[str, Any], source: str) -> Scenario | None:
        for key in data:
            if key not in _TOP_KEYS:
                self.problem(f"unknown key {shown(key)} (known: {', '.join(sorted(_TOP_KEYS))})", "scenario")
        building = self.building(data.get("building"))
        internal = self.number(data, "internal_trips_per_person", "scenario", DEFAULT_INTERNAL_TRIPS_PER_PERSON)
        organisation = self.units(data.get("units"), internal)
        ratings = self.ratings(data.get("ratings"))
        relations = self.relations(data.get("relations"), organisation)
        if data.get("relations_file"):
            relations += self.relations_file(data["relations_file"])
            self.check_relation_units(relations, organisation, "relations_file")
        if building is None or organisation is None:
            return None
        places = place_index(building, extra_spaces=self.spaces_named(data.get("layouts")))
        layouts = self.layouts(data.get("layouts"), organisation, places)
        constraints = self.constraints(data.get("constraints"), organisation, places, relations)
        optimiser = data.get("optimiser", data.get("optimizer")) or {}
        if not isinstance(optimiser, Mapping):
            self.problem("must be a mapping", "optimiser")
            optimiser = {}
        if self.problems:
            return None
        return Scenario(
            name=str(data.get("name") or Path(source).stem or "scenario"),
            building=building,
            organisation=organisation,
            relations=tuple(relations),
            layouts=layouts,
            constraints=constraints,
            ratings=ratings,
            internal_trips_per_person=internal,
            optimiser=dict(optimiser),
            places=places,
            source=source,
            raw=data,
        )

    # -- sections ----------------------------------------------------------------------------------------------

    def building(self, ref: Any) -> Building | None:
        if self.given_building is not None:
            return self.given_building
        if ref is None:
            self.problem("is missing: give a building file, 'demo', or a floor guide", "scenario", "building")
            return None
        try:
            return load_building_reference(ref, self.resolver, max_unpacked_bytes=self.max_unpacked_bytes)
        except UnresolvedFile as exc:
            self.problem(str(exc), "scenario", "building")
            return None
        except FloorplanError as exc:
            problems = getattr(exc, "problems", None) or [Problem(str(exc))]
            origin = getattr(exc, "source", "") or "building"
            self.problems += [Problem(str(p), f"building ({origin})") for p in problems]
            return None

    def relations_file(self, ref: Any) -> list[Relation]:
        if not isinstance(ref, str):
            self.problem(f"must name a file, not {shown(ref)}", "scenario", "relations_file")
            return []
        try:
            found = self.resolver.resolve(ref)
            return relations_from_csv_text(found.data, source=found.name)
        except UnresolvedFile as exc:
            self.problem(str(exc), "scenario", "relations_file")
        except InvalidScenario as exc:
            self.problems += [Problem(str(p), f"relations_file {shown(ref)}") for p in exc.problems]
        return []

    def units(self, raw: Any, internal: float) -> Organisation | None:
        if not isinstance(raw, list) or not raw:
            self.problem("must be a non-empty list of units", "units")
            return None
        units: list[Unit] = []
        seen: set[str] = set()
        for i, entry in enumerate(raw):
            where = f"units[{i}]"
            if not isinstance(entry, Mapping):
                self.problem("must be a mapping such as {id: kumin.zeimu, parent: kumin, headcount: 45}", where)
                continue
            uid = entry.get("id")
            if uid is None or str(uid) == "":
                self.problem("is missing", where, "id")
                continue
            uid = str(uid)
            where = f"unit {shown(uid)}"
            if uid in seen:
                self.problem("is used by two units", where, "id")
                continue
            seen.add(uid)
            for key in entry:
                if key not in _UNIT_KEYS:
                    self.problem(f"unknown key {shown(key)} (known: {', '.join(sorted(_UNIT_KEYS))})", where)
            headcount = entry.get("headcount", 0)
            if isinstance(headcount, bool) or not isinstance(headcount, int) or headcount < 0:
                self.problem(f"must be a whole number of people, not {shown(headcount)}", where, "headcount")
                headcount = 0
            fixed = self.share(entry, "fixed_share", where, low_open=False)
            ratio = self.share(entry, "desk_ratio", where, low_open=True)
            trips = self.number(entry, "internal_trips_per_person", where, None)
            parent = entry.get("parent")
            units.append(
                Unit(
                    uid,
                    str(entry.get("name") or ""),
                    None if parent is None else str(parent),
                    headcount,
                    fixed,
                    ratio,
                    trips,
                )
            )
        ids = {u.id for u in units}
        for u in units:
            if u.parent is not None and u.parent not in ids:
                self.problem(f"names parent {shown(u.parent)}, which is not a unit", f"unit {shown(u.id)}", "parent")
        organisation = Organisation(units, internal_trips_per_person=internal)
        for u in units:
            chain, parent = [u.id], u.parent
            while parent is not None and parent in ids:
                if parent in chain:
                    self.problem(
                        "its parents form a loop: " + clipped(" > ".join([*chain, parent]), 4 * QUOTE_LIMIT),
                        f"unit {shown(u.id)}",
                        "parent",
                    )
                    return None
                chain.append(parent)
                parent = organisation[parent].parent
        for u in units:
            if organisation.is_leaf(u.id):
                if u.headcount == 0:
                    self.problem(
                        "a unit without sections needs a headcount above 0", f"unit {shown(u.id)}", "headcount"
                    )
            elif u.headcount and u.headcount != organisation.headcount(u.id):
                self.problem(
                    f"is {u.headcount}, but its sections add up to {organisation.headcount(u.id)}; "
                    "give headcounts on sections only",
                    f"unit {shown(u.id)}",
                    "headcount",
                )
        return organisation

    def ratings(self, raw: Any) -> dict[str, float]:
        table = dict(DEFAULT_RATINGS)
        if raw is None:
            return table
        if not isinstance(raw, Mapping):
            self.problem("must be a mapping such as {A: 40, E: 20, I: 10, O: 5, U: 0}", "ratings")
            return table
        for letter, value in raw.items():
            if letter not in DEFAULT_RATINGS:
                extra = " (X means keep apart: it has no weight)" if letter == "X" else ""
                self.problem(f"{shown(letter)} is not a rating A, E, I, O or U{extra}", "ratings")
            elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                self.problem(f"must be trips per week (0 or more), not {shown(value)}", "ratings", str(letter))
            else:
                table[str(letter)] = float(value)
        return table

    def relations(self, raw: Any, organisation: Organisation | None) -> list[Relation]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem("must be a list of [a, b, trips] or {a, b, trips} or {a, b, rating}", "relations")
            return []
        out: list[Relation] = []
        for i, entry in enumerate(raw):
            where = f"relations[{i}]"
            trips: Any = None
            rating: Any = None
            if isinstance(entry, list):
                if len(entry) != 3:
                    self.problem("a list entry must be [a, b, trips]", where)
                    continue
                a, b, trips = entry
            elif isinstance(entry, Mapping):
                unknown = set(entry) - {"a", "b", "trips", "rating", "note"}
                if unknown:
                    self.problem(f"unknown key(s) {sorted(unknown)} (known: a, b, trips, rating, note)", where)
                a, b = entry.get("a"), entry.get("b")
                trips, rating = entry.get("trips"), entry.get("rating")
                if (trips is None) == (rating is None):
                    self.problem("give either trips or rating", where)
                    continue
            else:
                self.problem("must be [a, b, trips] or a mapping with a, b and trips or rating", where)
                continue
            if a is None or b is None:
                self.problem("needs both units a and b", where)
                continue
            where = f"relations[{i}] ({clipped(a)} - {clipped(b)})"
            if trips is not None and (isinstance(trips, bool) or not isinstance(trips, int | float) or trips < 0):
                self.problem(f"must be trips per week (0 or more), not {shown(trips)}", where, "trips")
                continue
            if rating is not None and str(rating).upper() not in RATING_LETTERS:
                self.problem(f"{shown(rating)} is not an SLP rating (A, E, I, O, U or X)", where, "rating")
                continue
            out.append(
                Relation(
                    str(a),
                    str(b),
                    None if trips is None else float(trips),
                    None if rating is None else str(rating).upper(),
                    source=where,
                )
            )
        if organisation is not None:
            self.check_relation_units(out, organisation, "relations")
        return out

    def check_relation_units(self, relations: list[Relation], organisation: Organisation | None, where: str) -> None:
        if organisation is None:
            return
        for rel in relations:
            place = rel.source or where
            for unit in (rel.a, rel.b):
                if unit not in organisation:
                    self.problem(f"names unit {shown(unit)}, which the scenario does not have", place)
            if rel.a == rel.b and rel.a in organisation and organisation.is_leaf(rel.a):
                self.problem(
                    "relates a unit to itself; a unit's own traffic is its internal_trips_per_person",
                    place,
                )
            if rel.a == rel.b and rel.rating == "X":
                self.problem("an X rating cannot keep a unit apart from itself", place, "rating")

    def spaces_named(self, raw: Any) -> set[str]:
        if not isinstance(raw, Mapping):
            return set()
        return {
            str(p)
            for lay in raw.values()
            if isinstance(lay, Mapping)
            for seats in lay.values()
            if isinstance(seats, Mapping)
            for p in seats
        }

    def layouts(self, raw: Any, organisation: Organisation, places: PlaceIndex) -> dict[str, Layout]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.problem("must map layout names to {unit: {floor or space: seats}}", "layouts")
            return {}
        out: dict[str, Layout] = {}
        for name, entries in raw.items():
            where = f"layouts.{clipped(name)}"
            if not isinstance(entries, Mapping):
                self.problem("must map units to {floor or space: seats}", where)
                continue
            seats: dict[str, dict[str, int]] = {}
            for unit, by_place in entries.items():
                uwhere = f"{where}, unit {shown(unit)}"
                if unit not in organisation:
                    self.problem("is not a unit of the scenario", uwhere)
                    continue
                if not organisation.is_leaf(str(unit)):
                    leaves = ", ".join(organisation.leaves(str(unit)))
                    self.problem(f"has sections ({leaves}); give the seats of each section", uwhere)
                    continue
                if not isinstance(by_place, Mapping) or not by_place:
                    self.problem("must map floors or spaces to seats, such as {6F: 20}", uwhere)
                    continue
                unit_seats: dict[str, int] = {}
                for place, n in by_place.items():
                    pwhere = f"{uwhere}, place {shown(place)}"
                    if not places.knows(str(place)):
                        self.problem(f"is not a floor or space of the building{_floor_hint(places)}", pwhere)
                        continue
                    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                        self.problem(f"seats must be a whole number (0 or more), not {shown(n)}", pwhere)
                        continue
                    if n:
                        unit_seats[str(place)] = unit_seats.get(str(place), 0) + n
                seats[str(unit)] = unit_seats
            for leaf in organisation.leaves():
                if not seats.get(leaf):
                    self.problem(f"unit {shown(leaf)} has no seats in this layout", where)
            self.check_capacity(seats, places, where)
            out[str(name)] = Layout(str(name), seats)
        return out

    def check_capacity(self, seats: Mapping[str, Mapping[str, int]], places: PlaceIndex, where: str) -> None:
        by_floor: dict[str, int] = {}
        by_space: dict[str, int] = {}
        for unit_seats in seats.values():
            for name, n in unit_seats.items():
                floor = places.floors[name]
                by_floor[floor.id] = by_floor.get(floor.id, 0) + n
                if name not in (floor.id, floor.name):
                    by_space[name] = by_space.get(name, 0) + n
        for fid, n in by_floor.items():
            floor = places.building.floor(fid)
            capacity = floor.seat_capacity
            if n > capacity:
                self.problem(f"puts {n:g} seats on {floor.name}, which has {capacity}", where)
        for sid, n in by_space.items():
            capacity = places.capacity.get(sid, 0)
            if n > capacity:
                self.problem(f"puts {n} seats in space {shown(sid)}, which has {capacity}", where)

    def constraints(
        self, raw: Any, organisation: Organisation, places: PlaceIndex, relations: list[Relation]
    ) -> Constraints:
        apart = (
            set(apart_pairs(organisation, relations))
            if all(r.a in organisation and r.b in organisation for r in relations)
            else set()
        )
        if raw is None:
            return Constraints(apart=frozenset(apart))
        if not isinstance(raw, Mapping):
            self.problem("must be a mapping", "constraints")
            return Constraints()
        for key in raw:
            if key not in _CONSTRAINT_KEYS:
                self.problem(
                    f"unknown constraint {shown(key)} (known: {', '.join(sorted(_CONSTRAINT_KEYS))})", "constraints"
                )

        def unit_ok(unit: Any, where: str) -> bool:
            if str(unit) not in organisation:
                self.problem(f"names unit {shown(unit)}, which the scenario does not have", where)
                return False
            return True

        def floor_id(name: Any, where: str) -> str | None:
            try:
                return places.building.floor(str(name)).id
            except KeyError:
                floors = ", ".join(f.name for f in places.building.floors)
                self.problem(f"names floor {shown(name)}, which the building does not have (floors: {floors})", where)
                return None

        fixed: dict[str, tuple[str, ...]] = {}
        for unit, floors in _mapping(raw.get("fixed"), "constraints.fixed", self).items():
            where = f"constraints.fixed, unit {shown(unit)}"
            if not unit_ok(unit, where):
                continue
            names = floors if isinstance(floors, list) else [floors]
            ids = [fid for f in names if (fid := floor_id(f, where)) is not None]
            fixed[str(unit)] = tuple(ids)
        floor_lists: dict[str, tuple[str, ...]] = {}
        for key in ("available_floors", "closed_floors"):
            names = raw.get(key) or []
            if not isinstance(names, list):
                self.problem("must be a list of floors", f"constraints.{key}")
                names = []
            floor_lists[key] = tuple(fid for f in names if (fid := floor_id(f, f"constraints.{key}")) is not None)
        max_floors: dict[str, int] = {}
        for unit, k in _mapping(raw.get("max_floors"), "constraints.max_floors", self).items():
            where = f"constraints.max_floors, unit {shown(unit)}"
            if unit_ok(unit, where):
                if isinstance(k, bool) or not isinstance(k, int) or k < 1:
                    self.problem(f"must be a whole number of floors (1 or more), not {shown(k)}", where)
                else:
                    max_floors[str(unit)] = k
        adjacent = tuple(
            str(u)
            for u in _list(raw.get("adjacent"), "constraints.adjacent", self)
            if unit_ok(u, "constraints.adjacent")
        )
        split = tuple(
            str(u) for u in _list(raw.get("split"), "constraints.split", self) if unit_ok(u, "constraints.split")
        )
        for i, pair in enumerate(_list(raw.get("apart"), "constraints.apart", self)):
            where = f"constraints.apart[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                self.problem("must be a pair of units such as [a, b]", where)
                continue
            if all(unit_ok(u, where) for u in pair):
                if pair[0] == pair[1]:
                    self.problem("names the same unit twice", where)
                    continue
                for i_leaf in organisation.leaves(str(pair[0])):
                    for j_leaf in organisation.leaves(str(pair[1])):
                        if i_leaf != j_leaf:
                            apart.add(frozenset((i_leaf, j_leaf)))
        return Constraints(
            fixed=fixed,
            available_floors=floor_lists["available_floors"],
            closed_floors=floor_lists["closed_floors"],
            max_floors=max_floors,
            adjacent=adjacent,
            apart=frozenset(apart),
            split=split,
        )

    # -- field readers -----------------------------------------------------------------------------------------

    def number(self, raw: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
        value = raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.problem(f"must be a number (0 or more), not {shown(value)}", where, key)
            return default
        return float(value)

    def share(self, raw: Mapping[str, Any], key: str, where: str, *, low_open: bool) -> float | None:
        value = raw.get(key)
        if value is None:
            return None
        ok = not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value <= 1
        if ok and low_open and value == 0:
            ok = False
        if not ok:
            span = "above 0 and at most 1" if low_open else "between 0 and 1"
            self.problem(f"must be a share {span}, not {shown(value)}", where, key)
            return None
        return float(value)


def _mapping(raw: Any, where: str, reader: _ScenarioReader) -> Mapping[Any, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        reader.problem("must be a mapping", where)
        return {}
    return raw


def _list(raw: Any, where: str, reader: _ScenarioReader) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.problem("must be a list", where)
        return []
    return raw


def _floor_hint(places: PlaceIndex) -> str:
    names = [f.name for f in places.building.floors]
    shown = ", ".join(names[:40]) + (", ..." if len(names) > 40 else "")
    return f" (floors: {shown}; or a space id)"
