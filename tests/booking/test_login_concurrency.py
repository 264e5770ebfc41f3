"""Logging in does not stall bookings: the password is checked with no transaction open (so, on SQLite, without
the database's write lock), and a flood of wrong passwords leaves another person's bookings going. Against a
real server (uvicorn in a thread) on real databases."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import Base, TokenKind
from booking.services.accounts import LoginCandidate, check_login, issue_token
from booking.settings import Settings
from tests.booking.conftest import BACKENDS, fresh_engine
from tests.booking.factories import NOW, desk, make_building, make_user
from tests.booking.live import running_server
from tests.booking.login_flood import login_flood

SECRET = "login-secret"
PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def live_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    engine = fresh_engine(request.param, tmp_path)
    yield engine
    if engine.dialect.name == "postgresql":  # leave the shared test schema empty for the rolled-back tests
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(Base.metadata.tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def prepare(engine: Engine) -> tuple[int, str]:
    """A building open every day for a year ahead, ``sato`` with a password, and ``booker`` with a token;
    returns a desk's id and the booker's token."""
    with Database(engine).transaction() as session:
        make_building(session, days_ahead=366, closed_weekdays=[], holiday_country=None)
        make_user(session, "sato", password=PASSWORD)
        booker = make_user(session, "booker")
        token = issue_token(session, booker, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=1))
        return desk(session, "1F-D1").id, token


def app_for(engine: Engine, **settings: Any) -> Any:
    return create_app(
        Settings(database_url="sqlite://", secret_key=SECRET, **settings),
        clock=FixedClock(NOW),
        database=Database(engine),
    )


def book(client: httpx.Client, token: str, desk_id: int, day: date) -> httpx.Response:
    return client.post(
        "/api/bookings",
        json={"desk_id": desk_id, "date": day.isoformat(), "slot": "full"},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_booking_goes_through_while_a_password_is_checked(live_engine: Engine) -> None:
    desk_id, token = prepare(live_engine)
    app = app_for(live_engine)
    checking, booked = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def slow_check(candidate: LoginCandidate | None, password: str) -> bool:
        """The real check, held open until a booking has been made meanwhile (or 30 s have passed)."""
        seen["connections held"] = live_engine.pool.checkedout()  # type: ignore[attr-defined]
        checking.set()
        seen["booked meanwhile"] = booked.wait(30)
        return check_login(candidate, password)

    app.state.check_login = slow_check
    answers: dict[str, httpx.Response] = {}
    with running_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        login = threading.Thread(
            target=lambda: answers.setdefault(
                "login", httpx.post(f"{base}/api/auth/token", data={"username": "sato", "password": PASSWORD})
            )
        )
        login.start()
        assert checking.wait(30), "the password check never started"
        answers["booking"] = book(client, token, desk_id, date(2026, 4, 1))
        booked.set()
        login.join(60)
    assert answers["booking"].status_code == 201, answers["booking"].text
    assert answers["login"].status_code == 200, answers["login"].text
    assert seen == {"connections held": 0, "booked meanwhile": True}


FLOODERS = 20
BOOKINGS = 25


@pytest.mark.parametrize(
    "throttle",
    [
        pytest.param({}, id="default-throttle"),
        pytest.param(
            {"login_failures_per_account": 10_000, "login_failures_per_address": 1_000_000}, id="every-attempt-checked"
        ),
    ],
)
def test_bookings_keep_going_through_a_login_flood(tmp_path: Path, throttle: dict[str, int]) -> None:
    engine = fresh_engine("sqlite", tmp_path)
    desk_id, token = prepare(engine)
    first_day = date(2026, 4, 1)

    def timed_bookings(client: httpx.Client, days: range) -> list[float]:
        took = []
        for i in days:
            started = time.perf_counter()
            answer = book(client, token, desk_id, first_day + timedelta(days=i))
            took.append(time.perf_counter() - started)
            assert answer.status_code == 201, answer.text
        return took

    with running_server(app_for(engine, **throttle)) as base, httpx.Client(base_url=base, timeout=60) as client:
        timed_bookings(client, range(0, 3))  # warm up
        alone = timed_bookings(client, range(3, 3 + BOOKINGS))
        with login_flood(base, FLOODERS) as flood_answers:
            flooded = timed_bookings(client, range(3 + BOOKINGS, 3 + 2 * BOOKINGS))
    engine.dispose()
    ratio = statistics.median(flooded) / statistics.median(alone)
    print(
        f"\nbookings alone: median {statistics.median(alone) * 1000:.1f} ms; with {FLOODERS} clients posting wrong "
        f"passwords ({dict(flood_answers)}): median {statistics.median(flooded) * 1000:.1f} ms; ratio {ratio:.1f}"
    )
    assert set(flood_answers) <= {401, 429}  # never a 500 or a "database is locked"
    if throttle:
        assert flood_answers[401] >= FLOODERS  # passwords really were checked, the flood's whole length
    else:
        assert flood_answers[401] == 5  # counted before checking: five checks however many ask at once
    assert ratio < 10
