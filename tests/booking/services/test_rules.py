"""Each booking rule, with the refusal's rule name and sentence, on a small building worked out by hand.

Now is Tuesday 31 March 2026, 09:00 in Tokyo. Office hours 08:30-17:15, noon 12:00; bookings open 28 days ahead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from booking.errors import DeskUnavailable, RuleRefused
from booking.models import Block, BuildingRow, Closure, User, Zone, zone_desks, zone_spaces
from booking.services.bookings import book_desk
from tests.booking.factories import NOW, desk, make_building, make_unit, make_user

WED = date(2026, 4, 1)


def refusal(db: Session, **kwargs: object) -> RuleRefused:
    user = kwargs.pop("user", None) or db.get(User, "sato") or make_user(db)
    with pytest.raises(RuleRefused) as caught:
        book_desk(db, user=user, now=kwargs.pop("now", NOW), **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_days_ahead(db: Session) -> None:
    make_building(db, days_ahead=7)
    d = desk(db, "1F-D1")
    book_desk(db, user=make_user(db, "a"), desk_id=d.id, day=date(2026, 4, 7), slot="full", now=NOW)  # 7 days: fine
    err = refusal(db, desk_id=d.id, day=date(2026, 4, 8), slot="full")
    assert err.rule == "days_ahead"
    assert err.detail == (
        "bookings open 7 days ahead: 2026-04-08 can be booked from 2026-04-01 (the last bookable day now is 2026-04-07)"
    )
    assert err.members == {
        "rule": "days_ahead",
        "day": date(2026, 4, 8),
        "days_ahead": 7,
        "bookable_from": date(2026, 4, 1),
        "last_bookable_day": date(2026, 4, 7),
    }


def test_past(db: Session) -> None:
    make_building(db)
    err = refusal(db, desk_id=desk(db, "1F-D1").id, day=date(2026, 3, 30), slot="full")
    assert (err.rule, err.detail) == ("past", "that time has already passed")


def test_closed_weekend_holiday_and_closure(db: Session) -> None:
    building = make_building(db, days_ahead=60)
    d = desk(db, "1F-D1").id
    err = refusal(db, desk_id=d, day=date(2026, 4, 4), slot="full")
    assert (err.rule, err.detail) == ("closed_day", "2026-04-04 is a Saturday, when the building is closed")
    assert err.members == {"rule": "closed_day", "day": date(2026, 4, 4), "closed": "weekday", "weekday": "Saturday"}
    err = refusal(db, desk_id=d, day=date(2026, 4, 29), slot="am")
    assert (err.rule, err.detail) == ("closed_day", "2026-04-29 is a public holiday (Showa Day)")
    assert (err.members["closed"], err.members["holiday"], err.members["holiday_country"]) == (
        "holiday",
        "Showa Day",
        "JP",
    )
    db.add(Closure(building_id=building.id, day=WED, reason="power cut"))
    db.flush()
    err = refusal(db, desk_id=d, day=WED, slot="pm")
    assert (err.rule, err.detail) == ("closed_day", "the building is closed on 2026-04-01: power cut")
    assert err.members == {"rule": "closed_day", "day": date(2026, 4, 1), "closed": "closure", "reason": "power cut"}


def test_year_end_closure_where_holidays_are_japans(db: Session) -> None:
    # Japanese public offices close 29 December to 3 January; 1 January is a public holiday besides.
    december = datetime(2026, 12, 20, 0, 0, tzinfo=UTC)  # a Sunday, 09:00 in Tokyo
    building = make_building(db, now=december)
    d = desk(db, "1F-D1").id
    err = refusal(db, desk_id=d, day=date(2026, 12, 29), slot="pm", now=december)
    assert err.detail == "2026-12-29 is in the year-end closure (29 December to 3 January)"
    assert err.members == {"rule": "closed_day", "day": date(2026, 12, 29), "closed": "year_end"}
    assert refusal(db, desk_id=d, day=date(2027, 1, 1), slot="am", now=december).members["closed"] == "holiday"
    book_desk(db, user=make_user(db, "d"), desk_id=d, day=date(2027, 1, 4), slot="am", now=december)  # Monday: open
    book_desk(db, user=make_user(db, "a"), desk_id=d, day=date(2026, 12, 28), slot="full", now=december)
    building.year_end_closure = False  # an admin opens it
    db.flush()
    book_desk(db, user=make_user(db, "b"), desk_id=d, day=date(2026, 12, 29), slot="am", now=december)
    building.year_end_closure, building.holiday_country = True, "GB"  # only Japan's offices close by law
    db.flush()
    book_desk(db, user=make_user(db, "c"), desk_id=d, day=date(2026, 12, 30), slot="am", now=december)


def test_office_hours_and_presets_only_outside_hourly_spaces(db: Session) -> None:
    make_building(db)
    d = desk(db, "1F-D1").id
    err = refusal(db, desk_id=d, start="2026-04-01T08:00", end="2026-04-01T12:00")
    assert (err.rule, err.detail) == (
        "office_hours",
        "bookings on 2026-04-01 must lie within office hours, 08:30-17:15",
    )
    assert err.members == {"rule": "office_hours", "day": date(2026, 4, 1), "opens": "08:30", "closes": "17:15"}
    err = refusal(db, desk_id=d, start="2026-04-01T09:00", end="2026-04-01T11:00")
    assert err.rule == "hourly" and "full day, a morning or an afternoon" in err.detail
    assert err.members == {"rule": "hourly", "desk": "1F-D1"}
    # The same times as the morning preset, given as an interval with an offset, are the preset.
    made = book_desk(
        db, user=make_user(db, "b"), desk_id=d, start="2026-04-01T08:30+09:00", end="2026-04-01T12:00+09:00", now=NOW
    )
    assert made.end_utc - made.start_utc == timedelta(hours=3, minutes=30)


def test_hourly_step_and_longest_booking(db: Session) -> None:
    make_building(db, longest_booking_minutes=120)
    h = desk(db, "1F-H1").id
    err = refusal(db, desk_id=h, start="2026-04-01T09:15", end="2026-04-01T10:00")
    assert (err.rule, err.detail) == ("hourly_step", "hourly bookings start and end on multiples of 30 minutes")
    assert err.members == {"rule": "hourly_step", "minutes": 30}
    err = refusal(db, desk_id=h, start="2026-04-01T09:00", end="2026-04-01T11:30")
    assert (err.rule, err.detail) == ("longest_booking", "a booking may last at most 120 minutes")
    assert err.members == {"rule": "longest_booking", "minutes": 120}
    made = book_desk(db, user=make_user(db, "b"), desk_id=h, start="2026-04-01T09:00", end="2026-04-01T11:00", now=NOW)
    assert made.start_utc.hour == 0  # 09:00 JST


def test_presets_are_bookable_on_hourly_desks_whatever_the_step(db: Session) -> None:
    # Office hours 08:30-17:15 on a 30-minute step: 17:15 is off the step, yet the full day and the afternoon
    # are presets, and a step of 60 minutes puts 08:30 off it too, yet the morning is a preset.
    make_building(db, hourly_step_minutes=60)
    h = desk(db, "1F-H1").id
    full = book_desk(db, user=make_user(db, "a"), desk_id=h, day=WED, slot="full", now=NOW)
    assert (full.start_utc.hour, full.start_utc.minute, full.end_utc.hour, full.end_utc.minute) == (23, 30, 8, 15)
    thu = date(2026, 4, 2)
    am = book_desk(db, user=make_user(db, "b"), desk_id=h, day=thu, slot="am", now=NOW)
    pm = book_desk(db, user=make_user(db, "c"), desk_id=h, day=thu, slot="pm", now=NOW)
    assert (am.end_utc, pm.end_utc - pm.start_utc) == (pm.start_utc, timedelta(hours=5, minutes=15))
    # The same end as the afternoon preset, but from 13:00: not a preset, so the step applies.
    err = refusal(db, desk_id=h, start="2026-04-03T13:00", end="2026-04-03T17:15")
    assert err.members == {"rule": "hourly_step", "minutes": 60}


def test_blocked_desk(db: Session) -> None:
    make_building(db)
    d = desk(db, "1F-D2")
    db.add(Block(desk_id=d.id, first_day=WED, last_day=date(2026, 4, 2), reason="new chair on order", created_at=NOW))
    db.flush()
    err = refusal(db, desk_id=d.id, day=date(2026, 4, 2), slot="am")
    assert isinstance(err, DeskUnavailable) and err.status == 409
    assert (err.rule, err.detail) == ("blocked", "desk 1F-D2 is blocked on 2026-04-02: new chair on order")
    assert err.members == {"rule": "blocked", "desk": "1F-D2", "day": date(2026, 4, 2), "reason": "new chair on order"}
    book_desk(db, user=make_user(db, "b"), desk_id=d.id, day=date(2026, 4, 3), slot="am", now=NOW)  # the day after


def test_fixed_desk_only_for_its_owner(db: Session) -> None:
    make_building(db)
    d = desk(db, "1F-D3")
    owner = make_user(db, "owner")
    d.owner_id = owner.id
    db.flush()
    err = refusal(db, desk_id=d.id, day=WED, slot="full")
    assert (err.rule, err.detail) == ("fixed_desk", "desk 1F-D3 is a fixed desk with an owner")
    assert err.members == {"rule": "fixed_desk", "desk": "1F-D3"}
    book_desk(db, user=owner, desk_id=d.id, day=WED, slot="full", now=NOW)


def test_zone_kept_for_a_unit_until_the_release_the_day_before(db: Session) -> None:
    building = make_building(db)
    make_unit(db, "kumin", name="区民部")
    make_unit(db, "koseki", name="戸籍住民課", parent="kumin")
    make_unit(db, "zeimu", name="税務課", parent="kumin")
    zone = Zone(building_id=building.id, name="north", unit_id="koseki", weekdays=[2])  # Wednesdays
    db.add(zone)
    db.flush()
    d1, h1 = desk(db, "1F-D1"), desk(db, "1F-H1")
    db.execute(zone_desks.insert().values(zone_id=zone.id, desk_id=d1.id))
    db.execute(zone_spaces.insert().values(zone_id=zone.id, space_id=h1.space_id))
    outsider = make_user(db, "tax", unit="zeimu")
    err = refusal(db, user=outsider, desk_id=d1.id, day=WED, slot="full")
    assert (err.rule, err.detail) == (
        "reserved",
        "desk 1F-D1 is in north, kept for 戸籍住民課 on that day until 2026-03-31 15:00",
    )
    assert err.members == {
        "rule": "reserved",
        "desk": "1F-D1",
        "day": date(2026, 4, 1),
        "zone_name": "north",
        "unit": "koseki",
        "unit_name": "戸籍住民課",
        "release": datetime(2026, 3, 31, 6, tzinfo=UTC),  # 15:00 in Tokyo
    }
    err = refusal(db, user=outsider, desk_id=h1.id, start="2026-04-01T09:00", end="2026-04-01T10:00")
    assert err.rule == "reserved"  # a desk of a zone's space
    book_desk(db, user=outsider, desk_id=d1.id, day=date(2026, 4, 2), slot="full", now=NOW)  # Thursday: no zone
    member = make_user(db, "clerk", unit="koseki")
    book_desk(db, user=member, desk_id=h1.id, start="2026-04-01T09:00", end="2026-04-01T10:00", now=NOW)
    # At 15:00 the day before, the zone opens to everyone.
    release = NOW + timedelta(hours=6)
    book_desk(db, user=outsider, desk_id=d1.id, day=date(2026, 4, 1), slot="am", now=release)


def test_retired_desk(db: Session) -> None:
    make_building(db)
    d = desk(db, "1F-D4")
    d.retired_at = NOW
    db.flush()
    err = refusal(db, desk_id=d.id, day=WED, slot="full")
    assert (err.rule, err.detail) == ("retired", "desk 1F-D4 is no longer in the building")
    assert err.members == {"rule": "retired", "desk": "1F-D4"}


def test_rules_are_per_building(db: Session) -> None:
    make_building(db, building_id="a", days_ahead=1)
    make_building(db, building_id="b", days_ahead=10, opens_at=time(7, 0))
    user = make_user(db)
    book_desk(db, user=user, desk_id=desk(db, "1F-D1", "b").id, day=date(2026, 4, 6), slot="am", now=NOW)
    err = refusal(db, user=user, desk_id=desk(db, "1F-D1", "a").id, day=date(2026, 4, 7), slot="am")
    assert err.rule == "days_ahead"
    assert db.get(BuildingRow, "b").opens_at == time(7, 0)  # type: ignore[union-attr]
