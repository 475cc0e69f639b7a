"""Suspensions people can trust: the monitoring rule proposes, a lead or manager decides, and a suspension
whose evidence no longer holds is lifted.

The rule is app/metrics/monitoring.py (an anytime-valid sequential test, so checking after every audit
does not inflate false alarms), run over the agent's first audits of one case type in the order they
were made, correct or incorrect by the verdict that counts after disputes. `review_standing` is the one
entry point: every write that can change that sequence (an audit, an external batch, an edited verdict,
a dispute, re-graded gold) calls it, and it proposes, withdraws or lifts as the evidence now says.

A dismissal, or a lead lifting a suspension by hand, starts the rule afresh after the newest audit then
seen, so the same run of evidence does not propose again.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import clock
from app.admin.settings import automatic_suspension
from app.audit.services import record_event
from app.auth.models import User
from app.errors import Conflict, DomainError
from app.extensions import db
from app.metrics.accuracy import AccuracyAssessment, assess_accuracy
from app.metrics.monitoring import DEFAULT_TARGET, Evidence, error_boundary, evidence
from app.onboarding import services as onboarding
from app.onboarding.models import Certification
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision
from app.qa.quality.models import SuspensionProposal

OPEN = ("pending", "suspended")


@dataclass(frozen=True)
class MonitoredAudit:
    audit_id: int
    created_at: datetime
    decision_ref: str
    decision: str
    verdict: str  # the verdict that counts (after disputes)
    original_verdict: str

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"


@dataclass(frozen=True)
class Evaluation:
    """The rule over one agent's audits of one case type, and the figures shown beside it."""

    audits: list[MonitoredAudit]
    result: Evidence
    assessment: AccuracyAssessment
    at_alarm: Evidence | None = None  # the rule over the audits up to its first crossing
    weights: list[float] | None = field(default=None)

    @property
    def alarmed(self) -> bool:
        return self.result.alarmed

    def detail(self) -> dict:
        """The evidence as plain numbers, for audit events."""
        crossing = self.at_alarm
        return {
            "audits": self.result.audits,
            "errors": self.result.errors,
            "alarm_at": self.result.alarm_at,
            "errors_at_alarm": crossing.errors if crossing else None,
            "evidence": round(crossing.e_value if crossing else self.result.e_value, 4),
            "threshold": self.result.threshold,
            "estimate": self.assessment.estimate,
            "low": self.assessment.low,
            "high": self.assessment.high,
            "weighted": self.weights is not None,
        }


def monitored_audits(agent_id: int, case_type_id: int, after_audit_id: int = 0) -> list[MonitoredAudit]:
    """The agent's first audits of a case type, oldest first (second reviews don't count)."""
    rows = db.session.execute(
        select(
            Audit.id,
            Audit.created_at,
            LiveDecision.decision_id,
            LiveDecision.decision,
            Audit.effective_verdict,
            Audit.verdict,
        )
        .join(LiveDecision, LiveDecision.id == Audit.live_decision_id)
        .where(
            LiveDecision.agent_id == agent_id,
            LiveDecision.case_type_id == case_type_id,
            Audit.is_second_review.is_(False),
            Audit.id > after_audit_id,
        )
        .order_by(Audit.created_at, Audit.id)
    ).all()
    return [MonitoredAudit(*row) for row in rows]


def audit_weights(audits: list[MonitoredAudit]) -> list[float] | None:
    """Design weights for the rule (the inverse of each audit's inclusion probability).

    None for now: the audits are read as a simple random sample. When samples record their inclusion
    probability (issue 13, point 1), return one weight per audit here and the rule, the events and the
    page use them unchanged."""
    return None


def evaluate(agent_id: int, case_type_id: int, after_audit_id: int = 0) -> Evaluation:
    """Run the monitoring rule and the accuracy estimate over the agent's audits after a given one."""
    audits = monitored_audits(agent_id, case_type_id, after_audit_id)
    outcomes = [a.correct for a in audits]
    weights = audit_weights(audits)
    result = evidence(outcomes, weights)
    at_alarm = None
    if result.alarm_at is not None:
        cut = result.alarm_at
        at_alarm = evidence(outcomes[:cut], weights[:cut] if weights else None)
    assessment = assess_accuracy(sum(outcomes), len(outcomes))
    return Evaluation(audits, result, assessment, at_alarm, weights)


def boundary_words(evaluation: Evaluation) -> str:
    """The boundary the rule crossed, or how far it is from it, in plain words."""
    result, crossing = evaluation.result, evaluation.at_alarm
    if crossing is None:
        return _(
            "The rule has not crossed its boundary: after %(n)s audits the evidence that the agent is below "
            "the %(target)s standard is %(value)s, and it proposes a suspension at %(threshold)s.",
            n=result.audits,
            target=f"{DEFAULT_TARGET:.0%}",
            value=f"{result.e_value:.2f}",
            threshold=f"{result.threshold:.0f}",
        )
    return _(
        "At audit %(at)s, with %(errors)s errors so far, the evidence that the agent is below the %(target)s "
        "standard reached %(value)s, past the threshold of %(threshold)s. Unweighted, the rule needs "
        "%(boundary)s errors by audit %(at)s. However often it is checked, it proposes a suspension for an "
        "agent who meets the standard at most %(alpha)s of the time.",
        at=crossing.audits,
        errors=crossing.errors,
        target=f"{DEFAULT_TARGET:.0%}",
        value=f"{crossing.e_value:.1f}",
        threshold=f"{crossing.threshold:.0f}",
        boundary=error_boundary(crossing.audits),
        alpha=f"{1 / crossing.threshold:.0%}",
    )


def open_proposal(agent_id: int, case_type_id: int) -> SuspensionProposal | None:
    return db.session.scalar(
        select(SuspensionProposal)
        .where(
            SuspensionProposal.agent_id == agent_id,
            SuspensionProposal.case_type_id == case_type_id,
            SuspensionProposal.status.in_(OPEN),
        )
        .order_by(SuspensionProposal.id.desc())
    )


def _fresh_start(agent_id: int, case_type_id: int) -> int:
    """The audit after which the rule counts: the newest one seen by a dismissal or a lead's lift."""
    return (
        db.session.scalar(
            select(func.max(SuspensionProposal.last_audit_id)).where(
                SuspensionProposal.agent_id == agent_id,
                SuspensionProposal.case_type_id == case_type_id,
                (SuspensionProposal.status == "dismissed")
                | (
                    (SuspensionProposal.status == "lifted") & (SuspensionProposal.closed_because == "by_lead")
                ),
            )
        )
        or 0
    )


def _newest_audit_id(agent_id: int, case_type_id: int) -> int:
    return (
        db.session.scalar(
            select(func.max(Audit.id))
            .join(LiveDecision, LiveDecision.id == Audit.live_decision_id)
            .where(LiveDecision.agent_id == agent_id, LiveDecision.case_type_id == case_type_id)
        )
        or 0
    )


def _certification(agent_id: int, case_type_id: int) -> Certification | None:
    return db.session.scalar(
        select(Certification).where(
            Certification.user_id == agent_id, Certification.case_type_id == case_type_id
        )
    )


def review_standing(
    agent_id: int, case_type_id: int, actor: User | None, cause: str = "audit"
) -> SuspensionProposal | None:
    """Re-run the rule for one agent and case type after anything that changed their audits, and act on
    it: propose a suspension (or suspend, if the admin allows automatic suspension), or withdraw a pending
    proposal / lift a suspension whose evidence no longer holds, telling the agent. Records an audit event
    for each change. Returns the proposal it created or changed, or None."""
    cert = _certification(agent_id, case_type_id)
    current = open_proposal(agent_id, case_type_id)
    if current is not None and current.status == "suspended" and (cert is None or cert.suspended_at is None):
        _close(current, "lifted", "by_lead", actor, None)  # lifted on the onboarding page meanwhile
        current = None
    if current is not None:
        evaluation = evaluate(agent_id, case_type_id, current.window_after_audit_id)
        certified = cert is not None and cert.certified_at is not None
        if evaluation.alarmed and (certified or current.status == "suspended"):
            return None
        if current.status == "suspended":
            onboarding.lift_suspension(cert, actor)
            _close(current, "lifted", cause, actor, evaluation)
        else:
            _close(current, "withdrawn", cause if certified else "not_certified", actor, evaluation)
        return current
    if cert is None or cert.certified_at is None or cert.suspended_at is not None:
        return None
    start = _fresh_start(agent_id, case_type_id)
    evaluation = evaluate(agent_id, case_type_id, start)
    if not evaluation.alarmed:
        return None
    return _propose(agent_id, case_type_id, start, evaluation, actor)


def _propose(
    agent_id: int, case_type_id: int, start: int, evaluation: Evaluation, actor: User | None
) -> SuspensionProposal:
    crossing = evaluation.at_alarm
    proposal = SuspensionProposal(
        agent_id=agent_id,
        case_type_id=case_type_id,
        window_after_audit_id=start,
        audits=evaluation.result.audits,
        errors=evaluation.result.errors,
        alarm_at=crossing.audits,
        evidence=crossing.e_value,
        threshold=crossing.threshold,
        last_audit_id=evaluation.audits[-1].audit_id,
        created_at=clock.now(),
        status="pending",
    )
    db.session.add(proposal)
    db.session.flush()
    if automatic_suspension():
        proposal.status, proposal.automatic, proposal.decided_at = "suspended", True, clock.now()
        reason = _(
            "the monitoring rule found %(errors)s errors in your first %(n)s audited decisions, past the "
            "boundary for the 98%% standard (automatic suspension).",
            errors=crossing.errors,
            n=crossing.audits,
        )
        onboarding.suspend_certification(agent_id, case_type_id, reason, actor)
        record_event(actor, "suspension.auto", proposal, _detail(proposal, evaluation))
    else:
        record_event(actor, "suspension.propose", proposal, _detail(proposal, evaluation))
    return proposal


def _detail(proposal: SuspensionProposal, evaluation: Evaluation | None, **extra) -> dict:
    base = {"agent_id": proposal.agent_id, "case_type_id": proposal.case_type_id, "status": proposal.status}
    if evaluation is not None:
        base |= evaluation.detail()
    else:
        base |= {
            "audits": proposal.audits,
            "errors": proposal.errors,
            "alarm_at": proposal.alarm_at,
            "evidence": round(proposal.evidence, 4),
            "threshold": proposal.threshold,
        }
    return base | extra


def _close(
    proposal: SuspensionProposal, status: str, because: str, actor: User | None, evaluation: Evaluation | None
) -> None:
    proposal.status, proposal.closed_at, proposal.closed_because = status, clock.now(), because
    if because == "by_lead":
        proposal.last_audit_id = _newest_audit_id(proposal.agent_id, proposal.case_type_id)
    action = "suspension.lift" if status == "lifted" else "suspension.withdraw"
    record_event(actor, action, proposal, _detail(proposal, evaluation, because=because))


def _decidable(proposal: SuspensionProposal) -> Evaluation:
    if proposal.status != "pending":
        raise Conflict(_l("This proposal was already decided."))
    return evaluate(proposal.agent_id, proposal.case_type_id, proposal.window_after_audit_id)


def confirm_proposal(proposal: SuspensionProposal, actor: User, note: str = "") -> None:
    """A lead or manager confirms: the certification is suspended and the agent sees why."""
    evaluation = _decidable(proposal)
    cert = _certification(proposal.agent_id, proposal.case_type_id)
    if cert is None or cert.certified_at is None:
        raise Conflict(_l("The agent is no longer certified for this case type."))
    proposal.status, proposal.decided_by_id, proposal.decided_at = "suspended", actor.id, clock.now()
    proposal.decision_note = (note or "").strip()[:2000]
    reason = _(
        "the monitoring rule found %(errors)s errors in your first %(n)s audited decisions, past the "
        "boundary for the 98%% standard; confirmed by %(name)s.",
        errors=evaluation.at_alarm.errors if evaluation.at_alarm else proposal.errors,
        n=proposal.alarm_at,
        name=actor.display_name,
    )
    onboarding.suspend_certification(proposal.agent_id, proposal.case_type_id, reason, actor)
    record_event(
        actor, "suspension.confirm", proposal, _detail(proposal, evaluation, note=proposal.decision_note)
    )


def dismiss_proposal(proposal: SuspensionProposal, actor: User, reason: str) -> None:
    """A lead or manager dismisses, with a reason; the rule starts afresh after the newest audit."""
    if not (reason or "").strip():
        raise DomainError(_l("Say why the proposal is dismissed."), "reason")
    evaluation = _decidable(proposal)
    proposal.status, proposal.decided_by_id, proposal.decided_at = "dismissed", actor.id, clock.now()
    proposal.decision_note = reason.strip()[:2000]
    proposal.last_audit_id = _newest_audit_id(proposal.agent_id, proposal.case_type_id)
    record_event(
        actor, "suspension.dismiss", proposal, _detail(proposal, evaluation, reason=proposal.decision_note)
    )


def note_lead_lift(cert: Certification, actor: User) -> None:
    """A lead lifted a suspension on the onboarding page: the proposal behind it is closed too."""
    proposal = open_proposal(cert.user_id, cert.case_type_id)
    if proposal is not None and proposal.status == "suspended":
        _close(proposal, "lifted", "by_lead", actor, None)


def proposals(status: str | None = None, limit: int = 100) -> list[SuspensionProposal]:
    query = select(SuspensionProposal).order_by(SuspensionProposal.id.desc()).limit(limit)
    if status:
        query = query.where(SuspensionProposal.status == status)
    return list(db.session.scalars(query))


def pending_count() -> int:
    return db.session.scalar(
        select(func.count(SuspensionProposal.id)).where(SuspensionProposal.status == "pending")
    )


def agent_notices(agent_id: int, days: int = 30) -> list[SuspensionProposal]:
    """Suspensions of this agent in force, and those lifted in the last `days` days: what they are told."""
    since = clock.now() - timedelta(days=days)
    return list(
        db.session.scalars(
            select(SuspensionProposal)
            .where(
                SuspensionProposal.agent_id == agent_id,
                (SuspensionProposal.status == "suspended")
                | ((SuspensionProposal.status == "lifted") & (SuspensionProposal.closed_at >= since)),
            )
            .order_by(SuspensionProposal.id.desc())
        )
    )
