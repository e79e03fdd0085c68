"""Notification centre: a user's notifications listed newest first from an index.

Adds ``ix_notification_user_id`` on (user_id, id), which the notification page reads
backwards page by page; the unread count keeps ``ix_notification_user_read``.

Revision ID: e5b7c3a1d920
Revises: e5b7c3a1d9f2
Create Date: 2026-12-07 12:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5b7c3a1d920"
down_revision = "e5b7c3a1d9f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_notification_user_id", "notification", ["user_id", "id"], unique=False)


def downgrade():
    op.drop_index("ix_notification_user_id", table_name="notification")
