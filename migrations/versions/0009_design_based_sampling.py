"""Samples record their inclusion probability; first audits are also counted per stratum and probability
(daily_audit_cells) for design-based accuracy; the SLA rollup counts exactly 4 h as a breach

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 11:30:00.000000
"""

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

KEY_USER_PRIORITY = 75
NEW_AGENT_DAYS = 30


def upgrade():
    with op.batch_alter_table('samples', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inclusion_probability', sa.Float(), nullable=True))
    _backfill_probabilities()
    with op.batch_alter_table('samples', schema=None) as batch_op:
        batch_op.alter_column('inclusion_probability', existing_type=sa.Float(), nullable=False)

    op.create_table('daily_audit_cells',
    sa.Column('agent_id', sa.Integer(), nullable=False),
    sa.Column('case_type_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stratum', sa.String(length=20), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('audited', sa.Integer(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_daily_audit_cells_agent_id_users')),
    sa.ForeignKeyConstraint(['case_type_id'], ['case_types.id'], name=op.f('fk_daily_audit_cells_case_type_id_case_types')),
    sa.PrimaryKeyConstraint('agent_id', 'case_type_id', 'day', 'stratum', 'probability', name=op.f('pk_daily_audit_cells'))
    )
    with op.batch_alter_table('daily_audit_cells', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_audit_cells_day'), ['day'], unique=False)
    _fill_cells()
    _sla_exactly_four_hours_is_a_breach()


def downgrade():
    with op.batch_alter_table('daily_audit_cells', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_audit_cells_day'))
    op.drop_table('daily_audit_cells')
    with op.batch_alter_table('samples', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('inclusion_probability')


def _day():
    if op.get_bind().dialect.name == "postgresql":
        return "date_trunc('day', s.decided_at, 'UTC')"
    return "substr(s.decided_at, 1, 10) || ' 00:00:00.000000'"


def _backfill_probabilities():
    """Samples drawn before this revision: critical and Key User 1; a random pick its Poisson probability
    under the plan as the run stored it (rate for new or other agents, times the low-confidence and
    override weights); a weekly-minimum pick the share of the agent's other decisions that run drew
    (at least the Poisson probability), since the exact top-up chance needs the whole window as it was."""
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE samples SET inclusion_probability = 1.0 WHERE reason IN ('critical', 'key_user')"
    ))
    rows = bind.execute(sa.text(
        "SELECT sm.id, sm.reason, sm.run_id, d.agent_id, d.confidence, d.high_confidence_override, "
        "r.plan_snapshot, r.window_start, r.window_end, p.case_type_id "
        "FROM samples sm JOIN live_decisions d ON d.id = sm.live_decision_id "
        "JOIN plan_runs r ON r.id = sm.run_id JOIN sampling_plans p ON p.id = r.plan_id "
        "WHERE sm.reason NOT IN ('critical', 'key_user')"
    )).all()
    certified = defaultdict(list)
    for user_id, case_type_id, at in bind.execute(sa.text(
        "SELECT user_id, case_type_id, certified_at FROM certifications WHERE certified_at IS NOT NULL"
    )):
        certified[(user_id, case_type_id)].append(_moment(at))
    drawn = defaultdict(int)
    for row in rows:
        drawn[(row[2], row[3])] += 1
    window_sizes = {}
    for sample_id, reason, run_id, agent_id, confidence, override, snapshot, start, end, case_type_id in rows:
        since = _moment(start) - timedelta(days=NEW_AGENT_DAYS)
        new = any(at >= since for at in certified[(agent_id, case_type_id)])
        plan = json.loads(snapshot) if isinstance(snapshot, str) else (snapshot or {})
        rate = plan.get("new_agent_rate" if new else "base_rate")
        poisson = None
        if rate is not None:
            weight = plan.get("low_confidence_weight", 1.0) if confidence < plan.get("low_confidence_below", 0) else 1.0
            weight *= plan.get("override_weight", 1.0) if override else 1.0
            poisson = min(1.0, rate * weight)
        probability = poisson
        if reason != "random" or poisson is None or poisson <= 0:
            key = (run_id, agent_id)
            if key not in window_sizes:
                window_sizes[key] = bind.execute(sa.text(
                    "SELECT count(*) FROM live_decisions WHERE agent_id = :agent AND case_type_id = :case_type "
                    "AND decided_at >= :start AND decided_at < :end AND NOT has_critical AND priority < :key_user"
                ), {"agent": agent_id, "case_type": case_type_id, "start": start, "end": end,
                    "key_user": KEY_USER_PRIORITY}).scalar()
            share = min(1.0, drawn[key] / window_sizes[key]) if window_sizes[key] else 1.0
            probability = max(poisson or 0.0, share)
        bind.execute(sa.text("UPDATE samples SET inclusion_probability = :p WHERE id = :id"),
                     {"p": float(f"{probability:.12g}"), "id": sample_id})


def _moment(value):
    """A stored UTC datetime as an aware datetime (SQLite hands text back to a raw query)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _fill_cells():
    """First audits already stored, per stratum and probability (the SQL of app/qa/quality/rollup.py as of
    this revision)."""
    op.execute(
        "INSERT INTO daily_audit_cells (agent_id, case_type_id, day, stratum, probability, audited, correct) "
        f"SELECT s.agent_id, s.case_type_id, {_day()}, coalesce(sm.reason, 'unplanned'), "
        "coalesce(sm.inclusion_probability, 0.0), count(a.id), "
        "sum(CASE WHEN a.effective_verdict = 'correct' THEN 1 ELSE 0 END) "
        "FROM audits a JOIN live_decisions s ON s.id = a.live_decision_id "
        "LEFT JOIN samples sm ON sm.live_decision_id = s.id "
        "WHERE a.is_second_review = false GROUP BY 1, 2, 3, 4, 5"
    )


def _sla_exactly_four_hours_is_a_breach():
    """The rollup counted a decision taken exactly 4 h after opening as within the SLA; the rule is < 4 h.
    Take those decisions out of within_sla (they are few: a scan finds them, an update per agent-day)."""
    if op.get_bind().dialect.name == "postgresql":
        exactly = "s.decided_at - s.opened_at = interval '4 hours'"
    else:
        exactly = "round((julianday(s.decided_at) - julianday(s.opened_at)) * 86400000.0) = 14400000"
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        f"SELECT s.agent_id, s.case_type_id, {_day()}, count(*) FROM live_decisions s WHERE {exactly} "
        "GROUP BY 1, 2, 3"
    )).all()
    for agent_id, case_type_id, day, n in rows:
        bind.execute(sa.text(
            "UPDATE daily_quality SET within_sla = within_sla - :n "
            "WHERE agent_id = :agent AND case_type_id = :case_type AND day = :day"
        ), {"n": n, "agent": agent_id, "case_type": case_type_id, "day": day})
