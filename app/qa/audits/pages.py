"""Ready values for the QA templates (templates run no queries)."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.auth.models import User
from app.cases.models import CaseType
from app.extensions import db
from app.qa.audits import queue
from app.qa.audits.disputes import DISPUTE_WINDOW
from app.qa.audits.models import Audit, AuditDispute
from app.qa.decision_agent import batches
from app.qa.decisions.models import LiveDecision
from app.qa.quality import services as quality
from app.qa.sampling import plans
from app.qa.sampling.models import PlanRun, SamplingPlan

PLAN_DEFAULTS = {
    "base_rate": 0.02,
    "weekly_min_per_agent": 5,
    "new_agent_rate": 0.10,
    "low_confidence_below": 0.6,
    "low_confidence_weight": 2.0,
    "override_weight": 3.0,
    "weekly_capacity": 500,
    "second_review_share": 0.05,
}


def home_page() -> dict:
    return {
        "counts": queue.queue_counts(),
        "agreement": quality.lead_agreement(),
        "plans": list(db.session.scalars(select(SamplingPlan).order_by(SamplingPlan.name))),
    }


def decision_page(decision: LiveDecision) -> dict:
    """The decision as the shared case view shows it, plus the reviewer's answer and the findings."""
    _decision, findings = queue.decision_with_findings(decision.id)
    case = {
        "scenario": decision.scenario,
        "signals": decision.signals or {},
        "recommendation": decision.agent_recommendation,
        "confidence": decision.confidence,
        "reasoning": [],
        "priority": decision.priority,
        "opened_at": decision.opened_at,
        "is_key_user": decision.priority >= 75,
    }
    return {"decision": decision, "case": case, "findings": findings, "agent": decision.agent}


def plan_values(form) -> dict:
    values = form.values()
    values["case_type_id"] = db.session.scalar(
        select(CaseType.id).where(CaseType.slug == form.case_type.data)
    )
    values["team_id"] = form.team.data or None
    return values


def plan_page(plan: SamplingPlan | None) -> dict:
    if plan is None:
        return {"implied": None, "runs": []}
    runs = list(
        db.session.scalars(select(PlanRun).where(PlanRun.plan_id == plan.id).order_by(PlanRun.week.desc()))
    )
    return {"implied": plans.implications(plan, clock.now()), "runs": runs}


def mine_page(agent: User) -> dict:
    """The agent's audited decisions (first audits only: second reviews are the leads' business)."""
    rows = db.session.execute(
        select(Audit, LiveDecision, AuditDispute)
        .join(LiveDecision, LiveDecision.id == Audit.live_decision_id)
        .outerjoin(AuditDispute, AuditDispute.audit_id == Audit.id)
        .where(LiveDecision.agent_id == agent.id, Audit.is_second_review.is_(False))
        .order_by(Audit.created_at.desc())
        .limit(500)
    ).all()
    now = clock.now()
    return {
        "rows": [
            {
                "audit": a,
                "decision": d,
                "dispute": dispute,
                "can_dispute": dispute is None and now <= a.created_at + DISPUTE_WINDOW,
            }
            for a, d, dispute in rows
        ]
    }


def participant_choices() -> list[tuple[int, str]]:
    people = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.role.in_(("agent", "qa_lead")))
        .order_by(User.role, User.username)
    )
    return [(u.id, f"{u.display_name} ({u.username})") for u in people]


def batches_page() -> dict:
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    rows = batches.misclassification_batches()
    for row in rows:
        row["case_type"] = names[row["case_type_id"]]
    return {"batches": rows, "default_deadline": (clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")}
