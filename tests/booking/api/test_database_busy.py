"""A database that cannot take a request now is a 503 with Retry-After, never a 500: no free connection in the
process's pool within its timeout (PostgreSQL), or SQLite's write lock held past the busy timeout. Pages answer
the same with a page. Each server holds at most its budget of connections."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import TokenKind
from booking.services.accounts import issue_token
from booking.settings import Settings
from tests.booking.conftest import fresh_engine, postgres_url
from tests.booking.factories import NOW, desk, make_building, make_user

SECRET = "busy-secret"


def prepared(engine: Engine) -> tuple[str, int]:
    """A building and a person with a token: (token, a desk id)."""
    with Database(engine).transaction() as session:
        make_building(session, desks=2, hourly_desks=0)
        desk_id = desk(session, "1F-D1").id
        user = make_user(session, "sato")
        token = issue_token(session, user, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=1))
    return token, desk_id


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    url = postgres_url()
    if url is None:
        pytest.skip("needs PostgreSQL: set FLOORWISE_TEST_POSTGRES_URL")
    fresh_engine("postgresql", tmp_path).dispose()
    yield url


def test_settings_share_the_budget_among_workers() -> None:
    assert Settings(db_max_connections=20, workers=2).connections_per_process == 10
    assert Settings(db_max_connections=20, workers=3).connections_per_process == 6
    assert Settings(db_max_connections=2, workers=4).connections_per_process == 1  # never none


def test_postgresql_pool_is_a_ceiling(pg_url: str) -> None:
    engine = Database.from_settings(Settings(database_url=pg_url, db_max_connections=6, workers=2)).engine
    pool = engine.pool
    assert pool.size() == 3  # type: ignore[attr-defined]
    assert pool._max_overflow == 0  # type: ignore[attr-defined]
    engine.dispose()


def test_no_free_connection_is_503_with_retry_after(pg_url: str) -> None:
    settings = Settings(database_url=pg_url, secret_key=SECRET, db_max_connections=1, db_pool_timeout_s=0.2)
    database = Database.from_settings(settings)
    token, _ = prepared(database.engine)
    app = create_app(settings, clock=FixedClock(NOW), database=database)
    with TestClient(app, raise_server_exceptions=False) as client, database.engine.connect() as held:
        held.execute(text("SELECT 1"))  # the pool's only connection, checked out
        api = client.get("/api/floors", headers={"Authorization": f"Bearer {token}"})
        page = client.get("/book", cookies={"floorwise_session": "anything"}, headers={"Accept-Language": "ja"})
    assert api.status_code == 503 and api.headers["retry-after"] == "2"
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["title"] == "Service busy"
    assert page.status_code == 503 and page.headers["retry-after"] == "2"
    assert "混み合っています" in page.text
    database.dispose()


def test_sqlite_write_lock_held_past_the_busy_timeout_is_503(tmp_path: Path) -> None:
    engine = fresh_engine("sqlite", tmp_path)
    token, desk_id = prepared(engine)
    engine.dispose()
    url = f"sqlite:///{tmp_path / 'floorwise.db'}"
    settings = Settings(database_url=url, secret_key=SECRET, sqlite_busy_timeout_ms=100)
    app = create_app(settings, clock=FixedClock(NOW))
    # Another process's writer, in effect: it does not queue on this app's own lock.
    writer = sqlite3.connect(tmp_path / "floorwise.db", isolation_level=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        writer.execute("BEGIN IMMEDIATE")
        answer = client.post(
            "/api/bookings",
            json={"desk_id": desk_id, "date": "2026-04-01", "slot": "full"},
            headers={"Authorization": f"Bearer {token}"},
        )
        writer.execute("ROLLBACK")
        # The same request once the lock is free: the 503 left nothing behind, and this one goes through.
        again = client.post(
            "/api/bookings",
            json={"desk_id": desk_id, "date": "2026-04-01", "slot": "full"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "2"
    assert again.status_code == 201, again.text
    writer.close()
