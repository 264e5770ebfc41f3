"""Errors of the floorplan package: each says what is wrong and where (file, feature, field)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault found in a building: ``where`` names the feature (or sheet row), ``field`` the attribute."""

    message: str
    where: str = ""
    field: str = ""

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.where, f"field {self.field!r}" if self.field else "") if p)
        return f"{place}: {self.message}" if place else self.message


def problems_text(problems: Sequence[Problem], source: str = "") -> str:
    """The faults as one message: ``source: fault`` for one, else a count and one fault a line."""
    head = f"{source}: " if source else ""
    if len(problems) == 1:
        return f"{head}{problems[0]}"
    return "\n".join([f"{head}{len(problems)} problems:"] + [f"  - {p}" for p in problems])


class ProblemsError(Exception):
    """Base of the errors that list every fault found in an input (a building, a scenario, an uploaded file):
    ``problems`` in the order found, ``source`` the file or input they are in (may be empty).

    The three packages' (`InvalidBuilding`, `layouts.errors.InvalidScenario`, `booking.errors.InvalidInput`) derive
    from it, so a caller that reports faults catches one class. It passes any further arguments on, so that a
    subclass with another base (booking's errors carry an HTTP status) hands that base its message:
    ``super().__init__(problems, message, source=...)``; without one, the message is `problems_text`.
    """

    def __init__(self, problems: Iterable[Problem], *args: Any, source: str = "", **kwargs: Any) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(*(args or (problems_text(self.problems, source),)), **kwargs)

    def __str__(self) -> str:
        return problems_text(self.problems, self.source)


class FloorplanError(Exception):
    """Base of every error raised by floorplan."""


class InvalidBuilding(FloorplanError, ProblemsError):
    """A building (or a file meant to hold one) has faults; ``problems`` lists all that were found."""


class ArchiveTooLarge(FloorplanError, ProblemsError):
    """A zip archive (an IMDF .zip, an .xlsx) unpacks to more than its limit: ``member`` is the one that passed it.

    ``declared`` is what the member says it unpacks to; ``unpacked`` the bytes of the whole archive counted when
    reading stopped (None when the declared sizes alone were past the limit and nothing was unpacked).
    """

    def __init__(self, member: str, *, limit: int, declared: int, unpacked: int | None, source: str = "") -> None:
        self.member = member
        self.limit = limit
        self.declared = declared
        self.unpacked = unpacked
        if unpacked is None:
            what = f"declares {declared:,} bytes unpacked, which takes the archive"
        else:
            what = f"unpacks to more than it declares ({declared:,} bytes), which takes the archive"
        mib = f" ({limit / 2**20:.4g} MiB)" if limit >= 2**20 else ""
        message = f"{what} past the {limit:,} bytes{mib} an archive may unpack to"
        super().__init__([Problem(message, f"member {member!r}")], source=source)


class UnknownPlace(FloorplanError, KeyError):
    """A floor or space named by the user does not exist in the building."""

    def __init__(self, name: str, *, choices: Iterable[str] = ()) -> None:
        self.name = name
        self.choices = tuple(choices)
        super().__init__(name)

    def __str__(self) -> str:
        hint = ""
        if self.choices:
            shown = ", ".join(self.choices[:12])
            more = ", ..." if len(self.choices) > 12 else ""
            hint = f" (floors and spaces include: {shown}{more})"
        return f"no floor or space named {self.name!r}{hint}"
