"""Column types as the revisions knew them, frozen: a revision imports these, never the application's models.

A revision must do the same thing whenever it runs, whatever the application has become since, so nothing here
changes once a revision uses it; a type that must change is added beside the old one, under a new name, for the
revisions after.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, timezone-aware UTC in Python (as `booking.models.base.UTCDateTime` was at revision 0001).

    PostgreSQL stores ``timestamptz``. SQLite has no time zones: values are stored as UTC text of fixed width
    (``2026-04-01 00:30:00.000000``), so that comparing the text compares the times.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given where a UTC time is stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
