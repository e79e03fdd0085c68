"""Registrations: other schools register to come to an activity.

Adds the ``registration`` table (one registrant and the people they bring, their place or
their turn on the waiting list, the attendance), the ``feedback`` attendees give once, and, on ``activity``, who may register
(``registration``, off by default), the number of places (``capacity``, none = no limit)
and when registration closes.

Revision ID: 489730dc9481
Revises: 003924dc25b7
Create Date: 2026-12-07 19:56:50.067953

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '489730dc9481'
down_revision = '003924dc25b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending_confirmation', 'confirmed', 'waitlisted', 'cancelled', name='registration_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('school_name', sa.String(length=200), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('region_code', sa.String(length=8), nullable=True),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('attended', sa.Integer(), nullable=True),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('secret', sa.String(length=32), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_asked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('attended IS NULL OR attended >= 0', name=op.f('ck_registration_attended_positive')),
    sa.CheckConstraint('people >= 1', name=op.f('ck_registration_people_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_registration_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_registration_country_code_country')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_registration_region_code_region')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_registration_school_id_school'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index('ix_registration_activity_status', ['activity_id', 'status', 'queued_at', 'id'], unique=False)
        batch_op.create_index('ix_registration_email', ['email'], unique=False)
        batch_op.create_index('ix_registration_newcomer', ['country_code', 'region_code'], unique=False, sqlite_where=sa.text('school_name IS NOT NULL AND attended > 0'), postgresql_where=sa.text('school_name IS NOT NULL AND attended > 0'))
        batch_op.create_index(batch_op.f('ix_registration_school_id'), ['school_id'], unique=False)
        batch_op.create_index('uq_registration_activity_email', ['activity_id', 'email'], unique=True, sqlite_where=sa.text("status IN ('pending_confirmation', 'confirmed', 'waitlisted') AND email <> ''"), postgresql_where=sa.text("status IN ('pending_confirmation', 'confirmed', 'waitlisted') AND email <> ''"))

    op.create_table('feedback',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('next_step', sa.Enum('start_project', 'register_etwinning', 'apply_label', 'nothing_yet', name='next_step', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_feedback_rating_range')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_feedback_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_feedback'))
    )

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration', sa.Enum('off', 'open', 'registered_schools', name='registration_mode', native_enum=False, create_constraint=True, length=32), server_default='off', nullable=False))
        batch_op.add_column(sa.Column('capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('registration_closes_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_activity_capacity_positive'), 'capacity IS NULL OR capacity >= 1'
        )



def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_activity_capacity_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_activity_registration_mode'), type_='check')
        batch_op.drop_column('registration_closes_at')
        batch_op.drop_column('capacity')
        batch_op.drop_column('registration')

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index('uq_registration_activity_email', sqlite_where=sa.text("status IN ('pending_confirmation', 'confirmed', 'waitlisted') AND email <> ''"), postgresql_where=sa.text("status IN ('pending_confirmation', 'confirmed', 'waitlisted') AND email <> ''"))
        batch_op.drop_index(batch_op.f('ix_registration_school_id'))
        batch_op.drop_index('ix_registration_newcomer', sqlite_where=sa.text('school_name IS NOT NULL AND attended > 0'), postgresql_where=sa.text('school_name IS NOT NULL AND attended > 0'))
        batch_op.drop_index('ix_registration_email')
        batch_op.drop_index('ix_registration_activity_status')

    op.drop_table('feedback')
    op.drop_table('registration')
