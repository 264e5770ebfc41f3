"""The forms that edit a scenario's units, relations and constraints, read into the sections of its YAML mapping
that `booking.services.scenarios.update_scenario` takes (which reads the scenario again and refuses what does not
read). Parsing here only turns form fields into those sections, saying which line or field is wrong."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from floorplan.errors import Problem
from layouts.relations import RATING_LETTERS

#: What a cell of the relations matrix offers, besides keeping a relation given in trips.
RATINGS = tuple(RATING_LETTERS)
PAIR = "{a}|{b}"


class FormProblems(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = tuple(problems)


def _number(text: str, where: str, field: str, *, whole: bool, low: float, high: float) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value: int | float = int(text) if whole else float(text)
    except ValueError:
        problem = Problem(f"must be a number from {low:g} to {high:g}, not {text[:20]!r}", where, field)
        raise FormProblems([problem]) from None
    if not low <= value <= high:
        raise FormProblems([Problem(f"must be from {low:g} to {high:g}", where, field)])
    return value


def units_from_form(units: Sequence[Mapping[str, Any]], form: FormData) -> list[dict[str, Any]]:
    """The document's ``units:`` with each unit's headcount, fixed share and desk ratio as the form gives them
    (an empty share or ratio: as its parent's)."""
    out: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for unit in units:
        uid = str(unit.get("id"))
        changed = dict(unit)
        where = f"unit {uid!r}"
        try:
            if f"headcount.{uid}" in form:
                headcount = _number(str(form[f"headcount.{uid}"]), where, "headcount", whole=True, low=0, high=100_000)
                changed["headcount"] = headcount or 0
            for field in ("fixed_share", "desk_ratio"):
                key = f"{field}.{uid}"
                if key in form:
                    value = _number(str(form[key]), where, field, whole=False, low=0, high=1)
                    if value is None:
                        changed.pop(field, None)
                    else:
                        changed[field] = value
        except FormProblems as exc:
            problems += exc.problems
        out.append(changed)
    if problems:
        raise FormProblems(problems)
    return out


@dataclass(frozen=True, slots=True)
class Cell:
    a: str
    b: str
    value: str  # "", a rating letter, or "trips:N" for a relation given in trips


def relation_cells(relations: Sequence[Any]) -> dict[frozenset[str], str]:
    """The document's ``relations:`` as one value per unordered pair (a later entry wins, as in the matrix)."""
    cells: dict[frozenset[str], str] = {}
    for entry in relations or ():
        if isinstance(entry, list) and len(entry) == 3:
            a, b, trips = entry
            cells[frozenset((str(a), str(b)))] = f"trips:{trips:g}" if isinstance(trips, int | float) else ""
        elif isinstance(entry, Mapping) and "a" in entry and "b" in entry:
            pair = frozenset((str(entry["a"]), str(entry["b"])))
            if entry.get("rating") is not None:
                cells[pair] = str(entry["rating"]).upper()
            elif isinstance(entry.get("trips"), int | float):
                cells[pair] = f"trips:{entry['trips']:g}"
    return cells


def relations_from_form(unit_ids: Sequence[str], form: FormData) -> list[Any]:
    """``relations:`` from the matrix: one entry per pair with a rating (or its trips kept), in the units' order."""
    out: list[Any] = []
    problems: list[Problem] = []
    for i, a in enumerate(unit_ids):
        for b in unit_ids[i:]:
            value = str(form.get(PAIR.format(a=a, b=b), "")).strip()
            if not value:
                continue
            if value.upper() in RATINGS:
                out.append({"a": a, "b": b, "rating": value.upper()})
            elif value.startswith("trips:"):
                trips = _number(value[6:], f"relation {a} - {b}", "trips", whole=False, low=0, high=1_000_000)
                if trips is not None:
                    out.append([a, b, trips])
            else:
                problems.append(Problem(f"{value[:10]!r} is not A, E, I, O, U or X", f"relation {a} - {b}", "rating"))
    if problems:
        raise FormProblems(problems)
    return out


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def constraints_from_form(constraints: Mapping[str, Any], form: FormData) -> dict[str, Any]:
    """``constraints:`` with fixed, closed floors, apart and max floors as the form gives them (the other keys kept)."""
    out = {k: v for k, v in constraints.items() if k not in ("fixed", "closed_floors", "apart", "max_floors")}
    problems: list[Problem] = []
    fixed: dict[str, list[str]] = {}
    for n, line in _lines(str(form.get("fixed", ""))):
        unit, colon, floors = line.partition(":")
        names = [f.strip() for f in floors.replace("、", ",").split(",") if f.strip()]
        if not colon or not unit.strip() or not names:
            problems.append(Problem("write it as unit: floor, floor", f"fixed, line {n}"))
            continue
        fixed[unit.strip()] = names
    apart: list[list[str]] = []
    for n, line in _lines(str(form.get("apart", ""))):
        pair = [u.strip() for u in line.replace("、", ",").split(",") if u.strip()]
        if len(pair) != 2:
            problems.append(Problem("write it as unit, unit", f"apart, line {n}"))
            continue
        apart.append(pair)
    most: dict[str, int] = {}
    for n, line in _lines(str(form.get("max_floors", ""))):
        unit, colon, count = line.partition(":")
        if not colon or not unit.strip() or not count.strip().isdigit() or not 1 <= int(count) <= 1000:
            problems.append(Problem("write it as unit: number (1 or more)", f"max_floors, line {n}"))
            continue
        most[unit.strip()] = int(count)
    if problems:
        raise FormProblems(problems)
    closed = [str(f) for f in form.getlist("closed_floors")]
    if fixed:
        out["fixed"] = fixed
    if closed:
        out["closed_floors"] = closed
    if apart:
        out["apart"] = apart
    if most:
        out["max_floors"] = most
    return out


def constraint_texts(constraints: Mapping[str, Any]) -> dict[str, str]:
    """The textareas' contents for the constraints as the document has them."""
    fixed = constraints.get("fixed") or {}
    apart = constraints.get("apart") or []
    most = constraints.get("max_floors") or {}
    return {
        "fixed": "\n".join(f"{u}: {', '.join(map(str, f if isinstance(f, list) else [f]))}" for u, f in fixed.items()),
        "apart": "\n".join(", ".join(map(str, pair)) for pair in apart if isinstance(pair, list)),
        "max_floors": "\n".join(f"{u}: {k}" for u, k in most.items()),
    }
