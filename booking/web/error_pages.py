"""What the web layer's middleware needs of the pages: a page that says what went wrong.

The middleware (`booking.web.body_limits`, `booking.web.server_errors`) answers requests outside the API with a
page in the visitor's language; the pages draw it (`booking.pages.core.error_page`). The composition root
(`booking.app`) hands that function to the middleware, so the web layer never imports the pages.
"""

from __future__ import annotations

from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response


class ErrorPage(Protocol):
    """Render the page of an error: ``status``, a catalogue key naming what went wrong, and a detail to add."""

    async def __call__(self, request: Request, status: int, message_key: str, *, detail: str = "") -> Response: ...
