"""Logging in and out: bearer tokens, revocation, expiry, the session cookie; 401 without credentials."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.clock import FixedClock
from tests.booking.factories import NOW, make_user


def test_password_for_a_bearer_token(db: Session, client: TestClient) -> None:
    make_user(db, "sato", name="佐藤", password="correct-horse", email="sato@example.jp")
    db.commit()
    answer = client.post("/api/auth/token", data={"username": "sato@example.jp", "password": "correct-horse"})
    assert answer.status_code == 200 and answer.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    assert client.get("/api/me", headers=headers).json() == {
        "id": "sato",
        "name": "佐藤",
        "email": "sato@example.jp",
        "unit": None,
        "role": "staff",
    }
    assert client.post("/api/auth/revoke", headers=headers).status_code == 204
    refused = client.get("/api/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "the bearer token is unknown, expired or revoked"


def test_wrong_password_is_a_401_problem(db: Session, client: TestClient) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    answer = client.post("/api/auth/token", data={"username": "sato", "password": "wrong-horse"})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json() == {
        "type": "https://floorwise.example/problems/not-authenticated",
        "title": "Not authenticated",
        "status": 401,
        "detail": "wrong login or password",
        "instance": "/api/auth/token",
    }


def test_tokens_expire(db: Session, client: TestClient, clock: FixedClock) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    token = client.post("/api/auth/token", data={"username": "sato", "password": "correct-horse"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    clock.at = NOW + timedelta(days=30) - timedelta(seconds=1)
    assert client.get("/api/me", headers=headers).status_code == 200
    clock.at = NOW + timedelta(days=30)
    assert client.get("/api/me", headers=headers).status_code == 401


def test_session_cookie_for_pages(db: Session, client: TestClient) -> None:
    make_user(db, "sato", password="correct-horse")
    db.commit()
    answer = client.post("/api/auth/login", data={"username": "sato", "password": "correct-horse"})
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("floorwise_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/api/me").json()["id"] == "sato"  # the client sends the cookie back
    assert client.post("/api/auth/logout").status_code == 204
    assert client.get("/api/me").status_code == 401
    client.cookies.set("floorwise_session", cookie.split(";")[0].split("=", 1)[1])  # the old cookie, replayed
    assert client.get("/api/me").json()["detail"] == "the session has expired or was ended; log in again"


def test_every_endpoint_but_the_open_ones_needs_credentials(client: TestClient) -> None:
    open_paths = {"/api/health", "/api/auth/token", "/api/auth/login", "/api/auth/logout", "/api/calendar/{token}.ics"}
    spec = client.get("/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        if path in open_paths:
            continue
        for method in operations:
            url = path.replace("{floor_id}", "1").replace("{booking_id}", "1").replace("{building_id}", "hq")
            url = url.replace("{closure_id}", "1").replace("{block_id}", "1").replace("{zone_id}", "1")
            url = url.replace("{desk_id}", "1").replace("{unit_id}", "u")
            answer = client.request(method.upper(), url)
            assert answer.status_code == 401, (method, path, answer.text)
            assert answer.json()["status"] == 401
            checked += 1
    assert checked >= 25
