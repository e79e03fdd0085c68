"""Reminders sent once, and how often each user wants each kind of mail.

Adds reminder_log (one row per reminder or digest decided for a recipient, unique
per kind, subject, period and recipient) and mail_preference (per user and kind).

Revision ID: 5e1b7d3a9c20
Revises: 6cb49eb28662
Create Date: 2026-12-07 11:57:49.709305

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1b7d3a9c20'
down_revision = '6cb49eb28662'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('frequency', sa.Enum('immediately', 'daily', 'weekly', 'never', name='mail_frequency', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mail_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_mail_preference'))
    )
    op.create_table('reminder_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delivery', sa.Enum('immediately', 'daily', 'weekly', 'never', name='reminder_delivery', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('digested_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_reminder_log_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('kind', 'subject_id', 'period', 'user_id', name='uq_reminder_log_once')
    )
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_log_digest', ['delivery', 'digested_at', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_log_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_log_user_id'))
        batch_op.drop_index('ix_reminder_log_digest')

    op.drop_table('reminder_log')
    op.drop_table('mail_preference')
