"""Jobs: the outbox of mail, written in the transaction of the change that causes it.

Adds ``outbox_message``: one row per mail (recipient, language, template, kind, the whole
message as sent), its state (pending, sending, sent, failed), attempts, the next attempt,
the claim of the worker sending it and the last error. ``key`` is unique: queueing the
same message twice is a no-op.

Revision ID: e5b1c7d93f20
Revises: 5e0b7a3c2d19
Create Date: 2026-12-07 12:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "e5b1c7d93f20"
down_revision = "5e0b7a3c2d19"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')",
            name=op.f("ck_outbox_message_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_message_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_message_status_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_outbox_message_created_at", ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_to_address"), ["to_address"], unique=False)


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_to_address"))
        batch_op.drop_index("ix_outbox_message_created_at")
        batch_op.drop_index("ix_outbox_message_status_due")
    op.drop_table("outbox_message")
