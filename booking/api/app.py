"""The web application: `create_app(settings)` composes it; nothing connects until the first request."""

from __future__ import annotations

from fastapi import FastAPI

from booking.analytics.suggestions import AnalyticsCache
from booking.api.problems import install_problem_handlers
from booking.api.routes import admin, auth, bookings, floors, people, reports
from booking.clock import Clock, SystemClock
from booking.database import Database
from booking.services.availability import DeskLayoutCache
from booking.settings import Settings

DESCRIPTION = """
Free-address desk booking for floorwise. Log in with `POST /api/auth/token` (OAuth2 password form) and send the
token as `Authorization: Bearer …`; pages use the session cookie from `POST /api/auth/login`.

Times are ISO 8601 with the building's UTC offset. Errors are RFC 9457 problem documents
(`application/problem+json`): `rule` names the booking rule that refused a request, `right` a right the user
lacks, `conflict` the booking in the way.
"""


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, database: Database | None = None
) -> FastAPI:
    """The FastAPI application for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    app = FastAPI(title="floorwise", version="0.1.0", description=DESCRIPTION)
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.database = database or Database.from_settings(settings)  # makes an engine; connects on first use
    app.state.desk_layouts = DeskLayoutCache()
    app.state.analytics = AnalyticsCache()  # travel matrices per building load, co-attendance per day
    install_problem_handlers(app)
    for module in (auth, floors, bookings, people, admin, reports):
        app.include_router(module.router)
    from booking.pages import install_pages  # the pages import the API's dependencies

    install_pages(app)
    return app
