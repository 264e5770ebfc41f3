"""A real database for every test: SQLite always, PostgreSQL too when FLOORWISE_TEST_POSTGRES_URL is set.

The schema is made once per backend by the Alembic migration; each test runs in a transaction that is rolled back
at its end (the code under test commits only savepoints).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from booking.database import make_engine
from booking.migrate import upgrade_database

POSTGRES_ENV = "FLOORWISE_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def reset_postgres(engine: Engine) -> None:
    """An empty public schema, so that the migration runs from scratch."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def fresh_engine(backend: str, folder: Path) -> Engine:
    """A migrated, empty database of ``backend`` (skips when PostgreSQL is not configured)."""
    if backend == "postgresql":
        url = postgres_url()
        if url is None:
            pytest.skip(
                f"PostgreSQL tests skipped: set {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)"
            )
        engine = make_engine(url)
        reset_postgres(engine)
    else:
        engine = make_engine(f"sqlite:///{folder / 'floorwise.db'}")
    upgrade_database(engine)
    return engine


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    made = fresh_engine(request.param, tmp_path_factory.mktemp(request.param))
    yield made
    made.dispose()


@contextmanager
def rolled_back_session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back at the end; its commits are savepoints."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    with rolled_back_session(engine) as session:
        yield session


@pytest.fixture(autouse=True)
def forget_scenarios() -> Iterator[None]:
    """Scenarios are cached per process by (database, id, updated_at, last layout id); rolled-back tests reuse ids
    under a frozen clock, so each test starts with the cache empty."""
    from booking.services.scenario_cache import SCENARIOS

    SCENARIOS.clear()
    yield
    SCENARIOS.clear()
