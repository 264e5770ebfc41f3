"""The migration builds exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from booking.migrate import head_revision, is_own_name, is_up_to_date
from booking.models import Base


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert is_up_to_date(engine) and head_revision() == "0005"
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": is_own_name})
        assert compare_metadata(context, Base.metadata) == []


def test_postgresql_has_the_exclusion_constraints(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        names = {
            row[0]
            for row in conn.exec_driver_sql(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'bookings'::regclass AND contype = 'x'"
            )
        }
    assert names == {"ex_bookings_desk_overlap", "ex_bookings_person_overlap"}
    assert "ix_bookings_desk_start" in {i["name"] for i in inspect(engine).get_indexes("bookings")}
