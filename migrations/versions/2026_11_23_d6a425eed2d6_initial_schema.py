"""Initial schema: the whole data model of the design.

Revision ID: d6a425eed2d6
Revises: 
Create Date: 2026-11-23 16:02:29.229453

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6a425eed2d6'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('country',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_country'))
    )
    op.create_table('pillar',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_pillar')),
    sa.UniqueConstraint('position', name=op.f('uq_pillar_position'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('email_verified_at', sa.DateTime(), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_api_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_audit_entry_country_code_country')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entry_country_at', ['country_code', 'at'], unique=False)

    op.create_table('coordinator_country',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_coordinator_country_country_code_country')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_coordinator_country_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'country_code', name=op.f('pk_coordinator_country'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('password_reset_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_password_reset_token_expiry_after_creation')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_reset_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_token_hash'))
    )
    with op.batch_alter_table('password_reset_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_token_user_id'), ['user_id'], unique=False)

    op.create_table('pillar_text',
    sa.Column('pillar_code', sa.String(length=32), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('paragraph', sa.Text(), nullable=False),
    sa.Column('short_label', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['pillar_code'], ['pillar.code'], name=op.f('fk_pillar_text_pillar_code_pillar'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pillar_code', 'locale', name=op.f('pk_pillar_text'))
    )
    op.create_table('region',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('parent_code', sa.String(length=8), nullable=True),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('is_leaf', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_region_country_code_country')),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], name=op.f('fk_region_parent_code_region')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_country_code'), ['country_code'], unique=False)

    op.create_table('match_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=True),
    sa.Column('run_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=False),
    sa.Column('proposals', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_match_run_country_code_country')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_match_run_region_code_region')),
    sa.ForeignKeyConstraint(['run_by_id'], ['user.id'], name=op.f('fk_match_run_run_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_run'))
    )
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_run_country_code'), ['country_code'], unique=False)

    op.create_table('school',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('search_key', sa.String(length=400), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('pupil_count', sa.Integer(), nullable=True),
    sa.Column('label_year', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'verified', name='school_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('label_year IS NULL OR (label_year BETWEEN 2000 AND 2100)', name=op.f('ck_school_label_year_range')),
    sa.CheckConstraint('pupil_count IS NULL OR pupil_count >= 0', name=op.f('ck_school_pupil_count_positive')),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_school_country_code_country')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_school_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_school_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school')),
    sa.UniqueConstraint('external_id', name=op.f('uq_school_external_id'))
    )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.create_index('ix_school_country_region', ['country_code', 'region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_school_label_year'), ['label_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_school_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_school_search_key'), ['search_key'], unique=False)

    op.create_table('ambassador_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('applied', 'approved', 'rejected', name='ambassador_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_ambassador_period_period_order')),
    sa.ForeignKeyConstraint(['applied_by_id'], ['user.id'], name=op.f('fk_ambassador_period_applied_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_ambassador_period_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_ambassador_period_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ambassador_period'))
    )
    with op.batch_alter_table('ambassador_period', schema=None) as batch_op:
        batch_op.create_index('ix_ambassador_period_school_status', ['school_id', 'status', 'ends_on'], unique=False)

    op.create_table('membership',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'admin', name='membership_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', name='membership_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_membership_school_id_school'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_membership_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'school_id', name=op.f('pk_membership'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index('ix_membership_school_status', ['school_id', 'status'], unique=False)

    op.create_table('mentor_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('load', sa.Integer(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('pillars', sa.JSON(), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('modes', sa.JSON(), nullable=False),
    sa.Column('available_until', sa.Date(), nullable=True),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity BETWEEN 1 AND 10', name=op.f('ck_mentor_profile_capacity_range')),
    sa.CheckConstraint('load >= 0 AND load <= capacity', name=op.f('ck_mentor_profile_load_within_capacity')),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_mentor_profile_country_code_country')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_mentor_profile_region_code_region')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_mentor_profile_school_id_school'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mentor_profile_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_profile')),
    sa.UniqueConstraint('user_id', name=op.f('uq_mentor_profile_user_id'))
    )
    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_profile_country', ['country_code', 'paused'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_profile_school_id'), ['school_id'], unique=False)

    op.create_table('mentoring_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('pillars', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('mode', sa.Enum('in_person', 'online', 'hybrid', name='request_mode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'matched', 'closed', 'withdrawn', name='request_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_mentoring_request_country_code_country')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_mentoring_request_region_code_region')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_mentoring_request_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_mentoring_request_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_request'))
    )
    with op.batch_alter_table('mentoring_request', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_request_country_status', ['country_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_request_school_id'), ['school_id'], unique=False)

    op.create_table('school_language',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_school_language_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', 'language', name=op.f('pk_school_language'))
    )
    with op.batch_alter_table('school_language', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_language_language'), ['language'], unique=False)

    op.create_table('school_level',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('pre_primary', 'primary', 'lower_secondary', 'upper_secondary', 'vocational', name='education_level', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_school_level_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', 'level', name=op.f('pk_school_level'))
    )
    with op.batch_alter_table('school_level', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_level_level'), ['level'], unique=False)

    op.create_table('match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', 'active', 'completed', 'ended', name='match_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_school', sa.Text(), nullable=False),
    sa.Column('feedback_mentor', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_match_score_positive')),
    sa.ForeignKeyConstraint(['mentor_id'], ['mentor_profile.id'], name=op.f('fk_match_mentor_id_mentor_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_match_proposed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['mentoring_request.id'], name=op.f('fk_match_request_id_mentoring_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['match_run.id'], name=op.f('fk_match_run_id_match_run'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match'))
    )
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.create_index('ix_match_mentor_status', ['mentor_id', 'status'], unique=False)
        batch_op.create_index('ix_match_request_status', ['request_id', 'status'], unique=False)
        batch_op.create_index('uq_match_request_engaged', ['request_id'], unique=True, sqlite_where=sa.text("status IN ('accepted', 'active')"), postgresql_where=sa.text("status IN ('accepted', 'active')"))

    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('type', sa.Enum('open_day', 'info_session', 'mentoring_session', 'professional_development', 'other', name='activity_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.Enum('in_person', 'online', 'hybrid', name='activity_mode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('visibility', sa.Enum('public', 'network', name='visibility', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', 'cancelled', name='activity_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('participants_teachers', sa.Integer(), nullable=True),
    sa.Column('participants_leaders', sa.Integer(), nullable=True),
    sa.Column('participants_students', sa.Integer(), nullable=True),
    sa.Column('participants_parents', sa.Integer(), nullable=True),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status = 'held' OR (participants_teachers IS NULL AND participants_leaders IS NULL AND participants_students IS NULL AND participants_parents IS NULL)", name=op.f('ck_activity_participants_when_held')),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_activity_ends_after_start')),
    sa.CheckConstraint('participants_leaders IS NULL OR participants_leaders >= 0', name=op.f('ck_activity_participants_leaders_positive')),
    sa.CheckConstraint('participants_parents IS NULL OR participants_parents >= 0', name=op.f('ck_activity_participants_parents_positive')),
    sa.CheckConstraint('participants_students IS NULL OR participants_students >= 0', name=op.f('ck_activity_participants_students_positive')),
    sa.CheckConstraint('participants_teachers IS NULL OR participants_teachers >= 0', name=op.f('ck_activity_participants_teachers_positive')),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_activity_country_code_country')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_activity_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_id'], ['match.id'], name=op.f('fk_activity_match_id_match'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_activity_region_code_region')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_activity_school_id_school'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_activity_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_country_starts', ['country_code', 'starts_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_match_id'), ['match_id'], unique=False)
        batch_op.create_index('ix_activity_region_starts', ['region_code', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_activity_school_starts', ['school_id', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_activity_starts', ['starts_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_status'), ['status'], unique=False)

    op.create_table('activity_language',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_language_activity_id_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'language', name=op.f('pk_activity_language'))
    )
    op.create_table('activity_pillar',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('pillar_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_pillar_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pillar_code'], ['pillar.code'], name=op.f('fk_activity_pillar_pillar_code_pillar')),
    sa.PrimaryKeyConstraint('activity_id', 'pillar_code', name=op.f('pk_activity_pillar'))
    )
    with op.batch_alter_table('activity_pillar', schema=None) as batch_op:
        batch_op.create_index('ix_activity_pillar_pillar', ['pillar_code', 'activity_id'], unique=False)

    op.create_table('activity_reach',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('school_name', sa.String(length=200), nullable=True),
    sa.CheckConstraint('(school_id IS NOT NULL) <> (school_name IS NOT NULL)', name=op.f('ck_activity_reach_school_or_name')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_reach_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_activity_reach_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_reach'))
    )
    with op.batch_alter_table('activity_reach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_reach_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_reach_school_id'), ['school_id'], unique=False)



def downgrade():
    with op.batch_alter_table('activity_reach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_reach_school_id'))
        batch_op.drop_index(batch_op.f('ix_activity_reach_activity_id'))

    op.drop_table('activity_reach')
    with op.batch_alter_table('activity_pillar', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_pillar_pillar')

    op.drop_table('activity_pillar')
    op.drop_table('activity_language')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_status'))
        batch_op.drop_index('ix_activity_starts')
        batch_op.drop_index('ix_activity_school_starts')
        batch_op.drop_index('ix_activity_region_starts')
        batch_op.drop_index(batch_op.f('ix_activity_match_id'))
        batch_op.drop_index('ix_activity_country_starts')

    op.drop_table('activity')
    with op.batch_alter_table('match', schema=None) as batch_op:
        batch_op.drop_index('uq_match_request_engaged', sqlite_where=sa.text("status IN ('accepted', 'active')"), postgresql_where=sa.text("status IN ('accepted', 'active')"))
        batch_op.drop_index('ix_match_request_status')
        batch_op.drop_index('ix_match_mentor_status')

    op.drop_table('match')
    with op.batch_alter_table('school_level', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_level_level'))

    op.drop_table('school_level')
    with op.batch_alter_table('school_language', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_language_language'))

    op.drop_table('school_language')
    with op.batch_alter_table('mentoring_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_request_school_id'))
        batch_op.drop_index('ix_mentoring_request_country_status')

    op.drop_table('mentoring_request')
    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_profile_school_id'))
        batch_op.drop_index('ix_mentor_profile_country')

    op.drop_table('mentor_profile')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_school_status')

    op.drop_table('membership')
    with op.batch_alter_table('ambassador_period', schema=None) as batch_op:
        batch_op.drop_index('ix_ambassador_period_school_status')

    op.drop_table('ambassador_period')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_search_key'))
        batch_op.drop_index(batch_op.f('ix_school_region_code'))
        batch_op.drop_index(batch_op.f('ix_school_label_year'))
        batch_op.drop_index('ix_school_country_region')

    op.drop_table('school')
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_run_country_code'))

    op.drop_table('match_run')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_country_code'))

    op.drop_table('region')
    op.drop_table('pillar_text')
    with op.batch_alter_table('password_reset_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_token_user_id'))

    op.drop_table('password_reset_token')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read')

    op.drop_table('notification')
    op.drop_table('coordinator_country')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_country_at')
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('user')
    op.drop_table('pillar')
    op.drop_table('country')
