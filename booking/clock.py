"""The time now, as a dependency: services take ``now`` as an argument, and the API asks a `Clock` for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that says what it is told (tests, demos); ``at`` must be timezone-aware."""

    at: datetime

    def now(self) -> datetime:
        return self.at
