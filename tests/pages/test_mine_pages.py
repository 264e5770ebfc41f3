"""My bookings: the list, cancelling, checking in, weekly series with each date's result, the calendar link."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.clock import FixedClock
from booking.models import Booking
from booking.services.bookings import book_desk
from booking.settings import Settings
from tests.booking.factories import NOW, desk
from tests.pages.conftest import plain, token_of

APRIL_1 = date(2026, 4, 1)


def test_my_bookings_are_listed_with_cancel_and_check_in(
    client, office, log_in, db: Session, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    ahead = book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D1").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    page = client.get("/mine")
    assert page.template.name == "mine.html"  # type: ignore[attr-defined]
    [shown] = page.context["bookings"]  # type: ignore[attr-defined]
    assert (shown.id, shown.can_cancel, shown.can_check_in) == (ahead.id, True, False)
    assert "Check-in opens Wed, Apr 1, 2026, 8:00 AM." in plain(page.text)
    response = client.post(f"/bookings/{ahead.id}/cancel", data={"csrf_token": token_of(client, settings)})
    assert response.status_code == 303 and response.headers["location"] == "/mine?done=cancelled"
    db.refresh(ahead)
    assert ahead.state == "cancelled"
    assert "The booking is cancelled." in client.get("/mine?done=cancelled").text


def test_checking_in_within_the_window(
    client, office, log_in, db: Session, settings: Settings, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    booking = book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D1").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    clock.at = NOW + timedelta(days=1, minutes=-20)  # 1 April, 08:40 in Tokyo: the window is open
    log_in(office["sato"])
    assert client.get("/mine").context["bookings"][0].can_check_in  # type: ignore[attr-defined]
    response = client.post(f"/bookings/{booking.id}/check-in", data={"csrf_token": token_of(client, settings)})
    assert response.status_code == 303
    db.refresh(booking)
    assert booking.state == "checked_in"


def test_a_refused_check_in_is_shown_on_the_page(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    booking = book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D1").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    response = client.post(f"/bookings/{booking.id}/check-in", data={"csrf_token": token_of(client, settings)})
    assert response.status_code == 422
    assert response.template.name == "mine.html"  # type: ignore[attr-defined]
    # The window: from 30 minutes before the 08:30 start to 60 minutes after it.
    assert (
        response.context["error"]
        == "Check-in for this booking is open on Wed, Apr 1, 2026, 8:00\u202fAM – 9:30\u202fAM."
    )  # type: ignore[attr-defined]
    in_japanese = client.post(
        f"/bookings/{booking.id}/check-in",
        data={"csrf_token": token_of(client, settings)},
        headers={"Accept-Language": "ja"},
    )
    assert in_japanese.context["error"] == "この予約のチェックインは2026年4月1日(水)、8:00 – 9:30に受け付けています。"  # type: ignore[attr-defined]


def test_someone_elses_booking_cannot_be_cancelled(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    theirs = book_desk(db, user=office["tanaka"], desk_id=desk(db, "1F-D1").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    response = client.post(f"/bookings/{theirs.id}/cancel", data={"csrf_token": token_of(client, settings)})
    assert response.status_code == 404
    db.refresh(theirs)
    assert theirs.state == "booked"


def test_a_booking_in_the_wrong_state_is_refused_in_words(
    client, office, log_in, db: Session, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    """Cancelling twice (a second tab) or checking in a cancelled booking: the booking's state, in the page's
    language."""
    booking = book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D1").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    assert (
        client.post(f"/bookings/{booking.id}/cancel", data={"csrf_token": token_of(client, settings)}).status_code
        == 303
    )
    again = client.post(
        f"/bookings/{booking.id}/cancel",
        data={"csrf_token": token_of(client, settings)},
        headers={"Accept-Language": "ja"},
    )
    assert again.status_code == 422
    assert again.context["error"] == "この予約は取消済みのため、取り消せません。"  # type: ignore[attr-defined]
    check_in = client.post(f"/bookings/{booking.id}/check-in", data={"csrf_token": token_of(client, settings)})
    assert check_in.context["error"] == "This booking is cancelled: it cannot be checked in."  # type: ignore[attr-defined]


def test_a_weekly_series_shows_each_dates_result(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    d1 = desk(db, "1F-D1")
    book_desk(db, user=office["tanaka"], desk_id=d1.id, now=NOW, day=date(2026, 4, 8), slot="full")
    db.commit()
    log_in(office["sato"])
    response = client.post(
        "/mine/series",
        data={
            "desk": "1F-D1",
            "weekdays": ["2"],  # Wednesdays: 1, 8, 15 April
            "until": "2026-04-15",
            "slot": "full",
            "csrf_token": token_of(client, settings),
        },
    )
    assert response.status_code == 200
    results = response.context["series_result"]  # type: ignore[attr-defined]
    assert [(r["date"], r["created"]) for r in results] == [
        ("Wed, Apr 1, 2026", True),
        ("Wed, Apr 8, 2026", False),
        ("Wed, Apr 15, 2026", True),
    ]
    assert "already booked by 田中 一郎" in results[1]["text"]
    assert "2 booked, 1 refused." in response.text
    assert len(db.scalars(select(Booking).where(Booking.user_id == "sato")).all()) == 2


def test_a_series_for_an_unknown_desk_says_so(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    response = client.post(
        "/mine/series",
        data={"desk": "9F-X9", "weekdays": ["2"], "until": "2026-04-15", "csrf_token": token_of(client, settings)},
    )
    assert response.status_code == 404
    assert "no desk &#39;9F-X9&#39;" in response.text
    assert 'value="9F-X9"' in response.text  # the form keeps what was typed


def test_the_calendar_link_is_shown_once_and_renewing_revokes_it(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    first = client.post("/mine/calendar", data={"csrf_token": token_of(client, settings)})
    url = first.context["calendar_url"]  # type: ignore[attr-defined]
    assert url.startswith("http://testserver/api/calendar/") and url.endswith(".ics")
    feed = client.get(url.removeprefix("http://testserver"))
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    later = client.get("/mine")
    assert later.context["calendar_url"] is None and later.context["calendar_since"]  # type: ignore[attr-defined]
    second = client.post("/mine/calendar", data={"csrf_token": token_of(client, settings)})
    assert second.context["calendar_url"] != url  # type: ignore[attr-defined]
    assert client.get(url.removeprefix("http://testserver")).status_code == 404


def test_mine_needs_a_login(client: TestClient) -> None:
    assert client.get("/mine").headers["location"] == "/login?next=/mine"
