"""Live decisions, findings, sampling plans and runs, audit queue, audits and disputes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 16:59:18.151046
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sampling_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('base_rate', sa.Float(), nullable=False),
    sa.Column('weekly_min_per_agent', sa.Integer(), nullable=False),
    sa.Column('new_agent_rate', sa.Float(), nullable=False),
    sa.Column('low_confidence_below', sa.Float(), nullable=False),
    sa.Column('low_confidence_weight', sa.Float(), nullable=False),
    sa.Column('override_weight', sa.Float(), nullable=False),
    sa.Column('weekly_capacity', sa.Integer(), nullable=False),
    sa.Column('second_review_share', sa.Float(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_sampling_plans_case_type_id_case_types')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_sampling_plans_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sampling_plans'))
    )
    op.create_table('live_decisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('decision_id', sa.String(length=64), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('scenario', sa.String(length=64), nullable=True),
    sa.Column('case_ref', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('agent_recommendation', sa.String(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=True),
    sa.Column('root_cause', sa.String(length=4), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('signals', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    sa.Column('has_critical', sa.Boolean(), nullable=False),
    sa.Column('high_confidence_override', sa.Boolean(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_live_decisions_agent_id_users')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_live_decisions_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_decisions')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_live_decisions_decision_id'))
    )
    with op.batch_alter_table('live_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_live_decisions_agent_decided', ['agent_id', 'decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_decisions_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index('ix_live_decisions_type_decided', ['case_type_id', 'decided_at'], unique=False)

    op.create_table('plan_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('plan_version', sa.Integer(), nullable=False),
    sa.Column('plan_snapshot', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('sampled', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_runs_created_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['sampling_plans.id'], name=op.f('fk_plan_runs_plan_id_sampling_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_runs')),
    sa.UniqueConstraint('plan_id', 'week', name=op.f('uq_plan_runs_plan_id_week'))
    )
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_runs_plan_id'), ['plan_id'], unique=False)

    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('body_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_idempotency_records_token_id_api_tokens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('token_id', 'endpoint', 'key', name=op.f('uq_idempotency_records_token_id_endpoint_key'))
    )
    op.create_table('live_findings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('live_decision_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['live_decision_id'], ['live_decisions.id'], name=op.f('fk_live_findings_live_decision_id_live_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_findings'))
    )
    with op.batch_alter_table('live_findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_findings_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_findings_live_decision_id'), ['live_decision_id'], unique=False)

    op.create_table('samples',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('live_decision_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('needs_second_review', sa.Boolean(), nullable=False),
    sa.Column('second_reviewer_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'claimed', 'done')", name=op.f('ck_samples_status_known')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_samples_claimed_by_id_users')),
    sa.ForeignKeyConstraint(['live_decision_id'], ['live_decisions.id'], name=op.f('fk_samples_live_decision_id_live_decisions')),
    sa.ForeignKeyConstraint(['run_id'], ['plan_runs.id'], name=op.f('fk_samples_run_id_plan_runs')),
    sa.ForeignKeyConstraint(['second_reviewer_id'], ['users.id'], name=op.f('fk_samples_second_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_samples')),
    sa.UniqueConstraint('live_decision_id', name=op.f('uq_samples_live_decision_id'))
    )
    with op.batch_alter_table('samples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_samples_run_id'), ['run_id'], unique=False)
        batch_op.create_index('ix_samples_status_priority', ['status', 'priority'], unique=False)

    op.create_table('audits',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('live_decision_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sample_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('auditor_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('corrected_decision', sa.String(length=16), nullable=True),
    sa.Column('corrected_label', sa.String(length=4), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=True),
    sa.Column('root_cause', sa.String(length=12), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('is_second_review', sa.Boolean(), nullable=False),
    sa.Column('external', sa.Boolean(), nullable=False),
    sa.Column('effective_verdict', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("severity IN ('critical', 'major', 'minor')", name=op.f('ck_audits_severity_known')),
    sa.CheckConstraint("verdict IN ('correct', 'incorrect')", name=op.f('ck_audits_verdict_known')),
    sa.ForeignKeyConstraint(['auditor_id'], ['users.id'], name=op.f('fk_audits_auditor_id_users')),
    sa.ForeignKeyConstraint(['live_decision_id'], ['live_decisions.id'], name=op.f('fk_audits_live_decision_id_live_decisions')),
    sa.ForeignKeyConstraint(['sample_id'], ['samples.id'], name=op.f('fk_audits_sample_id_samples')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audits')),
    sa.UniqueConstraint('live_decision_id', 'auditor_id', name=op.f('uq_audits_live_decision_id_auditor_id'))
    )
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audits_auditor_id'), ['auditor_id'], unique=False)
        batch_op.create_index('ix_audits_decision', ['live_decision_id'], unique=False)

    op.create_table('audit_disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('resolver_id', sa.Integer(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'upheld', 'overturned', 'partial')", name=op.f('ck_audit_disputes_status_known')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_audit_disputes_agent_id_users')),
    sa.ForeignKeyConstraint(['audit_id'], ['audits.id'], name=op.f('fk_audit_disputes_audit_id_audits')),
    sa.ForeignKeyConstraint(['resolver_id'], ['users.id'], name=op.f('fk_audit_disputes_resolver_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_disputes'))
    )
    with op.batch_alter_table('audit_disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_disputes_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_disputes_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_disputes_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('audit_disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_disputes_status'))
        batch_op.drop_index(batch_op.f('ix_audit_disputes_audit_id'))
        batch_op.drop_index(batch_op.f('ix_audit_disputes_agent_id'))

    op.drop_table('audit_disputes')
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_index('ix_audits_decision')
        batch_op.drop_index(batch_op.f('ix_audits_auditor_id'))

    op.drop_table('audits')
    with op.batch_alter_table('samples', schema=None) as batch_op:
        batch_op.drop_index('ix_samples_status_priority')
        batch_op.drop_index(batch_op.f('ix_samples_run_id'))

    op.drop_table('samples')
    with op.batch_alter_table('live_findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_findings_live_decision_id'))
        batch_op.drop_index(batch_op.f('ix_live_findings_code'))

    op.drop_table('live_findings')
    op.drop_table('idempotency_records')
    with op.batch_alter_table('plan_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_runs_plan_id'))

    op.drop_table('plan_runs')
    with op.batch_alter_table('live_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_live_decisions_type_decided')
        batch_op.drop_index(batch_op.f('ix_live_decisions_decided_at'))
        batch_op.drop_index('ix_live_decisions_agent_decided')

    op.drop_table('live_decisions')
    op.drop_table('sampling_plans')
