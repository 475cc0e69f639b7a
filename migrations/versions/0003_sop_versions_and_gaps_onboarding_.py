"""SOP versions and gaps, onboarding attempts, certifications and gold disputes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 16:37:12.893110
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pass_mark', sa.Float(), nullable=False),
    sa.Column('decision_correct', sa.Integer(), nullable=True),
    sa.Column('label_correct', sa.Integer(), nullable=True),
    sa.Column('root_cause_correct', sa.Integer(), nullable=True),
    sa.Column('root_cause_total', sa.Integer(), nullable=True),
    sa.Column('cost_total', sa.Float(), nullable=True),
    sa.Column('cost_normalised', sa.Float(), nullable=True),
    sa.Column('key_user_missed', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.CheckConstraint("kind IN ('practice', 'exam')", name=op.f('ck_attempts_kind_known')),
    sa.CheckConstraint("status IN ('open', 'submitted')", name=op.f('ck_attempts_status_known')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_attempts_case_type_id_case_types')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attempts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempts_case_type_id'), ['case_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_user_id'), ['user_id'], unique=False)

    op.create_table('sop_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_sop_versions_author_id_users')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_sop_versions_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_versions')),
    sa.UniqueConstraint('case_type_id', 'version', name=op.f('uq_sop_versions_case_type_id_version'))
    )
    with op.batch_alter_table('sop_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sop_versions_case_type_id'), ['case_type_id'], unique=False)

    op.create_table('certifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('certified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('suspended_reason', sa.Text(), nullable=False),
    sa.Column('attempts_reset_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_certifications_attempt_id_attempts')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_certifications_case_type_id_case_types')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_certifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certifications')),
    sa.UniqueConstraint('user_id', 'case_type_id', name=op.f('uq_certifications_user_id_case_type_id'))
    )
    with op.batch_alter_table('certifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certifications_case_type_id'), ['case_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certifications_user_id'), ['user_id'], unique=False)

    op.create_table('sop_gaps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('scenario', sa.String(length=64), nullable=True),
    sa.Column('section_number', sa.String(length=8), nullable=True),
    sa.Column('draft', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('golden_case_id', sa.Integer(), nullable=True),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('result_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')", name=op.f('ck_sop_gaps_status_known')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_sop_gaps_case_type_id_case_types')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_sop_gaps_decided_by_id_users')),
    sa.ForeignKeyConstraint(['golden_case_id'], ['golden_cases.id'], name=op.f('fk_sop_gaps_golden_case_id_golden_cases')),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_sop_gaps_proposer_id_users')),
    sa.ForeignKeyConstraint(['result_version_id'], ['sop_versions.id'], name=op.f('fk_sop_gaps_result_version_id_sop_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_gaps'))
    )
    with op.batch_alter_table('sop_gaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sop_gaps_case_type_id'), ['case_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sop_gaps_status'), ['status'], unique=False)

    op.create_table('sop_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sop_version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('scenarios', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.ForeignKeyConstraint(['sop_version_id'], ['sop_versions.id'], name=op.f('fk_sop_sections_sop_version_id_sop_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sop_sections')),
    sa.UniqueConstraint('sop_version_id', 'number', name=op.f('uq_sop_sections_sop_version_id_number'))
    )
    with op.batch_alter_table('sop_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sop_sections_sop_version_id'), ['sop_version_id'], unique=False)

    op.create_table('attempt_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('golden_case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('shown_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reference_answer_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('label', sa.String(length=4), nullable=True),
    sa.Column('root_cause', sa.String(length=4), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('decision_ok', sa.Boolean(), nullable=True),
    sa.Column('label_ok', sa.Boolean(), nullable=True),
    sa.Column('root_cause_ok', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_attempt_items_attempt_id_attempts')),
    sa.ForeignKeyConstraint(['golden_case_id'], ['golden_cases.id'], name=op.f('fk_attempt_items_golden_case_id_golden_cases')),
    sa.ForeignKeyConstraint(['reference_answer_id'], ['reference_answers.id'], name=op.f('fk_attempt_items_reference_answer_id_reference_answers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_items')),
    sa.UniqueConstraint('attempt_id', 'golden_case_id', name=op.f('uq_attempt_items_attempt_id_golden_case_id')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_attempt_items_attempt_id_position'))
    )
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_items_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_items_golden_case_id'), ['golden_case_id'], unique=False)

    op.create_table('gold_disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_item_id', sa.Integer(), nullable=False),
    sa.Column('golden_case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('resolver_id', sa.Integer(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('new_answer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'upheld', 'amended')", name=op.f('ck_gold_disputes_status_known')),
    sa.ForeignKeyConstraint(['attempt_item_id'], ['attempt_items.id'], name=op.f('fk_gold_disputes_attempt_item_id_attempt_items')),
    sa.ForeignKeyConstraint(['golden_case_id'], ['golden_cases.id'], name=op.f('fk_gold_disputes_golden_case_id_golden_cases')),
    sa.ForeignKeyConstraint(['new_answer_id'], ['reference_answers.id'], name=op.f('fk_gold_disputes_new_answer_id_reference_answers')),
    sa.ForeignKeyConstraint(['resolver_id'], ['users.id'], name=op.f('fk_gold_disputes_resolver_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_gold_disputes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gold_disputes'))
    )
    with op.batch_alter_table('gold_disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gold_disputes_attempt_item_id'), ['attempt_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gold_disputes_golden_case_id'), ['golden_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gold_disputes_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_gold_disputes_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('case_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_size', sa.Integer(), server_default='50', nullable=False))
        batch_op.add_column(sa.Column('pass_mark', sa.Float(), server_default='0.98', nullable=False))
        batch_op.add_column(sa.Column('cooldown_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.add_column(sa.Column('max_attempts', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('validity_days', sa.Integer(), server_default='90', nullable=False))

    with op.batch_alter_table('golden_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rested_until', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('reference_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sop_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_reference_answers_sop_version_id_sop_versions'), 'sop_versions', ['sop_version_id'], ['id'])



def downgrade():
    with op.batch_alter_table('reference_answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reference_answers_sop_version_id_sop_versions'), type_='foreignkey')
        batch_op.drop_column('sop_version_id')

    with op.batch_alter_table('golden_cases', schema=None) as batch_op:
        batch_op.drop_column('rested_until')

    with op.batch_alter_table('case_types', schema=None) as batch_op:
        batch_op.drop_column('validity_days')
        batch_op.drop_column('max_attempts')
        batch_op.drop_column('cooldown_hours')
        batch_op.drop_column('pass_mark')
        batch_op.drop_column('exam_size')

    with op.batch_alter_table('gold_disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gold_disputes_user_id'))
        batch_op.drop_index(batch_op.f('ix_gold_disputes_status'))
        batch_op.drop_index(batch_op.f('ix_gold_disputes_golden_case_id'))
        batch_op.drop_index(batch_op.f('ix_gold_disputes_attempt_item_id'))

    op.drop_table('gold_disputes')
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_items_golden_case_id'))
        batch_op.drop_index(batch_op.f('ix_attempt_items_attempt_id'))

    op.drop_table('attempt_items')
    with op.batch_alter_table('sop_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sop_sections_sop_version_id'))

    op.drop_table('sop_sections')
    with op.batch_alter_table('sop_gaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sop_gaps_status'))
        batch_op.drop_index(batch_op.f('ix_sop_gaps_case_type_id'))

    op.drop_table('sop_gaps')
    with op.batch_alter_table('certifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_certifications_case_type_id'))

    op.drop_table('certifications')
    with op.batch_alter_table('sop_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sop_versions_case_type_id'))

    op.drop_table('sop_versions')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_user_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_case_type_id'))

    op.drop_table('attempts')
