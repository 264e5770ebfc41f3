"""What every page needs: who is asking and in which language, the CSRF token, rendering a template, and turning
every refusal into a page that says what went wrong (never a problem document, never a 500 for a user's mistake).

Page routes are sync functions like the API's, and the request owns the transaction in the same way
(`booking.web.transactions`). An action a page runs in a savepoint (`attempt`), so that a refusal rolls back what
the service had flushed before the page renders the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from booking.clock import Clock
from booking.errors import BookingError, Forbidden
from booking.models import TokenKind, User
from booking.pages import csrf, wording
from booking.pages.i18n import LANGUAGE_NAMES, LANGUAGES, Words, negotiate
from booking.pages.i18n import install as install_gettext
from booking.pages.input_faults import Fault, fault_sentences, form_faults, is_in_path
from booking.services.accounts import user_from_token
from booking.services.permissions import is_admin, may_plan, may_read_plans
from booking.settings import Settings
from booking.web.deps import auth_session, get_now, get_settings
from booking.web.logins import login_url
from booking.web.problems import BUSY_RETRY_AFTER_S, DATABASE_BUSY, database_busy_problem, is_database_busy
from booking.web.transactions import TransactionRoute

log = logging.getLogger("floorwise.pages")

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True
install_gettext(TEMPLATES.env)


class LoginRequired(Exception):
    """The page is for people who have logged in: the visitor is sent to the login page and back."""


class CsrfRefused(Exception):
    """A form came without this session's token."""


@dataclass
class Page:
    """A request as pages see it."""

    request: Request
    settings: Settings
    lang: str
    user: User | None
    now: dt.datetime
    new_seed: str | None = None  # an anonymous CSRF cookie to set with the response
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def t(self) -> Words:
        return Words(self.lang)

    @property
    def csrf_token(self) -> str:
        seed = self.new_seed or csrf.seed_of(self.request, self.settings)
        if seed is None:  # the first page a visitor sees: give them a seed of their own
            self.new_seed = seed = csrf.new_anonymous_seed()
        return csrf.token_for(seed, self.settings)

    @property
    def is_admin(self) -> bool:
        return self.user is not None and is_admin(self.user)

    @property
    def may_read_plans(self) -> bool:
        """Planners, the committee and admins: the planning pages and their menu item."""
        return self.user is not None and may_read_plans(self.user)

    @property
    def may_plan(self) -> bool:
        """Planners and admins: change scenarios and run the optimiser."""
        return self.user is not None and may_plan(self.user)

    def render(self, template: str, *, status: int = 200, **context: Any) -> Response:
        values = {
            "page": self,
            "t": self.t,
            "lang": self.lang,
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "user": self.user,
            "csrf_token": self.csrf_token,
            "here": self.here,
            **context,
        }
        response = TEMPLATES.TemplateResponse(self.request, template, values, status_code=status)
        self.finish(response)
        return response

    def redirect(self, url: str) -> Response:
        response = RedirectResponse(url, status_code=303)
        self.finish(response)
        return response

    def finish(self, response: Response) -> None:
        if self.new_seed is not None:
            response.set_cookie(
                csrf.ANONYMOUS_COOKIE,
                self.new_seed,
                httponly=True,
                samesite="lax",
                secure=self.settings.session_cookie_secure,
                path="/",
            )
        for name, value in self.cookies.items():
            response.set_cookie(name, value, max_age=365 * 24 * 3600, samesite="lax", path="/")

    @property
    def here(self) -> str:
        """This page's path and query, to come back to (after logging in, switching language...)."""
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")


def page_of(request: Request, settings: Settings, now: dt.datetime) -> Page:
    """Who asks (from the session cookie; None when not logged in) and in which language."""
    lang = negotiate(request.cookies.get(settings.lang_cookie_name), request.headers.get("accept-language"))
    user = None
    cookie = request.cookies.get(settings.session_cookie_name)
    if cookie:
        with auth_session(request) as session:
            user = user_from_token(
                session, cookie, kind=TokenKind.SESSION, key=settings.secret_key.get_secret_value(), now=now
            )
    return Page(request, settings, lang, user, now)


def get_page(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    now: Annotated[dt.datetime, Depends(get_now)],
) -> Page:
    return page_of(request, settings, now)


def get_user_page(page: Annotated[Page, Depends(get_page)]) -> Page:
    if page.user is None:
        raise LoginRequired()
    return page


def get_admin_page(page: Annotated[Page, Depends(get_user_page)]) -> Page:
    if not page.is_admin:
        raise Forbidden("only facilities admins may open the administration pages", right="administer")
    return page


async def check_csrf(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    """Refuse a form post that does not carry this session's token (the form is read once and kept)."""
    form = await request.form()
    sent = form.get(csrf.FIELD)
    token = sent if isinstance(sent, str) else request.headers.get(csrf.HEADER)
    if not csrf.is_valid(request, settings, token):
        raise CsrfRefused()


async def posted_form(request: Request) -> FormData:
    """The form a page posted, as read once by `check_csrf` (Starlette keeps it on the request); a field with a
    NUL character is refused (422, naming it) before the page reads any of it."""
    form = await request.form()
    faults = form_faults(form)
    if faults:
        raise RequestValidationError(faults)
    return form


AnyPage = Annotated[Page, Depends(get_page)]
UserPage = Annotated[Page, Depends(get_user_page)]
AdminPage = Annotated[Page, Depends(get_admin_page)]
CsrfChecked = Depends(check_csrf)
PostedForm = Annotated[FormData, Depends(posted_form)]


def user_of(page: Page) -> User:
    assert page.user is not None
    return page.user


@contextmanager
def attempt(session: Session) -> Iterator[None]:
    """Run a service's change in a savepoint: a refusal (a `BookingError`) undoes what it had flushed."""
    with session.begin_nested():
        yield


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path of this site (never another site's URL), else ``default``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


class PageRoute(TransactionRoute):
    """A page's route: commits like the API's, and answers every refusal with a page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                return RedirectResponse(login_url(request), status_code=303)
            except CsrfRefused:
                return await error_page(request, 403, "error.csrf")
            except BookingError as exc:
                return await error_page(request, exc.status, "", detail=exc.detail)
            except RequestValidationError as exc:
                if is_in_path(exc.errors()):  # an id or key no row can have: no such page
                    return await error_page(request, 404, "error.not_found")
                return await error_page(request, 422, "error.invalid", faults=exc.errors())
            except DATABASE_BUSY as exc:
                if not is_database_busy(exc):
                    raise  # a bug: a logged 500 page (`booking.web.server_errors`)
                database_busy_problem(request, exc)  # logs it
                return await error_page(request, 503, "error.busy", visitor=False)

        return run


async def error_page(
    request: Request,
    status: int,
    message_key: str,
    *,
    detail: str = "",
    visitor: bool = True,
    faults: Sequence[Fault] = (),
) -> Response:
    """A page that says what went wrong, in the visitor's language, with the status it deserves.

    ``faults``: input out of bounds, each said in a sentence naming its field (`booking.pages.input_faults`).
    ``visitor=False`` does not look up who is logged in (when the database is what went wrong); a 503 asks the
    browser to come back after `BUSY_RETRY_AFTER_S`."""
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    page = None
    if visitor:
        try:
            page = await run_in_threadpool(page_of, request, settings, clock.now())
        except Exception:  # the error page must not fail for want of the database
            log.exception("could not look up the visitor of an error page")
    if page is None:
        lang = negotiate(request.cookies.get(settings.lang_cookie_name), request.headers.get("accept-language"))
        page = Page(request, settings, lang, None, clock.now())
    key = message_key or _status_key(status)
    detail = " ".join([*fault_sentences(page.t, faults), *([detail] if detail else [])])
    response = page.render(
        "error.html", status=status, status_code=status, message=page.t(wording.ERROR_PAGES[key]), detail=detail
    )
    if status == 503:
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER_S)
    return response


def _status_key(status: int) -> str:
    return {401: "error.login", 403: "error.forbidden", 404: "error.not_found", 409: "error.conflict"}.get(
        status, "error.refused"
    )
