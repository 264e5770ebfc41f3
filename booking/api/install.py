"""The HTTP API under /api: its routers, and its OpenAPI document as the handlers answer (`install_api`).

The composition root (`booking.app.create_app`) installs it beside the pages on one application.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel

from booking.api import schemas, schemas_jobs, schemas_reports, schemas_scenarios
from booking.api.problems import declare_problems
from booking.api.routes import admin, auth, bookings, floors, jobs, people, reports, scenarios

DESCRIPTION = """
Free-address desk booking for floorwise. Log in with `POST /api/auth/token` (OAuth2 password form) and send the
token as `Authorization: Bearer …`; pages use the session cookie from `POST /api/auth/login`.

Times are ISO 8601 with the building's UTC offset. Errors are RFC 9457 problem documents
(`application/problem+json`): `rule` names the booking rule that refused a request, `right` a right the user
lacks, `conflict` the booking in the way.
"""


def install_api(app: FastAPI) -> None:
    """Add the API's routes, and make its OpenAPI document say what the handlers answer."""
    app.description = DESCRIPTION
    for module in (auth, floors, bookings, people, admin, reports, scenarios, jobs):
        app.include_router(module.router)
    keep_nulls_in_examples(app, schemas, schemas_reports, schemas_scenarios, schemas_jobs)


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
