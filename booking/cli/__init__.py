"""The `floorwise` command line. Each group of commands lives in its own module."""

from __future__ import annotations

import sys

from booking.cli import building as _building  # noqa: F401  (registers its commands)
from booking.cli import database as _database  # noqa: F401
from booking.cli import layouts as _layouts  # noqa: F401
from booking.cli import neighbourhoods as _neighbourhoods  # noqa: F401
from booking.cli import people as _people  # noqa: F401
from booking.cli import plan as _plan  # noqa: F401
from booking.cli import qap as _qap  # noqa: F401
from booking.cli import server as _server  # noqa: F401
from booking.cli import worker as _worker  # noqa: F401
from booking.cli.app import app, fail_cleanly
from booking.runtime import single_threaded_blas


def main() -> None:
    """Entry point of the `floorwise` console script."""
    single_threaded_blas()
    with fail_cleanly():
        app(prog_name="floorwise")
    sys.exit(0)


__all__ = ["app", "main"]
