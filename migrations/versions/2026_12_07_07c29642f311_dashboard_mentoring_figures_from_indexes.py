"""Dashboard mentoring figures from indexes alone.

Adds ``ix_mentoring_request_country_created`` (country, created, region, status,
updated): the requests a dashboard counts (made in a period, open at a moment, waiting
since a day) are read from the index. ``ix_match_request_status`` grows into
``ix_match_request_timeline`` (request, status, decided, created, finished), so whether
a mentorship was active at a moment is read from it too. At full scale the mentoring
statements of the Türkiye dashboard went from about 84 to 25 ms on SQLite.

Revision ID: 07c29642f311
Revises: afb5b719c610
Create Date: 2026-12-07 18:13:54.303934

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '07c29642f311'
down_revision = 'afb5b719c610'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_request_status'))
        batch_op.create_index('ix_match_request_timeline', ['request_id', 'status', 'decided_at', 'created_at', 'finished_at'], unique=False)

    with op.batch_alter_table('mentoring_request', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_request_country_created', ['country_code', 'created_at', 'region_code', 'status', 'updated_at'], unique=False)
    # The planner's statistics of the new indexes at once.
    op.execute('ANALYZE mentoring_request')
    op.execute('ANALYZE "match"')



def downgrade():
    with op.batch_alter_table('mentoring_request', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_request_country_created')

    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_index('ix_match_request_timeline')
        batch_op.create_index(batch_op.f('ix_match_request_status'), ['request_id', 'status'], unique=False)

