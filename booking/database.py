"""Engines and sessions: SQLite tuned for a web server (WAL, foreign keys, busy timeout) or PostgreSQL via psycopg 3.

Nothing here connects at import: `Database` makes its engine when it is made, and connects on first use.

SQLite serialises writers. A request that writes begins its transaction with ``BEGIN IMMEDIATE`` so that it takes
the write lock before it reads anything: its overlap check and its insert then see the same database, and two
writers never deadlock on upgrading a read lock. Requests that only read begin a deferred transaction and run
beside writers (WAL).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from booking.settings import Settings

_WRITE = "floorwise_write"
_HOLDS_LOCK = "floorwise_holds_write_lock"


def normalise_url(url: str | URL) -> URL:
    """``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``; other URLs are kept."""
    text = str(url) if isinstance(url, URL) else url
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://") :]
    parsed = make_url(text)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(
    url: str | URL, *, busy_timeout_ms: int = 10_000, pool_size: int = 10, pool_timeout_s: float = 30.0
) -> Engine:
    """An engine for ``url``: SQLite with WAL, foreign keys and a busy timeout, or PostgreSQL with a pool.

    On PostgreSQL ``pool_size`` is a hard ceiling (no overflow): a database server refuses clients past its
    ``max_connections``, and that refusal locks out every other client of it too, so a busy process waits up to
    ``pool_timeout_s`` for one of its own connections instead (then `sqlalchemy.exc.TimeoutError`, which the web
    application answers with 503). SQLite connections are files opened in-process, so its pool may overflow.

    An in-memory SQLite database (``sqlite://``) lives in one connection, which all sessions share: for a script or
    a test that runs one transaction at a time, not for a server."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pool_recycle rather than pre-ping: a ping is one more round trip on every request.
        return create_engine(
            parsed, pool_size=pool_size, max_overflow=0, pool_timeout=pool_timeout_s, pool_recycle=1800
        )
    connect_args = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
    if parsed.database in (None, "", ":memory:"):
        # One database per connection: every session must share the one connection to see the same tables.
        engine = create_engine(parsed, connect_args=connect_args, poolclass=StaticPool)
    else:
        engine = create_engine(
            parsed,
            connect_args=connect_args,
            pool_size=pool_size,
            max_overflow=pool_size * 4,
            pool_timeout=pool_timeout_s,
        )
    _tune_sqlite(engine, busy_timeout_ms)
    return engine


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite's own BEGIN is always deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe with WAL
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    # Writers of this process queue on a lock of their own before BEGIN IMMEDIATE: a waiting thread wakes the
    # moment the writer before it commits, where SQLite's busy handler would poll with growing sleeps (up to
    # 100 ms). Writers in other processes still wait through the busy timeout.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        # Should a holder ever leak its transaction, the others stop waiting here and fall back on SQLite's own.
        if immediate and writers.acquire(timeout=busy_timeout_ms / 1000):
            connection.info[_HOLDS_LOCK] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Any) -> None:
        if connection.info.pop(_HOLDS_LOCK, False):
            writers.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


class Database:
    """The engine and the sessions of one application (or one command-line run)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)
        self._writer = sessionmaker(bind=engine.execution_options(**{_WRITE: True}), expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            make_engine(
                settings.database_url,
                busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                pool_size=settings.connections_per_process,
                pool_timeout_s=settings.db_pool_timeout_s,
            )
        )

    def session(self, *, write: bool = False) -> Session:
        """A new session; ``write`` takes SQLite's write lock at the start of each transaction."""
        return (self._writer if write else self._reader)()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commit if the block ends normally, roll back if it raises."""
        with self.session(write=write) as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
