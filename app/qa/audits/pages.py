"""Ready values for the audit templates (templates run no queries)."""

from sqlalchemy import select

from app import clock
from app.auth.models import User
from app.extensions import db
from app.qa.audits import queue
from app.qa.audits.disputes import DISPUTE_WINDOW
from app.qa.audits.models import Audit, AuditDispute
from app.qa.decisions.models import LiveDecision
from app.qa.quality import services as quality
from app.qa.sampling.models import SamplingPlan


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
