"""Country later listing version: the key of listings that show activities beyond the horizon.

Adds ``country.later_listing_version`` (0), bumped instead of ``listing_version`` by a
write to an activity that starts more than a quarter after the write
(app.geography.listing).

Revision ID: e48e66e42e0f
Revises: 40f1e68eb9f4
Create Date: 2026-12-08 02:02:29.177006

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e48e66e42e0f'
down_revision = '40f1e68eb9f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.add_column(sa.Column('later_listing_version', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.drop_column('later_listing_version')

