"""The API in-process: the app's request session is the test's session (its commits release savepoints), the
clock is frozen, and each user gets a real bearer token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import TokenKind, User
from booking.services.accounts import issue_token
from booking.settings import Settings
from booking.web.deps import get_session
from tests.booking.factories import NOW

SECRET = "test-secret-key"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def client(db: Session, engine: Engine, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(Settings(database_url="sqlite://", secret_key=SECRET), clock=clock, database=Database(engine))

    def test_session() -> Iterator[Session]:
        yield db  # the route commits (a savepoint here) or rolls back

    app.dependency_overrides[get_session] = test_session
    app.state.auth_session = lambda: nullcontext(db)
    with TestClient(app, raise_server_exceptions=False) as made:
        yield made


@pytest.fixture
def auth(db: Session) -> Callable[[User], dict[str, str]]:
    """Headers carrying a fresh bearer token of ``user``; commits what the test set up so far."""

    def headers(user: User) -> dict[str, str]:
        token = issue_token(db, user, kind=TokenKind.API, key=SECRET, now=NOW, lifetime=timedelta(days=30))
        db.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers
