"""Verification decisions on schools: refusals, when and why.

Adds ``school.refused_at`` and ``school.refusal_reason`` (who decided is the actor of
the decision's audit entry). A refused school keeps the status ``pending`` (it leaves
the coordinators' queue and may still be verified later), so the status constraint is
unchanged and the table is never copied.

Revision ID: e5b7c3a1d9f2
Revises: 5e1b7d3a9c20
Create Date: 2026-12-07 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "e5b7c3a1d9f2"
down_revision = "5e1b7d3a9c20"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("school", sa.Column("refused_at", sa.DateTime(), nullable=True))
    op.add_column(
        "school", sa.Column("refusal_reason", sa.Text(), server_default="", nullable=False)
    )


def downgrade():
    op.drop_column("school", "refusal_reason")
    op.drop_column("school", "refused_at")
