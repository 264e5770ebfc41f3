"""Errors of the layouts package: each says what is wrong and where (file, section, entry, field)."""

from __future__ import annotations

from collections.abc import Iterable

from floorplan.errors import Problem


class LayoutsError(Exception):
    """Base of every error raised by layouts."""


class InvalidScenario(LayoutsError):
    """A scenario (or a file meant to hold one) has faults; ``problems`` lists all that were found."""

    def __init__(self, problems: Iterable[Problem], *, source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return f"{head}{self.problems[0]}"
        return "\n".join([f"{head}{len(self.problems)} problems:"] + [f"  - {p}" for p in self.problems])


class Infeasible(LayoutsError):
    """No layout can meet the scenario's constraints; the message says which constraint cannot be met."""
