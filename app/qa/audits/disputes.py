"""Agents disputing audit verdicts; another lead or a manager resolves them."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.qa.audits.models import Audit, AuditDispute
from app.qa.quality import rollup
from app.qa.quality.suspensions import review_standing

DISPUTE_WINDOW = timedelta(days=7)
OUTCOMES = ("upheld", "overturned", "partial")


def open_dispute(audit: Audit, agent: User, reason: str) -> AuditDispute:
    """An agent disputes a verdict on their own decision within the window."""
    if audit.decision.agent_id != agent.id or audit.is_second_review:
        raise NotFound()
    if clock.now() > audit.created_at + DISPUTE_WINDOW:
        raise Conflict(_l("The dispute window (7 days after the audit) has passed."))
    if not (reason or "").strip():
        raise DomainError(_l("Say why the verdict is wrong."), "reason")
    if db.session.scalar(select(AuditDispute.id).where(AuditDispute.audit_id == audit.id)):
        raise Conflict(_l("This verdict was already disputed."))
    dispute = AuditDispute(
        audit_id=audit.id, agent_id=agent.id, reason=reason.strip()[:2000], created_at=clock.now()
    )
    db.session.add(dispute)
    db.session.flush()
    record_event(agent, "qa.dispute", dispute, {"audit_id": audit.id})
    return dispute


def resolve_dispute(dispute: AuditDispute, outcome: str, note: str, resolver: User) -> None:
    """Uphold, overturn (the decision counts as correct, in the daily rollup too) or partly accept (the
    severity drops to minor). The auditor can't resolve a dispute of their own verdict."""
    if outcome not in OUTCOMES:
        raise DomainError(_l("Choose uphold, overturn or partly accept."), "outcome")
    if dispute.status != "open":
        raise Conflict(_l("This dispute was already resolved."))
    audit = dispute.audit
    if resolver.id == audit.auditor_id:
        raise DomainError(_l("Another lead or a manager must resolve a dispute of your verdict."))
    if not (note or "").strip():
        raise DomainError(_l("Explain the outcome to the agent."), "note")
    dispute.status, dispute.resolution_note = outcome, note.strip()[:2000]
    dispute.resolver_id, dispute.resolved_at = resolver.id, clock.now()
    if outcome == "overturned":
        if not audit.is_second_review:
            change = 1 - rollup.counts_correct(audit.effective_verdict)
            rollup.count_audit_change(audit.decision, correct=change)
        audit.effective_verdict = "correct"
    elif outcome == "partial" and audit.severity in ("critical", "major"):
        audit.severity = "minor"
    db.session.flush()
    record_event(resolver, "qa.dispute_" + outcome, dispute, {"audit_id": audit.id})
    # An overturned verdict may take away the evidence behind a proposal or a suspension.
    review_standing(audit.decision.agent_id, audit.decision.case_type_id, resolver, cause=outcome)


def open_disputes() -> list[AuditDispute]:
    return list(
        db.session.scalars(
            select(AuditDispute).where(AuditDispute.status == "open").order_by(AuditDispute.created_at)
        )
    )
