"""School search by country from an index.

Searching a country's verified schools for a part of their name used to walk the
search keys of every school in the country order and read each row; this index holds
country, status, search key and id, so the search tests each key in the index alone.

Revision ID: 5c1d2e7a9f40
Revises: b13f3f4c9372
Create Date: 2026-12-05 15:05:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1d2e7a9f40"
down_revision = "b13f3f4c9372"
branch_labels = None
depends_on = None

COLUMNS = ["country_code", "status", "search_key", "id"]


def upgrade():
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.create_index("ix_school_country_status_search", COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_index("ix_school_country_status_search")
