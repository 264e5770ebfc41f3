"""Several `floorwise serve` processes on one PostgreSQL, as the ward's IT runs it: two servers of two workers each,
with the default settings. A burst of concurrent requests gets no 5xx (the pool waits within its budget instead of
exceeding the database's connections), and racing bookings across the servers never overlap.

These start real server processes from the command line; they need PostgreSQL (FLOORWISE_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import holidays
import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from booking.database import Database
from booking.models import Booking, TokenKind
from booking.services.accounts import issue_token
from tests.booking.conftest import fresh_engine, postgres_url
from tests.booking.factories import desk, floor, make_building, make_user
from tests.booking.live import serve_process
from tests.booking.test_concurrency import empty_tables

SECRET = "servers-secret"
SERVERS = 2
WORKERS = 2


def bookable_day(today: date) -> date:
    """A weekday a few days ahead that is neither a Japanese public holiday nor in the year-end closure."""
    day = today + timedelta(days=3)
    jp = holidays.country_holidays("JP", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in jp or (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3):
        day += timedelta(days=1)
    return day


@pytest.fixture
def pg_engine(tmp_path: Path) -> Iterator[Engine]:
    if postgres_url() is None:
        pytest.skip("needs PostgreSQL: set FLOORWISE_TEST_POSTGRES_URL")
    engine = fresh_engine("postgresql", tmp_path)
    empty_tables(engine)
    yield engine
    empty_tables(engine)
    engine.dispose()


def prepare(engine: Engine, people: int) -> tuple[int, list[int], list[str]]:
    """A building with four desks on one floor and ``people`` users with API tokens valid now, committed: the
    floor's id, the desks' ids and the tokens."""
    now = datetime.now(UTC)
    with Database(engine).transaction() as session:
        make_building(session, desks=4, hourly_desks=0, now=now)
        floor_id = floor(session, "1F").id
        desks = [desk(session, f"1F-D{i}").id for i in range(1, 5)]
        tokens = [
            issue_token(
                session,
                make_user(session, f"p{i:03d}"),
                kind=TokenKind.API,
                key=SECRET,
                now=now,
                lifetime=timedelta(hours=1),
            )
            for i in range(people)
        ]
    return floor_id, desks, tokens


@contextmanager
def two_servers(tmp_path: Path) -> Iterator[list[str]]:
    url = postgres_url()
    assert url is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWISE_")}
    env |= {"FLOORWISE_DATABASE_URL": url, "FLOORWISE_SECRET_KEY": SECRET}  # every other setting its default
    env["PGAPPNAME"] = APPLICATION_NAME
    with ExitStack() as stack:
        yield [
            stack.enter_context(serve_process(env, tmp_path / f"server{i}.log", workers=WORKERS)).base
            for i in range(SERVERS)
        ]


def at_once(calls: list[tuple[str, str, str, dict[str, object] | None]]) -> list[httpx.Response]:
    """Send every (method, url, token, body) at the same moment, one thread each; the answers in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[httpx.Response | None] = [None] * len(calls)
    with httpx.Client(timeout=120, limits=httpx.Limits(max_connections=len(calls))) as client:

        def go(i: int) -> None:
            method, url, token, body = calls[i]
            barrier.wait()
            answers[i] = client.request(method, url, json=body, headers={"Authorization": f"Bearer {token}"})

        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return [a for a in answers if a is not None]


#: The servers' connections carry this name (libpq's PGAPPNAME), to be told from those of the rest of the suite.
APPLICATION_NAME = "floorwise-servers-test"


def server_connections(engine: Engine) -> int:
    """Connections the servers hold on the database."""
    with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"
        return int(conn.scalar(text(query), {"name": APPLICATION_NAME}))


def test_a_burst_over_two_servers_of_two_workers_gets_no_5xx(pg_engine: Engine, tmp_path: Path) -> None:
    floor_id, desks, tokens = prepare(pg_engine, 20)
    with two_servers(tmp_path) as bases:
        day = bookable_day(datetime.now(UTC).date())
        reads = [
            ("GET", f"{bases[i % SERVERS]}/api/floors/{floor_id}/availability?date={day}", tokens[i % 20], None)
            for i in range(120)
        ]
        reads += [("GET", f"{bases[i % SERVERS]}/api/bookings/mine", tokens[i % 20], None) for i in range(60)]
        writes = [
            (
                "POST",
                f"{bases[i % SERVERS]}/api/bookings",
                tokens[i],
                {"desk_id": desks[i % 4], "date": str(day), "slot": "full"},
            )
            for i in range(20)
        ]
        answers = at_once(reads + writes)
        held = server_connections(pg_engine)
    codes = Counter(a.status_code for a in answers)
    assert len(answers) == 200
    assert not [c for c in codes if c >= 500], [a.text for a in answers if a.status_code >= 500][:3]
    # 200 for reads, 201 for the four desks' winners and 409 for the other writers.
    assert codes[201] == 4 and codes[409] == 16 and codes[200] == 180, codes
    # Two servers' budgets of 20 (the default), whatever the two workers of each would have taken on their own.
    assert 0 < held <= SERVERS * 20  # (0 would mean the servers' connections went uncounted)


def test_racers_over_two_servers_never_overlap(pg_engine: Engine, tmp_path: Path) -> None:
    _, desks, tokens = prepare(pg_engine, 40)
    day = bookable_day(datetime.now(UTC).date())
    with two_servers(tmp_path) as bases:
        # Everyone wants desk 1 for the day, some the morning, some the afternoon, some all day.
        slots = ["full", "am", "pm"]
        calls: list[tuple[str, str, str, dict[str, object] | None]] = [
            (
                "POST",
                f"{bases[i % SERVERS]}/api/bookings",
                t,
                {"desk_id": desks[0], "date": str(day), "slot": slots[i % 3]},
            )
            for i, t in enumerate(tokens)
        ]
        answers = at_once(calls)
    codes = Counter(a.status_code for a in answers)
    assert set(codes) <= {201, 409}, [a.text for a in answers if a.status_code not in (201, 409)][:3]
    won = [a.json() for a in answers if a.status_code == 201]
    # Either one full day, or one morning and one afternoon.
    assert len(won) in (1, 2)
    with Database(pg_engine).transaction(write=False) as session:
        rows = session.scalars(select(Booking).where(Booking.desk_id == desks[0]).order_by(Booking.start_utc)).all()
        assert len(rows) == len(won)
        assert all(a.end_utc <= b.start_utc for a, b in pairwise(rows))
        assert session.scalar(select(func.count()).select_from(Booking)) == len(won)
