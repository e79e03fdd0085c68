"""Country data version: the key under which a country's dashboards are cached.

Adds ``country.data_version`` (0), bumped in the transaction of every write to what the
country's dashboards show (app.dashboards.freshness).

Revision ID: 003924dc25b7
Revises: 07c29642f311
Create Date: 2026-12-07 18:24:02.552037

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '003924dc25b7'
down_revision = '07c29642f311'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.drop_column('data_version')

