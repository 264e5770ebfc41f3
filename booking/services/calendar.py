"""A person's bookings as an iCalendar feed (RFC 5545), served at a secret URL that its owner can renew."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import ACTIVE_STATES, Booking, BuildingRow, DeskRow, FloorRow, User

#: How far back the feed reaches: calendars keep what they saw, so old events need not be sent again.
FEED_HISTORY = timedelta(days=30)


def calendar_of(session: Session, user: User, *, now: datetime, host: str = "floorwise") -> bytes:
    """The user's active bookings from 30 days ago on, one VEVENT each (UTC times, the desk and floor as place)."""
    calendar = Calendar()
    calendar.add("prodid", "-//floorwise//desk bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Desk bookings of {user.name}")
    rows = session.execute(
        select(Booking, DeskRow, FloorRow, BuildingRow)
        .join(DeskRow, Booking.desk_id == DeskRow.id)
        .join(FloorRow, DeskRow.floor_id == FloorRow.id)
        .join(BuildingRow, DeskRow.building_id == BuildingRow.id)
        .where(Booking.user_id == user.id, Booking.state.in_(ACTIVE_STATES), Booking.end_utc > now - FEED_HISTORY)
        .order_by(Booking.start_utc)
    ).all()
    for booking, desk, floor, building in rows:
        event = Event()
        event.add("uid", f"booking-{booking.id}@{host}")
        event.add("dtstamp", booking.created_at)
        event.add("dtstart", booking.start_utc)
        event.add("dtend", booking.end_utc)
        event.add("summary", f"Desk {desk.name or desk.ref}, {floor.name}")
        event.add("location", f"{building.name or building.id}, {floor.name}, desk {desk.name or desk.ref}")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
