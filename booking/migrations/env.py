"""Alembic's environment: the URL comes from floorwise's settings (FLOORWISE_DATABASE_URL), or a connection is
handed over by `booking.migrate` (tests and the command line)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from booking.database import make_engine
from booking.migrate import is_own_name
from booking.models import Base
from booking.settings import Settings

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        include_name=is_own_name,  # the job queue's tables are procrastinate's, not the models'
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or Settings().database_url)
    try:
        with engine.connect() as conn:
            run_with(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("floorwise migrations run against a database, not as SQL scripts")
run_online()
