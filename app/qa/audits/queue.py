"""The audit queue: claiming samples atomically, auditing them, editing audits with optimistic locking."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.cases.vocabulary import DECISIONS, LABELS
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.qa.audits.models import AUDIT_ROOT_CAUSES, AUDIT_SEVERITIES, VERDICTS, Audit, AuditDispute
from app.qa.decisions.models import LiveDecision, LiveFinding
from app.qa.quality import rollup
from app.qa.sampling.models import Sample

LEASE = timedelta(minutes=30)
AUDITED_MEANWHILE = _l("Another audit of this decision was saved just now. Submit again to save yours.")
STALE_AUDIT = _l("This audit changed since you opened it. Reload to see the latest, then edit.")


def _claimable(lead: User, now):
    """Queued samples, or claims whose lease ran out, that this lead hasn't audited already (so a second
    review always goes to another lead)."""
    audited = exists().where(Audit.live_decision_id == Sample.live_decision_id, Audit.auditor_id == lead.id)
    return or_(
        Sample.status == "queued", (Sample.status == "claimed") & (Sample.lease_expires_at < now)
    ), ~audited


def claim_next(lead: User) -> Sample | None:
    """Atomically claim the most urgent sample: one UPDATE whose subquery picks the row, so two leads can
    never claim the same sample (PostgreSQL skips rows another claim has locked)."""
    now = clock.now()
    pick = (
        select(Sample.id).where(*_claimable(lead, now)).order_by(Sample.priority.desc(), Sample.id).limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    for _attempt in range(5):
        claimed = db.session.execute(
            update(Sample)
            .where(
                Sample.id == pick.scalar_subquery(),
                or_(Sample.status == "queued", Sample.lease_expires_at < now),
            )
            .values(status="claimed", claimed_by_id=lead.id, claimed_at=now, lease_expires_at=now + LEASE)
            .returning(Sample.id)
            .execution_options(synchronize_session=False)
        ).scalar()
        if claimed is not None:
            record_event(lead, "qa.claim", "samples", {"sample_id": claimed})
            return db.session.get(Sample, claimed)
        if db.session.scalar(select(Sample.id).where(*_claimable(lead, now)).limit(1)) is None:
            return None
    return None


def own_claim(sample_id: int, lead: User) -> Sample:
    """A sample this lead holds a live claim on; anything else is 404."""
    sample = db.session.get(Sample, sample_id)
    if sample is None or sample.claimed_by_id != lead.id or sample.status != "claimed":
        raise NotFound()
    return sample


def check_verdict(values: dict) -> None:
    """A verdict's fields: incorrect needs a severity; vocabularies are closed."""
    if values.get("verdict") not in VERDICTS:
        raise DomainError(_l("Choose correct or incorrect."), "verdict")
    if values.get("severity") and values["severity"] not in AUDIT_SEVERITIES:
        raise DomainError(_l("Choose critical, major or minor."), "severity")
    if values["verdict"] == "incorrect" and not values.get("severity"):
        raise DomainError(_l("An incorrect decision needs a severity."), "severity")
    if values.get("corrected_decision") and values["corrected_decision"] not in DECISIONS:
        raise DomainError(_l("Choose pass, block or escalate."), "corrected_decision")
    if values.get("corrected_label") and values["corrected_label"] not in LABELS:
        raise DomainError(_l("Choose TP, TN, FP or FN."), "corrected_label")
    if values.get("root_cause") and values["root_cause"] not in AUDIT_ROOT_CAUSES:
        raise DomainError(_l("Choose A, B, C or agent error."), "root_cause")


def submit_audit(sample: Sample, lead: User, values: dict) -> Audit:
    """Record the lead's verdict on a claimed sample, counting a first audit in the daily rollup. A sample
    picked for a second review goes back to the queue for another lead, who audits it blind; otherwise it
    is done. If a vendor's audit of the decision was stored first in the meantime, it is a Conflict."""
    check_verdict(values)
    second = (
        db.session.scalar(select(Audit.id).where(Audit.live_decision_id == sample.live_decision_id))
        is not None
    )
    now = clock.now()
    audit = Audit(
        live_decision_id=sample.live_decision_id,
        sample_id=sample.id,
        auditor_id=lead.id,
        is_second_review=second,
        effective_verdict=values["verdict"],
        created_at=now,
        updated_at=now,
        **_verdict_fields(values),
    )
    db.session.add(audit)
    if sample.needs_second_review and not second:
        sample.status, sample.claimed_by_id, sample.lease_expires_at = "queued", None, None
    else:
        sample.status = "done"
    try:
        db.session.flush()
    except IntegrityError:  # a vendor's audit of this decision was stored first, just now
        raise Conflict(AUDITED_MEANWHILE) from None
    if not second:
        rollup.count_audit_change(sample.decision, audited=1, correct=rollup.counts_correct(audit.verdict))
    record_event(lead, "qa.audit", audit, {"verdict": audit.verdict, "second_review": second})
    return audit


def _verdict_fields(values: dict) -> dict:
    return {
        "verdict": values["verdict"],
        "corrected_decision": values.get("corrected_decision") or None,
        "corrected_label": values.get("corrected_label") or None,
        "severity": values.get("severity") or None,
        "root_cause": values.get("root_cause") or None,
        "note": (values.get("note") or "").strip()[:4000],
    }


def edit_audit(audit: Audit, lead: User, values: dict, seen_version: int) -> Audit:
    """Change an audit (and the rollup's correct count with it); a stale form (someone saved since it was
    loaded) is a 409."""
    if audit.version != seen_version:
        raise Conflict(STALE_AUDIT)
    if lead.role != "admin" and audit.auditor_id != lead.id:
        raise NotFound()
    check_verdict(values)
    # Asked before any change: the query's autoflush would otherwise write (and version) the audit twice.
    overturned = exists().where(AuditDispute.audit_id == audit.id, AuditDispute.status == "overturned")
    was_overturned = db.session.scalar(select(overturned))
    before = {"verdict": audit.verdict, "severity": audit.severity}
    counted_before = rollup.counts_correct(audit.effective_verdict)
    for name, value in _verdict_fields(values).items():
        setattr(audit, name, value)
    audit.effective_verdict = "correct" if was_overturned else audit.verdict
    audit.updated_at = clock.now()
    try:
        db.session.flush()  # the version column makes a concurrent save fail here too
    except StaleDataError:
        raise Conflict(STALE_AUDIT) from None
    if not audit.is_second_review:
        change = rollup.counts_correct(audit.effective_verdict) - counted_before
        rollup.count_audit_change(audit.decision, correct=change)
    record_event(lead, "qa.audit_edit", audit, {"before": before, "verdict": audit.verdict})
    return audit


def decision_with_findings(decision_id: int) -> tuple[LiveDecision, list[tuple[str, str]]]:
    decision = db.session.get(LiveDecision, decision_id)
    if decision is None:
        raise NotFound()
    findings = db.session.execute(
        select(LiveFinding.code, LiveFinding.severity).where(LiveFinding.live_decision_id == decision_id)
    ).all()
    return decision, [(code, severity) for code, severity in findings]


def queue_counts() -> dict[str, int]:
    return dict(db.session.execute(select(Sample.status, func.count()).group_by(Sample.status)).all())
