"""Dialect-specific SQL (app.sql): ISO weeks and hours between timestamps agree on SQLite and
PostgreSQL (service tests; the suite runs on both)."""

from datetime import timedelta, timezone

import pytest
from sqlalchemy import select

from app.dashboard import queries
from app.dashboard.queries import Filters
from app.qa.decisions.models import LiveDecision
from app.sql import hours_between, week_start
from tests.conftest import utc

SHANGHAI = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("decided_at", "monday"),
    [
        (utc(2026, 11, 22, 23, 30), "2026-11-16"),  # Sunday night closes 2026-W47
        (utc(2026, 11, 23, 0, 10), "2026-11-23"),  # ten minutes later, Monday opens 2026-W48
        (utc(2026, 11, 16, 0, 0), "2026-11-16"),  # Monday midnight itself
        (utc(2026, 11, 29, 23, 59, 59), "2026-11-23"),
        (utc(2027, 1, 3, 12), "2026-12-28"),  # 2026-W53 runs into January
        (utc(2024, 2, 29, 12), "2024-02-26"),
        # Monday 07:30 in Shanghai is still Sunday in UTC: weeks are UTC weeks.
        (utc(2026, 11, 22, 23, 30).astimezone(SHANGHAI), "2026-11-16"),
    ],
)
def test_week_start_is_the_utc_monday_of_the_iso_week(db, make_user, make_decisions, decided_at, monday):
    agent = make_user("agent")
    make_decisions(agent, decided_at=decided_at)
    assert db.session.scalar(select(week_start(LiveDecision.decided_at))) == monday


def test_sunday_night_and_monday_morning_are_plotted_in_different_weeks(
    db, make_user, make_decisions, make_audits, auditor
):
    agent = make_user("agent")
    sunday = make_decisions(agent, 3, decided_at=utc(2026, 11, 22, 23, 30))
    monday = make_decisions(agent, 2, decided_at=utc(2026, 11, 23, 0, 10))
    make_audits(sunday, auditor, verdict=["correct", "correct", "incorrect"])
    make_audits(monday, auditor)

    weeks = queries.weekly_accuracy(Filters(agent_id=agent.id))

    assert weeks == [("2026-11-16", 2, 3), ("2026-11-23", 2, 2)]


@pytest.mark.parametrize(
    ("open_for", "hours", "within_sla"),
    [
        (timedelta(hours=1), 1.0, True),
        (timedelta(hours=3, minutes=59, seconds=59), 3 + 59 / 60 + 59 / 3600, True),
        (timedelta(hours=4), 4.0, False),  # the SLA is "under 4 h": exactly 4 h is a breach
        (timedelta(hours=4, seconds=1), 4 + 1 / 3600, False),
        (timedelta(days=2, hours=1), 49.0, False),
    ],
)
def test_hours_between_and_the_sla_boundary(db, make_user, make_decisions, open_for, hours, within_sla):
    agent = make_user("agent")
    decided = utc(2026, 11, 18, 14, 0)
    make_decisions(agent, opened_at=decided - open_for, decided_at=decided)

    measured = db.session.scalar(select(hours_between(LiveDecision.opened_at, LiveDecision.decided_at)))
    activity = queries.decision_activity_by_agent(Filters())[agent.id]

    assert float(measured) == pytest.approx(hours, abs=1e-6)
    assert activity == {"decisions": 1, "within_sla": int(within_sla), "critical": 0}
