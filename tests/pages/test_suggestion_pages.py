"""Desk suggestions on the booking map of the one-floor office of `tests.pages.conftest`: desks 1F-D1..D4 at x = 3,
5, 7, 9 (y = 5) in the office space (0, 0)-(20, 10), hourly desks 1F-H1, H2 at x = 23, 25 in the meeting space
(20, 0)-(30, 10): 15 m, 11.5 s, from the office's middle to the meeting room's."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.services.bookings import book_desk
from tests.booking.factories import NOW, desk
from tests.pages.conftest import plain

APRIL_1 = date(2026, 4, 1)


def test_the_desks_next_to_my_team_are_suggested_and_ringed(client: TestClient, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    book_desk(db, user=office["tanaka"], desk_id=desk(db, "1F-D2").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    html = plain(client.get("/book?date=2026-04-01&slot=full").text)
    section = html[html.index('<section class="suggestions"') : html.index("</section>")]
    assert "Suggested for you" in section
    items = re.findall(r'<li><a href="/desks/\d+\?[^"]*">([^<]+)</a> <span class="why">([^<]+)</span>', section)
    # D1 and D3 are 2 m from tanaka (D1 first by id), D4 4 m; then the meeting room's desks, 11.5 s away
    assert [text for text, _ in items] == [
        "1F-D1 (1F): in their room, 2 m from them on average",
        "1F-D3 (1F): in their room, 2 m from them on average",
        "1F-D4 (1F): in their room, 4 m from them on average",
        "1F-H1 (1F): 12 s on average",
        "1F-H2 (1F): 12 s on average",
    ]
    assert items[0][1] == "1 of your team on 1F"
    assert re.search(r'id="desk-1F-D1"[^>]*data-suggested="1"', html)
    assert re.search(r'id="desk-1F-D3"[^>]*data-suggested="2"', html)
    assert 'id="desk-1F-D2"' in html and not re.search(r'id="desk-1F-D2"[^>]*data-suggested', html)
    assert html.count('class="suggestion-rank"') == 5 and "suggested for you</li>" in html  # ranks and the legend


def test_in_japanese(client: TestClient, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    book_desk(db, user=office["tanaka"], desk_id=desk(db, "1F-D2").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    client.cookies.set("floorwise_lang", "ja")
    html = plain(client.get("/book?date=2026-04-01&slot=full").text)
    assert "おすすめの座席" in html and "1F 1F-D1：同じ部屋、平均 2 m" in html and "1F にチームの 1 人" in html


def test_no_suggestion_without_colleagues_a_unit_or_a_future(client: TestClient, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    html = client.get("/book?date=2026-04-01&slot=full").text
    assert "nobody you work with has booked for this time" in html and "data-suggested" not in html
    log_in(office["admin"])  # no unit
    assert '<section class="suggestions"' not in client.get("/book?date=2026-04-01&slot=full").text
    log_in(office["sato"])
    assert '<section class="suggestions"' not in client.get("/book?date=2026-03-30&slot=full").text  # yesterday
