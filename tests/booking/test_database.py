"""Settings from the environment, URLs for psycopg 3, and SQLite tuned for a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from booking.database import Database, make_engine, normalise_url
from booking.migrate import upgrade_database
from booking.models import Unit
from booking.settings import Settings


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
        ("postgres://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("sqlite:///floorwise.db", "sqlite:///floorwise.db"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, expected: str) -> None:
    assert normalise_url(given).render_as_string(hide_password=False) == expected


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOORWISE_DATABASE_URL", raising=False)
    assert Settings().database_url == "sqlite:///floorwise.db" and Settings().is_development_key
    monkeypatch.setenv("FLOORWISE_DATABASE_URL", "postgresql://x@y/z")
    monkeypatch.setenv("FLOORWISE_SECRET_KEY", "s3cret")
    monkeypatch.setenv("FLOORWISE_IDEMPOTENCY_HOURS", "48")
    settings = Settings()
    assert settings.database_url == "postgresql://x@y/z" and not settings.is_development_key
    assert settings.secret_key.get_secret_value() == "s3cret" and settings.idempotency_hours == 48


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 1234}


def test_an_in_memory_database_is_one_database_for_every_session() -> None:
    """``sqlite://``: tables made in one session are there in the next (each connection would have its own)."""
    database = Database(make_engine("sqlite://"))
    upgrade_database(database.engine)
    with database.transaction() as session:
        session.add(Unit(id="zeimu", name="税務課"))
    with database.transaction(write=False) as session:
        assert session.scalars(select(Unit.name)).all() == ["税務課"]
    database.dispose()
