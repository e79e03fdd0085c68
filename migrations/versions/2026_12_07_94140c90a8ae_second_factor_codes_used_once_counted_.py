"""Second-factor codes used once, wrong ones counted, secrets set up in the database.

Four columns on ``user``: the secret being set up (it was in the session cookie), the
last 30-second step whose code was used, the wrong codes in a row and the time until
which codes are refused after too many of them.

Revision ID: 94140c90a8ae
Revises: 3f6a9c1d2b84
Create Date: 2026-12-07 04:15:45.807655

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "94140c90a8ae"
down_revision = "3f6a9c1d2b84"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_pending_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("totp_failures", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("totp_locked_until", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("totp_locked_until")
        batch_op.drop_column("totp_failures")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending_secret")
