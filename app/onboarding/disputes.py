"""Contesting golden answers: an agent disputes, a lead upholds or amends, and amending re-scores."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.cases import services as case_services
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.onboarding.models import Attempt, AttemptItem, GoldDispute
from app.onboarding.services import regrade_attempt, score_item
from app.qa.quality.suspensions import review_standing


def contest(item: AttemptItem, reason: str, user: User) -> GoldDispute:
    """An agent contests the reference answer of a case they have seen graded."""
    if item.attempt.user_id != user.id:
        raise NotFound()
    graded = (
        item.attempt.status == "submitted" if item.attempt.kind == "exam" else item.answered_at is not None
    )
    if not graded:
        raise Conflict(_l("You can contest a case once you have seen its result."))
    if not (reason or "").strip():
        raise DomainError(_l("Say why the reference answer is wrong."), "reason")
    already = db.session.scalar(
        select(GoldDispute.id).where(GoldDispute.attempt_item_id == item.id, GoldDispute.status == "open")
    )
    if already:
        raise Conflict(_l("You already contested this case; a lead will answer."))
    dispute = GoldDispute(
        attempt_item_id=item.id,
        golden_case_id=item.golden_case_id,
        user_id=user.id,
        reason=reason.strip()[:2000],
        created_at=clock.now(),
    )
    db.session.add(dispute)
    db.session.flush()
    record_event(user, "gold.contest", dispute, {"golden_case_id": item.golden_case_id})
    return dispute


def uphold(dispute: GoldDispute, note: str, actor: User) -> None:
    """Keep the reference answer; the agent sees the lead's note."""
    _close(dispute, "upheld", note, actor)
    record_event(actor, "gold.uphold", dispute, {"note": dispute.resolution_note})


def amend(dispute: GoldDispute, answer: dict, note: str, actor: User) -> int:
    """Amend the reference answer (a new version), then re-score every answer to that case and the
    attempts they belong to, in the caller's transaction. Returns how many attempts were re-scored."""
    case = dispute.golden_case
    new = case_services.amend_answer(case, answer, actor, note or f"dispute #{dispute.id}")
    rescored = rescore_case(case.id, new.id, actor)
    _close(dispute, "amended", note, actor)
    dispute.new_answer_id = new.id
    record_event(actor, "gold.amend", dispute, {"version": new.version, "attempts_rescored": rescored})
    # Other open disputes of the same case are settled by the same amendment.
    for other in db.session.scalars(
        select(GoldDispute).where(GoldDispute.golden_case_id == case.id, GoldDispute.status == "open")
    ):
        _close(other, "amended", note, actor)
        other.new_answer_id = new.id
    return rescored


def rescore_case(golden_case_id: int, reference_answer_id: int, actor: User | None = None) -> int:
    """Score every given answer to a case against a new reference version; re-grade submitted exams, and
    re-review the standing (suspension proposals) of every agent whose exam was re-graded."""
    db.session.execute(
        update(AttemptItem)
        .where(AttemptItem.golden_case_id == golden_case_id, AttemptItem.reference_answer_id.is_not(None))
        .values(reference_answer_id=reference_answer_id)
    )
    items = list(db.session.scalars(select(AttemptItem).where(AttemptItem.golden_case_id == golden_case_id)))
    attempts: set[int] = set()
    for item in items:
        db.session.refresh(item)
        if item.attempt.kind == "exam" and item.attempt.status == "submitted":
            attempts.add(item.attempt_id)
        elif item.decision:
            score_item(item)
    regraded = list(db.session.scalars(select(Attempt).where(Attempt.id.in_(attempts))))
    for attempt in regraded:
        regrade_attempt(attempt)
    db.session.flush()
    for user_id, case_type_id in sorted({(a.user_id, a.case_type_id) for a in regraded}):
        review_standing(user_id, case_type_id, actor, cause="regraded")
    return len(attempts)


def _close(dispute: GoldDispute, status: str, note: str, actor: User) -> None:
    if dispute.status != "open":
        raise Conflict(_l("This dispute was already resolved."))
    if actor.id == dispute.user_id:
        raise DomainError(_l("Someone else must resolve your own dispute."))
    dispute.status, dispute.resolution_note = status, (note or "").strip()
    dispute.resolver_id, dispute.resolved_at = actor.id, clock.now()


def open_dispute_counts() -> dict[int, int]:
    """Golden case id → number of open disputes."""
    rows = db.session.execute(
        select(GoldDispute.golden_case_id, func.count())
        .where(GoldDispute.status == "open")
        .group_by(GoldDispute.golden_case_id)
    )
    return dict(rows.all())
