"""Failed logins throttled (5 per login name, 20 per client address, in 15 minutes), unknown logins alike, and the
login form's bounds; on SQLite and PostgreSQL. The clock is frozen at NOW, so a window opened by the first failure
has 900 s left until the clock is moved."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.clock import FixedClock
from booking.models import LoginThrottleRow, Token
from booking.settings import Settings
from tests.booking.factories import NOW, make_user

TOKEN = "/api/auth/token"


def set_settings(client: TestClient, **changes: int) -> None:
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = settings.model_copy(update=changes)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def no_refusal_delay(client: TestClient) -> None:
    """429s at once (the delay has a test of its own)."""
    set_settings(client, login_refusal_delay_ms=0)


def attempt(client: TestClient, username: str, password: str, path: str = TOKEN) -> Response:
    return client.post(path, data={"username": username, "password": password})


def throttled_problem(seconds: int, path: str = TOKEN) -> dict[str, object]:
    return {
        "type": "https://floorwise.example/problems/too-many-logins",
        "title": "Too many failed logins",
        "status": 429,
        "detail": f"too many failed logins for this login or from this address; try again in {seconds} seconds",
        "instance": path,
        "retry_after": seconds,
    }


def test_five_wrong_passwords_then_429_until_the_window_ends(
    db: Session, client: TestClient, clock: FixedClock
) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    for _ in range(5):
        assert attempt(client, "sato", "wrong-horse").status_code == 401
    clock.at = NOW + timedelta(seconds=300)
    refused = attempt(client, "sato", "correct-horse")  # the right password, too late
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "600"  # the window opened at NOW: 900 - 300
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() == throttled_problem(600)
    assert db.scalar(select(func.count()).select_from(Token)) == 0
    clock.at = NOW + timedelta(seconds=900)  # the window [NOW, NOW + 900 s) has ended
    assert attempt(client, "sato", "correct-horse").status_code == 200


def test_an_unknown_login_is_counted_and_answered_as_a_known_one(db: Session, client: TestClient) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    known = [attempt(client, "sato", "wrong-horse") for _ in range(6)]
    unknown = [attempt(client, "nobody", "wrong-horse") for _ in range(6)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown] == [401] * 5 + [429]
    for mine, theirs in zip(known, unknown, strict=True):
        assert mine.json() == theirs.json()
        per_answer = ("content-length", "x-request-id")  # each answer has its own request id
        assert {k: v for k, v in mine.headers.items() if k not in per_answer} == {
            k: v for k, v in theirs.headers.items() if k not in per_answer
        }
    assert known[-1].headers["retry-after"] == "900"


def test_a_success_resets_the_account(db: Session, client: TestClient) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    for _ in range(4):
        assert attempt(client, "sato", "wrong-horse").status_code == 401
    assert attempt(client, "sato", "correct-horse").status_code == 200
    # the account starts again from nothing: five more failures before a 429
    assert [attempt(client, "sato", "wrong-horse").status_code for _ in range(6)] == [401] * 5 + [429]
    # the address has 9 failures (the success gave its attempt back), under its 20
    assert attempt(client, "someone-else", "wrong-horse").status_code == 401


def test_the_address_limit_spans_accounts(db: Session, client: TestClient) -> None:
    set_settings(client, login_failures_per_address=6)
    make_user(db, "sato", password="correct-horse")
    db.commit()
    for name in ("tanaka", "suzuki", "ito"):  # two failures each, under each account's 5
        for _ in range(2):
            assert attempt(client, name, "guess").status_code == 401
    refused = attempt(client, "sato", "correct-horse")  # a fresh account, the right password, the same address
    assert refused.status_code == 429 and refused.headers["retry-after"] == "900"
    assert refused.json() == throttled_problem(900)


def test_the_token_and_the_session_login_share_the_counters(db: Session, client: TestClient) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    for path in (TOKEN, TOKEN, TOKEN, "/api/auth/login", "/api/auth/login"):
        assert attempt(client, "sato", "wrong-horse", path).status_code == 401
    refused = attempt(client, "sato", "correct-horse", "/api/auth/login")
    assert refused.status_code == 429 and refused.json() == throttled_problem(900, "/api/auth/login")
    assert "floorwise_session" not in refused.cookies


def test_old_windows_are_pruned_by_the_next_count(db: Session, client: TestClient, clock: FixedClock) -> None:
    attempt(client, "tanaka", "guess")
    assert db.scalar(select(func.count()).select_from(LoginThrottleRow)) == 2  # the login name and the address
    clock.at = NOW + timedelta(minutes=15)
    attempt(client, "suzuki", "guess")
    assert db.scalar(select(func.count()).select_from(LoginThrottleRow)) == 2  # tanaka's row went; the address's
    # window began again with this attempt


def test_the_login_form_is_bounded_and_names_the_field(client: TestClient) -> None:
    cases = [
        ({"username": "a" * 255, "password": "pw"}, "username", "String should have at most 254 characters"),
        ({"username": "a\x00b", "password": "pw"}, "username", "must not contain a NUL character (\\x00)"),
        ({"username": "sato", "password": "p" * 1025}, "password", "String should have at most 1024 characters"),
        ({"username": "sato", "password": "p\x00w"}, "password", "must not contain a NUL character (\\x00)"),
    ]
    for path in (TOKEN, "/api/auth/login"):
        for data, field, message in cases:
            answer = client.post(path, data=data)
            assert answer.status_code == 422, (path, field, answer.text)
            problem = answer.json()
            assert problem["errors"][0]["loc"] == ["body", field]
            assert problem["errors"][0]["msg"] == message
            assert problem["detail"] == f"body.{field}: {message}"
    # at the bounds: read, and simply wrong (none of the above was counted: a 401, not a 429)
    assert attempt(client, "a" * 254, "p" * 1024).status_code == 401


def test_a_refusal_is_answered_after_the_delay(db: Session, client: TestClient) -> None:
    set_settings(client, login_refusal_delay_ms=300)
    for _ in range(5):
        attempt(client, "nobody", "guess")
    for _ in range(2):  # the first refusal from the database, the second from the process's memory of it
        started = time.perf_counter()
        assert attempt(client, "nobody", "guess").status_code == 429
        assert time.perf_counter() - started >= 0.3
