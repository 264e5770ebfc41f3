"""The reports API over the generated quarter: who may read what (and the refusals), JSON and CSV, suggestions."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.models import Role, User
from tests.booking.analytics.quarter import planted_office
from tests.booking.factories import make_building, make_user

PERIOD = "since=2026-01-05&until=2026-03-27"
Headers = Callable[[User], dict[str, str]]


@pytest.fixture
def people(db: Session) -> dict[str, User]:
    planted_office(db)
    return {
        "admin": make_user(db, "facilities", role=Role.ADMIN),
        "manager": db.get(User, "pair_a0"),  # the generator makes each section's first person its manager
        "staff": db.get(User, "pair_a1"),
    }  # type: ignore[dict-item]


def test_admins_read_the_whole_report(client: TestClient, auth: Headers, people: dict[str, User]) -> None:
    answer = client.get(f"/api/reports?{PERIOD}", headers=auth(people["admin"]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["since"] == "2026-01-05" and body["totals"]["days"] == 56
    assert [f["floor"] for f in body["floors"]] == ["1F", "2F", "3F"]
    assert len(body["units"]) == 7 and body["co_attendance"][0]["related"] is True


def test_a_table_as_csv_has_a_header_row(client: TestClient, auth: Headers, people: dict[str, User]) -> None:
    answer = client.get(f"/api/reports/floors?{PERIOD}&format=csv", headers=auth(people["admin"]))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="floorwise-floors-2026-01-05-2026-03-27.csv"' in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:3] == ["floor_id", "floor", "level"] and len(rows) == 4
    units = list(csv.DictReader(io.StringIO(client.get(f"/api/reports/units?{PERIOD}&format=csv",
                                                          headers=auth(people["admin"])).text)))  # fmt: skip
    sixty = next(r for r in units if r["unit_id"] == "ops.sixty")
    assert float(sixty["desk_ratio"]) <= 0.6 and sixty["mean_sat"] == ""


def test_managers_read_their_units_only(client: TestClient, auth: Headers, people: dict[str, User]) -> None:
    headers = auth(people["manager"])
    units = client.get(f"/api/reports/units?{PERIOD}", headers=headers).json()["units"]
    assert [u["unit_id"] for u in units] == ["ops.pair_a"]
    pairs = client.get(f"/api/reports/co-attendance?{PERIOD}", headers=headers).json()["co-attendance"]
    assert pairs and all("ops.pair_a" in (p["a"], p["b"]) for p in pairs)
    assert client.get(f"/api/reports/units/ops.pair_a?{PERIOD}", headers=headers).status_code == 200
    for refused in ("/api/reports", "/api/reports/floors", "/api/reports/zones", "/api/reports/weekdays",
                    "/api/reports/units/ops.sixty"):  # fmt: skip
        answer = client.get(f"{refused}?{PERIOD}", headers=headers)
        assert answer.status_code == 403, refused
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["right"] == "read_reports"


def test_staff_read_their_own_units_summary_only(client: TestClient, auth: Headers, people: dict[str, User]) -> None:
    headers = auth(people["staff"])
    mine = client.get(f"/api/reports/units/ops.pair_a?{PERIOD}", headers=headers)
    assert mine.status_code == 200 and mine.json()["headcount"] == 6 and mine.json()["peak"] == 6
    for refused in ("/api/reports/units", "/api/reports/co-attendance", "/api/reports/units/ops.pair_b",
                    "/api/reports/units/ops"):  # fmt: skip
        assert client.get(f"{refused}?{PERIOD}", headers=headers).status_code == 403, refused


def test_mistakes_and_strangers(client: TestClient, auth: Headers, people: dict[str, User]) -> None:
    headers = auth(people["admin"])
    assert client.get(f"/api/reports/desks?{PERIOD}", headers=headers).status_code == 422
    assert client.get("/api/reports?since=2026-03-27&until=2026-01-05", headers=headers).status_code == 422
    assert client.get(f"/api/reports/units/ops.nothing?{PERIOD}", headers=headers).status_code == 404
    assert client.get(f"/api/reports?{PERIOD}").status_code == 401


def test_suggestions_for_me_and_for_others(client: TestClient, auth: Headers, people: dict[str, User]) -> None:
    staff = auth(people["staff"])
    answer = client.get("/api/suggestions?date=2026-03-26&slot=full&limit=3", headers=staff)
    assert answer.status_code == 200
    body = answer.json()
    assert body["person_id"] == "pair_a1" and body["weights"] in ("co-attendance", "unit")
    assert len(body["suggestions"]) <= 3
    assert client.get("/api/suggestions?person=sixty1", headers=staff).status_code == 403
    admin = client.get("/api/suggestions?person=sixty1&date=2026-03-26", headers=auth(people["admin"]))
    assert admin.status_code == 200 and admin.json()["person_id"] == "sixty1"


def test_a_second_building_does_not_blank_the_reports(
    client: TestClient, auth: Headers, people: dict[str, User], db: Session
) -> None:
    # A small annex whose id sorts before the office's: the reports stay on the building people work in.
    make_building(db, building_id="aaa-annex", desks=2, hourly_desks=0)
    body = client.get(f"/api/reports?{PERIOD}", headers=auth(people["admin"])).json()
    assert body["totals"]["days"] == 56 and [f["floor"] for f in body["floors"]] == ["1F", "2F", "3F"]
    annex = client.get(f"/api/reports?{PERIOD}&building=aaa-annex", headers=auth(people["admin"])).json()
    assert annex["totals"]["desks"] == 2
    unknown = client.get(f"/api/reports?{PERIOD}&building=elsewhere", headers=auth(people["admin"]))
    assert unknown.status_code == 404 and unknown.json()["detail"] == "no building 'elsewhere'"
