"""Filling and repairing the daily rollup: migration 0006 counts what was stored before it, and
`flask qa rebuild-rollup` restores counts changed outside the app."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, update

from app.audit.models import AuditEvent
from app.extensions import db
from app.qa.quality.models import DailyQuality
from tests.conftest import utc

ROLLUP = (DailyQuality.agent_id, DailyQuality.day, DailyQuality.decisions, DailyQuality.within_sla)
COUNTS = (DailyQuality.tp, DailyQuality.fn, DailyQuality.audited, DailyQuality.correct)


def _rows(agent_id: int) -> list[tuple]:
    query = select(DailyQuality.day, *ROLLUP[2:], *COUNTS).where(DailyQuality.agent_id == agent_id)
    return [tuple(row) for row in db.session.execute(query.order_by(DailyQuality.day))]


def _history(make_user, make_live_decisions, make_live_audit):
    """Five decisions over two days (one outside the SLA, one FN), three of them audited, one incorrect."""
    agent, lead = make_user("agent"), make_user("qa_lead")
    monday = make_live_decisions(
        agent,
        3,
        decided_at=[utc(2026, 11, 16, 23, 0), utc(2026, 11, 16, 23, 30), utc(2026, 11, 16, 23, 59)],
        opened_at=[utc(2026, 11, 16, 22), utc(2026, 11, 16, 18), utc(2026, 11, 16, 19, 59)],
        label=["TP", "TN", "FN"],
    )
    tuesday = make_live_decisions(agent, 2, decided_at=utc(2026, 11, 17, 0, 5))
    make_live_audit(monday[:2], lead)
    make_live_audit(tuesday[0], lead, verdict="incorrect")
    expected = [
        # day, decisions, within SLA (5 h 30 min is not; exactly 4 h is not either), TP, FN, audited, correct
        (utc(2026, 11, 16), 3, 1, 1, 1, 2, 2),
        (utc(2026, 11, 17), 2, 2, 0, 0, 1, 0),
    ]
    return agent, expected


def test_the_migration_counts_decisions_and_audits_stored_before_it(
    app, make_user, make_live_decisions, make_live_audit
):
    agent, expected = _history(make_user, make_live_decisions, make_live_audit)
    with app.app_context():
        try:
            downgrade(revision="0005")
            assert "daily_quality" not in inspect(db.engine).get_table_names()
        finally:
            upgrade()  # never leave the shared test database behind head
        assert _rows(agent.id) == expected


def test_rebuild_rollup_restores_counts_changed_outside_the_app(
    app, runner, make_user, make_live_decisions, make_live_audit
):
    agent, expected = _history(make_user, make_live_decisions, make_live_audit)
    with app.app_context():
        db.session.execute(update(DailyQuality).values(decisions=0, correct=5))
        db.session.commit()

    result = runner.invoke(args=["qa", "rebuild-rollup"])

    assert result.exit_code == 0, result.output
    assert "rebuilt: 2 agent-days, 3 team-day scenario rows" in result.output
    with app.app_context():
        assert _rows(agent.id) == expected
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qa.rollup_rebuild"))
        assert event.detail == {"agent_days": 2, "team_days": 3}
