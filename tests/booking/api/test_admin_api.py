"""Administration through the API: each refusal names the missing right; changes land in the audit log."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.models import Role, User
from tests.booking.factories import desk, floor, make_building, make_unit, make_user

Auth = Callable[[User], dict[str, str]]


def test_staff_are_refused_each_admin_action_with_the_right_named(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db)
    make_unit(db, "koseki")
    d = desk(db, "1F-D1").id
    staff = auth(make_user(db))
    attempts = [
        ("PATCH", "/api/buildings/hq/rules", {"days_ahead": 3}, "manage_rules"),
        ("POST", "/api/buildings/hq/closures", {"day": "2026-04-02", "reason": "x"}, "manage_rules"),
        (
            "POST",
            "/api/blocks",
            {"desk_ids": [d], "first_day": "2026-04-01", "last_day": "2026-04-01", "reason": "x"},
            "manage_blocks",
        ),
        (
            "POST",
            "/api/buildings/hq/zones",
            {"name": "z", "unit_id": "koseki", "weekdays": [0], "desk_ids": [d]},
            "manage_zones",
        ),
        ("PUT", f"/api/desks/{d}/owner", {"owner_id": "sato"}, "manage_desks"),
        ("POST", "/api/users", {"id": "x", "name": "X"}, "manage_people"),
        ("POST", "/api/units", [{"id": "x"}], "manage_people"),
        ("GET", "/api/audit", None, "read_audit"),
        ("POST", "/api/bookings/no-shows", None, "mark_no_shows"),
        ("GET", "/api/units/koseki/bookings", None, "see_unit"),
    ]
    for method, url, body, right in attempts:
        answer = client.request(method, url, json=body, headers=staff)
        assert answer.status_code == 403, (url, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["right"] == right, url
        assert answer.json()["title"] == "Forbidden"


def test_admin_changes_rules_and_the_audit_log_shows_before_and_after(
    db: Session, client: TestClient, auth: Auth
) -> None:
    make_building(db)
    admin = auth(make_user(db, "fm", role=Role.ADMIN))
    answer = client.patch("/api/buildings/hq/rules", json={"days_ahead": 3, "opens_at": "09:00"}, headers=admin)
    assert answer.status_code == 200 and answer.json()["days_ahead"] == 3 and answer.json()["opens_at"] == "09:00:00"
    bad = client.patch("/api/buildings/hq/rules", json={"noon": "08:00"}, headers=admin)
    assert bad.status_code == 422 and "opens_at < noon < closes_at" in bad.json()["detail"]
    entries = client.get("/api/audit?entity=building", headers=admin).json()
    assert entries[0]["action"] == "rules.update" and entries[0]["actor"] == "fm"
    assert (entries[0]["before"]["days_ahead"], entries[0]["after"]["days_ahead"]) == (28, 3)
    assert (entries[0]["before"]["opens_at"], entries[0]["after"]["opens_at"]) == ("08:30:00", "09:00:00")
    staff = auth(make_user(db))
    answer = client.post("/api/bookings", json={"desk_id": desk(db, "1F-D1").id, "date": "2026-04-04"}, headers=staff)
    assert answer.json()["rule"] == "days_ahead"


def test_admins_open_the_year_end_closure(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db)
    admin = auth(make_user(db, "fm", role=Role.ADMIN))
    assert client.get("/api/buildings/hq/rules", headers=admin).json()["year_end_closure"] is True
    opened = client.patch("/api/buildings/hq/rules", json={"year_end_closure": False}, headers=admin)
    assert opened.status_code == 200 and opened.json()["year_end_closure"] is False
    null = client.patch("/api/buildings/hq/rules", json={"year_end_closure": None}, headers=admin)
    assert null.status_code == 422 and null.json()["errors"][0]["loc"] == ["body", "year_end_closure"]


def test_blocks_zones_closures_and_fixed_desks(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db, desks=3, hourly_desks=0)
    make_unit(db, "koseki", name="戸籍住民課")
    d1, d2, d3 = (desk(db, f"1F-D{i}").id for i in (1, 2, 3))
    admin = auth(make_user(db, "fm", role=Role.ADMIN))
    staff = auth(make_user(db, "sato"))
    made = client.post("/api/bookings", json={"desk_id": d1, "date": "2026-04-02"}, headers=staff).json()
    block = client.post(
        "/api/blocks",
        json={"desk_ids": [d2], "first_day": "2026-04-01", "last_day": "2026-04-01", "reason": "paint"},
        headers=admin,
    )
    assert block.status_code == 201 and block.json()[0]["reason"] == "paint"
    zone = client.post(
        "/api/buildings/hq/zones",
        json={"name": "north", "unit_id": "koseki", "weekdays": [2], "space_refs": ["1F-office"]},
        headers=admin,
    )
    assert zone.status_code == 201 and zone.json()["space_refs"] == ["1F-office"]
    owner = client.put(f"/api/desks/{d3}/owner", json={"owner_id": "fm"}, headers=admin)
    assert owner.json()["owner_id"] == "fm"
    closure = client.post("/api/buildings/hq/closures", json={"day": "2026-04-02", "reason": "audit"}, headers=admin)
    assert closure.status_code == 201 and closure.json()["affected_bookings"] == [made["id"]]
    states = client.get(f"/api/floors/{floor(db).id}/availability?date=2026-04-01", headers=staff).json()["desks"]
    assert [(x["ref"], x["state"]) for x in states] == [("1F-D1", "reserved"), ("1F-D2", "blocked"), ("1F-D3", "fixed")]
    assert client.delete(f"/api/blocks/{block.json()[0]['id']}", headers=admin).status_code == 204
    assert client.delete(f"/api/zones/{zone.json()['id']}", headers=admin).status_code == 204
    states = client.get(f"/api/floors/{floor(db).id}/availability?date=2026-04-01", headers=staff).json()["desks"]
    assert [x["state"] for x in states] == ["free", "free", "fixed"]
    actions = [e["action"] for e in client.get("/api/audit?limit=20", headers=admin).json()]
    for action in ("block.create", "zone.create", "desk.owner", "closure.create", "block.delete", "zone.delete"):
        assert action in actions


def test_people_units_and_a_managers_view(db: Session, client: TestClient, auth: Auth) -> None:
    make_building(db)
    admin = auth(make_user(db, "fm", role=Role.ADMIN))
    units = client.post(
        "/api/units", json=[{"id": "kumin", "name": "区民部"}, {"id": "koseki", "parent": "kumin"}], headers=admin
    )
    assert units.status_code == 201 and {u["id"] for u in units.json()} == {"kumin", "koseki"}
    person = client.post(
        "/api/users", json={"id": "sato", "name": "佐藤", "unit": "koseki", "password": "long-enough"}, headers=admin
    )
    assert person.status_code == 201
    again = client.post("/api/users", json={"id": "sato", "name": "佐藤"}, headers=admin)
    assert again.status_code == 422 and "exists already" in again.json()["detail"]
    token = client.post("/api/auth/token", data={"username": "sato", "password": "long-enough"}).json()["access_token"]
    staff = {"Authorization": f"Bearer {token}"}
    client.post("/api/bookings", json={"desk_id": desk(db, "1F-D1").id, "date": "2026-04-01"}, headers=staff)
    boss = auth(make_user(db, "boss", unit="kumin", role=Role.MANAGER))
    seen = client.get("/api/units/koseki/bookings?date=2026-04-01", headers=boss).json()
    assert [b["user_id"] for b in seen] == ["sato"]
