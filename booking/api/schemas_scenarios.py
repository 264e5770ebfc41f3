"""Request and response bodies of the scenarios API, with the examples the OpenAPI document shows. The figures are
those of `floorwise score --json` and `floorwise compare --json` (`layouts.scoring`, `layouts.compare`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from annotated_types import Interval, MaxLen
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from booking.web.bounds import Key, Name, NoNul

#: The most units (and relations) one request may carry; the body limit (1 MiB) holds it well below this anyway.
MAX_UNITS = 5000
MAX_RELATIONS = 50_000
#: The most seats one unit may have in one place.
MAX_SEATS = 1_000_000

#: A layout's name (``String(100)``).
LayoutName = Annotated[str, StringConstraints(min_length=1, max_length=100), NoNul()]
Seats = Annotated[int, Interval(ge=0, le=MAX_SEATS)]
#: Seats per unit and place: ``{unit: {floor name or space id: seats}}``.
SeatsLayout = Annotated[dict[Key, Annotated[dict[Key, Seats], MaxLen(1000)]], MaxLen(MAX_UNITS)]
Share = Annotated[float, Interval(ge=0, le=1)]
Trips = Annotated[float, Interval(ge=0, le=1_000_000)]

NOW_SEATS: dict[str, Any] = {
    "kumin.koseki": {"2F": 60},
    "kumin.zeimu": {"6F": 44},
    "kumin.kokuho": {"3F": 36},
}
TIME = "2026-04-01T09:00:00Z"
LAYOUT_EXAMPLE: dict[str, Any] = {
    "id": 14,
    "name": "idea",
    "origin": "edited",
    "author": "tanaka",
    "created_at": TIME,
    "settings": None,
}
FIGURES_EXAMPLE: dict[str, Any] = {
    "layout": "layout",
    "travel_hours_per_week": 19.93,
    "vertical_hours_per_week": 2.91,
    "vertical_trips_per_week": 275.0,
    "floors_crossed_per_week": 837.0,
    "split_units": [{"unit": "kumin.zeimu", "floors": {"5F": 20, "6F": 24}}],
    "seats": [{"floor": "2F", "level": 2, "needed": 60, "available": 64}],
    "units": [
        {"unit": "kumin.koseki", "headcount": 60, "seats_needed": 60, "seats": 60, "floors": {"2F": 60}},
    ],
    "top_pairs": [
        {
            "a": "kumin.koseki",
            "b": "kumin.kokuho",
            "trips_per_week": 40.0,
            "hours_per_week": 1.21,
            "vertical_hours_per_week": 0.52,
        }
    ],
    "violations": [
        {
            "kind": "apart",
            "units": ["kumin.keizai", "kodomo.shien"],
            "floors": ["5F"],
            "text": "kumin.keizai and kodomo.shien are to be kept apart but share 5F",
        }
    ],
}


class LayoutSummaryRead(BaseModel):
    """A layout of a scenario: who added it, when, and how (imported, edited, optimised with its settings, proposal)."""

    model_config = ConfigDict(json_schema_extra={"examples": [LAYOUT_EXAMPLE]})

    id: int
    name: str
    origin: Literal["imported", "edited", "optimised", "proposal"]
    author: str | None
    created_at: dt.datetime
    settings: dict[str, Any] | None


class LayoutRead(LayoutSummaryRead):
    """A layout with its seats."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**LAYOUT_EXAMPLE, "layout": NOW_SEATS}]})

    layout: dict[str, dict[str, int]]


class ScenarioSummaryRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "name": "区民部・子ども家庭部・福祉部 (demo)",
                    "created_by": "tanaka",
                    "created_at": TIME,
                    "updated_at": TIME,
                    "layouts": [{**LAYOUT_EXAMPLE, "id": 12, "name": "now", "origin": "imported"}, LAYOUT_EXAMPLE],
                }
            ]
        }
    )

    id: int
    name: str
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    layouts: list[LayoutSummaryRead]


class ScenarioRead(ScenarioSummaryRead):
    """A scenario as stored: its YAML mapping without ``layouts`` (``document``), the names of the files uploaded
    with it, and its layouts with their seats (the first is the default baseline)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "name": "ward office",
                    "created_by": "tanaka",
                    "created_at": TIME,
                    "updated_at": TIME,
                    "document": {
                        "name": "ward office",
                        "building": "civic.building.geojson",
                        "units": [{"id": "kumin.koseki", "name": "戸籍住民課", "headcount": 60, "fixed_share": 1.0}],
                        "relations": [{"a": "kumin.koseki", "b": "kumin.kokuho", "rating": "A"}],
                        "constraints": {"fixed": {"kumin.koseki": ["2F"]}},
                    },
                    "files": ["civic.building.geojson"],
                    "layouts": [{**LAYOUT_EXAMPLE, "name": "now", "origin": "imported", "layout": NOW_SEATS}],
                }
            ]
        }
    )

    document: dict[str, Any]
    files: list[str]
    layouts: list[LayoutRead]  # type: ignore[assignment]


class MoveWrite(BaseModel):
    """Move ``seats`` of a unit's seats (default: all it has there) from one floor (or space) to another."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"unit": "kumin.zeimu", "from_floor": "6F", "to_floor": "3F", "seats": 20}]},
    )

    unit: Key
    from_floor: Key
    to_floor: Key
    seats: Annotated[int, Interval(ge=1, le=MAX_SEATS)] | None = None


class ScoreRequest(BaseModel):
    """A whole layout, or a layout of the scenario (``from``) with a ``move``; scored against ``baseline`` (default:
    the scenario's first layout)."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {"from": "now", "move": {"unit": "kumin.zeimu", "from_floor": "6F", "to_floor": "3F", "seats": 20}},
                {"layout": NOW_SEATS, "baseline": "now"},
            ]
        },
    )

    layout: SeatsLayout | None = None
    from_: LayoutName | None = Field(default=None, alias="from")
    move: MoveWrite | None = None
    baseline: LayoutName | None = None

    @model_validator(mode="after")
    def _one_layout(self) -> ScoreRequest:
        if (self.layout is None) == (self.from_ is None):
            raise ValueError("give either layout or from (with a move)")
        if self.move is not None and self.from_ is None:
            raise ValueError("a move is made from a layout of the scenario: give from")
        return self


class CheckRead(BaseModel):
    ok: bool
    violations: list[dict[str, Any]]
    units_short_of_seats: list[str]


class LayoutFiguresRead(BaseModel):
    """The figures of `floorwise score --json` for one layout (the fields a score and a comparison share)."""

    layout: str
    travel_hours_per_week: float
    vertical_hours_per_week: float
    vertical_trips_per_week: float
    floors_crossed_per_week: float
    split_units: list[dict[str, Any]]
    seats: list[dict[str, Any]]
    units: list[dict[str, Any]]
    top_pairs: list[dict[str, Any]]
    violations: list[dict[str, Any]]


class ScoreRead(LayoutFiguresRead):
    """The figures of `floorwise score --json`, the constraint check, and the change against the baseline."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **FIGURES_EXAMPLE,
                    "check": {"ok": False, "violations": FIGURES_EXAMPLE["violations"], "units_short_of_seats": []},
                    "baseline": "now",
                    "change": {
                        "travel_hours_per_week": -7.4,
                        "vertical_hours_per_week": -5.8,
                        "vertical_trips_per_week": -254.0,
                        "floors_crossed_per_week": -1830.0,
                    },
                    "people_moved": 20.0,
                    "moved_by_unit": {"kumin.zeimu": 20.0},
                    "layout_seats": NOW_SEATS,
                }
            ]
        }
    )

    check: CheckRead
    baseline: str
    change: dict[str, float]
    people_moved: float
    moved_by_unit: dict[str, float]
    layout_seats: dict[str, dict[str, int]] = Field(description="The layout scored (after the move).")


class ComparedLayoutRead(LayoutFiguresRead):
    change: dict[str, float]
    people_moved: float
    moved_by_unit: dict[str, float]
    units_split: int
    pairs_changed_most: list[dict[str, Any]]


class CompareRead(BaseModel):
    """The figures of `floorwise compare --json`: every layout with its change against the baseline."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scenario": "ward office",
                    "baseline": "now",
                    "layouts": [
                        {
                            **FIGURES_EXAMPLE,
                            "layout": "now",
                            "change": {"travel_hours_per_week": 0.0},
                            "people_moved": 0.0,
                            "moved_by_unit": {},
                            "units_split": 1,
                            "pairs_changed_most": [],
                        }
                    ],
                }
            ]
        }
    )

    scenario: str
    baseline: str
    layouts: list[ComparedLayoutRead]


class LayoutCreate(BaseModel):
    """A layout to add under ``name`` (``name-2``, ``name-3``... when taken: layouts are never overwritten)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "idea", "layout": NOW_SEATS}]})

    name: LayoutName
    layout: SeatsLayout


class ScenarioUnitWrite(BaseModel):
    """A unit of the scenario as its YAML writes it (headcounts on sections; shares inherited from the parent)."""

    model_config = ConfigDict(extra="forbid")

    id: Key
    name: Name | None = None
    parent: Key | None = None
    headcount: Annotated[int, Interval(ge=0, le=MAX_SEATS)] | None = None
    fixed_share: Share | None = None
    desk_ratio: Share | None = None
    internal_trips_per_person: Trips | None = None


class ScenarioRelationWrite(BaseModel):
    """Two units and trips per week, or an SLP rating (A, E, I, O, U; X keeps them off one floor)."""

    model_config = ConfigDict(extra="forbid")

    a: Key
    b: Key
    trips: Trips | None = None
    rating: Literal["A", "E", "I", "O", "U", "X"] | None = None
    note: Annotated[str, StringConstraints(max_length=500), NoNul()] | None = None


class ScenarioConstraintsWrite(BaseModel):
    """The scenario's constraints (floors by name); what is left out is not constrained."""

    model_config = ConfigDict(extra="forbid")

    available_floors: Annotated[list[Key], MaxLen(1000)] | None = None
    fixed: Annotated[dict[Key, Annotated[list[Key], MaxLen(1000)]], MaxLen(MAX_UNITS)] | None = None
    closed_floors: Annotated[list[Key], MaxLen(1000)] | None = None
    max_floors: Annotated[dict[Key, Annotated[int, Interval(ge=1, le=1000)]], MaxLen(MAX_UNITS)] | None = None
    adjacent: Annotated[list[Key], MaxLen(MAX_UNITS)] | None = None
    apart: Annotated[list[tuple[Key, Key]], MaxLen(MAX_RELATIONS)] | None = None
    split: Annotated[list[Key], MaxLen(MAX_UNITS)] | None = None


class ScenarioUpdate(BaseModel):
    """Sections to replace; a section left out stays as it is, ``constraints: null`` removes every constraint."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "relations": [
                        {"a": "kumin.koseki", "b": "kumin.kokuho", "rating": "A"},
                        {"a": "kumin.keizai", "b": "kodomo.shien", "rating": "X"},
                        {"a": "kumin.zeimu", "b": "kumin.kokuho", "trips": 25},
                    ],
                    "constraints": {
                        "fixed": {"kumin.koseki": ["2F"]},
                        "closed_floors": ["9F"],
                        "apart": [["kumin.zeimu", "fukushi.kaigo"]],
                        "max_floors": {"kumin": 3},
                    },
                },
                {"units": [{"id": "kumin"}, {"id": "kumin.koseki", "parent": "kumin", "headcount": 62}]},
            ]
        },
    )

    units: Annotated[list[ScenarioUnitWrite], MaxLen(MAX_UNITS)] | None = None
    relations: Annotated[list[ScenarioRelationWrite], MaxLen(MAX_RELATIONS)] | None = None
    constraints: ScenarioConstraintsWrite | None = None

    def changes(self) -> dict[str, Any]:
        """The sections sent, as the scenario's YAML writes them (fields left out are not written as null)."""
        out: dict[str, Any] = {}
        sent = self.model_fields_set
        if "units" in sent:
            out["units"] = None if self.units is None else [u.model_dump(exclude_none=True) for u in self.units]
        if "relations" in sent:
            out["relations"] = (
                None if self.relations is None else [r.model_dump(exclude_none=True) for r in self.relations]
            )
        if "constraints" in sent:
            out["constraints"] = None if self.constraints is None else self.constraints.model_dump(exclude_none=True)
        return out
