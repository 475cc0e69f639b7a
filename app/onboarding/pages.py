"""Ready-made values for the onboarding templates (templates run no queries).

Reference answers appear only in the values built for graded items: practice feedback after answering,
and exam reviews after submission. Nothing built for an open item carries them.
"""

from flask import abort, url_for
from sqlalchemy import func, select

from app import clock
from app.auth.models import User
from app.cases.models import CaseType, ReferenceAnswer
from app.extensions import db
from app.onboarding import reports, services
from app.onboarding.grading import ExamScore, exam_score
from app.onboarding.models import Attempt, AttemptItem, Certification, GoldDispute
from app.sop.models import SopVersion
from app.sop.parsing import sop_ref_number


def curriculum_rows(user: User) -> list[dict]:
    """Per active case type: the agent's standing, practice accuracy, certification and exam gate."""
    types = list(
        db.session.scalars(select(CaseType).where(CaseType.active.is_(True)).order_by(CaseType.name))
    )
    practice = reports.practice_totals([user.id])
    certs = reports.certifications([user.id])
    last_exams = {
        a.case_type_id: a
        for a in db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.kind == "exam")
            .order_by(Attempt.started_at)
        )
    }
    now = clock.now()
    rows = []
    for case_type in types:
        answered, right = practice.get((user.id, case_type.id), (0, 0))
        cert = certs.get((user.id, case_type.id))
        rows.append(
            {
                "case_type": case_type,
                "status": reports.standing_of(cert, (answered, right), now),
                "practice_answered": answered,
                "practice_accuracy": right / answered if answered else None,
                "expires_at": cert.expires_at if cert else None,
                "suspended_reason": cert.suspended_reason if cert and cert.suspended_at else "",
                "gate": services.exam_gate(user, case_type),
                "last_exam": last_exams.get(case_type.id),
            }
        )
    return rows


def _draft_key(item: AttemptItem) -> str:
    return f"touchstone-draft-{item.id}"


def practice_page(item: AttemptItem) -> dict:
    answered, right = reports.practice_totals([item.attempt.user_id]).get(
        (item.attempt.user_id, item.attempt.case_type_id), (0, 0)
    )
    return {
        "item": item,
        "case": item.golden_case,
        "case_type": item.attempt.case_type,
        "practice_answered": answered,
        "practice_accuracy": right / answered if answered else None,
        "draft_key": _draft_key(item),
        "action": url_for("onboarding.answer_practice", item_id=item.id),
    }


def sop_link(reference: ReferenceAnswer, case_type: CaseType, versions: dict[int, int]) -> str | None:
    """The SOP section (in the version the answer relied on) a reference answer cites."""
    if reference.sop_version_id is None:
        return None
    number = sop_ref_number(reference.sop_ref)
    anchor = "#sec-" + number.replace(".", "-") if number else ""
    return url_for("sop.view", slug=case_type.slug, version=versions[reference.sop_version_id]) + anchor


def _graded_items(items: list[AttemptItem], case_type: CaseType) -> list[dict]:
    """Graded items with their reference, SOP link and latest dispute, in two queries for all of them."""
    disputes: dict[int, GoldDispute] = {}
    for dispute in db.session.scalars(
        select(GoldDispute)
        .where(GoldDispute.attempt_item_id.in_([i.id for i in items]))
        .order_by(GoldDispute.created_at)
    ):
        disputes[dispute.attempt_item_id] = dispute
    version_ids = {i.reference.sop_version_id for i in items if i.reference.sop_version_id}
    versions = dict(
        db.session.execute(
            select(SopVersion.id, SopVersion.version).where(SopVersion.id.in_(version_ids))
        ).all()
    )
    return [
        {
            "item": item,
            "case": item.golden_case,
            "reference": item.reference,
            "sop_url": sop_link(item.reference, case_type, versions),
            "dispute": disputes.get(item.id),
        }
        for item in items
    ]


def feedback_page(item: AttemptItem) -> dict:
    case_type = item.attempt.case_type
    return {
        **_graded_items([item], case_type)[0],
        "case_type": case_type,
        "next_url": url_for("onboarding.deal_practice", slug=case_type.slug),
    }


def first_unanswered(attempt: Attempt) -> int:
    return next((i.position for i in attempt.items if i.answered_at is None), 1)


def own_exam_item(attempt_id: int, position: int, user: User) -> tuple[Attempt, AttemptItem]:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id or attempt.kind != "exam":
        abort(404)
    item = next((i for i in attempt.items if i.position == position), None)
    if item is None:
        abort(404)
    return attempt, item


def after_exam_answer(attempt: Attempt, item: AttemptItem) -> str:
    """The next unanswered case after this one, or the submit page when all are answered."""
    later = [i for i in attempt.items if i.answered_at is None and i.position > item.position]
    earlier = [i for i in attempt.items if i.answered_at is None and i.position < item.position]
    target = (later or earlier or [None])[0]
    if target is None:
        return url_for("onboarding.exam_result", attempt_id=attempt.id, saved=item.id)
    return url_for("onboarding.exam_item", attempt_id=attempt.id, position=target.position, saved=item.id)


def exam_page(attempt: Attempt, item: AttemptItem) -> dict:
    answered = sum(1 for i in attempt.items if i.answered_at is not None)
    return {
        "attempt": attempt,
        "item": item,
        "case": item.golden_case,
        "case_type": attempt.case_type,
        "positions": [(i.position, i.answered_at is not None) for i in attempt.items],
        "answered": answered,
        "total": len(attempt.items),
        "draft_key": _draft_key(item),
        "action": url_for("onboarding.exam_item", attempt_id=attempt.id, position=item.position),
    }


def exam_overview(attempt: Attempt) -> dict:
    """The submit page for an open exam (no answers shown), or the full review once submitted."""
    total = len(attempt.items)
    answered = sum(1 for i in attempt.items if i.answered_at is not None)
    values = {
        "attempt": attempt,
        "case_type": attempt.case_type,
        "total": total,
        "answered": answered,
        "positions": [(i.position, i.answered_at is not None) for i in attempt.items],
    }
    if attempt.status == "submitted":
        values["graded"] = _graded_items(attempt.items, attempt.case_type)
        values["score"] = score_of(attempt, total)
    return values


def score_of(attempt: Attempt, n: int) -> ExamScore | None:
    """A submitted exam's score over its n cases with its Wilson interval; None before submission."""
    if attempt.status != "submitted" or attempt.decision_correct is None:
        return None
    return exam_score(attempt.decision_correct, n, attempt.pass_mark, attempt.key_user_missed or 0)


def agent_record(person: User) -> dict:
    """A lead's view of one agent: exam attempts, newest first, each with its score, and certifications."""
    attempts = list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == person.id, Attempt.kind == "exam")
            .order_by(Attempt.started_at.desc())
        )
    )
    sizes = dict(
        db.session.execute(
            select(AttemptItem.attempt_id, func.count())
            .where(AttemptItem.attempt_id.in_([a.id for a in attempts]))
            .group_by(AttemptItem.attempt_id)
        ).all()
    )
    return {
        "person": person,
        "attempts": [{"attempt": a, "score": score_of(a, sizes.get(a.id, 0))} for a in attempts],
        "certs": list(db.session.scalars(select(Certification).where(Certification.user_id == person.id))),
    }


def result_url(item: AttemptItem) -> str:
    if item.attempt.kind == "exam":
        return url_for("onboarding.exam_result", attempt_id=item.attempt_id) + f"#case-{item.position}"
    return url_for("onboarding.practice_feedback", item_id=item.id)
