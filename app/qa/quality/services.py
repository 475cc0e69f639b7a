"""Audited accuracy and lead agreement. The certification link (suspension proposals) is suspensions.py."""

from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.metrics.accuracy import assess_accuracy
from app.metrics.kappa import cohen_kappa
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
