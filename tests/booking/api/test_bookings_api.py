"""Booking through the API: 201 with local times, problem documents for every refusal, Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.clock import FixedClock
from booking.models import Booking, User
from tests.booking.factories import NOW, desk, floor, make_building, make_user

Auth = Callable[[User], dict[str, str]]


def setup(db: Session) -> tuple[int, int]:
    make_building(db)
    return desk(db, "1F-D1").id, desk(db, "1F-H1").id


def test_book_a_preset_and_an_interval(db: Session, client: TestClient, auth: Auth) -> None:
    d, h = setup(db)
    me = auth(make_user(db))
    answer = client.post("/api/bookings", json={"desk_id": d, "date": "2026-04-01", "slot": "am"}, headers=me)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body == {
        "id": body["id"],
        "desk_id": d,
        "desk": "1F-D1",
        "floor_id": floor(db).id,
        "floor": "1F",
        "user_id": "sato",
        "start": "2026-04-01T08:30:00+09:00",
        "end": "2026-04-01T12:00:00+09:00",
        "state": "booked",
    }
    answer = client.post(
        "/api/bookings", json={"desk_id": h, "start": "2026-04-01T02:00:00Z", "end": "2026-04-01T03:00:00Z"}, headers=me
    )
    assert answer.status_code == 409 and answer.json()["rule"] == "one_desk_per_person"
    answer = client.post(
        "/api/bookings", json={"desk_id": h, "start": "2026-04-01T13:00", "end": "2026-04-01T14:00"}, headers=me
    )
    assert answer.status_code == 201
    assert (answer.json()["start"], answer.json()["end"]) == ("2026-04-01T13:00:00+09:00", "2026-04-01T14:00:00+09:00")
    mine = client.get("/api/bookings/mine", headers=me).json()
    assert [b["desk"] for b in mine] == ["1F-D1", "1F-H1"]


def test_conflict_is_a_409_problem_naming_the_booking(db: Session, client: TestClient, auth: Auth) -> None:
    d, _ = setup(db)
    first = client.post(
        "/api/bookings", json={"desk_id": d, "date": "2026-04-01"}, headers=auth(make_user(db, "tanaka", name="田中"))
    ).json()
    answer = client.post(
        "/api/bookings", json={"desk_id": d, "date": "2026-04-01", "slot": "pm"}, headers=auth(make_user(db))
    )
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "https://floorwise.example/problems/conflict"
    assert (problem["title"], problem["rule"], problem["instance"]) == (
        "Booking conflict",
        "desk_taken",
        "/api/bookings",
    )
    assert problem["detail"] == "desk 1F-D1 is already booked from 2026-04-01 08:30 to 2026-04-01 17:15"
    assert problem["conflict"]["id"] == first["id"] and problem["conflict"]["user_name"] == "田中"
    assert (problem["conflict"]["start"], problem["conflict"]["end"]) == (first["start"], first["end"])


def test_refusals_are_problems(db: Session, client: TestClient, auth: Auth) -> None:
    d, _ = setup(db)
    me = auth(make_user(db))
    answer = client.post("/api/bookings", json={"desk_id": d, "date": "2026-04-04", "slot": "am"}, headers=me)
    assert (answer.status_code, answer.json()["rule"]) == (422, "closed_day")
    problem = answer.json()  # the particulars of the refusal, for a client to word it in its own language
    assert (problem["day"], problem["closed"], problem["weekday"]) == ("2026-04-04", "weekday", "Saturday")
    answer = client.post("/api/bookings", json={"desk_id": d, "date": "2026-05-01", "slot": "am"}, headers=me)
    assert answer.status_code == 422
    assert {k: answer.json()[k] for k in ("rule", "day", "days_ahead", "bookable_from", "last_bookable_day")} == {
        "rule": "days_ahead",
        "day": "2026-05-01",
        "days_ahead": 28,
        "bookable_from": "2026-04-03",
        "last_bookable_day": "2026-04-28",
    }
    answer = client.post("/api/bookings", json={"desk_id": 999999, "date": "2026-04-01"}, headers=me)
    assert (answer.status_code, answer.json()["detail"]) == (404, "no desk 999999")
    answer = client.post("/api/bookings", json={"desk_id": d, "slot": "noon", "date": "2026-04-01"}, headers=me)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["title"] == "Invalid request" and problem["errors"][0]["loc"] == ["body", "slot"]
    answer = client.post(
        "/api/bookings", json={"desk_id": d, "date": "2026-04-01", "start": "2026-04-01T09:00"}, headers=me
    )
    assert answer.status_code == 422 and "either date and slot, or start and end" in answer.json()["detail"]
    other = make_user(db, "other")
    answer = client.post("/api/bookings", json={"desk_id": d, "date": "2026-04-01", "user_id": other.id}, headers=me)
    assert (answer.status_code, answer.json()["right"]) == (403, "act_for_others")


def test_the_detail_follows_accept_language_and_the_particulars_stay_iso(
    db: Session, client: TestClient, auth: Auth
) -> None:
    d, _ = setup(db)
    me = auth(make_user(db))
    body = {"desk_id": d, "date": "2026-05-01", "slot": "am"}
    english = client.post("/api/bookings", json=body, headers=me).json()
    japanese = client.post("/api/bookings", json=body, headers=me | {"Accept-Language": "ja,en;q=0.5"}).json()
    preferred = client.post("/api/bookings", json=body, headers=me | {"Accept-Language": "fr, en-GB;q=0.8"}).json()
    assert english["detail"] == (
        "bookings open 28 days ahead: 2026-05-01 can be booked from 2026-04-03 (the last bookable day now is "
        "2026-04-28)"
    )
    assert preferred["detail"] == english["detail"]
    assert japanese["detail"] == (
        "予約は28日先までのため、2026年5月1日は2026年4月3日から予約できます（現在予約できるのは2026年4月28日までです）"
    )
    assert {k: v for k, v in japanese.items() if k != "detail"} == {k: v for k, v in english.items() if k != "detail"}
    assert japanese["day"] == "2026-05-01" and japanese["title"] == "Refused by a booking rule"
    missing = client.post(
        "/api/bookings", json={"desk_id": 999999, "date": "2026-04-01"}, headers=me | {"Accept-Language": "ja"}
    )
    assert (missing.status_code, missing.json()["detail"]) == (404, "座席 999999 はありません")


def test_idempotency_key(db: Session, client: TestClient, auth: Auth, clock: FixedClock) -> None:
    d, _ = setup(db)
    me = auth(make_user(db)) | {"Idempotency-Key": "k-1"}
    body = {"desk_id": d, "date": "2026-04-01", "slot": "am"}
    first = client.post("/api/bookings", json=body, headers=me)
    again = client.post("/api/bookings", json=body, headers=me)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert db.scalar(select(func.count()).select_from(Booking)) == 1
    other = client.post("/api/bookings", json=body | {"slot": "pm"}, headers=me)
    assert other.status_code == 422
    assert (
        other.json()["detail"] == "Idempotency-Key 'k-1' was used with another request; use a new key for a new request"
    )
    # After 24 hours the key is forgotten: the same request is a new booking attempt (and the desk is now taken).
    clock.at = NOW + timedelta(hours=24)
    assert client.post("/api/bookings", json=body, headers=me).status_code == 409


def test_cancel_and_check_in(db: Session, client: TestClient, auth: Auth, clock: FixedClock) -> None:
    d, _ = setup(db)
    me = auth(make_user(db))
    made = client.post("/api/bookings", json={"desk_id": d, "date": "2026-04-01"}, headers=me).json()
    intruder = auth(make_user(db, "intruder"))
    assert client.delete(f"/api/bookings/{made['id']}", headers=intruder).status_code == 404
    clock.at = NOW + timedelta(hours=23, minutes=5)  # 08:05 on the day
    answer = client.post(f"/api/bookings/{made['id']}/check-in", headers=me)
    assert (answer.status_code, answer.json()["state"]) == (200, "checked_in")
    clock.at = NOW + timedelta(hours=23, minutes=31)  # 08:31: it has started, so it can no longer be cancelled
    answer = client.delete(f"/api/bookings/{made['id']}", headers=me)
    assert (answer.status_code, answer.json()["rule"]) == (422, "cancel_cutoff")
    clock.at = NOW
    second = client.post("/api/bookings", json={"desk_id": d, "date": "2026-04-02"}, headers=me).json()
    assert client.delete(f"/api/bookings/{second['id']}", headers=me).status_code == 204
    assert client.get(f"/api/bookings/{second['id']}", headers=me).json()["state"] == "cancelled"


def test_recurring_through_the_api(db: Session, client: TestClient, auth: Auth) -> None:
    d, _ = setup(db)
    me = auth(make_user(db))
    answer = client.post(
        "/api/bookings/recurring",
        json={"desk_id": d, "weekdays": [1, 5], "first_day": "2026-04-01", "last_day": "2026-04-14", "slot": "am"},
        headers=me,
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["created"], result["refused"]) == (2, 2)
    assert [(o["date"], o["status"], o["rule"]) for o in result["occurrences"]] == [
        ("2026-04-04", "refused", "closed_day"),  # Saturday
        ("2026-04-07", "created", None),
        ("2026-04-11", "refused", "closed_day"),
        ("2026-04-14", "created", None),
    ]
    assert result["occurrences"][1]["booking"]["start"] == "2026-04-07T08:30:00+09:00"


def test_floors_and_availability(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db, floors=2, desks=2, hourly_desks=0, attributes={"1F-D2": {"monitor": True}})
    me = auth(make_user(db))
    floors = client.get("/api/floors", headers=me).json()
    assert [(f["ref"], f["level"]) for f in floors] == [("1F", 0), ("2F", 1)]
    client.post("/api/bookings", json={"desk_id": desk(db, "1F-D1").id, "date": "2026-04-01"}, headers=me)
    answer = client.get(f"/api/floors/{floors[0]['id']}/availability?date=2026-04-01&slot=pm", headers=me)
    body = answer.json()
    assert (body["start"], body["end"]) == ("2026-04-01T12:00:00+09:00", "2026-04-01T17:15:00+09:00")
    assert [(x["ref"], x["state"], x["reason"]) for x in body["desks"]] == [
        ("1F-D1", "mine", "your booking 08:30-17:15"),
        ("1F-D2", "free", ""),
    ]
    filtered = client.get(f"/api/floors/{floors[0]['id']}/availability?date=2026-04-01&monitor=true", headers=me).json()
    assert [x["ref"] for x in filtered["desks"]] == ["1F-D2"]
    by_times = client.get(
        f"/api/floors/{floors[0]['id']}/availability?start=2026-04-01T13:00&end=2026-04-01T14:00", headers=me
    ).json()
    assert by_times["desks"][0]["state"] == "mine"
    assert client.get("/api/floors/99999/availability", headers=me).status_code == 404
