"""Misclassification batches: the decisions a reviewer's label or an audit marks the decision agent wrong
on (FP/FN), grouped by case type, scenario and root cause, and turned into calibration sessions."""

from sqlalchemy import and_, func, select

from app.auth.models import User
from app.calibration import services as calibration
from app.cases.models import CaseType
from app.extensions import db
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision


def misclassification_batches(limit: int = 100) -> list[dict]:
    """Decisions whose reviewer label or audit marks the decision agent wrong (FP/FN), grouped by case type,
    scenario and root cause."""
    label = func.coalesce(Audit.corrected_label, LiveDecision.label)
    root = func.coalesce(Audit.root_cause, LiveDecision.root_cause)
    rows = db.session.execute(
        select(
            LiveDecision.case_type_id,
            LiveDecision.scenario,
            root.label("root_cause"),
            func.count(LiveDecision.id),
        )
        .outerjoin(Audit, and_(Audit.live_decision_id == LiveDecision.id, Audit.is_second_review.is_(False)))
        .where(label.in_(("FP", "FN")))
        .group_by(LiveDecision.case_type_id, LiveDecision.scenario, root)
        .order_by(func.count(LiveDecision.id).desc())
        .limit(limit)
    )
    return [{"case_type_id": t, "scenario": s, "root_cause": r, "count": n} for t, s, r, n in rows]


def batch_decisions(case_type_id: int, scenario: str | None, root_cause: str | None, limit: int = 200):
    """The live decisions of one misclassification batch, newest first."""
    label = func.coalesce(Audit.corrected_label, LiveDecision.label)
    root = func.coalesce(Audit.root_cause, LiveDecision.root_cause)
    query = (
        select(LiveDecision)
        .outerjoin(Audit, and_(Audit.live_decision_id == LiveDecision.id, Audit.is_second_review.is_(False)))
        .where(LiveDecision.case_type_id == case_type_id, label.in_(("FP", "FN")))
        .order_by(LiveDecision.decided_at.desc())
        .limit(limit)
    )
    query = query.where(LiveDecision.scenario == scenario if scenario else LiveDecision.scenario.is_(None))
    query = query.where(root == root_cause if root_cause else root.is_(None))
    return list(db.session.scalars(query))


def session_from_batch(
    case_type_id: int,
    scenario: str | None,
    root_cause: str | None,
    name: str,
    deadline,
    participants: list[User],
    actor: User,
):
    """Turn a misclassification batch into a calibration session of live cases, in one step."""
    decisions = batch_decisions(case_type_id, scenario, root_cause)
    live_cases = [
        {
            "live_ref": d.decision_id,
            "content": {
                "scenario": d.scenario or "",
                "signals": d.signals or {},
                "recommendation": d.agent_recommendation,
                "confidence": d.confidence,
                "reasoning": [],
                "priority": d.priority,
                "opened_at": d.opened_at.isoformat().replace("+00:00", "Z"),
            },
        }
        for d in decisions
    ]
    case_type = db.session.get(CaseType, case_type_id)
    return calibration.create_session(
        name, case_type, deadline, participants, [], actor, live_cases=live_cases
    )
