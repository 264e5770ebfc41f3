"""Racing requests against a running server: two bookings of one desk never overlap, one person never holds two
desks at once, and the loser always gets a 409, never a 500. On SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import Booking, TokenKind, User
from booking.services.accounts import issue_token
from booking.settings import Settings
from tests.booking.conftest import BACKENDS, fresh_engine
from tests.booking.factories import NOW, desk, make_building, make_user
from tests.booking.live import running_server

SECRET = "race-secret"
RACERS = 50


def empty_tables(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            tables = ", ".join(
                t
                for t in (
                    "audit_log",
                    "idempotent_responses",
                    "tokens",
                    "zone_desks",
                    "zone_spaces",
                    "zones",
                    "blocks",
                    "closures",
                    "bookings",
                    "desks",
                    "spaces",
                    "floors",
                    "buildings",
                    "users",
                    "units",
                )
            )
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def live_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    engine = fresh_engine(request.param, tmp_path)
    empty_tables(engine)
    yield engine
    empty_tables(engine)
    engine.dispose()


def prepare(engine: Engine, people: int) -> tuple[list[int], list[str]]:
    """A building with a few desks and ``people`` users with tokens, committed."""
    database = Database(engine)
    with database.transaction() as session:
        make_building(session, desks=4, hourly_desks=0)
        desks = [desk(session, f"1F-D{i}").id for i in range(1, 5)]
        tokens = []
        for i in range(people):
            user = make_user(session, f"racer{i:02d}")
            tokens.append(
                issue_token(session, user, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=1))
            )
    return desks, tokens


def race(base: str, requests: list[tuple[str, dict[str, object]]]) -> list[httpx.Response]:
    """Send every request at once (one thread each, released together)."""
    barrier = threading.Barrier(len(requests))
    answers: list[httpx.Response | None] = [None] * len(requests)
    with httpx.Client(base_url=base, timeout=60, limits=httpx.Limits(max_connections=len(requests))) as client:

        def go(i: int) -> None:
            token, body = requests[i]
            barrier.wait()
            answers[i] = client.post("/api/bookings", json=body, headers={"Authorization": f"Bearer {token}"})

        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(requests))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


def serve(engine: Engine) -> running_server:  # type: ignore[valid-type]
    app = create_app(
        Settings(database_url="sqlite://", secret_key=SECRET), clock=FixedClock(NOW), database=Database(engine)
    )
    return running_server(app)


def test_fifty_people_race_for_one_desk(live_engine: Engine) -> None:
    desks, tokens = prepare(live_engine, RACERS)
    body = {"desk_id": desks[0], "date": "2026-04-01", "slot": "full"}
    with serve(live_engine) as base:
        answers = race(base, [(t, body) for t in tokens])
    codes = Counter(a.status_code for a in answers)
    assert codes == {201: 1, 409: RACERS - 1}, [a.text for a in answers if a.status_code not in (201, 409)][:3]
    winner = next(a.json() for a in answers if a.status_code == 201)
    for loser in (a.json() for a in answers if a.status_code == 409):
        assert loser["rule"] == "desk_taken" and loser["conflict"]["id"] == winner["id"]
    with Database(live_engine).transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1


def test_one_person_races_for_different_desks(live_engine: Engine) -> None:
    desks, tokens = prepare(live_engine, 1)
    requests = [(tokens[0], {"desk_id": d, "date": "2026-04-01", "slot": "am"}) for d in desks for _ in range(5)]
    with serve(live_engine) as base:
        answers = race(base, requests)
    codes = Counter(a.status_code for a in answers)
    assert codes == {201: 1, 409: len(requests) - 1}
    rules = Counter(a.json()["rule"] for a in answers if a.status_code == 409)
    assert set(rules) <= {"desk_taken", "one_desk_per_person"} and rules["one_desk_per_person"] >= 3
    with Database(live_engine).transaction(write=False) as session:
        rows = session.scalars(select(Booking)).all()
        assert len(rows) == 1 and session.get(User, rows[0].user_id) is not None
