"""Hostile input gets a 422 problem naming the field, never a 500: dates far from today (the app's clock: 31 March
2026, so 2016-03-31 to 2036-03-31), ids past a 32-bit column, NUL characters and strings longer than their columns,
times with offsets or nulls in the rules, blocks over thousands of years. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.models import Block, BuildingRow, Role, User
from tests.booking.factories import desk, floor, make_building, make_unit, make_user

Auth = Callable[[User], dict[str, str]]
WINDOW = "must be from 2016-03-31 to 2036-03-31 (within 10 years of today)"


def refused(answer: httpx.Response, *loc: str | int) -> dict[str, Any]:
    """The one validation error of a 422 problem document, which names ``loc``."""
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"].endswith("/validation") and problem["status"] == 422
    assert [e["loc"] for e in problem["errors"]] == [list(loc)], problem["errors"]
    error: dict[str, Any] = problem["errors"][0]
    return error


@pytest.fixture
def people(db: Session, auth: Auth) -> tuple[dict[str, str], dict[str, str]]:
    """A building with desks, a unit with a staff member, and an admin: (staff headers, admin headers)."""
    make_building(db)
    make_unit(db, "koseki")
    staff = auth(make_user(db, "sato", unit="koseki"))
    admin = auth(make_user(db, "fm", role=Role.ADMIN))
    return staff, admin


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2016-03-30", "2036-04-01"])
def test_dates_out_of_the_window_are_refused_everywhere(
    db: Session, client: TestClient, people: tuple[dict[str, str], dict[str, str]], day: str
) -> None:
    staff, admin = people
    d, f = desk(db, "1F-D1").id, floor(db).id
    gets = [
        (f"/api/floors/{f}/availability?date={day}", staff, ("query", "date")),
        (f"/api/floors/{f}/availability?start={day}T09:00&end=2026-04-01T10:00", staff, ("query", "start")),
        (f"/api/floors/{f}/availability?start=2026-04-01T09:00%2B09:00&end={day}T10:00Z", staff, ("query", "end")),
        (f"/api/team?date={day}", staff, ("query", "date")),
        (f"/api/people?q=sato&date={day}", staff, ("query", "date")),
        (f"/api/suggestions?date={day}", staff, ("query", "date")),
        (f"/api/reports/units/koseki?since={day}", staff, ("query", "since")),
        (f"/api/reports/floors?until={day}", admin, ("query", "until")),
        (f"/api/units/koseki/bookings?date={day}", admin, ("query", "date")),
        (f"/api/blocks?on={day}", admin, ("query", "on")),
    ]
    for url, who, loc in gets:
        assert refused(client.get(url, headers=who), *loc)["msg"] == WINDOW, url
    posts: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
        ("/api/bookings", {"desk_id": d, "date": day}, ("body", "date")),
        ("/api/bookings", {"desk_id": d, "start": f"{day}T09:00+09:00", "end": "2026-04-01T10:00"}, ("body", "start")),
        ("/api/bookings/recurring", {"desk_id": d, "weekdays": [0], "first_day": day, "last_day": "2026-04-30"},
         ("body", "first_day")),
        ("/api/buildings/hq/closures", {"day": day}, ("body", "day")),
        ("/api/blocks", {"desk_ids": [d], "first_day": "2026-04-01", "last_day": day, "reason": "x"},
         ("body", "last_day")),
    ]  # fmt: skip
    for url, body, loc in posts:
        error = refused(client.post(url, json=body, headers=admin), *loc)
        assert error["msg"] == WINDOW and error["type"] == "date_out_of_range", url


def test_the_window_is_the_apps_clock_not_the_machines(
    client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    staff, _ = people
    assert client.get("/api/team?date=2036-03-31", headers=staff).status_code == 200
    assert client.get("/api/team?date=2016-03-31", headers=staff).status_code == 200
    refused(client.get("/api/team?date=2036-04-01", headers=staff), "query", "date")


@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "-318188892332554387456", "0"])
def test_ids_past_the_column_are_refused(
    db: Session, client: TestClient, people: tuple[dict[str, str], dict[str, str]], number: str
) -> None:
    staff, admin = people
    bookings = [
        client.get(f"/api/bookings/{number}", headers=staff),
        client.delete(f"/api/bookings/{number}", headers=staff),
        client.post(f"/api/bookings/{number}/check-in", headers=staff),
    ]
    for answer in bookings:
        if number.startswith("-"):  # only digits route to a booking id (beside /mine, /recurring): no such path
            assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
        else:
            refused(answer, "path", "booking_id")
    refused(client.get(f"/api/floors/{number}/availability", headers=staff), "path", "floor_id")
    refused(client.put(f"/api/desks/{number}/owner", json={"owner_id": None}, headers=admin), "path", "desk_id")
    refused(client.delete(f"/api/blocks/{number}", headers=admin), "path", "block_id")
    refused(client.delete(f"/api/closures/{number}", headers=admin), "path", "closure_id")
    refused(client.delete(f"/api/zones/{number}", headers=admin), "path", "zone_id")
    refused(client.get(f"/api/blocks?desk_id={number}", headers=admin), "query", "desk_id")
    body = {"desk_id": int(number), "date": "2026-04-01"}
    refused(client.post("/api/bookings", json=body, headers=staff), "body", "desk_id")
    block = {"desk_ids": [desk(db, "1F-D1").id, int(number)], "first_day": "2026-04-01", "last_day": "2026-04-01"}
    refused(client.post("/api/blocks", json=block | {"reason": "x"}, headers=admin), "body", "desk_ids", 1)


def test_the_largest_id_is_simply_not_found(client: TestClient, people: tuple[dict[str, str], dict[str, str]]) -> None:
    staff, admin = people
    assert client.get("/api/bookings/2147483647", headers=staff).status_code == 404
    assert client.delete("/api/blocks/2147483647", headers=admin).status_code == 404
    assert client.get("/api/audit?before_id=2147483647", headers=admin).status_code == 200
    refused(client.get("/api/audit?before_id=-318188892332554387456", headers=admin), "query", "before_id")
    refused(client.get("/api/audit?before_id=2147483648", headers=admin), "query", "before_id")


def test_nul_characters_are_refused(
    db: Session, client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    staff, admin = people
    d = desk(db, "1F-D1").id
    nul = "must not contain a NUL character (\\x00)"
    gets = [
        ("/api/people?q=%00", staff, ("query", "q")),
        ("/api/people?q=sa%00to", staff, ("query", "q")),
        ("/api/buildings/hq%00/rules", staff, ("path", "building_id")),
        ("/api/buildings/%00/zones", staff, ("path", "building_id")),
        ("/api/units/koseki%00/bookings", admin, ("path", "unit_id")),
        ("/api/reports/units/%00", staff, ("path", "unit_id")),
        ("/api/suggestions?person=%00", staff, ("query", "person")),
        ("/api/suggestions?building=%00", staff, ("query", "building")),
        ("/api/floors?building=%00", staff, ("query", "building")),
        ("/api/audit?entity=%00", admin, ("query", "entity")),
        ("/api/audit?entity_id=%00", admin, ("query", "entity_id")),
        ("/api/calendar/%00.ics", staff, ("path", "token")),
    ]
    for url, who, loc in gets:
        assert refused(client.get(url, headers=who), *loc)["msg"] == nul, url
    writes: list[tuple[str, str, Any, tuple[str | int, ...]]] = [
        ("POST", "/api/bookings", {"desk_id": d, "date": "2026-04-01", "user_id": "sa\x00to"}, ("body", "user_id")),
        ("POST", "/api/users", {"id": "x\x00", "name": "X"}, ("body", "id")),
        ("POST", "/api/users", {"id": "x", "name": "X", "unit": "\x00"}, ("body", "unit")),
        ("POST", "/api/units", [{"id": "ok"}, {"id": "u", "parent": "\x00"}], ("body", 1, "parent")),
        ("PUT", f"/api/desks/{d}/owner", {"owner_id": "\x00"}, ("body", "owner_id")),
        ("PATCH", "/api/buildings/hq/rules", {"timezone": "Asia/Tokyo\x00"}, ("body", "timezone")),
        ("POST", "/api/buildings/hq/closures", {"day": "2026-04-02", "reason": "\x00"}, ("body", "reason")),
        ("POST", "/api/buildings/hq/zones", {"name": "z", "unit_id": "koseki", "weekdays": [0], "space_refs": ["\x00"]},
         ("body", "space_refs", 0)),
    ]  # fmt: skip
    for method, url, body, loc in writes:
        assert refused(client.request(method, url, json=body, headers=admin), *loc)["msg"] == nul, url


def test_strings_longer_than_their_columns_are_refused(
    db: Session, client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    staff, admin = people
    d = desk(db, "1F-D1").id
    booking = {"desk_id": d, "date": "2026-04-01"}
    long_key = staff | {"Idempotency-Key": "k" * 201}
    error = refused(client.post("/api/bookings", json=booking, headers=long_key), "header", "idempotency-key")
    assert error["type"] == "string_too_long"
    key = staff | {"Idempotency-Key": "k" * 200}
    assert client.post("/api/bookings", json=booking, headers=key).status_code == 201
    too_long: list[tuple[str, Any, tuple[str | int, ...]]] = [
        ("/api/units", [{"id": "u" * 101}], ("body", 0, "id")),
        ("/api/users", {"id": "x", "name": "n" * 201}, ("body", "name")),
        ("/api/users", {"id": "x", "name": "X", "email": "e" * 321}, ("body", "email")),
        ("/api/buildings/hq/closures", {"day": "2026-04-02", "reason": "r" * 501}, ("body", "reason")),
    ]
    for url, body, loc in too_long:
        assert refused(client.post(url, json=body, headers=admin), *loc)["type"] == "string_too_long", url
    refused(client.get("/api/people?q=" + "q" * 201, headers=staff), "query", "q")
    refused(client.get("/api/buildings/" + "b" * 101 + "/rules", headers=staff), "path", "building_id")


def test_rules_take_local_times_and_refuse_offsets_and_nulls(
    db: Session, client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, admin = people

    def patch(body: dict[str, Any]) -> httpx.Response:
        return client.patch("/api/buildings/hq/rules", json=body, headers=admin)

    for value in ("18:00:00Z", "18:00+09:00", "18:00:00.5", "6pm", "24:00", "18"):
        error = refused(patch({"closes_at": value}), "body", "closes_at")
        assert error["type"] == "local_time", value
    for name in ("check_in_required", "closed_weekdays", "opens_at", "days_ahead", "timezone"):
        error = refused(patch({name: None}), "body", name)
        assert error["msg"] == "must not be null (leave the rule out to keep it)"
    refused(patch({"closed_weekdays": [5, 7]}), "body", "closed_weekdays", 1)
    refused(patch({"holiday_country": "XX"}), "body", "holiday_country")
    refused(patch({"cancel_cutoff_minutes": 2**31}), "body", "cancel_cutoff_minutes")
    assert db.get(BuildingRow, "hq").closes_at.isoformat() == "17:15:00"  # type: ignore[union-attr]
    answer = patch({"closes_at": "18:00", "zone_release_time": "14:30:15", "longest_booking_minutes": None,
                    "holiday_country": None})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert (answer.json()["closes_at"], answer.json()["zone_release_time"]) == ("18:00:00", "14:30:15")
    assert answer.json()["holiday_country"] is None
    series = {"desk_id": desk(db, "1F-D1").id, "weekdays": [2], "first_day": "2026-04-01", "last_day": "2026-04-08"}
    refused(client.post("/api/bookings/recurring", json=series | {"start_time": "09:00Z", "end_time": "10:00"},
                        headers=admin), "body", "start_time")  # fmt: skip


def test_blocks_are_at_most_two_years_long(
    db: Session, client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    _, admin = people
    d = desk(db, "1F-D1").id

    def block(first: str, last: str) -> httpx.Response:
        return client.post(
            "/api/blocks", json={"desk_ids": [d], "first_day": first, "last_day": last, "reason": "x"}, headers=admin
        )

    both = block("0002-01-01", "9999-12-31")
    assert both.status_code == 422
    assert [e["loc"] for e in both.json()["errors"]] == [["body", "first_day"], ["body", "last_day"]]
    assert refused(block("2026-04-01", "2028-04-01"), "body", "last_day")["msg"] == (
        "covers at most 731 days from first_day, not 732"
    )
    assert refused(block("2026-04-02", "2026-04-01"), "body", "last_day")["type"] == "span_reversed"
    refused(
        client.post("/api/bookings/recurring", headers=admin,
                    json={"desk_id": d, "weekdays": [0], "first_day": "2026-04-01", "last_day": "2030-01-01"}),
        "body", "last_day",
    )  # fmt: skip
    assert db.scalar(select(func.count()).select_from(Block)) == 0
    assert block("2026-04-01", "2028-03-31").status_code == 201
