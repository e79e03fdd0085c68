"""One open mentoring request per school.

A school could file a second request while one was open, and a mentor then held two
proposals for the same school. Where a school has several open requests, the oldest
stays open; the others are withdrawn and their unanswered proposals removed. A partial
unique index then keeps it so, also when two requests arrive at the same moment.

Revision ID: 3f6a1c9d2b84
Revises: 8e4b0a6c2d17
Create Date: 2026-12-07 04:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6a1c9d2b84"
down_revision = "8e4b0a6c2d17"
branch_labels = None
depends_on = None

LATER_OPEN = """
    SELECT r.id FROM mentoring_request r
    WHERE r.status = 'open' AND EXISTS (
        SELECT 1 FROM mentoring_request o
        WHERE o.school_id = r.school_id AND o.status = 'open' AND o.id < r.id
    )
"""


def upgrade():
    op.execute(f"DELETE FROM match WHERE status = 'proposed' AND request_id IN ({LATER_OPEN})")
    op.execute(f"UPDATE mentoring_request SET status = 'withdrawn' WHERE id IN ({LATER_OPEN})")
    with op.batch_alter_table("mentoring_request", schema=None) as batch_op:
        batch_op.create_index(
            "uq_mentoring_request_open_school",
            ["school_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )


def downgrade():
    with op.batch_alter_table("mentoring_request", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentoring_request_open_school",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
