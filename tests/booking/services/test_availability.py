"""Availability of a floor: every desk's state and its particulars as one viewer sees it, and the English reason and
details the API words them in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from booking.api.schemas_availability import desk_reason
from booking.models import Block, Closure, Zone, zone_desks
from booking.services.availability import Blocked, DeskStateKind, FixedDesk, Free, Held, Reserved, floor_availability
from booking.services.bookings import book_desk, check_in
from booking.services.desks import office_hours, zone_info
from booking.services.intervals import Slot
from tests.booking.factories import NOW, desk, floor, make_building, make_unit, make_user

WED = date(2026, 4, 1)
WED_0830 = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def states(
    db: Session, viewer_id: str = "sato", *, slot: Slot = Slot.FULL, now: datetime = NOW, **filters: str
) -> dict[str, tuple[str, str]]:
    from booking.models import BuildingRow, User

    building = db.get(BuildingRow, "hq")
    assert building is not None
    interval = office_hours(building).interval(WED, slot, zone_info(building.timezone))
    viewer = db.get(User, viewer_id)
    assert viewer is not None
    result = floor_availability(db, floor(db).id, interval=interval, viewer=viewer, now=now, filters=filters)
    zone = zone_info(building.timezone)
    return {d.ref: (d.kind, desk_reason(d, zone)[0]) for d in result.desks}


def test_every_state_with_its_reason(db: Session) -> None:
    building = make_building(db, desks=6, hourly_desks=1)
    make_unit(db, "koseki", name="戸籍住民課")
    me, other, owner = make_user(db), make_user(db, "tanaka"), make_user(db, "boss", name="部長")
    book_desk(db, user=me, desk_id=desk(db, "1F-D1").id, day=WED, slot="am", now=NOW)
    book_desk(db, user=other, desk_id=desk(db, "1F-D2").id, day=WED, slot="pm", now=NOW)
    db.add(Block(desk_id=desk(db, "1F-D3").id, first_day=WED, last_day=WED, reason="cleaning", created_at=NOW))
    desk(db, "1F-D4").owner_id = owner.id
    zone = Zone(building_id=building.id, name="north", unit_id="koseki", weekdays=[2])
    db.add(zone)
    db.flush()
    db.execute(zone_desks.insert().values(zone_id=zone.id, desk_id=desk(db, "1F-D5").id))
    desk(db, "1F-D6").retired_at = NOW
    db.flush()
    assert states(db) == {
        "1F-D1": ("mine", "your booking 08:30-12:00"),
        "1F-D2": ("booked", "booked 12:00-17:15"),
        "1F-D3": ("blocked", "cleaning"),
        "1F-D4": ("fixed", "fixed desk of 部長"),
        "1F-D5": ("reserved", "kept for 戸籍住民課 until 2026-03-31 15:00"),
        "1F-D6": ("retired", "no longer in the building"),
        "1F-H1": ("free", ""),
    }
    # The morning only: D2 is booked in the afternoon, so it is free then.
    assert states(db, slot=Slot.AM)["1F-D2"] == ("free", "")
    # The owner sees their desk as free; after the release time, the zone is everyone's.
    assert states(db, "boss")["1F-D4"] == ("free", "your fixed desk")
    assert states(db, now=NOW + timedelta(hours=6))["1F-D5"] == ("free", "")


def test_closed_day_closes_every_desk(db: Session) -> None:
    building = make_building(db, desks=2, hourly_desks=0)
    make_user(db)
    db.add(Closure(building_id=building.id, day=WED, reason="inspection"))
    db.flush()
    assert set(states(db).values()) == {("closed", "the building is closed on 2026-04-01: inspection")}


def test_the_year_end_closure_shows_on_the_map(db: Session) -> None:
    from booking.models import User

    building = make_building(db, desks=2, hourly_desks=0)
    viewer = make_user(db)
    december = datetime(2026, 12, 20, tzinfo=UTC)
    interval = office_hours(building).interval(date(2026, 12, 29), Slot.FULL, zone_info(building.timezone))
    result = floor_availability(db, floor(db).id, interval=interval, viewer=db.get(User, viewer.id), now=december)
    zone = zone_info(building.timezone)
    assert [(d.kind, *desk_reason(d, zone)) for d in result.desks] == [
        (
            "closed",
            "2026-12-29 is in the year-end closure (29 December to 3 January)",
            {"day": "2026-12-29", "closed": "year_end"},
        )
    ] * 2


def test_a_no_show_is_released_before_any_job_runs(db: Session) -> None:
    make_building(db, desks=2, hourly_desks=0)
    me, other = make_user(db), make_user(db, "tanaka")
    book_desk(db, user=other, desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    kept = book_desk(db, user=me, desk_id=desk(db, "1F-D2").id, day=WED, slot="full", now=NOW)
    check_in(db, kept.id, actor=me, now=WED_0830)
    late = WED_0830 + timedelta(minutes=60)
    assert states(db, now=late - timedelta(seconds=1))["1F-D1"][0] == "booked"
    assert states(db, now=late) == {
        "1F-D1": ("free", "released: not checked in by 09:30"),
        "1F-D2": ("mine", "your booking 08:30-17:15 (checked in)"),
    }


def test_filters_by_desk_attributes(db: Session) -> None:
    make_building(
        db,
        desks=3,
        hourly_desks=0,
        attributes={
            "1F-D1": {"monitor": True, "standing": True},
            "1F-D2": {"monitor": True},
            "1F-D3": {"note": "window"},
        },
    )
    make_user(db)
    assert sorted(states(db, monitor="true")) == ["1F-D1", "1F-D2"]
    assert sorted(states(db, monitor="true", standing="true")) == ["1F-D1"]
    assert sorted(states(db, monitor="false")) == ["1F-D3"]
    assert sorted(states(db, note="Window")) == ["1F-D3"]


def test_reasons_carry_their_particulars(db: Session) -> None:
    """What a client needs to word a reason in its own language (the API's ``details``)."""
    building = make_building(db, desks=3, hourly_desks=0)
    make_unit(db, "koseki", name="戸籍住民課")
    make_user(db)
    db.add(Block(desk_id=desk(db, "1F-D1").id, first_day=WED, last_day=WED, reason="cleaning", created_at=NOW))
    zone = Zone(building_id=building.id, name="north", unit_id="koseki", weekdays=[2])
    db.add(zone)
    db.flush()
    db.execute(zone_desks.insert().values(zone_id=zone.id, desk_id=desk(db, "1F-D2").id))
    db.flush()
    tokyo = zone_info("Asia/Tokyo")
    details = {d.ref: (d.kind, desk_reason(d, tokyo)[1]) for d in _desks(db)}
    assert details == {
        "1F-D1": ("blocked", {"reason": "cleaning"}),
        # Released at 15:00 (Tokyo) the day before the Wednesday.
        "1F-D2": ("reserved", {"units": ["戸籍住民課"], "release": "2026-03-31T15:00:00+09:00"}),
        "1F-D3": ("free", {}),
    }
    db.add(Closure(building_id=building.id, day=WED, reason="inspection"))
    db.flush()
    closed = {"day": "2026-04-01", "closed": "closure", "reason": "inspection"}
    assert {d.ref: (d.kind, desk_reason(d, tokyo)[1]) for d in _desks(db)} == {
        ref: ("closed", closed) for ref in details
    }


def _desks(db: Session) -> list:  # type: ignore[type-arg]
    from booking.models import BuildingRow, User

    building, viewer = db.get(BuildingRow, "hq"), db.get(User, "sato")
    assert building is not None and viewer is not None
    interval = office_hours(building).interval(WED, Slot.FULL, zone_info(building.timezone))
    return floor_availability(db, floor(db).id, interval=interval, viewer=viewer, now=NOW).desks


def test_each_state_carries_typed_particulars(db: Session) -> None:
    """Kinds with names, datetimes and ids: nothing for a page to parse back out of a sentence."""
    building = make_building(db, desks=6, hourly_desks=0)
    make_unit(db, "koseki", name="戸籍住民課")
    me, other, owner = make_user(db), make_user(db, "tanaka"), make_user(db, "boss", name="部長")
    mine = book_desk(db, user=me, desk_id=desk(db, "1F-D1").id, day=WED, slot="am", now=NOW)
    book_desk(db, user=other, desk_id=desk(db, "1F-D2").id, day=WED, slot="pm", now=NOW)
    db.add(Block(desk_id=desk(db, "1F-D3").id, first_day=WED, last_day=WED, reason="cleaning", created_at=NOW))
    desk(db, "1F-D4").owner_id = owner.id
    zone = Zone(building_id=building.id, name="north", unit_id="koseki", weekdays=[2])
    db.add(zone)
    db.flush()
    db.execute(zone_desks.insert().values(zone_id=zone.id, desk_id=desk(db, "1F-D5").id))
    db.flush()
    found = {d.ref: d for d in _desks(db)}
    noon = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)
    assert found["1F-D1"].kind is DeskStateKind.MINE and found["1F-D1"].booking_id == mine.id
    assert found["1F-D1"].particulars == Held(mine.id, WED_0830, noon, checked_in=False)
    assert found["1F-D2"].kind is DeskStateKind.BOOKED and found["1F-D2"].booking_id is None
    assert found["1F-D3"].particulars == Blocked("cleaning")
    assert found["1F-D4"].particulars == FixedDesk("部長")
    # Released at 15:00 in Tokyo the day before.
    assert found["1F-D5"].particulars == Reserved(("戸籍住民課",), datetime(2026, 3, 31, 6, 0, tzinfo=UTC))
    assert found["1F-D6"].kind is DeskStateKind.FREE and found["1F-D6"].particulars == Free()
