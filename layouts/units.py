"""The organisation: departments (部), sections (課) and teams (係), their people and the seats they need."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

#: Seats per person for the free-address share of a unit, when neither the unit nor its parents say (DESIGN.md).
DEFAULT_DESK_RATIO = 0.8
#: Trips a person makes per week to colleagues of their own unit (DESIGN.md).
DEFAULT_INTERNAL_TRIPS_PER_PERSON = 5.0


@dataclass(frozen=True, slots=True)
class Unit:
    """A department, section or team.

    Only units without children (leaves) have people and take seats; a parent's headcount is its leaves' sum.
    ``fixed_share`` is the share of people who keep a fixed seat; the rest share free-address desks at
    ``desk_ratio`` seats per person. ``None`` means "as the parent unit, else the scenario's default".
    """

    id: str
    name: str = ""
    parent: str | None = None
    headcount: int = 0
    fixed_share: float | None = None
    desk_ratio: float | None = None
    internal_trips_per_person: float | None = None

    @property
    def label(self) -> str:
        return self.name or self.id


def seats_needed(headcount: int, *, fixed_share: float = 0.0, desk_ratio: float = DEFAULT_DESK_RATIO) -> int:
    """``ceil(headcount * (fixed_share + (1 - fixed_share) * desk_ratio))``, computed exactly.

    The shares are taken as the decimals they are written as (0.8, not the binary float nearest to it), so that
    45 people at 0.8 need 36 seats, not 37.
    """
    fixed = Fraction(str(fixed_share))
    ratio = Fraction(str(desk_ratio))
    return math.ceil(headcount * (fixed + (1 - fixed) * ratio))


class Organisation:
    """Units as a tree: look-ups by id, leaves, ancestors, and figures inherited from parents."""

    def __init__(self, units: Iterable[Unit], *, internal_trips_per_person: float = DEFAULT_INTERNAL_TRIPS_PER_PERSON):
        self.units: dict[str, Unit] = {u.id: u for u in units}
        self.default_internal_trips = internal_trips_per_person
        self._children: dict[str, list[str]] = {uid: [] for uid in self.units}
        for u in self.units.values():
            if u.parent is not None and u.parent in self._children:
                self._children[u.parent].append(u.id)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def __getitem__(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units.values())

    def children(self, unit_id: str) -> list[str]:
        return list(self._children[unit_id])

    def is_leaf(self, unit_id: str) -> bool:
        return not self._children[unit_id]

    def leaves(self, unit_id: str | None = None) -> list[str]:
        """The leaf units under ``unit_id`` (itself if it is a leaf), or every leaf, in file order."""
        if unit_id is None:
            return [uid for uid in self.units if self.is_leaf(uid)]
        if self.is_leaf(unit_id):
            return [unit_id]
        out: list[str] = []
        for child in self._children[unit_id]:
            out += self.leaves(child)
        return out

    def ancestors(self, unit_id: str) -> list[str]:
        """Parent, grandparent, ... of ``unit_id`` (nearest first)."""
        out: list[str] = []
        parent = self.units[unit_id].parent
        while parent is not None and parent in self.units and parent not in out:
            out.append(parent)
            parent = self.units[parent].parent
        return out

    def department(self, unit_id: str) -> str:
        """The top-level unit above ``unit_id`` (itself if it has no parent)."""
        chain = self.ancestors(unit_id)
        return chain[-1] if chain else unit_id

    def headcount(self, unit_id: str) -> int:
        return sum(self.units[leaf].headcount for leaf in self.leaves(unit_id))

    def _inherited(self, unit_id: str, name: str) -> float | None:
        for uid in (unit_id, *self.ancestors(unit_id)):
            value = getattr(self.units[uid], name)
            if value is not None:
                return float(value)
        return None

    def fixed_share(self, unit_id: str) -> float:
        value = self._inherited(unit_id, "fixed_share")
        return 0.0 if value is None else value

    def desk_ratio(self, unit_id: str) -> float:
        value = self._inherited(unit_id, "desk_ratio")
        return DEFAULT_DESK_RATIO if value is None else value

    def internal_trips_per_person(self, unit_id: str) -> float:
        value = self._inherited(unit_id, "internal_trips_per_person")
        return self.default_internal_trips if value is None else value

    def seats_needed(self, unit_id: str) -> int:
        """Seats a unit needs; for a parent, the sum over its leaves."""
        return sum(self._leaf_seats[leaf] for leaf in self.leaves(unit_id))

    @cached_property
    def _leaf_seats(self) -> dict[str, int]:
        return {
            leaf: seats_needed(
                self.units[leaf].headcount, fixed_share=self.fixed_share(leaf), desk_ratio=self.desk_ratio(leaf)
            )
            for leaf in self.leaves()
        }

    def headcount_shares(self, unit_id: str) -> Mapping[str, float]:
        """How a relation naming ``unit_id`` is shared among its leaves: in proportion to their headcounts."""
        leaves = self.leaves(unit_id)
        total = sum(self.units[leaf].headcount for leaf in leaves)
        if total == 0:
            return {leaf: 1.0 / len(leaves) for leaf in leaves}
        return {leaf: self.units[leaf].headcount / total for leaf in leaves}
