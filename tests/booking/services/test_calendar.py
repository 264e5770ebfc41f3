"""The personal iCalendar feed, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar
from sqlalchemy.orm import Session

from booking.services.bookings import book_desk, cancel_booking
from booking.services.calendar import calendar_of
from tests.booking.factories import NOW, desk, make_building, make_user


def test_feed_lists_active_bookings(db: Session) -> None:
    make_building(db)
    user = make_user(db, name="佐藤")
    kept = book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=date(2026, 4, 1), slot="am", now=NOW)
    gone = book_desk(db, user=user, desk_id=desk(db, "1F-D2").id, day=date(2026, 4, 2), slot="am", now=NOW)
    cancel_booking(db, gone.id, actor=user, now=NOW)
    feed = Calendar.from_ical(calendar_of(db, user, now=NOW, host="desks.example.jp"))
    assert str(feed["x-wr-calname"]) == "Desk bookings of 佐藤"
    events = feed.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"booking-{kept.id}@desks.example.jp"
    assert event.decoded("dtstart") == datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
    assert str(event["summary"]) == "Desk 1F-D1, 1F"
    assert str(event["location"]) == "Building hq, 1F, desk 1F-D1"
