"""Booking, cancelling, checking in, no-shows and recurring bookings, with times frozen by passing ``now``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from booking.errors import Conflict, Forbidden, InvalidRequest, NotFound, RuleRefused
from booking.models import AuditEntry, Booking, Role
from booking.services.bookings import (
    book_desk,
    book_series,
    booking_views,
    bookings_of,
    cancel_booking,
    check_in,
    mark_no_shows,
)
from tests.booking.factories import NOW, desk, make_building, make_unit, make_user

WED = date(2026, 4, 1)
#: 08:30 JST on Wednesday 1 April 2026, the start of a full-day or morning booking that day.
WED_0830 = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def test_a_booking_is_stored_in_utc_and_audited(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    made = book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=WED, slot="pm", now=NOW)
    assert (made.start_utc, made.end_utc) == (
        datetime(2026, 4, 1, 3, 0, tzinfo=UTC),
        datetime(2026, 4, 1, 8, 15, tzinfo=UTC),
    )
    assert made.state == "booked" and made.created_by == "sato"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "booking.create"))
    assert entry is not None and entry.actor == "sato" and entry.after is not None
    assert entry.after["start"] == "2026-04-01T03:00:00+00:00"


def test_a_taken_desk_is_a_conflict_naming_the_booking(db: Session) -> None:
    make_building(db)
    first = book_desk(
        db, user=make_user(db, "tanaka", name="田中"), desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW
    )
    with pytest.raises(Conflict) as caught:
        book_desk(db, user=make_user(db), desk_id=desk(db, "1F-D1").id, day=WED, slot="am", now=NOW)
    err = caught.value
    assert err.status == 409 and err.rule == "desk_taken"
    assert err.detail == "desk 1F-D1 is already booked from 2026-04-01 08:30 to 2026-04-01 17:15"
    assert err.conflict == {
        "id": first.id,
        "desk_id": first.desk_id,
        "desk": "1F-D1",
        "floor_id": err.conflict["floor_id"],
        "floor": "1F",
        "user_id": "tanaka",
        "user_name": "田中",
        "start": "2026-04-01T08:30:00+09:00",
        "end": "2026-04-01T17:15:00+09:00",
        "state": "booked",
    }


def test_booker_names_are_hidden_when_the_building_says_so(db: Session) -> None:
    make_building(db, show_booker_names=False)
    book_desk(db, user=make_user(db, "tanaka"), desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    with pytest.raises(Conflict) as caught:
        book_desk(db, user=make_user(db), desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    assert "user_id" not in caught.value.conflict and "user_name" not in caught.value.conflict


def test_morning_and_afternoon_touch_without_clashing(db: Session) -> None:
    make_building(db)
    d = desk(db, "1F-D1").id
    book_desk(db, user=make_user(db, "a"), desk_id=d, day=WED, slot="am", now=NOW)
    book_desk(db, user=make_user(db, "b"), desk_id=d, day=WED, slot="pm", now=NOW)
    assert db.scalar(select(func.count()).select_from(Booking)) == 2


def test_one_desk_per_person_at_a_time(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=WED, slot="am", now=NOW)
    with pytest.raises(Conflict) as caught:
        book_desk(db, user=user, desk_id=desk(db, "1F-D2").id, day=WED, slot="full", now=NOW)
    assert caught.value.rule == "one_desk_per_person"
    assert caught.value.detail == (
        "one desk per person at a time: you already hold a desk from 2026-04-01 08:30 to 2026-04-01 12:00"
    )
    book_desk(db, user=user, desk_id=desk(db, "1F-D2").id, day=WED, slot="pm", now=NOW)  # after it: fine


def test_the_person_rule_can_be_switched_off(db: Session) -> None:
    make_building(db, one_desk_per_person=False)
    user = make_user(db)
    book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    second = book_desk(db, user=user, desk_id=desk(db, "1F-D2").id, day=WED, slot="full", now=NOW)
    assert second.exclusive is False


def test_the_database_itself_refuses_overlaps(db: Session) -> None:
    """Rows written past the services still cannot overlap: PostgreSQL's exclusion constraints."""
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite relies on BEGIN IMMEDIATE around the check (see test_concurrency.py)")
    make_building(db)
    user, other = make_user(db), make_user(db, "other")
    d = desk(db, "1F-D1").id
    db.add(
        Booking(desk_id=d, user_id=user.id, start_utc=WED_0830, end_utc=WED_0830 + timedelta(hours=4), created_at=NOW)
    )
    db.flush()
    for row in (
        Booking(
            desk_id=d,
            user_id=other.id,
            start_utc=WED_0830 + timedelta(hours=1),
            end_utc=WED_0830 + timedelta(hours=2),
            created_at=NOW,
        ),
        Booking(
            desk_id=desk(db, "1F-D2").id,
            user_id=user.id,
            start_utc=WED_0830,
            end_utc=WED_0830 + timedelta(hours=1),
            created_at=NOW,
        ),
    ):
        with pytest.raises(IntegrityError), db.begin_nested():
            db.add(row)
            db.flush()
    # A cancelled booking holds nothing; a touching one is fine.
    db.add(
        Booking(
            desk_id=d,
            user_id=other.id,
            start_utc=WED_0830,
            end_utc=WED_0830 + timedelta(hours=1),
            state="cancelled",
            created_at=NOW,
        )
    )
    db.add(
        Booking(
            desk_id=d,
            user_id=other.id,
            start_utc=WED_0830 + timedelta(hours=4),
            end_utc=WED_0830 + timedelta(hours=5),
            created_at=NOW,
        )
    )
    db.flush()


def test_cancel_keeps_the_row_and_frees_the_desk(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    d = desk(db, "1F-D1").id
    made = book_desk(db, user=user, desk_id=d, day=WED, slot="full", now=NOW)
    cancel_booking(db, made.id, actor=user, now=NOW)
    assert db.get(Booking, made.id).state == "cancelled"  # type: ignore[union-attr]
    assert bookings_of(db, user.id, since=NOW) == []
    assert [b.id for b in bookings_of(db, user.id, since=NOW, include_inactive=True)] == [made.id]
    book_desk(db, user=make_user(db, "b"), desk_id=d, day=WED, slot="full", now=NOW)
    with pytest.raises(InvalidRequest, match="is cancelled, not active") as caught:
        cancel_booking(db, made.id, actor=user, now=NOW)
    assert caught.value.members == {"booking_state": "cancelled", "refused": "cancel"}


def test_cancellation_cut_off(db: Session) -> None:
    make_building(db, cancel_cutoff_minutes=60)
    user = make_user(db)
    made = book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    with pytest.raises(RuleRefused) as caught:
        cancel_booking(db, made.id, actor=user, now=WED_0830 - timedelta(minutes=30))
    assert (caught.value.rule, caught.value.detail) == (
        "cancel_cutoff",
        "a booking can be cancelled up to 60 minutes before it starts",
    )
    cancel_booking(db, made.id, actor=user, now=WED_0830 - timedelta(minutes=61))


def test_only_the_person_their_manager_or_an_admin_cancel(db: Session) -> None:
    make_building(db)
    make_unit(db, "kumin")
    make_unit(db, "koseki", parent="kumin")
    make_unit(db, "zeimu", parent="kumin")
    user = make_user(db, unit="koseki")
    made = book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    with pytest.raises(NotFound):
        cancel_booking(db, made.id, actor=make_user(db, "peer", unit="koseki"), now=NOW)
    with pytest.raises(NotFound):
        cancel_booking(db, made.id, actor=make_user(db, "other-boss", unit="zeimu", role=Role.MANAGER), now=NOW)
    cancel_booking(db, made.id, actor=make_user(db, "boss", unit="kumin", role=Role.MANAGER), now=NOW)


def test_booking_for_someone_else_needs_the_right(db: Session) -> None:
    make_building(db)
    make_unit(db, "koseki")
    make_unit(db, "zeimu")
    person = make_user(db, unit="koseki")
    with pytest.raises(Forbidden) as caught:
        book_desk(
            db,
            user=person,
            actor=make_user(db, "peer", unit="koseki"),
            desk_id=desk(db, "1F-D1").id,
            day=WED,
            slot="full",
            now=NOW,
        )
    assert caught.value.right == "act_for_others"
    with pytest.raises(Forbidden):
        book_desk(
            db,
            user=person,
            actor=make_user(db, "m2", unit="zeimu", role=Role.MANAGER),
            desk_id=desk(db, "1F-D1").id,
            day=WED,
            slot="full",
            now=NOW,
        )
    made = book_desk(
        db,
        user=person,
        actor=make_user(db, "m1", unit="koseki", role=Role.MANAGER),
        desk_id=desk(db, "1F-D1").id,
        day=WED,
        slot="full",
        now=NOW,
    )
    assert (made.user_id, made.created_by) == ("sato", "m1")


def test_check_in_window(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    made = book_desk(db, user=user, desk_id=desk(db, "1F-D1").id, day=WED, slot="full", now=NOW)
    with pytest.raises(RuleRefused) as caught:
        check_in(db, made.id, actor=user, now=WED_0830 - timedelta(minutes=31))
    assert (caught.value.rule, caught.value.detail) == (
        "check_in_window",
        "check-in for this booking is open from 2026-04-01 08:00 to 2026-04-01 09:30",
    )
    done = check_in(db, made.id, actor=user, now=WED_0830 - timedelta(minutes=30))
    assert done.state == "checked_in" and done.checked_in_at == WED_0830 - timedelta(minutes=30)
    assert check_in(db, made.id, actor=user, now=WED_0830).state == "checked_in"  # twice is fine
    late = book_desk(db, user=make_user(db, "late"), desk_id=desk(db, "1F-D2").id, day=WED, slot="full", now=NOW)
    with pytest.raises(RuleRefused, match="09:30"):
        check_in(db, late.id, actor=db.get(type(user), "late"), now=WED_0830 + timedelta(minutes=60))  # type: ignore[arg-type]


def test_a_no_show_releases_the_desk_and_its_holder(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    d = desk(db, "1F-D1").id
    made = book_desk(db, user=user, desk_id=d, day=WED, slot="full", now=NOW)
    after_window = WED_0830 + timedelta(minutes=60)
    with pytest.raises(Conflict):  # still inside the window: the desk is held
        book_desk(db, user=make_user(db, "b"), desk_id=d, day=WED, slot="pm", now=after_window - timedelta(minutes=1))
    other = book_desk(db, user=db.get(type(user), "b"), desk_id=d, day=WED, slot="pm", now=after_window)  # type: ignore[arg-type]
    assert other.state == "booked"
    assert db.get(Booking, made.id).state == "no_show"  # type: ignore[union-attr]
    # The no-show may book another desk now, too.
    book_desk(db, user=user, desk_id=desk(db, "1F-D2").id, day=WED, slot="pm", now=after_window)


def test_mark_no_shows(db: Session) -> None:
    make_building(db)
    a, b = make_user(db, "a"), make_user(db, "b")
    missed = book_desk(db, user=a, desk_id=desk(db, "1F-D1").id, day=WED, slot="am", now=NOW)
    kept = book_desk(db, user=b, desk_id=desk(db, "1F-D2").id, day=WED, slot="am", now=NOW)
    check_in(db, kept.id, actor=b, now=WED_0830)
    assert mark_no_shows(db, now=WED_0830 + timedelta(minutes=59)) == []
    assert [x.id for x in mark_no_shows(db, now=WED_0830 + timedelta(minutes=60))] == [missed.id]
    assert db.get(Booking, kept.id).state == "checked_in"  # type: ignore[union-attr]


def test_no_check_in_needed_means_no_release(db: Session) -> None:
    make_building(db, check_in_required=False)
    made = book_desk(db, user=make_user(db), desk_id=desk(db, "1F-D1").id, day=WED, slot="am", now=NOW)
    assert mark_no_shows(db, now=WED_0830 + timedelta(hours=3)) == []
    assert made.state == "booked"


def test_recurring_reports_each_date(db: Session) -> None:
    # Mondays and Wednesdays from 6 to 30 April 2026, mornings. 29 April is Showa Day; someone holds 15 April.
    make_building(db, days_ahead=60)
    d = desk(db, "1F-D1").id
    taken = book_desk(db, user=make_user(db, "early"), desk_id=d, day=date(2026, 4, 15), slot="full", now=NOW)
    results = book_series(
        db,
        user=make_user(db),
        desk_id=d,
        weekdays=[0, 2],
        first_day=date(2026, 4, 6),
        last_day=date(2026, 4, 30),
        slot="am",
        now=NOW,
    )
    outcome = {r.day.isoformat(): (r.error.rule if r.error else "created") for r in results}  # type: ignore[attr-defined]
    assert outcome == {
        "2026-04-06": "created",
        "2026-04-08": "created",
        "2026-04-13": "created",
        "2026-04-15": "desk_taken",
        "2026-04-20": "created",
        "2026-04-22": "created",
        "2026-04-27": "created",
        "2026-04-29": "closed_day",
    }
    conflict = next(r.error for r in results if r.day == date(2026, 4, 15))
    assert isinstance(conflict, Conflict) and conflict.conflict["id"] == taken.id
    made = [r.booking for r in results if r.booking is not None]
    assert len({b.series_id for b in made}) == 1 and made[0].series_id is not None
    assert db.scalar(select(func.count()).select_from(Booking).where(Booking.user_id == "sato")) == 6


def test_recurring_with_hours_and_bad_requests(db: Session) -> None:
    make_building(db)
    user = make_user(db)
    h = desk(db, "1F-H1").id
    results = book_series(
        db,
        user=user,
        desk_id=h,
        weekdays=[3],
        first_day=date(2026, 4, 1),
        last_day=date(2026, 4, 9),
        start_time=time(13, 0),
        end_time=time(14, 0),
        now=NOW,
    )
    assert [(r.day.isoformat(), r.created) for r in results] == [("2026-04-02", True), ("2026-04-09", True)]
    assert results[0].booking is not None and results[0].booking.start_utc == datetime(2026, 4, 2, 4, 0, tzinfo=UTC)
    with pytest.raises(InvalidRequest, match="weekdays"):
        book_series(db, user=user, desk_id=h, weekdays=[7], first_day=WED, last_day=WED, slot="am", now=NOW)
    with pytest.raises(InvalidRequest, match="either a slot"):
        book_series(db, user=user, desk_id=h, weekdays=[2], first_day=WED, last_day=WED, now=NOW)


@pytest.mark.parametrize(
    ("day", "hours", "offsets"),
    [
        (date(2026, 3, 28), 4, ("+01:00", "+01:00")),  # an ordinary Saturday
        (date(2026, 3, 29), 3, ("+01:00", "+02:00")),  # clocks go forward at 02:00
        (date(2026, 10, 25), 5, ("+02:00", "+01:00")),  # clocks go back at 03:00
    ],
)
def test_a_full_day_in_berlin_across_the_clock_change(
    db: Session, day: date, hours: int, offsets: tuple[str, str]
) -> None:
    """A building in Europe/Berlin open 01:00-05:00 every day: the full-day preset lasts the real hours."""
    make_building(
        db,
        timezone="Europe/Berlin",
        opens_at=time(1, 0),
        noon=time(3, 0),
        closes_at=time(5, 0),
        closed_weekdays=[],
        holiday_country=None,
        days_ahead=400,
    )
    early = datetime(2026, 3, 1, tzinfo=UTC)
    made = book_desk(db, user=make_user(db), desk_id=desk(db, "1F-D1").id, day=day, slot="full", now=early)
    assert made.end_utc - made.start_utc == timedelta(hours=hours)
    view = booking_views(db, [made])[0]
    assert (view.start.isoformat(), view.end.isoformat()) == (
        f"{day.isoformat()}T01:00:00{offsets[0]}",
        f"{day.isoformat()}T05:00:00{offsets[1]}",
    )
