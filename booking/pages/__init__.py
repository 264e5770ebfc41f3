"""The web pages: jinja2 templates (``booking/templates``) served by the same application as the API, outside
/api, with the CSS and scripts of ``static/``. Every core flow works with plain forms and links; htmx, where the
browser runs it, updates the map without reloading the page."""

from __future__ import annotations

import inspect
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from booking.pages import (
    routes_admin,
    routes_admin_people,
    routes_admin_rules,
    routes_auth,
    routes_book,
    routes_desks,
    routes_mine,
    routes_planner_editor,
    routes_planner_jobs,
    routes_planner_setup,
    routes_planners,
    routes_reports,
    routes_team,
)
from booking.pages.core import error_page
from booking.web.problems import API_PREFIXES

ROUTERS = (
    routes_auth,
    routes_book,
    routes_mine,
    routes_team,
    routes_desks,
    routes_admin,
    routes_admin_rules,
    routes_admin_people,
    routes_planners,
    routes_planner_editor,
    routes_planner_jobs,
    routes_planner_setup,
    routes_reports,
)


def static_dir() -> Path:
    """``static/``: inside the installed package (a wheel), else at the root of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "static", package.parent / "static"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the static folder was not found beside the booking package nor in the checkout")


def install_pages(app: FastAPI) -> None:
    """Add the pages, the static files, and HTML error pages for paths outside the API (whose errors stay problem
    documents, `booking.web.problems`)."""
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    api_handler = app.exception_handlers[StarletteHTTPException]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(API_PREFIXES):
            answer = api_handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        key = "error.not_found" if exc.status_code == 404 else ""
        return await error_page(request, exc.status_code, key, detail="" if key else str(exc.detail))

    app.add_exception_handler(StarletteHTTPException, http_error)
