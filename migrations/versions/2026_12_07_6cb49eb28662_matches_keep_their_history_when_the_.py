"""Matches keep their history when the mentor leaves.

A match pointed at its mentor's profile with ON DELETE CASCADE, so deleting a mentor's
account took the schools' matches with it: their written feedback, and the link of
their mentoring sessions. The link is now nullable and set to NULL: the match stays,
shown as the work of a former mentor.

Downgrading restores the cascade, and so has to delete the matches of former mentors.

Revision ID: 6cb49eb28662
Revises: a84d5e0f1c62
Create Date: 2026-12-07 12:05:31.117380

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "6cb49eb28662"
down_revision = "a84d5e0f1c62"
branch_labels = None
depends_on = None

FK = "fk_match_mentor_id_mentor_profile"


def upgrade():
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.alter_column("mentor_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            FK, "mentor_profile", ["mentor_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    op.execute("DELETE FROM match WHERE mentor_id IS NULL")
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.alter_column("mentor_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            FK, "mentor_profile", ["mentor_id"], ["id"], ondelete="CASCADE"
        )
