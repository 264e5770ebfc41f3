"""How often units meet: trips per week between units, as a networkx graph over the leaf units.

A relation names two units and either ``trips`` (per week, both directions together) or a Systematic Layout
Planning ``rating``: A, E, I, O, U become trips by the scenario's table (default A 40, E 20, I 10, O 5, U 0); X is
not a weight but a constraint, "never on the same floor". Pairs named twice are summed.

A relation that names a unit with children is shared among its leaves in proportion to their headcounts: a trip
between departments D and E counts ``h_i/H_D * h_j/H_E`` for each pair of leaves i of D and j of E. A department
with itself is the same rule with E = D: every ordered pair of its leaves (i, j), a leaf with itself included,
takes ``h_i * h_j / H_D**2``, so an unordered pair of two sections takes twice that. Each leaf's own traffic,
``internal_trips_per_person * headcount``, is a relation of the leaf with itself (a self-loop of the graph).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import networkx as nx

from floorplan.errors import Problem
from layouts.errors import InvalidScenario, clipped, shown
from layouts.units import Organisation

DEFAULT_RATINGS: Mapping[str, float] = {"A": 40.0, "E": 20.0, "I": 10.0, "O": 5.0, "U": 0.0}
RATING_LETTERS = ("A", "E", "I", "O", "U", "X")


@dataclass(frozen=True, slots=True)
class Relation:
    """One line of a scenario's relations: two units and trips per week, or an SLP rating."""

    a: str
    b: str
    trips: float | None = None
    rating: str | None = None
    source: str = ""

    def weight(self, ratings: Mapping[str, float]) -> float:
        """Trips per week; 0 for an X rating (which is a constraint, not a weight)."""
        if self.trips is not None:
            return self.trips
        if self.rating is None or self.rating == "X":
            return 0.0
        return ratings[self.rating]


def relation_graph(
    organisation: Organisation,
    relations: Iterable[Relation],
    *,
    ratings: Mapping[str, float] = DEFAULT_RATINGS,
    internal: bool = True,
) -> nx.Graph:
    """The relation graph over leaf units: edge attribute ``trips`` (per week), self-loops for a unit's own traffic.

    Nodes carry ``headcount`` and ``department``. X ratings are not edges: see `apart_pairs`.
    """
    g: nx.Graph = nx.Graph()
    for leaf in organisation.leaves():
        g.add_node(leaf, headcount=organisation[leaf].headcount, department=organisation.department(leaf))
    for rel in relations:
        trips = rel.weight(ratings)
        if trips == 0:
            continue
        for (i, p), (j, q) in itertools.product(
            organisation.headcount_shares(rel.a).items(), organisation.headcount_shares(rel.b).items()
        ):
            _add(g, i, j, trips * p * q)
    if internal:
        for leaf in organisation.leaves():
            own = organisation.internal_trips_per_person(leaf) * organisation[leaf].headcount
            if own:
                _add(g, leaf, leaf, own)
    return g


def _add(g: nx.Graph, i: str, j: str, trips: float) -> None:
    if g.has_edge(i, j):
        g[i][j]["trips"] += trips
    else:
        g.add_edge(i, j, trips=trips)


def apart_pairs(organisation: Organisation, relations: Iterable[Relation]) -> set[frozenset[str]]:
    """Pairs of leaf units that an X rating keeps off the same floor."""
    out: set[frozenset[str]] = set()
    for rel in relations:
        if rel.rating == "X":
            for i in organisation.leaves(rel.a):
                for j in organisation.leaves(rel.b):
                    if i != j:
                        out.add(frozenset((i, j)))
    return out


def relations_from_csv(path: str | Path) -> list[Relation]:
    """Relations from a from-to matrix: a header row of unit ids, then one row per unit.

    A cell holds trips per week from the row's unit to the column's unit, or an SLP rating letter. Trips in the
    two directions of a pair are added; a rating may be written in one triangle or in both (then the same
    letter). The diagonal must be empty: a unit's own traffic is its ``internal_trips_per_person``.
    """
    path = Path(path)
    return relations_from_csv_text(path.read_bytes(), source=str(path))


def relations_from_csv_text(data: bytes | str, *, source: str) -> list[Relation]:
    """Relations from a from-to matrix's text (see `relations_from_csv`); ``source`` names the file in messages."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InvalidScenario([Problem(f"not UTF-8 text ({exc.reason})")], source=source) from None
    name = PurePosixPath(source.replace("\\", "/")).name
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    problems: list[Problem] = []
    if not rows:
        raise InvalidScenario([Problem("the matrix is empty")], source=source)
    header = [h.strip() for h in rows[0][1:]]
    trips: dict[frozenset[str], float] = {}
    letters: dict[frozenset[str], tuple[str, str]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            problems.append(Problem("has no unit id in its first column", f"row {n}"))
            continue
        a = row[0].strip()
        if len(row) - 1 > len(header):
            problems.append(Problem(f"has {len(row) - 1} cells but the header names {len(header)} units", f"row {n}"))
        for b, cell in zip(header, row[1:], strict=False):
            value = cell.strip()
            if not value or value == "0":
                continue
            where = f"row {n} ({clipped(a)}), column {shown(b)}"
            if a == b:
                problems.append(Problem("the diagonal must be empty: set internal_trips_per_person instead", where))
                continue
            pair = frozenset((a, b))
            if value.upper() in RATING_LETTERS:
                letter = value.upper()
                seen = letters.get(pair)
                if seen is not None and seen[0] != letter:
                    problems.append(Problem(f"rating {letter} disagrees with {seen[0]} at {seen[1]}", where))
                letters[pair] = (letter, where)
                continue
            try:
                number = float(value)
            except ValueError:
                problems.append(Problem(f"{shown(value)} is neither trips per week nor a rating A/E/I/O/U/X", where))
                continue
            if number < 0:
                problems.append(Problem(f"trips must not be negative ({value})", where))
                continue
            trips[pair] = trips.get(pair, 0.0) + number
    for pair in trips.keys() & letters.keys():
        problems.append(Problem("a pair has both trips and a rating", letters[pair][1]))
    if problems:
        raise InvalidScenario(problems, source=source)
    out = []
    for pair, t in trips.items():
        a, b = sorted(pair)
        out.append(Relation(a, b, trips=t, source=name))
    for pair, (letter, _) in letters.items():
        a, b = sorted(pair)
        out.append(Relation(a, b, rating=letter, source=name))
    return out
