"""The web application: `create_app(settings)` composes it; nothing connects until the first request."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel

from booking.analytics.suggestions import AnalyticsCache
from booking.api import schemas, schemas_jobs, schemas_reports, schemas_scenarios
from booking.api.body_limits import BodyLimits
from booking.api.bounds import RequestClock
from booking.api.problems import declare_problems, install_problem_handlers
from booking.api.routes import admin, auth, bookings, floors, jobs, people, reports, scenarios
from booking.api.server_errors import UnexpectedErrors
from booking.clock import Clock, SystemClock
from booking.database import Database
from booking.services.availability import DeskLayoutCache
from booking.settings import Settings
from booking.workers.local import jobs_beside_server

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
    # The lifespan runs optimiser jobs beside the server on SQLite (`booking.workers.local`).
    app = FastAPI(title="floorwise", version="0.1.0", description=DESCRIPTION, lifespan=jobs_beside_server)
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.database = database or Database.from_settings(settings)  # makes an engine; connects on first use
    app.state.desk_layouts = DeskLayoutCache()
    app.state.analytics = AnalyticsCache()  # travel matrices per building load, co-attendance per day
    install_problem_handlers(app)
    app.add_middleware(BodyLimits, settings=settings)  # 413, or the login page, before a large body is read
    app.add_middleware(RequestClock, clock_of=lambda: app.state.clock)  # the dates' bounds follow the app's clock
    app.add_middleware(UnexpectedErrors)  # outermost of these: a bug is a logged 500, never a dropped connection
    for module in (auth, floors, bookings, people, admin, reports, scenarios, jobs):
        app.include_router(module.router)
    from booking.pages import install_pages  # the pages import the API's dependencies

    install_pages(app)
    keep_nulls_in_examples(app, schemas, schemas_reports, schemas_scenarios, schemas_jobs)
    return app


def model_examples(*modules: ModuleType) -> dict[str, list[Any]]:
    """The ``examples`` of the pydantic models defined in ``modules``, by model name (their schemas' names)."""
    found: dict[str, list[Any]] = {}
    for module in modules:
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, BaseModel) and item.__module__ == module.__name__:
                extra = item.model_config.get("json_schema_extra")
                examples = extra.get("examples") if isinstance(extra, dict) else None
                if isinstance(examples, list):
                    found[item.__name__] = examples
    return found


def keep_nulls_in_examples(app: FastAPI, *modules: ModuleType) -> None:
    """FastAPI writes the document without ``null`` values, examples' included (``{"owner_id": null}`` would read
    ``{}``, which the endpoint refuses): put the models' examples back as they are written."""
    examples = {name: jsonable_encoder(found) for name, found in model_examples(*modules).items()}
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        components = document.get("components", {}).get("schemas", {})
        for name, found in examples.items():
            if "examples" in components.get(name, {}):
                components[name]["examples"] = found
        return declare_problems(document)

    app.openapi = openapi  # type: ignore[method-assign]
