"""The request owns the transaction: a route commits its session when the endpoint returns and rolls it back when
the endpoint raises, in the worker thread that ran the endpoint.

Why not in the session dependency's exit: FastAPI runs a sync dependency's exit in another trip through the thread
pool. On SQLite a writer holds the database's write lock from ``BEGIN IMMEDIATE`` to its commit; if the commit
had to wait for a free worker thread while every worker waited for that lock, the server would stall until the
busy timeout. Taking the lock and releasing it in one thread makes that impossible.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session


def committing(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint: commit the `Session` among its arguments after it returns, roll back if it raises."""

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        sessions = [v for v in kwargs.values() if isinstance(v, Session)]
        try:
            result = endpoint(*args, **kwargs)
            for session in sessions:
                session.commit()
            return result
        except BaseException:
            for session in sessions:
                session.rollback()
            raise

    run.__signature__ = inspect.signature(endpoint, eval_str=True)  # type: ignore[attr-defined]
    return run


class TransactionRoute(APIRoute):
    """An API route whose sync endpoint commits its session (see the module's docstring)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = committing(endpoint)
        super().__init__(path, endpoint, **kwargs)
