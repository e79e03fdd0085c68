"""Matches by status from an index.

The dashboards count a country's active matches per region; this index gives the
matches in one status without reading the table.

Revision ID: 8e4b0a6c2d17
Revises: 5c1d2e7a9f40
Create Date: 2026-12-05 16:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "8e4b0a6c2d17"
down_revision = "5c1d2e7a9f40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.create_index("ix_match_status_request", ["status", "request_id"], unique=False)


def downgrade():
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_index("ix_match_status_request")
