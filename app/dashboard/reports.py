"""Dashboard read models: grouped counts from queries.py turned into figures by the measurement core."""

from datetime import timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import clock
from app.auth.models import Team, User
from app.cases.vocabulary import DECISIONS
from app.dashboard import queries
from app.dashboard.queries import Filters
from app.extensions import db
from app.metrics.accuracy import assess_accuracy, audits_to_settle
from app.metrics.classification import class_scores
from app.metrics.design import design_accuracy
from app.onboarding import reports as onboarding_reports
from app.onboarding.models import Attempt, Certification
from app.qa.quality.rollup import day_of
from app.sop.models import SopSection, SopVersion
from app.sop.services import current_version_ids

BENCHMARK = 0.98


def assessment_dict(correct: int, n: int, target: float = BENCHMARK) -> dict:
    """Accuracy, Wilson interval and status; for an inconclusive status, how many clean audits settle it."""
    result = assess_accuracy(correct, n, target)
    to_settle = audits_to_settle(correct, n, target) if result.status == "inconclusive" else None
    return {
        "correct": correct,
        "n": n,
        "estimate": result.estimate,
        "low": result.low,
        "high": result.high,
        "status": result.status,
        "to_settle": to_settle,
    }


CERTAIN_STRATA = ("key_user", "critical")


def design_dict(cells: list[tuple], target: float = BENCHMARK, clustered: bool = False) -> dict:
    """Design-based accuracy (app/metrics/design.py) of audit cells (agent id, vendor, stratum, inclusion
    probability, audited, correct): the estimate weights each audit by 1/pi; Key User and critical
    audits, drawn with certainty, are also shown as their own exact figures; audits of decisions no plan
    drew are counted beside it, not in it. Clustered (teams, vendors): the interval allows for agents
    differing from one another."""
    planned = [c for c in cells if c[3] > 0 and c[4] > 0]
    unplanned = sum(c[4] for c in cells if c[3] <= 0)
    if not planned:
        # Only audits no plan drew (external ones, or none): no inclusion probability to weight by, so the
        # figure is the plain share with its Wilson interval, as before sampling recorded pi.
        plain = assessment_dict(sum(c[5] for c in cells), unplanned, target)
        return {**plain, "certain": {}, "unplanned": unplanned, "represented": None, "clustered": False}
    # One entry per audit, built by numpy from the counts (a vendor has thousands of audits).
    agent, probability, audited, right = (np.array([c[i] for c in planned]) for i in (0, 3, 4, 5))
    counts = np.column_stack((right, audited - right)).reshape(-1)
    correct = np.repeat(np.tile([True, False], len(planned)), counts)
    probabilities = np.repeat(np.repeat(probability.astype(float), 2), counts)
    clusters = np.repeat(np.repeat(agent, 2), counts) if clustered else None
    result = design_accuracy(correct, probabilities, clusters, target)
    certain = {
        stratum: {
            "audited": sum(c[4] for c in cells if c[2] == stratum and c[3] >= 1),
            "correct": sum(c[5] for c in cells if c[2] == stratum and c[3] >= 1),
        }
        for stratum in CERTAIN_STRATA
    }
    return {
        "correct": sum(c[5] for c in cells),
        "n": sum(c[4] for c in cells),
        "estimate": result.estimate,
        "low": result.low,
        "high": result.high,
        "status": result.status,
        "to_settle": None,  # one more audit's worth depends on its stratum: no single count settles it
        "certain": certain,
        "unplanned": unplanned,
        "represented": result.represented,
        "clustered": clustered,
    }


def design_by(cells: list[tuple], key: int, clustered: bool = False) -> dict:
    """design_dict per agent (key 0) or vendor (key 1)."""
    grouped: dict = {}
    for cell in cells:
        grouped.setdefault(cell[key], []).append(cell)
    return {name: design_dict(group, clustered=clustered) for name, group in grouped.items()}


def visible_agents(viewer: User) -> list[int] | None:
    """Agents whose quality the viewer may see: None means everyone (managers, admins); a lead sees the
    agents of their vendor; an agent only themself."""
    if viewer.role in ("manager", "admin"):
        return None
    if viewer.role == "agent":
        return [viewer.id]
    vendor = viewer.team.vendor if viewer.team else None
    if vendor is None:
        return []
    return list(
        db.session.scalars(
            select(User.id)
            .join(Team, Team.id == User.team_id)
            .where(Team.vendor == vendor, User.role == "agent")
        )
    )


def may_see(viewer: User, agent: User) -> bool:
    allowed = visible_agents(viewer)
    return agent.role == "agent" and (allowed is None or agent.id in allowed)


def agent_quality(agent: User, filters: Filters) -> dict:
    """Everything the agent quality page shows."""
    scoped = Filters(**{**filters.__dict__, "agent_id": agent.id})
    weeks = [{"week": w, **assessment_dict(c, n)} for w, c, n in queries.weekly_accuracy(scoped)]
    matrix_counts = queries.decision_confusion(scoped)
    matrix = [[matrix_counts.get((ref, given), 0) for given in DECISIONS] for ref in DECISIONS]
    activity = queries.decision_activity_by_agent(scoped).get(
        agent.id, {"decisions": 0, "within_sla": 0, "critical": 0}
    )
    return {
        "agent": agent,
        "overall": design_dict(queries.audit_cells(scoped)),
        "weeks": weeks,
        "exams": exam_points(agent.id, filters),
        "matrix": matrix,
        "classes": class_scores(matrix, DECISIONS),
        "activity": activity,
        "sla": activity["within_sla"] / activity["decisions"] if activity["decisions"] else None,
        "findings": queries.findings_by_code(scoped),
    }


def exam_points(agent_id: int, filters: Filters) -> list[dict]:
    """Submitted certification exams as points (a separate series from audits)."""
    query = select(Attempt).where(
        Attempt.user_id == agent_id, Attempt.kind == "exam", Attempt.status == "submitted"
    )
    if filters.case_type_id:
        query = query.where(Attempt.case_type_id == filters.case_type_id)
    if filters.since:
        query = query.where(Attempt.submitted_at >= filters.since)
    if filters.until:
        query = query.where(Attempt.submitted_at < filters.until)
    points = []
    for attempt in db.session.scalars(
        query.order_by(Attempt.submitted_at).options(selectinload(Attempt.items))
    ):
        total = len(attempt.items)
        monday = attempt.submitted_at - timedelta(days=attempt.submitted_at.weekday())
        points.append(
            {
                "week": monday.strftime("%Y-%m-%d"),
                "estimate": attempt.decision_correct / total if total else None,
                "passed": attempt.passed,
            }
        )
    return points


def leaderboard(filters: Filters, viewer: User, sort: str = "accuracy") -> list[dict]:
    """One row per visible agent with audits or decisions in scope."""
    allowed = visible_agents(viewer)
    audited = queries.audited_by_agent(filters)
    estimates = design_by(queries.audit_cells(filters), 0)
    activity = queries.decision_activity_by_agent(filters)
    trend = _trend(filters)
    certified = dict(
        db.session.execute(
            select(Certification.user_id, func.count())
            .where(Certification.certified_at.is_not(None), Certification.suspended_at.is_(None))
            .group_by(Certification.user_id)
        ).all()
    )
    ids = set(audited) | set(activity)
    if allowed is not None:
        ids &= set(allowed)
    people = (
        {
            u.id: u
            for u in db.session.scalars(
                select(User).where(User.id.in_(ids)).options(selectinload(User.team))  # not one per team
            )
        }
        if ids
        else {}
    )
    rows = []
    for agent_id, person in people.items():
        correct, n = audited.get(agent_id, (0, 0))
        act = activity.get(agent_id, {"decisions": 0, "within_sla": 0, "critical": 0})
        rows.append(
            {
                "agent": person,
                "team": person.team,
                **(estimates.get(agent_id) or design_dict([])),
                "trend": trend.get(agent_id),
                "critical": act["critical"],
                "decisions": act["decisions"],
                "sla": act["within_sla"] / act["decisions"] if act["decisions"] else None,
                "certifications": certified.get(agent_id, 0),
            }
        )
    keys = {
        "accuracy": lambda r: (r["estimate"] is None, -(r["estimate"] or 0)),
        "n": lambda r: -r["n"],
        "agent": lambda r: r["agent"].username,
        "critical": lambda r: -r["critical"],
        "sla": lambda r: (r["sla"] is None, r["sla"] or 0),
        "status": lambda r: ("below", "inconclusive", "above", "no_data").index(r["status"]),
    }
    return sorted(rows, key=keys.get(sort, keys["accuracy"]))


def _trend(filters: Filters) -> dict[int, float]:
    """Accuracy over the last 4 weeks of the period minus the 4 weeks before (only where both have audits)."""
    end = filters.until or day_of(clock.now()) + timedelta(days=1)  # the end of today
    recent = queries.audited_by_agent(
        Filters(**{**filters.__dict__, "since": end - timedelta(weeks=4), "until": end})
    )
    before = queries.audited_by_agent(
        Filters(**{**filters.__dict__, "since": end - timedelta(weeks=8), "until": end - timedelta(weeks=4)})
    )
    return {
        a: recent[a][0] / recent[a][1] - before[a][0] / before[a][1]
        for a in recent
        if a in before and recent[a][1] and before[a][1]
    }


def vendor_comparison(filters: Filters) -> list[dict]:
    """Per vendor: volumes and the design-based accuracy, its interval clustered by agent."""
    estimates = design_by(queries.audit_cells(filters, by_vendor=True), 1, clustered=True)
    rows = []
    for row in queries.vendor_rollup(filters):
        rows.append(
            {
                **row,
                **(estimates.get(row["vendor"]) or design_dict([], clustered=True)),
                "critical_rate": row["critical"] / row["decisions"] if row["decisions"] else None,
            }
        )
    return sorted(rows, key=lambda r: r["vendor"])


COVERAGE_TARGET = 0.80


def sop_coverage(filters: Filters) -> list[dict]:
    """Per case type: the share of live decisions whose scenario a current SOP section covers, and the
    uncovered scenarios by volume."""
    covered = covered_scenarios()
    by_type: dict[int, dict] = {}
    for case_type_id, scenario, n in queries.volume_by_scenario(filters):
        entry = by_type.setdefault(
            case_type_id, {"case_type_id": case_type_id, "total": 0, "covered": 0, "gaps": []}
        )
        entry["total"] += n
        if scenario and scenario in covered.get(case_type_id, set()):
            entry["covered"] += n
        else:
            entry["gaps"].append((scenario, n))
    for entry in by_type.values():
        entry["share"] = entry["covered"] / entry["total"] if entry["total"] else None
        entry["gaps"].sort(key=lambda gap: -gap[1])
    return sorted(by_type.values(), key=lambda e: e["case_type_id"])


def covered_scenarios() -> dict[int, set[str]]:
    """Case type id → scenario tags covered by a section of its current SOP version."""
    current = current_version_ids()
    rows = db.session.execute(
        select(SopVersion.case_type_id, SopSection.scenarios)
        .join(SopSection)
        .where(SopVersion.id.in_(list(current.values())))
    )
    covered: dict[int, set[str]] = {}
    for case_type_id, scenarios in rows:
        covered.setdefault(case_type_id, set()).update(scenarios or [])
    return covered


def onboarding_funnel() -> list[dict]:
    """Per team: agents who started, are practising, attempted an exam, are certified, expired, suspended."""
    cohort = onboarding_reports.cohort()
    exams = onboarding_reports.exam_totals()
    team_names = dict(db.session.execute(select(Team.id, Team.name)).all())  # not a lazy load per team
    teams: dict[str, dict] = {}
    for row in cohort["rows"]:
        agent = row["agent"]
        team = teams.setdefault(
            team_names.get(agent.team_id, "—"),
            dict.fromkeys(
                ("agents", "started", "practising", "exam", "certified", "expired", "suspended"), 0
            ),
        )
        statuses = {cell["status"] for cell in row["cells"]}
        team["agents"] += 1
        team["started"] += statuses != {"not_started"}
        team["practising"] += "practising" in statuses
        team["exam"] += any(exams.get((agent.id, cell["case_type"].id), (0, 0))[0] for cell in row["cells"])
        team["certified"] += bool(statuses & {"certified", "expiring"})
        team["expired"] += "expired" in statuses
        team["suspended"] += "suspended" in statuses
    return [{"team": name, **counts} for name, counts in sorted(teams.items())]
