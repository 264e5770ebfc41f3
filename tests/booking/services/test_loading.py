"""Loading a building: added, updated, retired desks, and the bookings still ahead on a desk that disappears."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import AuditEntry, Booking, DeskRow, FloorRow
from booking.services.bookings import book_desk
from booking.services.loading import load_building
from tests.booking.factories import NOW, desk, floorplan_building, make_user


def test_load_then_update_retires_missing_desks_and_reports_their_bookings(db: Session) -> None:
    first = load_building(db, floorplan_building(floors=2, desks=3, hourly_desks=1), now=NOW, actor="admin")
    assert first.created and first.floors["added"] == 2 and first.desks["added"] == 8
    user = make_user(db, "sato", name="佐藤")
    ahead = book_desk(db, user=user, desk_id=desk(db, "2F-D3").id, day=date(2026, 4, 1), slot="full", now=NOW)

    again = load_building(
        db,
        floorplan_building(floors=2, desks=3, hourly_desks=1, skip=frozenset({"2F-D3", "1F-D1"})),
        now=NOW,
        actor="admin",
    )
    assert not again.created
    assert again.retired_desks == ["1F-D1", "2F-D3"]
    assert again.desks == {"added": 0, "updated": 6, "retired": 2, "restored": 0}
    assert [(b.booking_id, b.desk, b.user_name) for b in again.affected_bookings] == [(ahead.id, "2F-D3", "佐藤")]
    assert again.affected_bookings[0].start.isoformat() == "2026-04-01T08:30:00+09:00"
    # The booking is kept, and so is the desk's row.
    assert db.get(Booking, ahead.id).state == "booked"  # type: ignore[union-attr]
    assert desk(db, "2F-D3").retired_at == NOW
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "building.load")).all()
    assert audit[-1].after is not None and audit[-1].after["affected_bookings"] == [ahead.id]

    # A desk that comes back is restored, keeping its id.
    old_id = desk(db, "1F-D1").id
    back = load_building(
        db, floorplan_building(floors=2, desks=3, hourly_desks=1, skip=frozenset({"2F-D3"})), now=NOW, actor="admin"
    )
    assert back.desks["restored"] == 1 and desk(db, "1F-D1").id == old_id and desk(db, "1F-D1").retired_at is None


def test_a_floor_that_disappears_is_retired(db: Session) -> None:
    load_building(db, floorplan_building(floors=2, desks=1, hourly_desks=0), now=NOW, actor="admin")
    report = load_building(db, floorplan_building(floors=1, desks=1, hourly_desks=0), now=NOW, actor="admin")
    assert report.floors["retired"] == 1
    assert db.scalar(select(FloorRow.retired).where(FloorRow.ref == "2F")) is True
    assert db.scalar(select(DeskRow.retired_at).where(DeskRow.ref == "2F-D1")) == NOW
