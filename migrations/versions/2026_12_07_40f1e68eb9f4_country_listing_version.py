"""Country listing version: the key under which a country's public listings are cached.

Adds ``country.listing_version`` (0), bumped in the transaction of every write to what the
country's calendar, month view and feeds show (app.dashboards.freshness).

Revision ID: 40f1e68eb9f4
Revises: 489730dc9481
Create Date: 2026-12-07 23:15:17.979688

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '40f1e68eb9f4'
down_revision = '489730dc9481'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listing_version', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.drop_column('listing_version')

