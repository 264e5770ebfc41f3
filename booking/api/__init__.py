"""The HTTP API under /api: `create_app(settings)`."""

from booking.api.app import create_app

__all__ = ["create_app"]
