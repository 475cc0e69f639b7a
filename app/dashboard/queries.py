"""Set-based aggregations behind the dashboards. Every figure is one GROUP BY; Python only reshapes the
(few) grouped rows and hands counts to the measurement core."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from app.auth.models import Team, User
from app.dashboard.sql import hours_between, week_start
from app.extensions import db
from app.qa.models import Audit, LiveDecision, LiveFinding

SLA_HOURS = 4


@dataclass(frozen=True)
class Filters:
    """The dashboard filters: period, case type, team, vendor, and optionally one agent."""

    since: datetime | None = None
    until: datetime | None = None
    case_type_id: int | None = None
    team_id: int | None = None
    vendor: str | None = None
    agent_id: int | None = None


def scoped(query, filters: Filters):
    """Apply the filters to a query over LiveDecision (joined to its agent's user and team)."""
    conditions = []
    if filters.since:
        conditions.append(LiveDecision.decided_at >= filters.since)
    if filters.until:
        conditions.append(LiveDecision.decided_at < filters.until)
    if filters.case_type_id:
        conditions.append(LiveDecision.case_type_id == filters.case_type_id)
    if filters.agent_id:
        conditions.append(LiveDecision.agent_id == filters.agent_id)
    if filters.team_id or filters.vendor:
        members = select(User.id).join(Team, Team.id == User.team_id)
        if filters.team_id:
            members = members.where(Team.id == filters.team_id)
        if filters.vendor:
            members = members.where(Team.vendor == filters.vendor)
        conditions.append(LiveDecision.agent_id.in_(members))
    return query.where(*conditions) if conditions else query


def _first_audits():
    return and_(Audit.live_decision_id == LiveDecision.id, Audit.is_second_review.is_(False))


def audited_by_agent(filters: Filters) -> dict[int, tuple[int, int]]:
    """Agent id → (correct, audited), after disputes."""
    query = (
        select(
            LiveDecision.agent_id,
            func.sum(case((Audit.effective_verdict == "correct", 1), else_=0)),
            func.count(Audit.id),
        )
        .join(Audit, _first_audits())
        .group_by(LiveDecision.agent_id)
    )
    return {agent: (int(c or 0), n) for agent, c, n in db.session.execute(scoped(query, filters))}


def weekly_accuracy(filters: Filters) -> list[tuple[str, int, int]]:
    """(week start, correct, audited) per week, oldest first."""
    week = week_start(LiveDecision.decided_at).label("week")
    query = (
        select(week, func.sum(case((Audit.effective_verdict == "correct", 1), else_=0)), func.count(Audit.id))
        .join(Audit, _first_audits())
        .group_by(week)
        .order_by(week)
    )
    return [(w, int(c or 0), n) for w, c, n in db.session.execute(scoped(query, filters))]


def decision_activity_by_agent(filters: Filters) -> dict[int, dict]:
    """Agent id → decisions, SLA-compliant decisions and decisions with a critical finding."""
    within_sla = case(
        (hours_between(LiveDecision.opened_at, LiveDecision.decided_at) <= SLA_HOURS, 1), else_=0
    )
    query = select(
        LiveDecision.agent_id,
        func.count(LiveDecision.id),
        func.sum(within_sla),
        func.sum(case((LiveDecision.has_critical.is_(True), 1), else_=0)),
    ).group_by(LiveDecision.agent_id)
    return {
        agent: {"decisions": n, "within_sla": int(sla or 0), "critical": int(crit or 0)}
        for agent, n, sla, crit in db.session.execute(scoped(query, filters))
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
    audited = (
        select(
            Team.vendor.label("vendor"),
            func.count(Audit.id).label("audited"),
            func.sum(case((Audit.effective_verdict == "correct", 1), else_=0)).label("correct"),
        )
        .select_from(LiveDecision)
        .join(User, User.id == LiveDecision.agent_id)
        .join(Team, Team.id == User.team_id)
        .join(Audit, _first_audits())
        .group_by(Team.vendor)
    )
    volume = (
        select(
            Team.vendor,
            func.count(LiveDecision.id),
            func.sum(case((LiveDecision.has_critical.is_(True), 1), else_=0)),
        )
        .select_from(LiveDecision)
        .join(User, User.id == LiveDecision.agent_id)
        .join(Team, Team.id == User.team_id)
        .group_by(Team.vendor)
    )
    counts = {v: (a, int(c or 0)) for v, a, c in db.session.execute(scoped(audited, filters))}
    return [
        {
            "vendor": vendor,
            "decisions": n,
            "critical": int(crit or 0),
            "audited": counts.get(vendor, (0, 0))[0],
            "correct": counts.get(vendor, (0, 0))[1],
        }
        for vendor, n, crit in db.session.execute(scoped(volume, filters))
    ]


def label_counts_by_week(filters: Filters) -> list[tuple[int, str, str, int]]:
    """(case type id, week, reviewer label, count) for the decision agent's precision and recall."""
    week = week_start(LiveDecision.decided_at).label("week")
    query = (
        select(LiveDecision.case_type_id, week, LiveDecision.label, func.count())
        .where(LiveDecision.label.is_not(None))
        .group_by(LiveDecision.case_type_id, week, LiveDecision.label)
        .order_by(week)
    )
    return [tuple(row) for row in db.session.execute(scoped(query, filters))]


def error_confidence_histogram(filters: Filters, bins: int = 20) -> list[tuple[str, int, int]]:
    """(label FP/FN, confidence bin, count), confidence binned into `bins` equal widths."""
    bucket = func.floor(LiveDecision.confidence * bins).label("bucket")
    query = (
        select(LiveDecision.label, bucket, func.count())
        .where(LiveDecision.label.in_(("FP", "FN")))
        .group_by(LiveDecision.label, bucket)
    )
    return [(label, min(int(b), bins - 1), n) for label, b, n in db.session.execute(scoped(query, filters))]


def volume_by_scenario(filters: Filters) -> list[tuple[int, str | None, int]]:
    """(case type id, scenario, decisions) for SOP coverage."""
    query = select(LiveDecision.case_type_id, LiveDecision.scenario, func.count()).group_by(
        LiveDecision.case_type_id, LiveDecision.scenario
    )
    return [tuple(row) for row in db.session.execute(scoped(query, filters))]


def error_pareto(filters: Filters) -> list[tuple[int, str | None, str | None, str, int]]:
    """(case type id, scenario, root cause, label, count) of FP and FN decisions, largest first."""
    query = (
        select(
            LiveDecision.case_type_id,
            LiveDecision.scenario,
            LiveDecision.root_cause,
            LiveDecision.label,
            func.count(),
        )
        .where(LiveDecision.label.in_(("FP", "FN")))
        .group_by(
            LiveDecision.case_type_id, LiveDecision.scenario, LiveDecision.root_cause, LiveDecision.label
        )
        .order_by(func.count().desc())
    )
    return [tuple(row) for row in db.session.execute(scoped(query, filters))]
