"""Pages in-process: the app's request session is the test's session (rolled back after the test), the clock is
frozen at NOW (Tuesday 31 March 2026, 09:00 in Tokyo), and people log in with a real session cookie."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import Role, TokenKind, User
from booking.pages import csrf
from booking.services.accounts import issue_token
from booking.settings import Settings
from booking.web.deps import get_session
from tests.booking.conftest import fresh_engine, rolled_back_session
from tests.booking.factories import NOW, make_building, make_unit, make_user

SECRET = "test-secret-key"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Pages call the same services as the API, which run on both databases; their tests run on SQLite."""
    made = fresh_engine("sqlite", tmp_path_factory.mktemp("pages"))
    yield made
    made.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with rolled_back_session(engine) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url="sqlite://", secret_key=SECRET, data_dir=tmp_path / "data")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def client(db: Session, engine: Engine, clock: FixedClock, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, clock=clock, database=Database(engine))

    def test_session() -> Iterator[Session]:
        yield db

    app.dependency_overrides[get_session] = test_session
    app.state.auth_session = lambda: nullcontext(db)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as made:
        made.headers["Accept-Language"] = "en"
        yield made


@pytest.fixture
def office(db: Session) -> dict[str, User]:
    """A one-floor building (desks 1F-D1..D4, hourly 1F-H1..H2; D1 has a monitor), a unit, and four people."""
    make_building(db, attributes={"1F-D1": {"monitor": True}, "1F-D2": {"standing": True}})
    make_unit(db, "koseki", name="戸籍住民課")
    make_unit(db, "zeimu", name="税務課")
    people = {
        "sato": make_user(db, "sato", name="佐藤 花子", unit="koseki"),
        "tanaka": make_user(db, "tanaka", name="田中 一郎", unit="koseki"),
        "suzuki": make_user(db, "suzuki", name="鈴木 次郎", unit="zeimu"),
        "admin": make_user(db, "admin", name="施設 管理者", role=Role.ADMIN),
    }
    db.commit()
    return people


@pytest.fixture
def log_in(db: Session, client: TestClient) -> Callable[[User], None]:
    """Give the client the session cookie of ``user`` (as logging in would)."""

    def enter(user: User) -> None:
        secret = issue_token(db, user, kind=TokenKind.SESSION, key=SECRET, now=NOW, lifetime=timedelta(days=30))
        db.commit()
        client.cookies.set("floorwise_session", secret)

    return enter


def token_of(client: TestClient, settings: Settings) -> str:
    """The CSRF token of the client's session, as its pages carry it."""
    seed = client.cookies.get("floorwise_session") or client.cookies.get(csrf.ANONYMOUS_COOKIE)
    assert seed, "no session yet"
    return csrf.token_for(seed, settings)


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "the page has no form token"
    return found.group(1)


def plain(html: str) -> str:
    """Page text with CLDR's narrow no-break spaces ("8:30\u202fAM") as plain spaces, to compare with."""
    return html.replace("\u202f", " ")
