"""My team, finding colleagues, and the calendar feed at a secret URL (no login, revocable, renewable)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.orm import Session

from booking.models import User
from tests.booking.factories import desk, make_building, make_unit, make_user

Auth = Callable[[User], dict[str, str]]


def test_team_and_search(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db)
    make_unit(db, "koseki")
    me = auth(make_user(db, "sato", name="佐藤 花子", unit="koseki"))
    mate_user = make_user(db, "tanaka", name="田中 一郎", unit="koseki")
    mate = auth(mate_user)
    client.post("/api/bookings", json={"desk_id": desk(db, "1F-D2").id, "date": "2026-04-01"}, headers=mate)
    team = client.get("/api/team?date=2026-04-01", headers=me).json()
    assert [(p["id"], p["desk"], p["floor"]) for p in team] == [("sato", None, None), ("tanaka", "1F-D2", "1F")]
    found = client.get("/api/people?q=田中&date=2026-04-01", headers=me).json()
    assert [(p["name"], p["desk"]) for p in found] == [("田中 一郎", "1F-D2")]
    assert client.get("/api/people?q=", headers=me).status_code == 422


def test_calendar_feed(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db)
    me = auth(make_user(db, "sato"))
    client.post("/api/bookings", json={"desk_id": desk(db, "1F-D1").id, "date": "2026-04-01", "slot": "am"}, headers=me)
    url = client.post("/api/calendar/token", headers=me).json()["url"]
    assert url.startswith("http://testserver/api/calendar/") and url.endswith(".ics")
    feed = client.get(url)  # no credentials
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Desk 1F-D1, 1F"]
    renewed = client.post("/api/calendar/token", headers=me).json()["url"]
    assert renewed != url
    assert client.get(url).status_code == 404
    assert client.get(renewed).status_code == 200
    assert client.delete("/api/calendar/token", headers=me).status_code == 204
    gone = client.get(renewed)
    assert gone.status_code == 404 and gone.json()["detail"].startswith("no such calendar")
