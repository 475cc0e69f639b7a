"""Audited accuracy, the certification link, lead agreement and misclassification batches."""

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from app.auth.models import User
from app.calibration import services as calibration
from app.cases.models import CaseType
from app.extensions import db
from app.metrics.accuracy import assess_accuracy
from app.metrics.kappa import cohen_kappa
from app.onboarding import services as onboarding
from app.onboarding.models import Certification
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision


def audited_accuracy(agent_id: int, case_type_id: int):
    """The agent's audited accuracy on a case type (first audits, after disputes), as the core assesses it."""
    correct, total = db.session.execute(
        select(func.sum(case((Audit.effective_verdict == "correct", 1), else_=0)), func.count(Audit.id))
        .join(LiveDecision, LiveDecision.id == Audit.live_decision_id)
        .where(
            LiveDecision.agent_id == agent_id,
            LiveDecision.case_type_id == case_type_id,
            Audit.is_second_review.is_(False),
        )
    ).one()
    return assess_accuracy(int(correct or 0), int(total))


def apply_certification_link(agent_id: int, case_type_id: int, actor: User | None) -> bool:
    """Suspend the certification when audited accuracy is `below` the benchmark (Wilson upper bound < 98%).
    Returns whether it suspended. The remediation practice draws from the scenarios the agent got wrong."""
    assessment = audited_accuracy(agent_id, case_type_id)
    cert = db.session.scalar(
        select(Certification).where(
            Certification.user_id == agent_id, Certification.case_type_id == case_type_id
        )
    )
    if assessment.status != "below" or cert is None or cert.certified_at is None or cert.suspended_at:
        return False
    reason = _(
        "Audited accuracy %(acc)s over %(n)s audits is below the 98%% benchmark.",
        acc=f"{assessment.estimate:.1%}",
        n=assessment.n,
    )
    onboarding.suspend_certification(agent_id, case_type_id, reason, actor)
    return True


def lead_agreement() -> dict:
    """How often two leads auditing the same decision agree, with Cohen's kappa on their verdicts."""
    first, second = Audit.__table__.alias("first"), Audit.__table__.alias("second")
    pairs = db.session.execute(
        select(first.c.verdict, second.c.verdict)
        .join(
            second,
            and_(second.c.live_decision_id == first.c.live_decision_id, second.c.is_second_review.is_(True)),
        )
        .where(first.c.is_second_review.is_(False))
    ).all()
    if not pairs:
        return {"pairs": 0, "agreement": None, "kappa": None}
    agree = sum(a == b for a, b in pairs)
    kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs], categories=("correct", "incorrect"))
    return {
        "pairs": len(pairs),
        "agreement": agree / len(pairs),
        "kappa": kappa.value,
        "kappa_reason": kappa.reason,
    }


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
