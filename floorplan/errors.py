"""Errors of the floorplan package: each says what is wrong and where (file, feature, field)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault found in a building: ``where`` names the feature (or sheet row), ``field`` the attribute."""

    message: str
    where: str = ""
    field: str = ""

    def __str__(self) -> str:
        place = ", ".join(p for p in (self.where, f"field {self.field!r}" if self.field else "") if p)
        return f"{place}: {self.message}" if place else self.message


class FloorplanError(Exception):
    """Base of every error raised by floorplan."""


class InvalidBuilding(FloorplanError):
    """A building (or a file meant to hold one) has faults; ``problems`` lists all that were found."""

    def __init__(self, problems: Iterable[Problem], *, source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source}: " if self.source else ""
        n = len(self.problems)
        if n == 1:
            return f"{head}{self.problems[0]}"
        lines = [f"{head}{n} problems:"] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ArchiveTooLarge(FloorplanError):
    """A zip archive (an IMDF .zip, an .xlsx) unpacks to more than its limit: ``member`` is the one that passed it.

    ``declared`` is what the member says it unpacks to; ``unpacked`` the bytes of the whole archive counted when
    reading stopped (None when the declared sizes alone were past the limit and nothing was unpacked).
    """

    def __init__(self, member: str, *, limit: int, declared: int, unpacked: int | None, source: str = "") -> None:
        self.member = member
        self.limit = limit
        self.declared = declared
        self.unpacked = unpacked
        self.source = source
        if unpacked is None:
            what = f"declares {declared:,} bytes unpacked, which takes the archive"
        else:
            what = f"unpacks to more than it declares ({declared:,} bytes), which takes the archive"
        mib = f" ({limit / 2**20:.4g} MiB)" if limit >= 2**20 else ""
        message = f"{what} past the {limit:,} bytes{mib} an archive may unpack to"
        self.problems = (Problem(message, f"member {member!r}"),)
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source}: " if self.source else ""
        return f"{head}{self.problems[0]}"


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
