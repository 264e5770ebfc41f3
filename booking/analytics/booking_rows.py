"""The period's bookings of a building as numpy arrays: desk, person, open day, half-day slots and outcome.

A booking counts on the open day of its local start (bookings on days the building is closed are left out), for
the half-day slots it overlaps (morning: opening to noon, afternoon: noon to closing; a full-day booking overlaps
both, an hourly one those it touches), with its outcome:

- ``IN``: checked in; or booked and not (yet) released, because check-in is not required or its window is still
  open (bookings still ahead count as they stand);
- ``NO_SHOW``: marked no-show, or booked and released because its check-in window closed without a check-in
  (the same rule as availability's, before `floorwise no-shows` has marked it);
- ``CANCELLED``.

A year of a large office is a few hundred thousand rows: they are read as the driver's tuples, each column is
mapped at once, and each distinct (start, end) pair is parsed only once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from booking.models import Booking, BookingState, BuildingRow, DeskRow
from booking.services.desks import zone_info
from booking.services.intervals import local_day_bounds

IN, NO_SHOW, CANCELLED = 0, 1, 2
AM, PM = 1, 2
#: The two half-day slots: (axis of per-slot arrays, bit of a booking's ``slots``, name).
SLOTS = ((0, AM, "am"), (1, PM, "pm"))
#: The arrays `booking_arrays` returns, one entry per booking.
COLUMNS = ("booking_user", "booking_desk", "booking_day", "booking_slots", "booking_outcome")

IntArray = NDArray[np.int64]


def no_bookings() -> dict[str, IntArray]:
    return {name: np.zeros(0, np.int64) for name in COLUMNS}


_RAW = String()


def _instant(value: str | datetime) -> datetime:
    """A UTC datetime from what the driver returned: text on SQLite, an aware datetime on PostgreSQL."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def booking_arrays(
    session: Session,
    building: BuildingRow,
    days: Sequence[date],
    desk_index: Mapping[int, int],
    user_index: Mapping[str, int],
    now: datetime,
) -> dict[str, Any]:
    """The bookings of ``building`` that start on ``days``: the desk and person as indices (``desk_index`` maps a
    desk id, ``user_index`` a person's id), the day as an index into ``days``."""
    empty = no_bookings()
    if not days:
        return empty
    zone = zone_info(building.timezone)
    first, last = local_day_bounds(days[0], zone).start, local_day_bounds(days[-1], zone).end
    statement = select(
        Booking.desk_id,
        Booking.user_id,
        Booking.state,
        type_coerce(Booking.start_utc, _RAW),
        type_coerce(Booking.end_utc, _RAW),
    ).where(
        Booking.desk_id.in_(select(DeskRow.id).where(DeskRow.building_id == building.id).scalar_subquery()),
        Booking.start_utc >= first,
        Booking.start_utc < last,
    )
    result = session.connection().execute(statement)
    try:
        # The driver's own tuples: no column needs converting, and a Row object apiece would double the time.
        rows = result.cursor.fetchall()
    finally:
        result.close()
    if not rows:
        return empty
    # Each distinct (start, end) is read once: a year of a large office has a few hundred of them.
    pairs = list(map(itemgetter(3, 4), rows))
    codes = {pair: k for k, pair in enumerate(set(pairs))}
    pair_code = np.fromiter(map(codes.__getitem__, pairs), np.int64, len(rows))
    day_index = {d: i for i, d in enumerate(days)}
    released_after = timedelta(minutes=building.check_in_closes_minutes)
    span_day = np.full(len(codes), -1, np.int64)
    span_bits = np.zeros(len(codes), np.int64)
    span_released = np.zeros(len(codes), bool)
    for (raw_start, raw_end), k in codes.items():
        start, end = _instant(raw_start), _instant(raw_end)
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        span_day[k] = day_index.get(local_start.date(), -1)
        span_bits[k] = _slot_bits(building, local_start.time(), local_end.time(), local_end.date() > local_start.date())
        span_released[k] = building.check_in_required and now >= start + released_after
    day, bits = span_day[pair_code], span_bits[pair_code]
    state_codes = {
        BookingState.CHECKED_IN.value: IN,
        BookingState.BOOKED.value: _BOOKED,
        BookingState.NO_SHOW.value: NO_SHOW,
        BookingState.CANCELLED.value: CANCELLED,
    }
    outcome = np.fromiter(map(state_codes.__getitem__, map(itemgetter(2), rows)), np.int64, len(rows))
    booked = outcome == _BOOKED
    outcome[booked] = np.where(span_released[pair_code[booked]], NO_SHOW, IN)
    keep = (day >= 0) & (bits > 0)
    desk = np.fromiter(map(desk_index.__getitem__, map(itemgetter(0), rows)), np.int64, len(rows))
    user = np.fromiter(map(user_index.__getitem__, map(itemgetter(1), rows)), np.int64, len(rows))
    return {
        "booking_user": user[keep],
        "booking_desk": desk[keep],
        "booking_day": day[keep],
        "booking_slots": bits[keep],
        "booking_outcome": outcome[keep],
    }


#: A booking not checked in: ``IN`` or ``NO_SHOW`` depending on whether its check-in window has closed.
_BOOKED = 3


def _slot_bits(building: BuildingRow, start: time, end: time, ends_next_day: bool) -> int:
    """Which half-day slots [start, end) overlaps: morning [opens, noon), afternoon [noon, closes)."""
    end_at = time.max if ends_next_day else end
    bits = 0
    if start < building.noon and end_at > building.opens_at:
        bits |= AM
    if start < building.closes_at and end_at > building.noon:
        bits |= PM
    return bits
