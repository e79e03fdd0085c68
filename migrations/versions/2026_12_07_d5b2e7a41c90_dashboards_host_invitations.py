"""Invitations to run an information session in a white-spot region.

Adds ``host_invitation``: the region, the mentor asked (one invitation per region and
mentor), who asked and when.

Revision ID: d5b2e7a41c90
Revises: e5b7c3a1d920
Create Date: 2026-12-07 12:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "d5b2e7a41c90"
down_revision = "e5b7c3a1d920"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "host_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"], ["country.code"],
            name=op.f("fk_host_invitation_country_code_country"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["user.id"],
            name=op.f("fk_host_invitation_invited_by_id_user"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor_profile.id"],
            name=op.f("fk_host_invitation_mentor_id_mentor_profile"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"],
            name=op.f("fk_host_invitation_region_code_region"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_invitation")),
        sa.UniqueConstraint(
            "region_code", "mentor_id", name=op.f("uq_host_invitation_region_code_mentor_id")
        ),
    )
    with op.batch_alter_table("host_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_host_invitation_country_code"), ["country_code"], unique=False
        )


def downgrade():
    with op.batch_alter_table("host_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_host_invitation_country_code"))
    op.drop_table("host_invitation")
