"""Scenarios in the database, shared by every app server: import and export (DESIGN.md's YAML contract), scoring a
layout, moving a unit, saving a layout under a name never taken, editing units, relations and constraints, and
comparing layouts. Functions over a Session: they flush, never commit; each change is audited.

A scenario is stored as its YAML mapping without ``layouts:`` (``scenarios.document``), the files it names
(``scenario_files``) and one row per layout (``scenario_layouts``). It is read by `layouts` exactly as the file
would be, the files it names resolved only among those uploaded with it (`layouts.resolvers.UploadResolver`), so
what is stored always reads: every change is read again before it is written, and a refused one writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from booking.errors import InvalidInput, NotFound
from booking.models import User
from booking.models.planning import LayoutOrigin, ScenarioFile, ScenarioLayout, ScenarioRow
from booking.services.audit import record
from booking.services.scenario_cache import SCENARIOS, LoadedScenario
from floorplan.archives import MAX_UNPACKED_BYTES
from floorplan.errors import FloorplanError, Problem
from floorplan.importing import parse_yaml
from layouts.compare import KPIS, compare_layouts, people_moved
from layouts.errors import InvalidScenario
from layouts.layout import Layout
from layouts.resolvers import ResolvedFile, UploadResolver
from layouts.scenario import Scenario, scenario_from_dict
from layouts.scoring import score_layout as score_figures

#: Column widths of the planning tables.
NAME_LENGTH = 200
LAYOUT_NAME_LENGTH = 100
FILE_NAME_LENGTH = 255
#: Sections of a scenario that `update_scenario` replaces.
EDITABLE = ("units", "relations", "constraints")
#: The most suffixes tried for a layout name before giving up (-2 ... -1000).
MAX_SUFFIX = 1000

SeatsByUnit = Mapping[str, Mapping[str, int]]


def actor_id(actor: User | str) -> str:
    """The audit log's name of whoever acts: a user's id, or a name such as ``cli:sato`` or ``job:12``."""
    return actor if isinstance(actor, str) else actor.id


# -- reading --------------------------------------------------------------------------------------------------------


class _Recording:
    """An `UploadResolver` that remembers which files the scenario named, so that only those are kept."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.inner = UploadResolver(files)
        self.used: dict[str, bytes] = {}

    def resolve(self, name: str) -> ResolvedFile:
        found = self.inner.resolve(name)
        self.used[found.name] = found.data
        return found


def _invalid(exc: InvalidScenario | FloorplanError, source: str) -> InvalidInput:
    problems = getattr(exc, "problems", None) or [Problem(str(exc))]
    return InvalidInput(problems, source=getattr(exc, "source", "") or source)


def _read(
    data: Mapping[str, Any], files: Mapping[str, bytes], *, source: str, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> tuple[Scenario, dict[str, bytes]]:
    """The scenario of ``data``, its files resolved among ``files``, and the files it named; `InvalidInput` (422)
    listing every problem."""
    resolver = _Recording(files)
    try:
        scenario = scenario_from_dict(data, resolver=resolver, source=source, max_unpacked_bytes=max_unpacked_bytes)
    except (InvalidScenario, FloorplanError) as exc:
        raise _invalid(exc, source) from None
    return scenario, resolver.used


def _document_from_yaml(yaml_bytes: bytes, source: str) -> dict[str, Any]:
    try:
        data = parse_yaml(yaml_bytes, source=source)
    except FloorplanError as exc:
        raise _invalid(exc, source) from None
    if not isinstance(data, Mapping):
        raise InvalidInput([Problem("a scenario must be a mapping with building, units and layouts")], source=source)
    # As JSON stores it (keys as text, dates as ISO text), so that what is read now is what is read back later.
    document: dict[str, Any] = json.loads(json.dumps(data, default=str, ensure_ascii=False))
    if _has_nul(document):  # YAML writes one as "\0"; PostgreSQL text cannot hold it
        raise InvalidInput([Problem("a scenario must not contain a NUL character (\\0)")], source=source)
    return document


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _stored_layouts(session: Session, scenario_id: int) -> list[ScenarioLayout]:
    return list(
        session.scalars(
            select(ScenarioLayout).where(ScenarioLayout.scenario_id == scenario_id).order_by(ScenarioLayout.id)
        )
    )


def _stored_files(session: Session, scenario_id: int) -> dict[str, bytes]:
    rows = session.scalars(
        select(ScenarioFile).where(ScenarioFile.scenario_id == scenario_id).options(undefer(ScenarioFile.content))
    )
    return {f.name: f.content for f in rows}


def scenario_or_404(session: Session, scenario_id: int) -> ScenarioRow:
    """The scenario row, or `NotFound` (404)."""
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise NotFound("no scenario %(id)s", words={"id": scenario_id})
    return row


def scenarios(session: Session) -> list[ScenarioRow]:
    """Every scenario, oldest first."""
    return list(session.scalars(select(ScenarioRow).order_by(ScenarioRow.id)))


def layouts_of(session: Session, scenario_id: int) -> list[ScenarioLayout]:
    """The layouts of a scenario in the order they were added (the first is the default baseline)."""
    return _stored_layouts(session, scenario_id)


def file_names(session: Session, scenario_id: int) -> list[str]:
    """The names of the files uploaded with a scenario (its building file, its relations_file)."""
    return list(
        session.scalars(
            select(ScenarioFile.name).where(ScenarioFile.scenario_id == scenario_id).order_by(ScenarioFile.name)
        )
    )


# -- import and export ----------------------------------------------------------------------------------------------


def import_scenario(
    session: Session,
    yaml_bytes: bytes,
    files: Mapping[str, bytes],
    *,
    actor: User | str,
    now: datetime,
    name: str | None = None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> ScenarioRow:
    """Store a scenario read from its YAML and the files uploaded with it (a building file, a relations_file).

    The YAML is read by `layouts` as a file would be, the files it names taken only from ``files`` (an absolute
    path, ``..`` or a name not uploaded is refused with one message). Its layouts become rows of origin
    ``imported``; only the files it names are kept. `InvalidInput` (422) lists every problem; nothing is written."""
    source = "scenario"
    data = _document_from_yaml(yaml_bytes, source)
    scenario, used = _read(data, files, source=source, max_unpacked_bytes=max_unpacked_bytes)
    problems = [
        Problem(f"a layout name has at most {LAYOUT_NAME_LENGTH} characters", f"layouts.{n[:40]}...")
        for n in scenario.layouts
        if len(n) > LAYOUT_NAME_LENGTH
    ] + [
        Problem(f"a file name has at most {FILE_NAME_LENGTH} characters", "files", n[:40])
        for n in used
        if len(n) > FILE_NAME_LENGTH
    ]
    if problems:
        raise InvalidInput(problems, source=source)
    who = actor_id(actor)
    title = (name or str(data.get("name") or "") or "scenario").strip()[:NAME_LENGTH] or "scenario"
    row = ScenarioRow(
        name=title,
        document={k: v for k, v in data.items() if k != "layouts"},
        created_by=who,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    for file_name, content in sorted(used.items()):
        session.add(ScenarioFile(scenario_id=row.id, name=file_name, content=content))
    for layout in scenario.layouts.values():
        session.add(
            ScenarioLayout(
                scenario_id=row.id,
                name=layout.name,
                layout=_seats(layout),
                origin=LayoutOrigin.IMPORTED.value,
                author=who,
                created_at=now,
            )
        )
    session.flush()
    record(
        session,
        actor=who,
        action="import_scenario",
        entity="scenario",
        entity_id=row.id,
        now=now,
        after={"name": row.name, "files": sorted(used), "layouts": list(scenario.layouts)},
    )
    return row


def _seats(layout: Layout) -> dict[str, dict[str, int]]:
    return {unit: dict(seats) for unit, seats in layout.seats.items()}


def scenario_mapping(session: Session, scenario_id: int) -> dict[str, Any]:
    """The scenario as its YAML mapping: the stored document with ``layouts:`` (in the order they were added)."""
    row = scenario_or_404(session, scenario_id)
    data = dict(row.document)
    data["layouts"] = {lay.name: lay.layout for lay in _stored_layouts(session, scenario_id)}
    return data


def export_scenario(session: Session, scenario_id: int) -> str:
    """The scenario as YAML (DESIGN.md's contract), every layout included. Imported again with the same files, it
    gives an equal scenario (the same document, layouts and files)."""
    data = scenario_mapping(session, scenario_id)
    header = f"# floorwise scenario {scenario_id}, exported with its {len(data['layouts'])} layouts\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)


# -- loading and scoring --------------------------------------------------------------------------------------------


def _loaded(session: Session, scenario_id: int) -> LoadedScenario:
    found = session.execute(
        select(ScenarioRow.updated_at, func.max(ScenarioLayout.id))
        .outerjoin(ScenarioLayout, ScenarioLayout.scenario_id == ScenarioRow.id)
        .where(ScenarioRow.id == scenario_id)
        .group_by(ScenarioRow.id, ScenarioRow.updated_at)
    ).first()
    if found is None:
        raise NotFound("no scenario %(id)s", words={"id": scenario_id})
    bind = session.get_bind()
    key = (bind.engine.url.render_as_string(), scenario_id, found[0], found[1] or 0)

    def load() -> Scenario:
        data = scenario_mapping(session, scenario_id)
        scenario, _used = _read(data, _stored_files(session, scenario_id), source=f"scenario {scenario_id}")
        return scenario

    return SCENARIOS.get(key, load)


def load_scenario(session: Session, scenario_id: int) -> Scenario:
    """The scenario with all its layouts, as `layouts` reads it (kept per process, see `scenario_cache`)."""
    return _loaded(session, scenario_id).scenario


def _checked_layout(scenario: Scenario, name: str, layout: SeatsByUnit) -> Layout:
    """``layout`` read by `layouts` against ``scenario``'s units and building: leaf units only, every leaf seated,
    known places, whole seats, no floor or space past its capacity. `InvalidInput` (422) otherwise."""
    data = {"units": scenario.raw.get("units"), "layouts": {name: layout}}
    try:
        read = scenario_from_dict(data, building=scenario.building, source="layout")
    except InvalidScenario as exc:
        raise _invalid(exc, "layout") from None
    checked = read.layouts[name]
    unknown = sorted({p for seats in checked.seats.values() for p in seats if not scenario.place_index.knows(p)})
    if unknown:
        # A space that holds no seats in the scenario's own layouts has no place in its travel matrix.
        raise InvalidInput(
            [Problem(f"names {', '.join(unknown[:5])}, spaces without seats; give floors or spaces with seats")],
            source="layout",
        )
    return checked


def _baseline(scenario: Scenario, baseline: str | None) -> Layout:
    try:
        return scenario.layout(baseline)
    except InvalidScenario as exc:
        raise InvalidInput([Problem(str(p), "baseline") for p in exc.problems]) from None


def score_layout(
    session: Session, scenario_id: int, layout: SeatsByUnit, *, baseline: str | None = None
) -> dict[str, Any]:
    """Score ``layout`` ({unit: {floor or space: seats}}) without saving it: the figures of `floorwise score
    --json`, its ``check`` (constraints broken, units given fewer seats than they need) and, against ``baseline``
    (default the scenario's first layout), the ``change`` of each figure and the people moved."""
    return score_loaded(loaded_scenario(session, scenario_id), layout, baseline=baseline)


def loaded_scenario(session: Session, scenario_id: int) -> LoadedScenario:
    """The scenario with its scoring model, from the process's cache (`NotFound` when there is none)."""
    return _loaded(session, scenario_id)


def layout_seats(loaded: LoadedScenario, name: str) -> dict[str, dict[str, int]]:
    """The seats of the scenario's layout ``name``; `InvalidInput` naming ``from`` when it has none."""
    try:
        return _seats(loaded.scenario.layout(name))
    except InvalidScenario as exc:
        raise InvalidInput([Problem(str(p), "from") for p in exc.problems]) from None


def score_loaded(loaded: LoadedScenario, layout: SeatsByUnit, *, baseline: str | None = None) -> dict[str, Any]:
    """`score_layout` on a scenario already loaded: no database, so a caller may end its transaction first."""
    scenario = loaded.scenario
    base = _baseline(scenario, baseline)
    candidate = _checked_layout(scenario, "layout", layout)
    try:
        score = score_figures(scenario, candidate, model=loaded.model)
    except InvalidScenario as exc:  # units that meet on floors no lift or stair links
        raise _invalid(exc, "layout") from None
    base_score = loaded.score_of(base.name)
    moved = people_moved(scenario, candidate, base)
    out = score.to_dict()
    short = [u.unit for u in score.units if u.seats < u.seats_needed]
    out["check"] = {
        "ok": not score.violations and not short,
        "violations": out["violations"],  # layouts.checks.constraint_violations, as the score reports them
        "units_short_of_seats": short,
    }
    out["baseline"] = base.name
    out["change"] = {k: getattr(score, k) - getattr(base_score, k) for k in KPIS}
    out["people_moved"] = sum(moved.values())
    out["moved_by_unit"] = moved
    out["layout_seats"] = _seats(candidate)
    return out


def apply_move(
    layout: SeatsByUnit, unit: str, from_floor: str, to_floor: str, seats: int | None = None
) -> dict[str, dict[str, int]]:
    """A copy of ``layout`` with ``seats`` of ``unit``'s seats (default all) moved from the place ``from_floor`` to
    ``to_floor`` (floor names or space ids as the layout writes them). `InvalidInput` (422) naming the field."""
    out = {u: dict(s) for u, s in layout.items()}
    if unit not in out:
        raise InvalidInput([Problem(f"{unit!r} has no seats in the layout", "move", "unit")])
    here = out[unit].get(from_floor, 0)
    if here <= 0:
        places = ", ".join(sorted(out[unit])) or "none"
        problem = Problem(f"{unit!r} has no seats on {from_floor!r} (it is on {places})", "move", "from_floor")
        raise InvalidInput([problem])
    if to_floor == from_floor:
        raise InvalidInput([Problem("is the floor the seats are on", "move", "to_floor")])
    count = here if seats is None else seats
    if not 1 <= count <= here:
        raise InvalidInput([Problem(f"must be from 1 to {here}, the seats {unit!r} has there", "move", "seats")])
    out[unit][from_floor] = here - count
    if out[unit][from_floor] == 0:
        del out[unit][from_floor]
    out[unit][to_floor] = out[unit].get(to_floor, 0) + count
    return out


def compare(session: Session, scenario_id: int, baseline: str | None = None) -> dict[str, Any]:
    """Every layout against ``baseline`` (default the first): the figures of `floorwise compare --json`."""
    loaded = _loaded(session, scenario_id)
    _baseline(loaded.scenario, baseline)
    return compare_layouts(loaded.scenario, baseline=baseline, model=loaded.model).to_dict()


# -- changes --------------------------------------------------------------------------------------------------------


def _candidates(name: str) -> list[str]:
    base = name.strip()[:LAYOUT_NAME_LENGTH] or "layout"
    out = [base]
    for i in range(2, MAX_SUFFIX + 1):
        suffix = f"-{i}"
        out.append(base[: LAYOUT_NAME_LENGTH - len(suffix)] + suffix)
    return out


def save_layout(
    session: Session,
    scenario_id: int,
    name: str,
    layout: SeatsByUnit,
    *,
    origin: LayoutOrigin | str,
    actor: User | str,
    now: datetime,
    settings: Mapping[str, Any] | None = None,
) -> ScenarioLayout:
    """Add ``layout`` to the scenario as ``name``, or ``name-2``, ``name-3``... when taken: a layout is never
    overwritten. Checked as `score_layout` checks it. Two saves at once both succeed under different names: the
    unique constraint on (scenario, name) refuses the second insert, which retries with the next free name."""
    loaded = _loaded(session, scenario_id)
    checked = _checked_layout(loaded.scenario, "layout", layout)
    origin_value = LayoutOrigin(origin).value
    who = actor_id(actor)
    for _attempt in range(MAX_SUFFIX):
        taken = set(session.scalars(select(ScenarioLayout.name).where(ScenarioLayout.scenario_id == scenario_id)))
        free = next((c for c in _candidates(name) if c not in taken), None)
        if free is None:
            break
        row = ScenarioLayout(
            scenario_id=scenario_id,
            name=free,
            layout=_seats(checked),
            origin=origin_value,
            settings=dict(settings) if settings is not None else None,
            author=who,
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # another transaction took the name meanwhile: look again
        record(
            session,
            actor=who,
            action="save_layout",
            entity="scenario",
            entity_id=scenario_id,
            now=now,
            after={"layout": row.name, "id": row.id, "origin": origin_value, "settings": row.settings},
        )
        return row
    raise InvalidInput([Problem(f"every name from {name!r} to {name!r}-{MAX_SUFFIX} is taken", "name")])


def update_scenario(
    session: Session, scenario_id: int, changes: Mapping[str, Any], *, actor: User | str, now: datetime
) -> ScenarioRow:
    """Replace some of the scenario's ``units``, ``relations`` (trips or SLP ratings A/E/I/O/U/X) and
    ``constraints`` (``None`` removes a section). The scenario is read again with every layout and file before
    anything is written: a change `layouts` refuses (a unit a layout seats removed, a constraint naming an unknown
    floor) raises `InvalidInput` listing every problem and writes nothing."""
    row = scenario_or_404(session, scenario_id)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput([Problem(f"cannot be changed here (only {', '.join(EDITABLE)})", k) for k in unknown])
    document = dict(row.document)
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = json.loads(json.dumps(value, default=str, ensure_ascii=False))
    data = {**document, "layouts": {lay.name: lay.layout for lay in _stored_layouts(session, scenario_id)}}
    _read(data, _stored_files(session, scenario_id), source=f"scenario {scenario_id}")
    before = {k: row.document.get(k) for k in changes}
    row.document = document
    # Strictly later, even under a frozen clock: the caches of every server know the scenario by it.
    row.updated_at = max(now, row.updated_at + timedelta(microseconds=1))
    session.flush()
    record(
        session,
        actor=actor_id(actor),
        action="update_scenario",
        entity="scenario",
        entity_id=scenario_id,
        now=now,
        before=before,
        after={k: document.get(k) for k in changes},
    )
    return row
