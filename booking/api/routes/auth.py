"""Logging in: bearer tokens for API clients, a session cookie for pages; both revocable."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response, status

from booking.api.problems import problem_responses
from booking.api.schemas import PersonRead, TokenRead
from booking.models import TokenKind, User
from booking.services.accounts import revoke_token
from booking.web.deps import CurrentUser, NowDep, SessionDep, SettingsDep, bearer_scheme
from booking.web.logins import Password, Username, log_in
from booking.web.session_cookies import end_session, set_session_cookie
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api", tags=["auth"], route_class=TransactionRoute)


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
    "/auth/token",
    response_model=TokenRead,
    responses=problem_responses(401, 429),
    openapi_extra=TOKEN_FORM_EXAMPLE,
)
async def token(
    request: Request,
    username: Username,
    password: Password,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
) -> TokenRead:
    """Exchange a login (id or e-mail) and password for a bearer token (OAuth2 password flow). After too many
    failures for the login or from the client's address, 429 with ``Retry-After``."""
    done = await log_in(request, session, username, password, kind=TokenKind.API, settings=settings, now=now)
    return TokenRead(access_token=done.secret)


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
    "/auth/login",
    response_model=PersonRead,
    responses=problem_responses(401, 429),
    openapi_extra=LOGIN_FORM_EXAMPLE,
)
async def login(
    request: Request,
    username: Username,
    password: Password,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    response: Response,
) -> PersonRead:
    """Log in for pages: sets the session cookie (HttpOnly, SameSite=Lax, opaque). Throttled as the token is."""
    done = await log_in(request, session, username, password, kind=TokenKind.SESSION, settings=settings, now=now)
    set_session_cookie(response, settings, done)
    return person_read(done.user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, session: SessionDep, settings: SettingsDep, now: NowDep) -> Response:
    """End the page session: the cookie's token is revoked and the cookie cleared."""
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    end_session(request, response, session, settings, now)
    return response


@router.get("/me", response_model=PersonRead, responses=problem_responses(401))
def me(user: CurrentUser) -> PersonRead:
    """Who the credentials belong to."""
    return person_read(user)
