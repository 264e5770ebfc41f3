"""Failed-login counters (login_throttle), in the database so that every app server throttles alike

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The table as this revision knows it (no application code imported, whatever the models say later).
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("window_end", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )
    op.create_index("ix_login_throttle_window_end", "login_throttle", ["window_end"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_throttle_window_end", table_name="login_throttle")
    op.drop_table("login_throttle")
