"""The booking page: the floor map (the building's plan, desks as links with state classes and titles), the list,
filters, a desk's page, booking it, and refusals shown with their reason (and whose booking, where allowed)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from booking.models import Booking, BuildingPlan, BuildingRow
from booking.services.bookings import book_desk
from booking.settings import Settings
from tests.booking.factories import NOW, desk, floor
from tests.pages.conftest import plain, token_of

APRIL_1 = date(2026, 4, 1)  # a Wednesday


def test_the_map_draws_every_desk_as_a_link_with_its_state(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    book_desk(db, user=office["tanaka"], desk_id=desk(db, "1F-D2").id, now=NOW, day=APRIL_1, slot="full")
    book_desk(db, user=office["sato"], desk_id=desk(db, "1F-D3").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    response = client.get(f"/book?date=2026-04-01&slot=full&floor={floor(db).id}")
    assert response.status_code == 200
    assert response.template.name == "book.html"  # type: ignore[attr-defined]
    html = plain(response.text)
    assert html.count('<a href="/desks/') >= 6  # every desk a link on the map, and in the list
    assert re.search(r'<circle[^>]*id="desk-1F-D1"[^>]*class="desk free"', html)
    assert re.search(r'id="desk-1F-D2"[^>]*class="desk booked"', html)
    assert re.search(r'id="desk-1F-D3"[^>]*class="desk mine"', html)
    # a title for screen readers: the desk's name and its state in words, whose booking where names are shown
    assert "<title>Desk 1F-D2: booked: booked 8:30 AM – 5:15 PM by 田中 一郎: standing desk</title>" in html
    assert 'aria-label="Desk 1F-D1: free: monitor"' in html
    views = {v.ref: v for v in response.context["desks"]}  # type: ignore[attr-defined]
    assert (views["1F-D1"].state, views["1F-D2"].state, views["1F-D3"].state) == ("free", "booked", "mine")
    assert response.context["counts"] == {"free": 4, "booked": 1, "mine": 1}  # D1, D4, H1, H2  # type: ignore[attr-defined]


def test_names_stay_hidden_where_the_building_says_so(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    db.get(BuildingRow, "hq").show_booker_names = False  # type: ignore[union-attr]
    book_desk(db, user=office["tanaka"], desk_id=desk(db, "1F-D2").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    html = plain(client.get("/book?date=2026-04-01&slot=full").text)
    assert "田中" not in html
    assert "booked 8:30 AM – 5:15 PM" in html


def test_a_filter_dims_the_desks_without_the_feature(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    response = client.get("/book?date=2026-04-01&slot=full&attr=monitor")
    html = plain(response.text)
    assert re.search(r'id="desk-1F-D1"[^>]*class="desk free"', html)
    assert re.search(r'id="desk-1F-D2"[^>]*class="desk dimmed"', html)
    assert [v.ref for v in response.context["desks"]] == ["1F-D1"]  # type: ignore[attr-defined]
    assert 'name="attr" value="monitor" checked' in html


def test_dates_and_times_are_written_in_the_pages_language(client, office, log_in) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    english = plain(client.get("/book?date=2026-04-01&slot=am").text)
    assert "Wed, Apr 1, 2026" in english and "8:30 AM – 12:00 PM" in english
    japanese = client.get("/book?date=2026-04-01&slot=am", headers={"Accept-Language": "ja"}).text
    assert "2026年4月1日(水)" in japanese and "8:30 – 12:00" in japanese and "午前" in japanese


def test_booking_a_free_desk_from_its_page(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    d1 = desk(db, "1F-D1")
    page = client.get(f"/desks/{d1.id}?date=2026-04-01&slot=am")
    assert page.template.name == "desk.html" and page.context["can_book"]  # type: ignore[attr-defined]
    response = client.post(
        f"/desks/{d1.id}/book", data={"date": "2026-04-01", "slot": "am", "csrf_token": token_of(client, settings)}
    )
    assert response.status_code == 303
    assert "done=" in response.headers["location"]
    made = db.scalar(select(Booking).where(Booking.user_id == "sato"))
    assert made is not None and made.desk_id == d1.id
    shown = client.get(response.headers["location"])
    assert "Booked: desk 1F-D1, 1F, Wed, Apr 1, 2026, 8:30 AM – 12:00 PM." in plain(shown.text)
    assert re.search(r'id="desk-1F-D1"[^>]*class="desk mine"', shown.text)


def test_a_taken_desk_says_why_and_by_whom(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    d2 = desk(db, "1F-D2")
    book_desk(db, user=office["tanaka"], desk_id=d2.id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    page = client.get(f"/desks/{d2.id}?date=2026-04-01&slot=full")
    assert not page.context["can_book"]  # type: ignore[attr-defined]
    assert "booked 8:30 AM – 5:15 PM by 田中 一郎" in plain(page.text)
    # the same desk asked for anyway (a form opened before someone else booked it)
    refused = client.post(
        f"/desks/{d2.id}/book", data={"date": "2026-04-01", "slot": "am", "csrf_token": token_of(client, settings)}
    )
    assert refused.status_code == 409
    assert refused.template.name == "desk.html"  # type: ignore[attr-defined]
    assert "Desk 1F-D2 is already booked by 田中 一郎: Wed, Apr 1, 2026, 8:30 AM – 5:15 PM." in plain(refused.text)
    assert db.scalar(select(Booking).where(Booking.user_id == "sato")) is None


def test_a_rule_refusal_is_shown_in_japanese(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    d1 = desk(db, "1F-D1")
    refused = client.post(
        f"/desks/{d1.id}/book",
        data={"date": "2026-04-04", "slot": "full", "csrf_token": token_of(client, settings)},
        headers={"Accept-Language": "ja"},
    )
    assert refused.status_code == 422
    assert (
        '<p class="problem" role="alert">土曜日は休館日のため、2026年4月4日(土)は予約できません。</p>' in refused.text
    )


def test_hours_only_where_the_space_allows(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    office_desk, meeting_desk = desk(db, "1F-D1"), desk(db, "1F-H1")
    query = "date=2026-04-01&slot=hours&start=13:00&end=15:00"
    assert client.get(f"/desks/{office_desk.id}?{query}").context["hourly_refused"]  # type: ignore[attr-defined]
    response = client.post(
        f"/desks/{meeting_desk.id}/book",
        data={
            "date": "2026-04-01",
            "slot": "hours",
            "start": "13:00",
            "end": "15:00",
            "csrf_token": token_of(client, settings),
        },
    )
    assert response.status_code == 303
    made = db.scalar(select(Booking).where(Booking.desk_id == meeting_desk.id))
    assert made is not None and made.end_utc - made.start_utc == (made.end_utc - made.start_utc).__class__(hours=2)


def test_a_building_without_a_stored_plan_is_drawn_from_its_desks(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    db.execute(delete(BuildingPlan))  # as a building loaded before plans were stored, without a plan file
    db.commit()
    log_in(office["sato"])
    html = client.get("/book?date=2026-04-01").text
    assert "<svg" in html and 'id="desk-1F-H2"' in html


def test_no_building_yet(client, db: Session, log_in) -> None:  # type: ignore[no-untyped-def]
    from tests.booking.factories import make_user

    user = make_user(db, "sato")
    db.commit()
    log_in(user)
    response = client.get("/book")
    assert response.status_code == 200 and "No building has been loaded yet" in response.text
