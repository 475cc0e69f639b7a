"""Set-based aggregations behind the dashboards. Every figure is one GROUP BY; Python only reshapes the
(few) grouped rows and hands counts to the measurement core.

Counts of decisions and audits (the leaderboard, vendors, weekly accuracy, the decision agent's labels)
are summed from the agent-day rollup, and scenario volumes, FP/FN patterns and their confidence from the
team-day rollups (app/qa/quality/rollup.py), so they cost about the same at millions of decisions as at
thousands. One agent's confusion matrix and findings read that agent's decisions through an index."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from app.auth.models import Team, User
from app.extensions import db
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision, LiveFinding
from app.qa.quality.models import DailyAuditCell, DailyErrorConfidence, DailyQuality, DailyScenario
from app.qa.quality.rollup import day_of
from app.sql import week_start


@dataclass(frozen=True)
class Filters:
    """The dashboard filters: period, case type, team, vendor, and optionally one agent. The period runs
    from `since` (included) to `until` (excluded), both UTC midnights, as the daily rollup counts days."""

    since: datetime | None = None
    until: datetime | None = None
    case_type_id: int | None = None
    team_id: int | None = None
    vendor: str | None = None
    agent_id: int | None = None

    def __post_init__(self) -> None:
        for bound in (self.since, self.until):
            if bound is not None and bound != day_of(bound):
                raise ValueError(f"dashboard periods start and end at a UTC midnight, not {bound}")


def _conditions(filters: Filters, agent, case_type, moment) -> list:
    conditions = []
    if filters.since:
        conditions.append(moment >= filters.since)
    if filters.until:
        conditions.append(moment < filters.until)
    if filters.case_type_id:
        conditions.append(case_type == filters.case_type_id)
    if filters.agent_id:
        conditions.append(agent == filters.agent_id)
    if filters.team_id or filters.vendor:
        members = select(User.id).join(Team, Team.id == User.team_id)
        if filters.team_id:
            members = members.where(Team.id == filters.team_id)
        if filters.vendor:
            members = members.where(Team.vendor == filters.vendor)
        conditions.append(agent.in_(members))
    return conditions


def scoped(query, filters: Filters):
    """Apply the filters to a query over LiveDecision."""
    conditions = _conditions(
        filters, LiveDecision.agent_id, LiveDecision.case_type_id, LiveDecision.decided_at
    )
    return query.where(*conditions) if conditions else query


def rolled(query, filters: Filters):
    """Apply the filters to a query over the daily rollup. Its rows are whole UTC days, so the period's
    bounds must be UTC midnights for the sums to equal a scan of the decisions (Filters checks this)."""
    day = DailyQuality
    conditions = _conditions(filters, day.agent_id, day.case_type_id, day.day)
    return query.where(*conditions) if conditions else query


def _first_audits():
    return and_(Audit.live_decision_id == LiveDecision.id, Audit.is_second_review.is_(False))


def _sum(column):
    return func.coalesce(func.sum(column), 0)


def audited_by_agent(filters: Filters) -> dict[int, tuple[int, int]]:
    """Agent id → (correct, audited) for agents with audits, after disputes."""
    query = (
        select(DailyQuality.agent_id, _sum(DailyQuality.correct), _sum(DailyQuality.audited))
        .group_by(DailyQuality.agent_id)
        .having(func.sum(DailyQuality.audited) > 0)
    )
    return {agent: (correct, n) for agent, correct, n in db.session.execute(rolled(query, filters))}


def audit_cells(filters: Filters, by_vendor: bool = False) -> list[tuple]:
    """(agent id, vendor or None, stratum, inclusion probability, audited, correct) per agent and cell of
    the design (app/metrics/design.py), from the audit-cell rollup."""
    cell = DailyAuditCell
    vendor = Team.vendor if by_vendor else None
    columns = (cell.agent_id, *([vendor] if by_vendor else []), cell.stratum, cell.probability)
    query = select(*columns, _sum(cell.audited), _sum(cell.correct)).group_by(*columns)
    if by_vendor:
        query = query.join(User, User.id == cell.agent_id).join(Team, Team.id == User.team_id)
    conditions = _conditions(filters, cell.agent_id, cell.case_type_id, cell.day)
    rows = db.session.execute(query.where(*conditions) if conditions else query)
    if by_vendor:
        return [tuple(row) for row in rows]
    return [(agent, None, *rest) for agent, *rest in rows]


def weekly_accuracy(filters: Filters) -> list[tuple[str, int, int]]:
    """(week start, correct, audited) per week with audits, oldest first."""
    week = week_start(DailyQuality.day).label("week")
    query = (
        select(week, _sum(DailyQuality.correct), _sum(DailyQuality.audited))
        .group_by(week)
        .having(func.sum(DailyQuality.audited) > 0)
        .order_by(week)
    )
    return [tuple(row) for row in db.session.execute(rolled(query, filters))]


def decision_activity_by_agent(filters: Filters) -> dict[int, dict]:
    """Agent id → decisions, SLA-compliant decisions and decisions with a critical finding."""
    query = select(
        DailyQuality.agent_id,
        _sum(DailyQuality.decisions),
        _sum(DailyQuality.within_sla),
        _sum(DailyQuality.critical),
    ).group_by(DailyQuality.agent_id)
    return {
        agent: {"decisions": n, "within_sla": sla, "critical": crit}
        for agent, n, sla, crit in db.session.execute(rolled(query, filters))
    }


def decision_confusion(filters: Filters) -> dict[tuple[str, str], int]:
    """(reference, given) → count for audited decisions: the reference is the auditor's corrected decision
    when the verdict stands as incorrect, else the decision itself."""
    reference = case(
        (
            and_(Audit.effective_verdict == "incorrect", Audit.corrected_decision.is_not(None)),
            Audit.corrected_decision,
        ),
        else_=LiveDecision.decision,
    )
    query = (
        select(reference, LiveDecision.decision, func.count())
        .join(Audit, _first_audits())
        .group_by(reference, LiveDecision.decision)
    )
    return {(ref, given): n for ref, given, n in db.session.execute(scoped(query, filters))}


def findings_by_code(filters: Filters) -> list[tuple[str, str, int]]:
    query = (
        select(LiveFinding.code, LiveFinding.severity, func.count())
        .join(LiveDecision, LiveDecision.id == LiveFinding.live_decision_id)
        .group_by(LiveFinding.code, LiveFinding.severity)
        .order_by(func.count().desc())
    )
    return [tuple(row) for row in db.session.execute(scoped(query, filters))]


def vendor_rollup(filters: Filters) -> list[dict]:
    """Per vendor: decisions, audited and correct, and decisions with a critical finding."""
    query = (
        select(
            Team.vendor,
            _sum(DailyQuality.decisions),
            _sum(DailyQuality.critical),
            _sum(DailyQuality.audited),
            _sum(DailyQuality.correct),
        )
        .join(User, User.id == DailyQuality.agent_id)
        .join(Team, Team.id == User.team_id)
        .group_by(Team.vendor)
    )
    return [
        {"vendor": vendor, "decisions": n, "critical": crit, "audited": audited, "correct": correct}
        for vendor, n, crit, audited, correct in db.session.execute(rolled(query, filters))
    ]


def label_counts_by_week(filters: Filters) -> list[tuple[int, str, str, int]]:
    """(case type id, week, reviewer label, count) for the decision agent's precision and recall."""
    week = week_start(DailyQuality.day).label("week")
    labels = {"TP": DailyQuality.tp, "FP": DailyQuality.fp, "FN": DailyQuality.fn, "TN": DailyQuality.tn}
    query = (
        select(DailyQuality.case_type_id, week, *(_sum(column) for column in labels.values()))
        .group_by(DailyQuality.case_type_id, week)
        .order_by(week, DailyQuality.case_type_id)
    )
    return [
        (case_type_id, week_, label, n)
        for case_type_id, week_, *counts in db.session.execute(rolled(query, filters))
        for label, n in zip(labels, counts, strict=True)
        if n
    ]


def by_team(query, table, filters: Filters):
    """Apply the filters to a query over a team-keyed rollup (DailyScenario, DailyErrorConfidence), whose
    rows count decisions for their agent's current team."""
    if filters.agent_id:
        raise ValueError("team rollups have no agent dimension")
    conditions = []
    if filters.since:
        conditions.append(table.day >= filters.since)
    if filters.until:
        conditions.append(table.day < filters.until)
    if filters.case_type_id:
        conditions.append(table.case_type_id == filters.case_type_id)
    if filters.team_id:
        conditions.append(table.team_id == filters.team_id)
    if filters.vendor:
        conditions.append(table.team_id.in_(select(Team.id).where(Team.vendor == filters.vendor)))
    return query.where(*conditions) if conditions else query


def error_confidence_histogram(filters: Filters) -> list[tuple[str, int, int]]:
    """(label FP/FN, confidence bin of 0.05, count)."""
    table = DailyErrorConfidence
    query = select(table.label, table.bucket, _sum(table.decisions)).group_by(table.label, table.bucket)
    return [tuple(row) for row in db.session.execute(by_team(query, table, filters))]


def volume_by_scenario(filters: Filters) -> list[tuple[int, str | None, int]]:
    """(case type id, scenario, decisions) for SOP coverage."""
    table = DailyScenario
    query = select(table.case_type_id, table.scenario, _sum(table.decisions)).group_by(
        table.case_type_id, table.scenario
    )
    return [
        (case_type_id, scenario or None, n)
        for case_type_id, scenario, n in db.session.execute(by_team(query, table, filters))
    ]


def error_pareto(filters: Filters) -> list[tuple[int, str | None, str | None, str, int]]:
    """(case type id, scenario, root cause, label, count) of FP and FN decisions, largest first."""
    table = DailyScenario
    total = _sum(table.decisions)
    query = (
        select(table.case_type_id, table.scenario, table.root_cause, table.label, total)
        .where(table.label.in_(("FP", "FN")))
        .group_by(table.case_type_id, table.scenario, table.root_cause, table.label)
        .order_by(total.desc())
    )
    return [
        (case_type_id, scenario or None, root_cause or None, label, n)
        for case_type_id, scenario, root_cause, label, n in db.session.execute(by_team(query, table, filters))
    ]
