"""Calibration sessions, participants, cases and blind answers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 16:53:26.982501
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calibration_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
    sa.Column('report_computed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('alpha_decision', sa.Float(), nullable=True),
    sa.Column('alpha_low', sa.Float(), nullable=True),
    sa.Column('alpha_high', sa.Float(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_calibration_sessions_status_known')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_calibration_sessions_case_type_id_case_types')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calibration_sessions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calibration_sessions'))
    )
    with op.batch_alter_table('calibration_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calibration_sessions_case_type_id'), ['case_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calibration_sessions_status'), ['status'], unique=False)

    op.create_table('session_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('golden_case_id', sa.Integer(), nullable=True),
    sa.Column('live_ref', sa.String(length=64), nullable=True),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('final_decision', sa.String(length=16), nullable=True),
    sa.Column('final_label', sa.String(length=4), nullable=True),
    sa.Column('final_root_cause', sa.String(length=4), nullable=True),
    sa.Column('final_rationale', sa.Text(), nullable=True),
    sa.Column('final_sop_ref', sa.String(length=32), nullable=True),
    sa.Column('settled_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('promoted_case_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("source IN ('golden', 'live')", name=op.f('ck_session_cases_source_known')),
    sa.ForeignKeyConstraint(['golden_case_id'], ['golden_cases.id'], name=op.f('fk_session_cases_golden_case_id_golden_cases')),
    sa.ForeignKeyConstraint(['promoted_case_id'], ['golden_cases.id'], name=op.f('fk_session_cases_promoted_case_id_golden_cases')),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_session_cases_session_id_calibration_sessions')),
    sa.ForeignKeyConstraint(['settled_by_id'], ['users.id'], name=op.f('fk_session_cases_settled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_cases')),
    sa.UniqueConstraint('session_id', 'position', name=op.f('uq_session_cases_session_id_position'))
    )
    with op.batch_alter_table('session_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_cases_session_id'), ['session_id'], unique=False)

    op.create_table('session_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['calibration_sessions.id'], name=op.f('fk_session_participants_session_id_calibration_sessions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_participants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_participants')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_session_participants_session_id_user_id'))
    )
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_participants_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_participants_user_id'), ['user_id'], unique=False)

    op.create_table('session_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=False),
    sa.Column('root_cause', sa.String(length=4), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_case_id'], ['session_cases.id'], name=op.f('fk_session_answers_session_case_id_session_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_answers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_answers')),
    sa.UniqueConstraint('session_case_id', 'user_id', name=op.f('uq_session_answers_session_case_id_user_id'))
    )
    with op.batch_alter_table('session_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_answers_session_case_id'), ['session_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_answers_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('session_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_answers_user_id'))
        batch_op.drop_index(batch_op.f('ix_session_answers_session_case_id'))

    op.drop_table('session_answers')
    with op.batch_alter_table('session_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_participants_user_id'))
        batch_op.drop_index(batch_op.f('ix_session_participants_session_id'))

    op.drop_table('session_participants')
    with op.batch_alter_table('session_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_cases_session_id'))

    op.drop_table('session_cases')
    with op.batch_alter_table('calibration_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calibration_sessions_status'))
        batch_op.drop_index(batch_op.f('ix_calibration_sessions_case_type_id'))

    op.drop_table('calibration_sessions')
