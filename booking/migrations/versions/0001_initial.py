"""The initial schema: organisation, building, bookings, rules, audit log; PostgreSQL exclusion constraints

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from booking.migrations.frozen_types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"], unique=False)

    op.create_table(
        "buildings",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("noon", sa.Time(), nullable=False),
        sa.Column("days_ahead", sa.Integer(), nullable=False),
        sa.Column("longest_booking_minutes", sa.Integer(), nullable=True),
        sa.Column("hourly_step_minutes", sa.Integer(), nullable=False),
        sa.Column("one_desk_per_person", sa.Boolean(), nullable=False),
        sa.Column("closed_weekdays", sa.JSON(), nullable=False),
        sa.Column("holiday_country", sa.String(length=8), nullable=True),
        sa.Column("cancel_cutoff_minutes", sa.Integer(), nullable=False),
        sa.Column("check_in_required", sa.Boolean(), nullable=False),
        sa.Column("check_in_opens_minutes", sa.Integer(), nullable=False),
        sa.Column("check_in_closes_minutes", sa.Integer(), nullable=False),
        sa.Column("zone_release_time", sa.Time(), nullable=False),
        sa.Column("show_booker_names", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
    )
    op.create_index(op.f("ix_units_parent_id"), "units", ["parent_id"], unique=False)

    op.create_table(
        "closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.String(length=100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_closures_building_id_buildings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closures")),
        sa.UniqueConstraint("building_id", "day", name=op.f("uq_closures_building_id")),
    )
    op.create_table(
        "floors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.String(length=100), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_floors_building_id_buildings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floors")),
        sa.UniqueConstraint("building_id", "ref", name=op.f("uq_floors_building_id")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("unit_id", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("search_key", sa.String(length=600), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_users_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_unit_id"), "users", ["unit_id"], unique=False)

    op.create_table(
        "zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.String(length=100), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_zones_building_id_buildings")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_zones_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zones")),
    )
    op.create_table(
        "idempotent_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_digest", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotent_responses_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotent_responses")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotent_responses_user_id")),
    )
    op.create_table(
        "spaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.String(length=100), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("hourly", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_spaces_building_id_buildings")),
        sa.ForeignKeyConstraint(["floor_id"], ["floors.id"], name=op.f("fk_spaces_floor_id_floors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spaces")),
        sa.UniqueConstraint("building_id", "ref", name=op.f("uq_spaces_building_id")),
    )
    op.create_index(op.f("ix_spaces_floor_id"), "spaces", ["floor_id"], unique=False)

    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_tokens_digest")),
    )
    op.create_index("ix_tokens_user_kind", "tokens", ["user_id", "kind"], unique=False)

    op.create_table(
        "desks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.String(length=100), nullable=False),
        sa.Column("floor_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("x", sa.Double(), nullable=True),
        sa.Column("y", sa.Double(), nullable=True),
        sa.Column("owner_id", sa.String(length=100), nullable=True),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["building_id"], ["buildings.id"], name=op.f("fk_desks_building_id_buildings")),
        sa.ForeignKeyConstraint(["floor_id"], ["floors.id"], name=op.f("fk_desks_floor_id_floors")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_desks_owner_id_users")),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_desks_space_id_spaces")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desks")),
        sa.UniqueConstraint("building_id", "ref", name=op.f("uq_desks_building_id")),
    )
    op.create_index(op.f("ix_desks_floor_id"), "desks", ["floor_id"], unique=False)
    op.create_index(op.f("ix_desks_owner_id"), "desks", ["owner_id"], unique=False)
    op.create_index(op.f("ix_desks_space_id"), "desks", ["space_id"], unique=False)

    op.create_table(
        "zone_spaces",
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_zone_spaces_space_id_spaces")),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name=op.f("fk_zone_spaces_zone_id_zones"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("zone_id", "space_id", name=op.f("pk_zone_spaces")),
    )
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], name=op.f("fk_blocks_desk_id_desks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocks")),
    )
    op.create_index("ix_blocks_desk_days", "blocks", ["desk_id", "first_day"], unique=False)

    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("start_utc", UTCDateTime(), nullable=False),
        sa.Column("end_utc", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("exclusive", sa.Boolean(), nullable=False),
        sa.Column("series_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("checked_in_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], name=op.f("fk_bookings_desk_id_desks")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_bookings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
    )
    op.create_index("ix_bookings_desk_start", "bookings", ["desk_id", "start_utc"], unique=False)
    op.create_index("ix_bookings_user_start", "bookings", ["user_id", "start_utc"], unique=False)

    op.create_table(
        "zone_desks",
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], name=op.f("fk_zone_desks_desk_id_desks")),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name=op.f("fk_zone_desks_zone_id_zones"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("zone_id", "desk_id", name=op.f("pk_zone_desks")),
    )

    if op.get_bind().dialect.name == "postgresql":
        create_exclusion_constraints()


# Active bookings of one desk never overlap; nor do one person's exclusive ones. The range is half-open, '[)', so
# bookings that touch (one ends at 12:00, the next starts at 12:00) do not clash. btree_gist lets a gist index
# compare plain columns with =.
ACTIVE = "state IN ('booked', 'checked_in')"


def create_exclusion_constraints() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_desk_overlap EXCLUDE USING gist "
        f"(desk_id WITH =, tstzrange(start_utc, end_utc, '[)') WITH &&) WHERE ({ACTIVE})"
    )
    op.execute(
        "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_person_overlap EXCLUDE USING gist "
        f"(user_id WITH =, tstzrange(start_utc, end_utc, '[)') WITH &&) WHERE ({ACTIVE} AND exclusive)"
    )


def downgrade() -> None:
    # The exclusion constraints go with their table.
    op.drop_table("zone_desks")
    op.drop_index("ix_bookings_user_start", table_name="bookings")
    op.drop_index("ix_bookings_desk_start", table_name="bookings")

    op.drop_table("bookings")
    op.drop_index("ix_blocks_desk_days", table_name="blocks")

    op.drop_table("blocks")
    op.drop_table("zone_spaces")
    op.drop_index(op.f("ix_desks_space_id"), table_name="desks")
    op.drop_index(op.f("ix_desks_owner_id"), table_name="desks")
    op.drop_index(op.f("ix_desks_floor_id"), table_name="desks")

    op.drop_table("desks")
    op.drop_index("ix_tokens_user_kind", table_name="tokens")

    op.drop_table("tokens")
    op.drop_index(op.f("ix_spaces_floor_id"), table_name="spaces")

    op.drop_table("spaces")
    op.drop_table("idempotent_responses")
    op.drop_table("zones")
    op.drop_index(op.f("ix_users_unit_id"), table_name="users")

    op.drop_table("users")
    op.drop_table("floors")
    op.drop_table("closures")
    op.drop_index(op.f("ix_units_parent_id"), table_name="units")

    op.drop_table("units")
    op.drop_table("buildings")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")

    op.drop_table("audit_log")
