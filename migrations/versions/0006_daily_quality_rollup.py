"""Daily quality rollup (agent x case type x UTC day), filled from the decisions and audits already stored;
one first audit per decision

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 20:08:25.115605
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('daily_quality',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.Column('within_sla', sa.Integer(), nullable=False),
    sa.Column('critical', sa.Integer(), nullable=False),
    sa.Column('tp', sa.Integer(), nullable=False),
    sa.Column('fp', sa.Integer(), nullable=False),
    sa.Column('fn', sa.Integer(), nullable=False),
    sa.Column('tn', sa.Integer(), nullable=False),
    sa.Column('audited', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_daily_quality_agent_id_users')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_daily_quality_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('agent_id', 'case_type_id', 'day', name=op.f('pk_daily_quality'))
    )
    with op.batch_alter_table('daily_quality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_quality_day'), ['day'], unique=False)
    _fill()
    op.create_index(
        'uq_audits_first_review', 'audits', ['live_decision_id'], unique=True,
        postgresql_where=sa.text('NOT is_second_review'), sqlite_where=sa.text('NOT is_second_review'),
    )



def downgrade():
    op.drop_index('uq_audits_first_review', table_name='audits')
    with op.batch_alter_table('daily_quality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_quality_day'))

    op.drop_table('daily_quality')


def _fill():
    """Count the decisions and first audits already stored (the SQL of app/qa/rollup.py as of this
    revision, written out so that later changes to the app don't change what this migration does)."""
    if op.get_bind().dialect.name == "postgresql":
        day = "date_trunc('day', d.decided_at, 'UTC')"
        within_sla = "d.decided_at - d.opened_at <= interval '4 hours'"
    else:
        day = "substr(d.decided_at, 1, 10) || ' 00:00:00.000000'"
        within_sla = "round((julianday(d.decided_at) - julianday(d.opened_at)) * 86400000.0) <= 14400000"
    labels = ", ".join(f"sum(CASE WHEN d.label = '{label}' THEN 1 ELSE 0 END)" for label in ("TP", "FP", "FN", "TN"))
    op.execute(
        "INSERT INTO daily_quality (agent_id, case_type_id, day, decisions, within_sla, critical, tp, fp, fn, tn, "
        "audited, correct) "
        f"SELECT d.agent_id, d.case_type_id, {day}, count(*), sum(CASE WHEN {within_sla} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN d.has_critical THEN 1 ELSE 0 END), {labels}, "
        "count(a.id), sum(CASE WHEN a.effective_verdict = 'correct' THEN 1 ELSE 0 END) "
        "FROM live_decisions d LEFT JOIN audits a ON a.live_decision_id = d.id AND a.is_second_review = false "
        "GROUP BY 1, 2, 3"
    )
