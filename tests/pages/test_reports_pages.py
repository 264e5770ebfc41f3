"""The report page over the generated quarter: what admins, managers and staff see, in both languages, with charts
that have tables beside them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.models import Role, User
from tests.booking.analytics.quarter import planted_office
from tests.booking.factories import make_user

PERIOD = "since=2026-01-05&until=2026-03-27"


@pytest.fixture
def people(db: Session) -> dict[str, User]:
    planted_office(db)
    found = {
        "admin": make_user(db, "facilities", role=Role.ADMIN),
        "manager": db.get(User, "pair_a0"),
        "staff": db.get(User, "pair_a1"),
        "loner": make_user(db, "loner"),
    }
    db.commit()
    return found  # type: ignore[return-value]


def charts(html: str) -> list[ET.Element]:
    """Every chart of the page, parsed (so each is well-formed), with its title."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg[^>]*class=\"chart-svg\".*?</svg>", html, re.S)]


def test_admins_see_every_section(client: TestClient, log_in: Callable[[User], None], people: dict[str, User]) -> None:
    log_in(people["admin"])
    page = client.get(f"/reports?{PERIOD}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Occupancy and attendance</h1>" in html
    assert "56 open days, 116 bookable desks" in html
    for heading in ("By floor", "By weekday and half day", "Team zones", "Units that come in together"):
        assert f">{heading}</h2>" in html
    titles = [c.findtext("{http://www.w3.org/2000/svg}title") for c in charts(html)]
    assert titles == ["Occupancy by floor", "Occupancy by weekday, morning and afternoon", "People in at once, by unit"]
    assert all(c.get("role") == "img" for c in charts(html))
    assert "★ Pair A and Pair B: r 0.95" in html
    assert html.count('href="/api/reports/') == 5 and "format=csv" in html
    assert '<th scope="row">1F</th>' in html and "Sixty zone" not in html  # zones are named "sixty zone"
    assert "sixty zone" in html


def test_in_japanese(client: TestClient, log_in: Callable[[User], None], people: dict[str, User]) -> None:
    log_in(people["admin"])
    client.cookies.set("floorwise_lang", "ja")
    html = client.get(f"/reports?{PERIOD}").text
    assert "<h1>座席の利用状況</h1>" in html and "フロア別の利用率" in html and "開庁日 56 日" in html
    assert "2026年1月5日(月)" in html


def test_managers_see_their_units(client: TestClient, log_in: Callable[[User], None], people: dict[str, User]) -> None:
    log_in(people["manager"])
    html = client.get(f"/reports?{PERIOD}").text
    assert ">By floor</h2>" not in html and ">Team zones</h2>" not in html
    rows = re.findall(r'<tr(?: class="department")?><th scope="row">([^<]+)</th><td class="num">', html)
    assert rows == ["Pair A"]  # the units table: the manager's unit only
    assert "★ Pair A and Pair B" in html


def test_staff_see_their_own_unit(client: TestClient, log_in: Callable[[User], None], people: dict[str, User]) -> None:
    log_in(people["staff"])
    html = client.get(f"/reports?{PERIOD}").text
    assert "My unit: Pair A" in html and "People of my unit in, by weekday" in html
    assert "Units that come in together" not in html and "/api/reports/" not in html
    log_in(people["loner"])
    assert "You belong to no unit" in client.get("/reports").text


def test_strangers_are_sent_to_log_in(client: TestClient, people: dict[str, User]) -> None:
    answer = client.get("/reports")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_bad_period_is_a_page_not_a_problem(
    client: TestClient, log_in: Callable[[User], None], people: dict[str, User]
) -> None:
    log_in(people["admin"])
    answer = client.get("/reports?since=2026-03-27&until=2026-01-05")
    assert answer.status_code == 422 and "text/html" in answer.headers["content-type"]


def test_a_period_without_bookings(client: TestClient, log_in: Callable[[User], None], people: dict[str, User]) -> None:
    log_in(people["admin"])
    page = client.get("/reports?since=2026-06-01&until=2026-06-30")
    assert page.status_code == 200 and "0 open days" in page.text and "No pair of units comes in together" in page.text
