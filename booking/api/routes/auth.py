"""Logging in: bearer tokens for API clients, a session cookie for pages; both revocable."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from booking.api.deps import CurrentUser, NowDep, SessionDep, SettingsDep, bearer_scheme
from booking.api.problems import problem_responses
from booking.api.schemas import PersonRead, TokenRead
from booking.api.transactions import TransactionRoute
from booking.errors import NotAuthenticated
from booking.models import TokenKind, User
from booking.services.accounts import authenticate, issue_token, revoke_token

router = APIRouter(prefix="/api", tags=["auth"], route_class=TransactionRoute)

PasswordForm = Annotated[OAuth2PasswordRequestForm, Depends()]


def _form_example(example: dict[str, str]) -> dict[str, Any]:
    """``openapi_extra`` giving the login form (``application/x-www-form-urlencoded``) an example."""
    return {"requestBody": {"content": {"application/x-www-form-urlencoded": {"example": example}}}}


TOKEN_FORM_EXAMPLE = _form_example(
    {"grant_type": "password", "username": "sato", "password": "correct horse battery staple"}
)
LOGIN_FORM_EXAMPLE = _form_example({"username": "sato@example.jp", "password": "correct horse battery staple"})


def person_read(user: User) -> PersonRead:
    return PersonRead(id=user.id, name=user.name, email=user.email, unit=user.unit_id, role=user.role)


@router.post(
    "/auth/token", response_model=TokenRead, responses=problem_responses(401), openapi_extra=TOKEN_FORM_EXAMPLE
)
def token(form: PasswordForm, session: SessionDep, settings: SettingsDep, now: NowDep) -> TokenRead:
    """Exchange a login (id or e-mail) and password for a bearer token (OAuth2 password flow)."""
    user = authenticate(session, form.username, form.password)
    if user is None:
        raise NotAuthenticated("wrong login or password")
    secret = issue_token(
        session,
        user,
        kind=TokenKind.API,
        key=settings.secret_key.get_secret_value(),
        now=now,
        lifetime=timedelta(hours=settings.token_lifetime_hours),
    )
    return TokenRead(access_token=secret)


@router.post("/auth/revoke", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
def revoke(
    _user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    bearer: Annotated[str | None, Depends(bearer_scheme)],
) -> Response:
    """Revoke the bearer token this request carries."""
    if bearer:
        revoke_token(session, bearer, key=settings.secret_key.get_secret_value(), now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/auth/login", response_model=PersonRead, responses=problem_responses(401), openapi_extra=LOGIN_FORM_EXAMPLE
)
def login(
    form: PasswordForm, session: SessionDep, settings: SettingsDep, now: NowDep, response: Response
) -> PersonRead:
    """Log in for pages: sets the session cookie (HttpOnly, SameSite=Lax, opaque)."""
    user = authenticate(session, form.username, form.password)
    if user is None:
        raise NotAuthenticated("wrong login or password")
    lifetime = timedelta(hours=settings.session_lifetime_hours)
    secret = issue_token(
        session, user, kind=TokenKind.SESSION, key=settings.secret_key.get_secret_value(), now=now, lifetime=lifetime
    )
    response.set_cookie(
        settings.session_cookie_name,
        secret,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/",
    )
    return person_read(user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, session: SessionDep, settings: SettingsDep, now: NowDep) -> Response:
    """End the page session: the cookie's token is revoked and the cookie cleared."""
    cookie = request.cookies.get(settings.session_cookie_name)
    if cookie:
        revoke_token(session, cookie, key=settings.secret_key.get_secret_value(), now=now)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(settings.session_cookie_name, path="/", httponly=True, samesite="lax")
    return response


@router.get("/me", response_model=PersonRead, responses=problem_responses(401))
def me(user: CurrentUser) -> PersonRead:
    """Who the credentials belong to."""
    return person_read(user)
