"""The first day of the school year per country.

Adds ``country.school_year_start`` ("MM-DD", 1 September unless said otherwise) and sets
Norway's to 15 August, as ``flask regions load`` does (plain SQL). Dashboards' school
years and the validity of eTwinning School labels read it.

Revision ID: a84d5e0f1c62
Revises: 7c2e41b9d0a3
Create Date: 2026-12-07 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "a84d5e0f1c62"
down_revision = "7c2e41b9d0a3"
branch_labels = None
depends_on = None


def upgrade():
    # ADD COLUMN, not a rebuild: SQLite would refuse to drop a country schools refer to.
    op.add_column(
        "country",
        sa.Column("school_year_start", sa.String(length=5), server_default="09-01", nullable=False),
    )
    op.execute("UPDATE country SET school_year_start = '08-15' WHERE code = 'NO'")


def downgrade():
    # DROP COLUMN in place (SQLite 3.35+), not a rebuild of a table schools refer to.
    op.execute("ALTER TABLE country DROP COLUMN school_year_start")
