"""The overlap rule (Python and SQL) on indico's table of cases, and presets across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import InvalidRequest
from booking.models import Booking
from booking.services.intervals import Interval, OfficeHours, Slot, overlaps, overlaps_clause
from tests.booking.factories import NOW, desk, make_building, make_user

TOKYO = ZoneInfo("Asia/Tokyo")
BERLIN = ZoneInfo("Europe/Berlin")


def at(hhmm: str) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 4, 1, h, m, tzinfo=UTC)


# The other booking is 09:00-12:00 throughout.
CASES = [
    # case,         start,   end,     overlaps?
    ("touching-after", "12:00", "17:00", False),  # starts when the other ends: a clean hand-over
    ("touching-before", "07:00", "09:00", False),  # ends when the other starts
    ("inside", "10:00", "11:00", True),
    ("around", "08:00", "18:00", True),
    ("same", "09:00", "12:00", True),
    ("crossing-start", "08:00", "10:00", True),
    ("crossing-end", "11:00", "13:00", True),
    ("before", "07:00", "08:00", False),
    ("after", "13:00", "14:00", False),
]


@pytest.mark.parametrize(("case", "start", "end", "expected"), CASES, ids=[c[0] for c in CASES])
def test_overlap_rule_in_python(case: str, start: str, end: str, expected: bool) -> None:
    assert overlaps(at(start), at(end), at("09:00"), at("12:00")) is expected
    assert Interval(at(start), at(end)).overlaps(Interval(at("09:00"), at("12:00"))) is expected
    assert overlaps(at("09:00"), at("12:00"), at(start), at(end)) is expected  # the rule is symmetric


def test_overlap_rule_in_sql_gives_the_same_answers(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    d = desk(db, "1F-D1")
    db.add(Booking(desk_id=d.id, user_id=user.id, start_utc=at("09:00"), end_utc=at("12:00"), created_at=NOW))
    db.flush()
    for case, start, end, expected in CASES:
        found = db.scalar(
            select(Booking.id).where(overlaps_clause(Booking.start_utc, Booking.end_utc, at(start), at(end)))
        )
        assert (found is not None) is expected, case


def test_an_interval_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidRequest, match="not after the start"):
        Interval(at("10:00"), at("10:00"))


HOURS = OfficeHours(time(8, 30), time(17, 15), time(12, 0))


def test_presets_in_tokyo() -> None:
    full = HOURS.interval(date(2026, 4, 1), Slot.FULL, TOKYO)
    assert full.start == datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 08:30 JST = 23:30 UTC the day before
    assert full.duration == timedelta(hours=8, minutes=45)
    assert (
        HOURS.interval(date(2026, 4, 1), Slot.AM, TOKYO).end == HOURS.interval(date(2026, 4, 1), Slot.PM, TOKYO).start
    )


def test_full_day_in_berlin_keeps_its_wall_clock_times_across_the_change() -> None:
    # 08:30-17:15 is after the 02:00 change, so every day lasts 8 h 45 min, but its UTC times move by an hour.
    before = HOURS.interval(date(2026, 3, 28), Slot.FULL, BERLIN)
    after = HOURS.interval(date(2026, 3, 30), Slot.FULL, BERLIN)
    assert before.start == datetime(2026, 3, 28, 7, 30, tzinfo=UTC)  # CET, +01:00
    assert after.start == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)  # CEST, +02:00
    assert before.duration == after.duration == timedelta(hours=8, minutes=45)


@pytest.mark.parametrize(
    ("day", "real_hours"),
    [
        (date(2026, 3, 28), 4),  # an ordinary Saturday: 01:00-05:00 is four hours
        (date(2026, 3, 29), 3),  # clocks go forward at 02:00: 01:00 CET to 05:00 CEST is three real hours
        (date(2026, 10, 25), 5),  # clocks go back at 03:00: 01:00 CEST to 05:00 CET is five real hours
    ],
)
def test_a_preset_spanning_the_change_lasts_the_real_hours(day: date, real_hours: int) -> None:
    night = OfficeHours(time(1, 0), time(5, 0), time(3, 0))
    assert night.interval(day, Slot.FULL, BERLIN).duration == timedelta(hours=real_hours)
