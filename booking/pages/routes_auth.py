"""Logging in and out of the pages (the same session cookie as ``POST /api/auth/login``), and the language switch."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from booking.api.deps import SessionDep
from booking.models import TokenKind
from booking.pages import csrf
from booking.pages.core import AnyPage, CsrfChecked, PageRoute, local_path
from booking.pages.i18n import LANGUAGES
from booking.services.accounts import authenticate, issue_token, revoke_token

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/login")
def login_form(page: AnyPage, next: str | None = None) -> Response:
    if page.user is not None:
        return page.redirect(local_path(next, "/book"))
    return page.render("login.html", next=local_path(next, "/book"), error=None, username="")


@router.post("/login", dependencies=[CsrfChecked])
def login(
    page: AnyPage,
    session: SessionDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/book",
) -> Response:
    settings = page.settings
    user = authenticate(session, username.strip(), password) if username.strip() and password else None
    if user is None:
        return page.render(
            "login.html", status=401, next=local_path(next, "/book"), error=page.t("login.wrong"), username=username
        )
    lifetime = timedelta(hours=settings.session_lifetime_hours)
    secret = issue_token(
        session,
        user,
        kind=TokenKind.SESSION,
        key=settings.secret_key.get_secret_value(),
        now=page.now,
        lifetime=lifetime,
    )
    response = page.redirect(local_path(next, "/book"))
    response.set_cookie(
        settings.session_cookie_name,
        secret,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/",
    )
    response.delete_cookie(csrf.ANONYMOUS_COOKIE, path="/")
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(page: AnyPage, session: SessionDep) -> Response:
    settings = page.settings
    cookie = page.request.cookies.get(settings.session_cookie_name)
    if cookie:
        revoke_token(session, cookie, key=settings.secret_key.get_secret_value(), now=page.now)
    response = page.redirect("/login")
    response.delete_cookie(settings.session_cookie_name, path="/", httponly=True, samesite="lax")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, page: AnyPage, next: str | None = None) -> Response:
    """Remember the language chosen (a cookie for a year) and go back to the page it was chosen on."""
    if code in LANGUAGES:
        page.cookies[page.settings.lang_cookie_name] = code
    return page.redirect(local_path(next, "/"))
