"""Japan's year-end closure of public offices (29 December to 3 January) as a building rule, on by default

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing buildings get it on too: it only closes where the holiday country is JP, as the law does. A plain
    # ADD COLUMN (SQLite takes one with a constant default): a batch would copy the table and drop the old one,
    # which SQLite refuses while desks and floors refer to it.
    op.add_column("buildings", sa.Column("year_end_closure", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("buildings") as batch:
        batch.drop_column("year_end_closure")
