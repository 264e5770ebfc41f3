"""Run the Alembic migrations shipped inside the package (``booking/migrations``) without an alembic.ini."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


#: Tables that are not floorwise's models: the job queue's (procrastinate's own schema, PostgreSQL only).
FOREIGN_TABLE_PREFIX = "procrastinate_"


def is_own_name(name: str | None, type_: str, _parents: Mapping[Any, str | None]) -> bool:
    """Alembic's ``include_name``: compare floorwise's tables with the models, not the job queue's."""
    return not (type_ == "table" and (name or "").startswith(FOREIGN_TABLE_PREFIX))


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (default: the newest); on PostgreSQL, also set up the job queue's
    tables (procrastinate's schema, where it is missing: `booking.workers.queue`)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if engine.dialect.name == "postgresql":
        from booking.workers.queue import apply_queue_schema

        apply_queue_schema(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
