"""Daily rollups behind the dashboards, filled from what is already stored; one first audit per decision;
an index of FP/FN patterns

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 20:32:53.777596
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('daily_error_confidence',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.DateTime(timezone=True), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=False),
    sa.Column('bucket', sa.Integer(), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_daily_error_confidence_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('team_id', 'case_type_id', 'day', 'label', 'bucket', name=op.f('pk_daily_error_confidence'))
    )
    with op.batch_alter_table('daily_error_confidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_error_confidence_day'), ['day'], unique=False)

    op.create_table('daily_scenarios',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scenario', sa.String(length=64), nullable=False),
    sa.Column('root_cause', sa.String(length=4), nullable=False),
    sa.Column('label', sa.String(length=4), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_daily_scenarios_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('team_id', 'case_type_id', 'day', 'scenario', 'root_cause', 'label', name=op.f('pk_daily_scenarios'))
    )
    with op.batch_alter_table('daily_scenarios', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_scenarios_day'), ['day'], unique=False)

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
    with op.batch_alter_table('live_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_live_decisions_error_patterns', ['case_type_id', 'scenario', 'root_cause', 'decided_at'], unique=False, postgresql_where=sa.text("label IN ('FP', 'FN')"), sqlite_where=sa.text("label IN ('FP', 'FN')"))
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.create_index('uq_audits_first_review', ['live_decision_id'], unique=True, postgresql_where=sa.text('NOT is_second_review'), sqlite_where=sa.text('NOT is_second_review'))



def downgrade():
    with op.batch_alter_table('live_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_live_decisions_error_patterns')

    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_index('uq_audits_first_review', postgresql_where=sa.text('NOT is_second_review'), sqlite_where=sa.text('NOT is_second_review'))

    with op.batch_alter_table('daily_quality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_quality_day'))

    op.drop_table('daily_quality')
    with op.batch_alter_table('daily_scenarios', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_scenarios_day'))

    op.drop_table('daily_scenarios')
    with op.batch_alter_table('daily_error_confidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_error_confidence_day'))

    op.drop_table('daily_error_confidence')


def _fill():
    """Count the decisions and first audits already stored: the SQL of app/qa/rollup.py as of this
    revision, written out so that later changes to the app don't change what this migration does."""
    if op.get_bind().dialect.name == "postgresql":
        day = "date_trunc('day', s.decided_at, 'UTC')"
        within_sla = "s.decided_at - s.opened_at <= interval '4 hours'"
        bucket = "least(floor(s.confidence * 20)::integer, 19)"
    else:
        day = "substr(s.decided_at, 1, 10) || ' 00:00:00.000000'"
        within_sla = "round((julianday(s.decided_at) - julianday(s.opened_at)) * 86400000.0) <= 14400000"
        bucket = "min(CAST(s.confidence * 20 AS INTEGER), 19)"
    labels = ", ".join(f"sum(CASE WHEN s.label = '{label}' THEN 1 ELSE 0 END)" for label in ("TP", "FP", "FN", "TN"))
    error = "s.label IN ('FP', 'FN')"
    op.execute(
        "INSERT INTO daily_quality (agent_id, case_type_id, day, decisions, within_sla, critical, tp, fp, fn, tn, "
        "audited, correct) "
        f"SELECT s.agent_id, s.case_type_id, {day}, count(*), sum(CASE WHEN {within_sla} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN s.has_critical THEN 1 ELSE 0 END), {labels}, "
        "count(a.id), sum(CASE WHEN a.effective_verdict = 'correct' THEN 1 ELSE 0 END) "
        "FROM live_decisions s LEFT JOIN audits a ON a.live_decision_id = s.id AND a.is_second_review = false "
        "GROUP BY 1, 2, 3"
    )
    op.execute(
        "INSERT INTO daily_scenarios (team_id, case_type_id, day, scenario, root_cause, label, decisions) "
        f"SELECT coalesce(u.team_id, 0), s.case_type_id, {day}, coalesce(s.scenario, ''), "
        f"CASE WHEN {error} THEN coalesce(s.root_cause, '') ELSE '' END, CASE WHEN {error} THEN s.label ELSE '' END, "
        "count(*) FROM live_decisions s JOIN users u ON u.id = s.agent_id GROUP BY 1, 2, 3, 4, 5, 6"
    )
    op.execute(
        "INSERT INTO daily_error_confidence (team_id, case_type_id, day, label, bucket, decisions) "
        f"SELECT coalesce(u.team_id, 0), s.case_type_id, {day}, s.label, {bucket}, count(*) "
        f"FROM live_decisions s JOIN users u ON u.id = s.agent_id WHERE {error} GROUP BY 1, 2, 3, 4, 5"
    )
