"""Case types, golden cases and versioned reference answers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table('case_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sop_prefix', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_types')),
    sa.UniqueConstraint('slug', name=op.f('uq_case_types_slug'))
    )
    op.create_table('golden_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('scenario', sa.String(length=64), nullable=False),
    sa.Column('difficulty', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('signals', JSON, nullable=False),
    sa.Column('recommendation', sa.String(length=16), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('reasoning', JSON, nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("difficulty IN ('easy', 'medium', 'hard')", name=op.f('ck_golden_cases_difficulty_known')),
    sa.CheckConstraint("recommendation IN ('pass', 'block', 'escalate')", name=op.f('ck_golden_cases_recommendation_known')),
    sa.CheckConstraint("status IN ('active', 'retired')", name=op.f('ck_golden_cases_status_known')),
    sa.CheckConstraint('confidence >= 0 AND confidence <= 1', name=op.f('ck_golden_cases_confidence_range')),
    sa.CheckConstraint('priority >= 0 AND priority <= 100', name=op.f('ck_golden_cases_priority_range')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_golden_cases_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_golden_cases')),
    sa.UniqueConstraint('key', name=op.f('uq_golden_cases_key'))
    )
    with op.batch_alter_table('golden_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_golden_cases_case_type_id'), ['case_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_golden_cases_scenario'), ['scenario'], unique=False)
        batch_op.create_index(batch_op.f('ix_golden_cases_status'), ['status'], unique=False)
    op.create_table('reference_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('golden_case_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=False),
    sa.Column('root_cause', sa.String(length=4), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('sop_ref', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(label IN ('FP', 'FN') AND root_cause IN ('A', 'B', 'C')) OR (label IN ('TP', 'TN') AND root_cause IS NULL)", name=op.f('ck_reference_answers_root_cause_matches_label')),
    sa.CheckConstraint("decision IN ('pass', 'block', 'escalate')", name=op.f('ck_reference_answers_decision_known')),
    sa.CheckConstraint("label IN ('TP', 'TN', 'FP', 'FN')", name=op.f('ck_reference_answers_label_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reference_answers_author_id_users')),
    sa.ForeignKeyConstraint(['golden_case_id'], ['golden_cases.id'], name=op.f('fk_reference_answers_golden_case_id_golden_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_answers')),
    sa.UniqueConstraint('golden_case_id', 'version', name=op.f('uq_reference_answers_golden_case_id_version'))
    )
    with op.batch_alter_table('reference_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_answers_golden_case_id'), ['golden_case_id'], unique=False)



def downgrade():
    op.drop_table('reference_answers')
    op.drop_table('golden_cases')
    op.drop_table('case_types')
