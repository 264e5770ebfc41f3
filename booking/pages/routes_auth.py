"""Logging in and out of the pages (the same session cookie as ``POST /api/auth/login``), and the language switch."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from booking.errors import NotAuthenticated, TooManyLogins
from booking.models import TokenKind
from booking.pages import csrf, wording
from booking.pages.core import AnyPage, CsrfChecked, PageRoute, local_path
from booking.pages.i18n import LANGUAGES
from booking.web.deps import SessionDep
from booking.web.logins import MAX_PASSWORD, MAX_USERNAME, field_fault, log_in
from booking.web.session_cookies import end_session, set_session_cookie

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/login")
def login_form(page: AnyPage, next: str | None = None) -> Response:
    if page.user is not None:
        return page.redirect(local_path(next, "/book"))
    return page.render("login.html", next=local_path(next, "/book"), error=None, username="")


@router.post("/login", dependencies=[CsrfChecked])
async def login(
    page: AnyPage,
    session: SessionDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/book",
) -> Response:
    """Log in (`booking.web.logins`: the password checked outside any transaction, failures throttled); a refusal
    is the login page again with why, in the page's language."""
    settings = page.settings
    target = local_path(next, "/book")

    def again(status: int, error: str) -> Response:
        shown = username if field_fault("username", username) is None else ""
        return page.render("login.html", status=status, next=target, error=error, username=shown)

    for field, value in (("username", username), ("password", password)):
        fault = field_fault(field, value)
        if fault is not None:
            limit = MAX_USERNAME if field == "username" else MAX_PASSWORD
            return again(
                422, page.t(wording.LOGIN_FAULTS[fault], field=page.t(wording.LOGIN_FIELDS[field]), most=limit)
            )
    login_name = username.strip()
    if not login_name or not password:
        return again(401, page.t("Wrong user ID or password."))
    try:
        done = await log_in(
            page.request, session, login_name, password, kind=TokenKind.SESSION, settings=settings, now=page.now
        )
    except NotAuthenticated:
        return again(401, page.t("Wrong user ID or password."))
    except TooManyLogins as refused:
        minutes = math.ceil(refused.retry_after / 60)
        waiting = page.t.ngettext(
            "Too many failed logins. Please try again in a minute.",
            "Too many failed logins. Please try again in %(minutes)s minutes.",
            minutes,
            minutes=minutes,
        )
        response = again(429, waiting)
        response.headers.update(refused.headers)
        return response
    response = page.redirect(target)
    set_session_cookie(response, settings, done)
    response.delete_cookie(csrf.ANONYMOUS_COOKIE, path="/")
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(page: AnyPage, session: SessionDep) -> Response:
    response = page.redirect("/login")
    end_session(page.request, response, session, page.settings, page.now)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, page: AnyPage, next: str | None = None) -> Response:
    """Remember the language chosen (a cookie for a year) and go back to the page it was chosen on."""
    if code in LANGUAGES:
        page.cookies[page.settings.lang_cookie_name] = code
    return page.redirect(local_path(next, "/"))
