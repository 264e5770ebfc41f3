"""Logging in and out, CSRF refusals, redirects to the login page, and the language of pages."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from booking.models import Role, Token, TokenKind
from booking.settings import Settings
from tests.booking.factories import make_user
from tests.pages.conftest import form_token, token_of


def test_the_login_page_gives_a_visitor_a_form_token(client: TestClient) -> None:
    response = client.get("/login?next=/team")
    assert response.status_code == 200
    assert response.template.name == "login.html"  # type: ignore[attr-defined]
    assert response.context["next"] == "/team"  # type: ignore[attr-defined]
    assert "floorwise_csrf" in response.cookies
    assert 'name="next" value="/team"' in response.text


def test_logging_in_sets_the_session_cookie_and_goes_where_asked(client: TestClient, db: Session) -> None:
    make_user(db, "sato", name="佐藤 花子", password="correct horse battery")
    db.commit()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "sato",
            "password": "correct horse battery",
            "next": "/team",
            "csrf_token": form_token(page.text),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/team"
    cookie = response.headers["set-cookie"]
    assert "floorwise_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/team").status_code == 200


def test_a_wrong_password_is_said_on_the_login_page(client: TestClient, db: Session) -> None:
    make_user(db, "sato", password="correct horse battery")
    db.commit()
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": "sato", "password": "wrong", "csrf_token": form_token(page.text)}
    )
    assert response.status_code == 401
    assert response.template.name == "login.html"  # type: ignore[attr-defined]
    assert "Wrong user ID or password." in response.text
    assert "floorwise_session" not in response.cookies


def test_a_login_without_the_form_token_is_refused(client: TestClient, db: Session) -> None:
    make_user(db, "sato", password="correct horse battery")
    db.commit()
    client.get("/login")
    response = client.post("/login", data={"username": "sato", "password": "correct horse battery"})
    assert response.status_code == 403
    assert response.template.name == "error.html"  # type: ignore[attr-defined]
    assert "out of date" in response.text
    assert "floorwise_session" not in response.cookies


def test_a_form_token_of_another_session_is_refused(client, office, log_in, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    other = "0" * 64
    response = client.post("/desks/1/book", data={"date": "2026-04-01", "slot": "full", "csrf_token": other})
    assert response.status_code == 403
    assert token_of(client, settings) != other


def test_next_never_leads_to_another_site(client: TestClient, db: Session) -> None:
    make_user(db, "sato", password="correct horse battery")
    db.commit()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "sato",
            "password": "correct horse battery",
            "next": "//evil.example/steal",
            "csrf_token": form_token(page.text),
        },
    )
    assert response.headers["location"] == "/book"


def test_pages_send_visitors_to_the_login_page_and_back(client: TestClient) -> None:
    for path, back in (("/book?date=2026-04-01", "/book?date=2026-04-01"), ("/desks/7/check-in", "/desks/7/check-in")):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=" + back.replace("?", "%3F").replace("=", "%3D")


def test_logging_out_revokes_the_session(client, office, log_in, db: Session, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    response = client.post("/logout", data={"csrf_token": token_of(client, settings)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    live = db.query(Token).filter(Token.kind == TokenKind.SESSION.value, Token.revoked_at.is_(None)).count()
    assert live == 0
    client.cookies.clear()
    assert client.get("/book").status_code == 303


def test_the_language_comes_from_the_browser_then_from_the_switch(client, office, log_in) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    japanese = client.get("/mine", headers={"Accept-Language": "ja,en;q=0.8"})
    assert japanese.context["lang"] == "ja"  # type: ignore[attr-defined]
    assert '<html lang="ja">' in japanese.text and "自分の予約" in japanese.text
    english = client.get("/mine", headers={"Accept-Language": "en-GB,en;q=0.9,ja;q=0.5"})
    assert english.context["lang"] == "en"  # type: ignore[attr-defined]
    assert "My bookings" in english.text
    switched = client.get("/lang/ja?next=/mine")
    assert switched.status_code == 303 and switched.headers["location"] == "/mine"
    assert "floorwise_lang=ja" in switched.headers["set-cookie"]
    remembered = client.get("/mine", headers={"Accept-Language": "en"})
    assert remembered.context["lang"] == "ja"  # type: ignore[attr-defined]


def test_nothing_matching_falls_back_to_japanese(client: TestClient) -> None:
    response = client.get("/login", headers={"Accept-Language": "fr-FR,de;q=0.5"})
    assert response.context["lang"] == "ja"  # type: ignore[attr-defined]
    assert "ログイン" in response.text


def test_a_staff_member_sees_a_page_not_a_problem_document_for_administration(client, office, log_in) -> None:  # type: ignore[no-untyped-def]
    log_in(office["sato"])
    response = client.get("/admin")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "only facilities admins" in response.text


def test_an_unknown_page_is_an_html_page_and_the_api_keeps_problem_documents(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    api = client.get("/api/no/such/thing")
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


def test_roles_are_named_in_the_catalogue() -> None:
    from booking.pages.i18n import Words
    from booking.pages.wording import ROLES

    assert [Words("ja")(ROLES[r.value]) for r in Role] == ["職員", "所属長", "計画担当", "検討委員", "施設管理者"]
