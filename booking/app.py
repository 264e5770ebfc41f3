"""The composition root: `create_app(settings)` builds the application's state and installs the API and the pages
on one FastAPI application; nothing connects until the first request.

Imports go one way: `booking.web` (what both share) is imported by `booking.api` and `booking.pages`, which do
not import each other; only this module imports both.
"""

from __future__ import annotations

from fastapi import FastAPI

from booking.api.install import install_api
from booking.clock import Clock, SystemClock
from booking.database import Database
from booking.pages import install_pages
from booking.pages.core import error_page
from booking.settings import Settings
from booking.web.body_limits import BodyLimits
from booking.web.bounds import RequestClock
from booking.web.problems import install_problem_handlers
from booking.web.request_logs import RequestLogs
from booking.web.server_errors import UnexpectedErrors
from booking.web.state import AppState
from booking.workers.local import jobs_beside_server


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, database: Database | None = None
) -> FastAPI:
    """The FastAPI application for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    # The lifespan runs optimiser jobs beside the server on SQLite (`booking.workers.local`).
    app = FastAPI(title="floorwise", version="0.1.0", lifespan=jobs_beside_server)
    AppState(
        settings=settings,
        clock=clock or SystemClock(),
        database=database or Database.from_settings(settings),
    ).install(app)
    install_problem_handlers(app)
    # Middleware added last runs first: the request log sees every answer, the 500s of UnexpectedErrors included.
    app.add_middleware(BodyLimits, settings=settings, error_page=error_page)  # 413 before a large body is read
    app.add_middleware(RequestClock, clock_of=lambda: app.state.clock)  # the dates' bounds follow the app's clock
    app.add_middleware(UnexpectedErrors, error_page=error_page)  # a bug is a logged 500, never a dropped connection
    app.add_middleware(RequestLogs)  # one line per request, with its id (X-Request-ID)
    install_api(app)
    install_pages(app)
    return app
