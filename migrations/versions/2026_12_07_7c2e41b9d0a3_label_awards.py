"""eTwinning School label awards: requested by schools, verified by coordinators.

Adds ``label_award``, the history of each school's label: the school, the award year,
who decided and when, and the outcome (requested, verified, refused). Every label year
already on a school profile is carried over as a verified award, with no decider (plain
SQL). ``school.label_year`` stays: the year of the school's latest verified award.

Revision ID: 7c2e41b9d0a3
Revises: 3f6a9d2c8b51
Create Date: 2026-12-07 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "7c2e41b9d0a3"
down_revision = "3f6a9d2c8b51"
branch_labels = None
depends_on = None

STATUSES = ("requested", "verified", "refused")
SOURCES = ("request", "import", "carried_over")


def upgrade():
    op.create_table(
        "label_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("award_year", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="label_status", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(*SOURCES, name="label_source", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "award_year BETWEEN 2000 AND 2100", name=op.f("ck_label_award_award_year_range")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user.id"],
            name=op.f("fk_label_award_decided_by_id_user"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["user.id"],
            name=op.f("fk_label_award_requested_by_id_user"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"],
            name=op.f("fk_label_award_school_id_school"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_award")),
    )
    with op.batch_alter_table("label_award", schema=None) as batch_op:
        batch_op.create_index(
            "ix_label_award_school_year", ["school_id", "award_year"], unique=False
        )
        batch_op.create_index(
            "ix_label_award_status_created", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            "uq_label_award_school_waiting",
            ["school_id"],
            unique=True,
            sqlite_where=sa.text("status = 'requested'"),
            postgresql_where=sa.text("status = 'requested'"),
        )
    # The label years typed into school profiles, as verified awards with no decider.
    op.execute(
        "INSERT INTO label_award (school_id, award_year, status, source, decided_at, "
        "decision_reason, created_at, updated_at) "
        "SELECT id, label_year, 'verified', 'carried_over', updated_at, '', updated_at, "
        "updated_at FROM school WHERE label_year IS NOT NULL"
    )


def downgrade():
    # school.label_year holds the latest verified award already: nothing to carry back.
    with op.batch_alter_table("label_award", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_label_award_school_waiting",
            sqlite_where=sa.text("status = 'requested'"),
            postgresql_where=sa.text("status = 'requested'"),
        )
        batch_op.drop_index("ix_label_award_status_created")
        batch_op.drop_index("ix_label_award_school_year")
    op.drop_table("label_award")
