"""My team on the map and as a list, finding a colleague, a desk's QR code and the check-in page it opens."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import segno
from sqlalchemy.orm import Session

from booking.clock import FixedClock
from booking.services.bookings import book_desk
from booking.settings import Settings
from tests.booking.factories import NOW, desk, floor
from tests.pages.conftest import plain, token_of

APRIL_1 = date(2026, 4, 1)


def test_my_team_is_highlighted_on_the_map_and_listed(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    book_desk(db, user=office["tanaka"], desk_id=desk(db, "1F-D2").id, now=NOW, day=APRIL_1, slot="am")
    book_desk(db, user=office["suzuki"], desk_id=desk(db, "1F-D3").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    response = client.get("/team?date=2026-04-01")
    assert response.template.name == "team.html"  # type: ignore[attr-defined]
    people = {p.name: p for p in response.context["people"]}  # type: ignore[attr-defined]
    assert set(people) == {"佐藤 花子", "田中 一郎"}  # my unit, not 鈴木 of 税務課
    assert people["田中 一郎"].place == "1F · 1F-D2" and people["佐藤 花子"].floor_id is None
    html = plain(response.text)
    assert re.search(r'id="desk-1F-D2"[^>]*class="desk team"', html)
    assert "Desk 1F-D2: 田中 一郎" in html
    assert 'id="desk-1F-D3" class="desk"' in html  # 鈴木's desk is not highlighted
    assert response.context["chosen_floor"].id == floor(db).id  # type: ignore[attr-defined]


def test_finding_a_colleague_by_part_of_a_name(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    book_desk(db, user=office["suzuki"], desk_id=desk(db, "1F-D3").id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    response = client.get("/team?date=2026-04-01&q=鈴木")
    [found] = response.context["found"]  # type: ignore[attr-defined]
    assert (found.name, found.unit, found.place) == ("鈴木 次郎", "税務課", "1F · 1F-D3")
    nobody = client.get("/team?q=zzz")
    assert nobody.context["found"] == []  # type: ignore[attr-defined]
    assert "Nobody is called “zzz”." in nobody.text


def test_a_desks_code_opens_its_check_in_page(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    d1 = desk(db, "1F-D1")
    assert client.get(f"/desks/{d1.id}/check-in").headers["location"] == f"/login?next=/desks/{d1.id}/check-in"
    log_in(office["sato"])
    code = client.get(f"/desks/{d1.id}/qr.svg")
    assert code.status_code == 200 and code.headers["content-type"] == "image/svg+xml"
    assert code.text.startswith("<?xml") and "<svg" in code.text
    expected = io.BytesIO()
    segno.make(f"http://testserver/desks/{d1.id}/check-in", error="m").save(expected, kind="svg", scale=6, border=2)
    assert code.content == expected.getvalue()  # the code of this desk's check-in address
    assert client.get("/desks/99999/qr.svg").status_code == 404


def test_checking_in_through_the_desks_page(
    client, office, log_in, db: Session, settings: Settings, clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    d1 = desk(db, "1F-D1")
    booking = book_desk(db, user=office["sato"], desk_id=d1.id, now=NOW, day=APRIL_1, slot="full")
    db.commit()
    log_in(office["sato"])
    clock.at = NOW + timedelta(days=1, minutes=-15)  # 08:45 on 1 April
    page = client.get(f"/desks/{d1.id}/check-in")
    assert page.context["booking"].id == booking.id and page.context["result"] is None  # type: ignore[attr-defined]
    assert "Check in now" in page.text
    done = client.post(f"/desks/{d1.id}/check-in", data={"csrf_token": token_of(client, settings)})
    assert done.status_code == 200
    assert "Checked in at desk 1F-D1 at 8:45 AM." in plain(done.text)
    db.refresh(booking)
    assert booking.state == "checked_in"
    again = client.get(f"/desks/{d1.id}/check-in")
    assert "You are checked in" in again.text


def test_checking_in_without_a_booking_says_so(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    d1 = desk(db, "1F-D1")
    log_in(office["sato"])
    assert "You have no booking of this desk today." in client.get(f"/desks/{d1.id}/check-in").text
    response = client.post(f"/desks/{d1.id}/check-in", data={"csrf_token": token_of(client, settings)})
    assert response.status_code == 404 and "no booking of this desk today" in response.text


def test_an_admin_prints_a_floors_codes(client, office, log_in, db: Session) -> None:  # type: ignore[no-untyped-def]
    log_in(office["admin"])
    response = client.get(f"/admin/floors/{floor(db).id}/qr")
    assert response.template.name == "qr_print.html"  # type: ignore[attr-defined]
    assert [c.label for c in response.context["codes"]] == ["1F-D1", "1F-D2", "1F-D3", "1F-D4", "1F-H1", "1F-H2"]  # type: ignore[attr-defined]
    assert response.text.count('class="segno"') == 6
    assert "@media print" in client.get("/static/css/site.css").text
