"""Settings an admin changes at run time (automatic suspension, off by default), and the monitoring rule's
suspension proposals, which a lead or manager confirms or dismisses

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 11:03:59.321425
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('suspension_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('window_after_audit_id', sa.Integer(), nullable=False),
    sa.Column('audits', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('alarm_at', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Float(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('last_audit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_because', sa.String(length=16), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'suspended', 'dismissed', 'withdrawn', 'lifted')", name=op.f('ck_suspension_proposals_status_known')),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_suspension_proposals_agent_id_users')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_suspension_proposals_case_type_id_case_types')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_suspension_proposals_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suspension_proposals'))
    )
    with op.batch_alter_table('suspension_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_suspension_proposals_agent_case_type', ['agent_id', 'case_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suspension_proposals_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('suspension_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suspension_proposals_status'))
        batch_op.drop_index('ix_suspension_proposals_agent_case_type')

    op.drop_table('suspension_proposals')
    op.drop_table('settings')
