"""The login page after too many failures (429 with Retry-After, said in the page's language) and its bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from booking.clock import FixedClock
from booking.settings import Settings
from tests.booking.factories import NOW, make_user
from tests.pages.conftest import form_token


@pytest.fixture(autouse=True)
def no_refusal_delay(client: TestClient) -> None:
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = settings.model_copy(update={"login_refusal_delay_ms": 0})  # type: ignore[attr-defined]


def log_in(client: TestClient, username: str, password: str) -> Response:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": form_token(page.text)})


def test_after_five_failures_the_login_page_says_when_to_try_again(
    client: TestClient, db: Session, clock: FixedClock
) -> None:
    make_user(db, "sato", password="correct horse battery")
    db.commit()
    for _ in range(5):
        assert "Wrong user ID or password." in log_in(client, "sato", "wrong").text
    refused = log_in(client, "sato", "correct horse battery")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "900"
    assert refused.template.name == "login.html"  # type: ignore[attr-defined]
    assert "Too many failed logins. Please try again in 15 minutes." in refused.text
    assert "floorwise_session" not in refused.cookies

    client.headers["Accept-Language"] = "ja"
    clock.at = NOW + timedelta(seconds=850)
    refused = log_in(client, "sato", "correct horse battery")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "50"
    said = "ログインの失敗が続いたため、ログインを一時的に停止しています。1分後にもう一度お試しください。"
    assert said in refused.text

    clock.at = NOW + timedelta(seconds=900)
    assert log_in(client, "sato", "correct horse battery").status_code == 303


def test_an_unknown_login_gets_the_same_pages(client: TestClient) -> None:
    answers = [log_in(client, "nobody", "wrong") for _ in range(6)]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    assert "Too many failed logins. Please try again in 15 minutes." in answers[-1].text


def test_the_login_form_is_bounded(client: TestClient) -> None:
    too_long = log_in(client, "a" * 255, "pw")
    assert too_long.status_code == 422
    assert "User ID or e-mail is too long: at most 254 characters." in too_long.text
    assert "a" * 255 not in too_long.text  # not shown back
    nul = log_in(client, "sato", "p\x00w")
    assert nul.status_code == 422
    assert "Password contains a character that cannot be used (NUL)." in nul.text
    client.headers["Accept-Language"] = "ja"
    long_password = log_in(client, "sato", "p" * 1025)
    assert long_password.status_code == 422
    assert "パスワードが長すぎます（1024文字以内）。" in long_password.text
