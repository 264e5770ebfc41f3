"""Errors of the layouts package: each says what is wrong and where (file, section, entry, field)."""

from __future__ import annotations

from floorplan.errors import ProblemsError
from floorplan.importing import QUOTE_LIMIT, cap_quotes


class LayoutsError(Exception):
    """Base of every error raised by layouts."""


class InvalidScenario(LayoutsError, ProblemsError):
    """A scenario (or a file meant to hold one) has faults; ``problems`` lists all that were found."""


class Infeasible(LayoutsError):
    """No layout can meet the scenario's constraints; the message says which constraint cannot be met."""


class UnresolvedFile(LayoutsError):
    """A file a scenario names cannot be had from its resolver (`layouts.resolvers`).

    For what was uploaded, every reason (an absolute or ``..`` path, a folder, a symlink, a name not uploaded) gives
    the same message, so that the message tells nothing of the server's disk.
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{shown(self.name)} {self.reason}"


def shown(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters of the value: a file's content is never quoted
    at length."""
    return cap_quotes(repr(value), limit) if isinstance(value, str) else clipped(repr(value), limit)


def clipped(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``str(value)`` for a message, unquoted, cut to ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"
