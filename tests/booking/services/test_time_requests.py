"""Which time was asked for: a preset or a span, and the interval each means in a building."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from booking.errors import InvalidRequest
from booking.services.desks import zone_info
from booking.services.intervals import Interval, OfficeHours, Slot
from booking.services.time_requests import Preset, Span, resolve, time_request

TOKYO = zone_info("Asia/Tokyo")
HOURS = OfficeHours(time(8, 30), time(17, 15), time(12, 0))
WED = date(2026, 4, 1)


def test_a_preset_or_a_span() -> None:
    assert time_request(day=WED, slot="am") == Preset(WED, Slot.AM)
    assert time_request(day=WED) == Preset(WED, Slot.FULL)  # a day alone is a full day
    start, end = datetime(2026, 4, 1, 13, 0), datetime(2026, 4, 1, 15, 0)
    assert time_request(start=start, end=end) == Span(start, end)
    assert time_request(start="2026-04-01T13:00", end="2026-04-01T15:00") == Span(start, end)


def test_today_stands_in_for_a_missing_date_only() -> None:
    assert time_request(slot=Slot.PM, today=WED) == Preset(WED, Slot.PM)
    assert time_request(day=date(2026, 4, 2), today=WED) == Preset(date(2026, 4, 2), Slot.FULL)
    start, end = datetime(2026, 4, 1, 13, 0), datetime(2026, 4, 1, 15, 0)
    assert time_request(start=start, end=end, today=WED) == Span(start, end)


@pytest.mark.parametrize(
    "asked",
    [
        {},
        {"slot": "am"},
        {"start": "2026-04-01T13:00"},
        {"end": "2026-04-01T15:00"},
        {"day": WED, "start": "2026-04-01T13:00", "end": "2026-04-01T15:00"},
        {"slot": "am", "start": "2026-04-01T13:00", "end": "2026-04-01T15:00"},
    ],
)
def test_neither_or_both_ways_are_refused(asked: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest, match="give either date and slot, or start and end"):
        time_request(**asked)  # type: ignore[arg-type]


def test_unreadable_parts_are_refused() -> None:
    with pytest.raises(InvalidRequest, match="unknown slot 'evening'"):
        time_request(day=WED, slot="evening")
    with pytest.raises(InvalidRequest, match="not an ISO 8601 time"):
        time_request(start="1 pm", end="3 pm")


def test_resolved_with_the_buildings_hours_and_zone() -> None:
    morning = resolve(Preset(WED, Slot.AM), HOURS, TOKYO)
    assert morning == Interval(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), datetime(2026, 4, 1, 3, 0, tzinfo=UTC))
    # A span without an offset is wall-clock time in the building's zone; with one, it is taken as it is.
    local = resolve(Span(datetime(2026, 4, 1, 13, 0), datetime(2026, 4, 1, 15, 0)), HOURS, TOKYO)
    assert local == Interval(datetime(2026, 4, 1, 4, 0, tzinfo=UTC), datetime(2026, 4, 1, 6, 0, tzinfo=UTC))
    aware = Span(datetime(2026, 4, 1, 4, 0, tzinfo=UTC), datetime(2026, 4, 1, 6, 0, tzinfo=UTC))
    assert resolve(aware, HOURS, TOKYO) == local
    assert HOURS.times(Slot.PM) == (time(12, 0), time(17, 15))
