"""Practice, exams and certifications: the writes. Services flush and raise; views commit."""

import random
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.cases.answer_rules import answer_problems
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.errors import Conflict, DomainError, ImportRejected, NotFound
from app.extensions import db
from app.onboarding import curriculum
from app.onboarding.drawing import draw_exam, next_practice_case
from app.onboarding.grading import Answer, grade_attempt, grade_item
from app.onboarding.models import Attempt, AttemptItem, Certification
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveDecision


def current_answer_ids(case_ids: list[int]) -> dict[int, int]:
    """Golden case id → id of its newest reference answer."""
    newest = (
        select(ReferenceAnswer.golden_case_id, func.max(ReferenceAnswer.version).label("version"))
        .where(ReferenceAnswer.golden_case_id.in_(case_ids))
        .group_by(ReferenceAnswer.golden_case_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ReferenceAnswer.golden_case_id, ReferenceAnswer.id).join(
            newest,
            (newest.c.golden_case_id == ReferenceAnswer.golden_case_id)
            & (newest.c.version == ReferenceAnswer.version),
        )
    )
    return dict(rows.all())


def find_certification(user_id: int, case_type_id: int) -> Certification | None:
    return db.session.scalar(
        select(Certification).where(
            Certification.user_id == user_id, Certification.case_type_id == case_type_id
        )
    )


def certification_standing(user_id: int, case_type_id: int) -> Certification:
    """The agent's certification row, or an empty one left out of the session: for reading, never written."""
    found = find_certification(user_id, case_type_id)
    return found if found is not None else Certification(user_id=user_id, case_type_id=case_type_id)


def certification_row(user_id: int, case_type_id: int) -> Certification:
    """The agent's certification row for a case type, created empty on first need (for writes)."""
    row = find_certification(user_id, case_type_id)
    if row is None:
        row = Certification(user_id=user_id, case_type_id=case_type_id)
        db.session.add(row)
        db.session.flush()
    return row


def open_attempt(user_id: int, case_type_id: int, kind: str) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.user_id == user_id,
            Attempt.case_type_id == case_type_id,
            Attempt.kind == kind,
            Attempt.status == "open",
        )
    )


def get_own_attempt(attempt_id: int, user: User) -> Attempt:
    """An attempt of this user, its items, cases and references loaded; anyone else's answers 404."""
    items = selectinload(Attempt.items)
    attempt = db.session.get(
        Attempt,
        attempt_id,
        options=[items.selectinload(AttemptItem.golden_case), items.selectinload(AttemptItem.reference)],
    )
    if attempt is None or attempt.user_id != user.id:
        raise NotFound()
    return attempt


def active_pool(case_type_id: int, for_exam: bool) -> list[tuple[int, str]]:
    """(id, scenario) of active cases of a type; exams also skip cases rotated out for a rest."""
    query = select(GoldenCase.id, GoldenCase.scenario).where(
        GoldenCase.case_type_id == case_type_id, GoldenCase.status == "active"
    )
    if for_exam:
        now = clock.now()
        query = query.where((GoldenCase.rested_until.is_(None)) | (GoldenCase.rested_until <= now))
    return list(db.session.execute(query))


def sealed_cases(user_id: int, case_type_id: int) -> set[int]:
    """Cases of the agent's open exam: practising one would show its reference before the exam is in."""
    return set(
        db.session.scalars(
            select(AttemptItem.golden_case_id)
            .join(Attempt)
            .where(
                Attempt.user_id == user_id,
                Attempt.case_type_id == case_type_id,
                Attempt.kind == "exam",
                Attempt.status == "open",
            )
        )
    )


def pending_practice_item(user: User, case_type: CaseType) -> AttemptItem | None:
    """The practice case dealt and still unanswered, unless the exam has sealed it; reads only."""
    attempt = open_attempt(user.id, case_type.id, "practice")
    if attempt is None:
        return None
    pending = _unanswered_item(attempt)
    if pending is None or pending.golden_case_id in sealed_cases(user.id, case_type.id):
        return None
    return pending


def _unanswered_item(attempt: Attempt) -> AttemptItem | None:
    return db.session.scalar(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id, AttemptItem.answered_at.is_(None))
    )


def next_practice_item(
    user: User, case_type: CaseType, rng: random.Random | None = None
) -> AttemptItem | None:
    """Deal the agent's next practice case: the unanswered one, or a new one they have not seen recently.

    Opens a practice attempt when there is none; returns None when the case type has no practice cases."""
    attempt = open_attempt(user.id, case_type.id, "practice")
    if attempt is None:
        attempt = Attempt(user_id=user.id, case_type_id=case_type.id, kind="practice", started_at=clock.now())
        db.session.add(attempt)
        db.session.flush()
    sealed = sealed_cases(user.id, case_type.id)
    pending = _unanswered_item(attempt)
    if pending and pending.golden_case_id not in sealed:
        return pending
    if pending:  # drawn before the exam took the same case: never answered, so it can go
        db.session.delete(pending)
        db.session.flush()
    seen = db.session.execute(
        select(AttemptItem.golden_case_id, func.max(AttemptItem.shown_at))
        .join(Attempt)
        .where(Attempt.user_id == user.id, Attempt.case_type_id == case_type.id)
        .group_by(AttemptItem.golden_case_id)
    )
    pool = [c for c in _practice_pool(user, case_type) if c not in sealed]  # remediation while suspended
    in_attempt = set(
        db.session.scalars(select(AttemptItem.golden_case_id).where(AttemptItem.attempt_id == attempt.id))
    )
    if in_attempt >= set(pool) and pool:
        # Every case was practised in this run: start a fresh run so cases can come round again.
        attempt.status, attempt.submitted_at = "submitted", clock.now()
        return next_practice_item(user, case_type, rng)
    choice = next_practice_case(
        [c for c in pool if c not in in_attempt], dict(seen.all()), rng or random.Random()
    )
    if choice is None:
        return None
    position = len(in_attempt) + 1
    item = AttemptItem(attempt_id=attempt.id, golden_case_id=choice, position=position, shown_at=clock.now())
    db.session.add(item)
    db.session.flush()
    return item


def _practice_pool(user: User, case_type: CaseType) -> list[int]:
    """Active cases; while suspended, the remediation set: the scenarios QA found the agent getting wrong."""
    cases = active_pool(case_type.id, for_exam=False)
    cert = certification_standing(user.id, case_type.id)
    focus = set(remediation_scenarios(user.id, case_type.id)) if cert.suspended_at else set()
    focused = [case_id for case_id, scenario in cases if scenario in focus]
    return focused or [case_id for case_id, _scenario in cases]


def remediation_scenarios(agent_id: int, case_type_id: int) -> list[str]:
    """Scenarios of the agent's decisions audited incorrect, most frequent first."""
    rows = db.session.execute(
        select(LiveDecision.scenario, func.count())
        .join(Audit, Audit.live_decision_id == LiveDecision.id)
        .where(
            LiveDecision.agent_id == agent_id,
            LiveDecision.case_type_id == case_type_id,
            Audit.effective_verdict == "incorrect",
            LiveDecision.scenario.is_not(None),
        )
        .group_by(LiveDecision.scenario)
        .order_by(func.count().desc())
    )
    return [scenario for scenario, _count in rows]


def _check_answer(answer: dict) -> Answer:
    problems = answer_problems(
        answer.get("decision"),
        answer.get("label"),
        answer.get("root_cause") or None,
        answer.get("rationale") or "",
    )
    if problems:
        raise ImportRejected(problems)
    return Answer(answer["decision"], answer["label"], answer.get("root_cause") or None)


def _store_answer(item: AttemptItem, given: Answer, rationale: str, *, only_if_unanswered: bool) -> None:
    """Write the answer with a conditional UPDATE, so two racing submits can't both land."""
    reference_id = current_answer_ids([item.golden_case_id])[item.golden_case_id]
    statement = (
        update(AttemptItem)
        .where(AttemptItem.id == item.id)
        .values(
            decision=given.decision,
            label=given.label,
            root_cause=given.root_cause,
            rationale=rationale.strip(),
            answered_at=clock.now(),
            reference_answer_id=reference_id,
        )
    )
    if only_if_unanswered:
        statement = statement.where(AttemptItem.answered_at.is_(None))
    if db.session.execute(statement).rowcount != 1:
        raise Conflict(_l("This answer was already submitted and can't be changed."))
    db.session.refresh(item)


def answer_practice(item: AttemptItem, answer: dict) -> AttemptItem:
    """Record a practice answer and grade it at once against the current reference version."""
    given = _check_answer(answer)
    if item.attempt.kind != "practice":
        raise NotFound()
    if item.golden_case_id in sealed_cases(item.attempt.user_id, item.attempt.case_type_id):
        raise Conflict(_l("This case is in your open exam: submit the exam first."))
    _store_answer(item, given, answer.get("rationale") or "", only_if_unanswered=True)
    score_item(item)
    return item


def score_item(item: AttemptItem) -> None:
    """Mark which parts of an item's answer match its reference version."""
    reference = item.reference
    grade = grade_item(
        Answer(item.decision, item.label, item.root_cause),
        Answer(reference.decision, reference.label, reference.root_cause),
        item.golden_case.priority,
    )
    item.decision_ok, item.label_ok, item.root_cause_ok = (
        grade.decision_ok,
        grade.label_ok,
        grade.root_cause_ok,
    )


def exam_gate(user: User, case_type: CaseType) -> curriculum.ExamGate:
    """Whether this agent may start or resume the exam of this case type now."""
    now = clock.now()
    cert = certification_standing(user.id, case_type.id)
    status = curriculum.progress_status(
        curriculum.Standing(cert.certified_at, cert.expires_at, cert.suspended_at), now
    )
    failed = select(Attempt).where(
        Attempt.user_id == user.id,
        Attempt.case_type_id == case_type.id,
        Attempt.kind == "exam",
        Attempt.status == "submitted",
        Attempt.passed.is_(False),
    )
    if cert.attempts_reset_at:
        failed = failed.where(Attempt.submitted_at > cert.attempts_reset_at)
    failures = list(db.session.scalars(failed.order_by(Attempt.submitted_at.desc())))
    return curriculum.exam_gate(
        now,
        status,
        len(failures),
        case_type.max_attempts,
        failures[0].submitted_at if failures else None,
        timedelta(hours=case_type.cooldown_hours),
        open_attempt(user.id, case_type.id, "exam") is not None,
    )


def start_exam(user: User, case_type: CaseType, rng: random.Random | None = None) -> Attempt:
    """Resume the open exam, or draw a fresh one spread over scenarios, avoiding the previous attempt's
    cases while the pool allows."""
    gate = exam_gate(user, case_type)
    if not gate.allowed:
        raise Conflict(_l("The exam can't be started now."))
    existing = open_attempt(user.id, case_type.id, "exam")
    if existing:
        return existing
    previous = db.session.scalar(
        select(Attempt.id)
        .where(Attempt.user_id == user.id, Attempt.case_type_id == case_type.id, Attempt.kind == "exam")
        .order_by(Attempt.started_at.desc())
        .limit(1)
    )
    avoid = set(
        db.session.scalars(select(AttemptItem.golden_case_id).where(AttemptItem.attempt_id == previous))
    )
    chosen = draw_exam(
        active_pool(case_type.id, for_exam=True), case_type.exam_size, avoid, rng or random.Random()
    )
    if not chosen:
        raise DomainError(_l("There are no active golden cases for this exam yet."))
    now = clock.now()
    attempt = Attempt(
        user_id=user.id, case_type_id=case_type.id, kind="exam", started_at=now, pass_mark=case_type.pass_mark
    )
    attempt.items = [
        AttemptItem(golden_case_id=c, position=i + 1, shown_at=now) for i, c in enumerate(chosen)
    ]
    db.session.add(attempt)
    db.session.flush()
    record_event(user, "exam.start", attempt, {"case_type": case_type.slug, "cases": len(chosen)})
    return attempt


def save_exam_answer(item: AttemptItem, answer: dict) -> AttemptItem:
    """Save (or change) an exam answer while the exam is open; after submission it is 409."""
    given = _check_answer(answer)
    if item.attempt.status != "open":
        raise Conflict(_l("This exam was submitted; answers can't be changed."))
    _store_answer(item, given, answer.get("rationale") or "", only_if_unanswered=False)
    return item


def submit_exam(attempt: Attempt, user: User) -> Attempt:
    """Close and grade the exam once: a second or concurrent submit gets 409. Certifies on a pass."""
    closed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == "open", Attempt.kind == "exam")
        .values(status="submitted", submitted_at=clock.now())
    )
    if closed.rowcount != 1:
        raise Conflict(_l("This exam was already submitted."))
    db.session.refresh(attempt)
    unanswered = [item.golden_case_id for item in attempt.items if item.reference_answer_id is None]
    references = current_answer_ids(unanswered)
    for item in attempt.items:
        if item.reference_answer_id is None:
            item.reference_answer_id = references[item.golden_case_id]
    db.session.flush()
    regrade_attempt(attempt)
    record_event(
        user, "exam.submit", attempt, {"passed": attempt.passed, "correct": attempt.decision_correct}
    )
    return attempt


def regrade_attempt(attempt: Attempt) -> None:
    """(Re)compute every item's and the attempt's scores from each item's reference version, and let
    the certification follow the result."""
    rows = []
    for item in attempt.items:
        db.session.refresh(item, ["reference"])
        if item.decision:
            score_item(item)
        else:
            _mark_unanswered(item)
        reference = item.reference
        rows.append(
            (
                Answer(item.decision, item.label, item.root_cause),
                Answer(reference.decision, reference.label, reference.root_cause),
                item.golden_case.priority,
            )
        )
    grade = grade_attempt(rows, attempt.pass_mark)
    attempt.decision_correct, attempt.label_correct = grade.decision_correct, grade.label_correct
    attempt.root_cause_correct, attempt.root_cause_total = grade.root_cause_correct, grade.root_cause_total
    attempt.cost_total, attempt.cost_normalised = grade.cost_total, grade.cost_normalised
    attempt.key_user_missed, attempt.passed = grade.key_user_missed, grade.passed
    _certify_from(attempt)


def _mark_unanswered(item: AttemptItem) -> None:
    item.decision_ok = item.label_ok = False
    item.root_cause_ok = False if item.reference.root_cause else None


def _certify_from(attempt: Attempt) -> None:
    """A passing exam certifies until expiry; if re-scoring fails the exam that certified, that ends."""
    cert = certification_row(attempt.user_id, attempt.case_type_id)
    if attempt.passed:
        if cert.certified_at is None or attempt.submitted_at >= cert.certified_at:
            cert.certified_at = attempt.submitted_at
            cert.expires_at = attempt.submitted_at + timedelta(days=attempt.case_type.validity_days)
            cert.attempt_id = attempt.id
    elif cert.attempt_id == attempt.id:
        cert.certified_at = cert.expires_at = cert.attempt_id = None


def suspend_certification(user_id: int, case_type_id: int, reason: str, actor: User | None) -> Certification:
    """QA suspends an agent's certification for a case type (live accuracy below the benchmark)."""
    cert = certification_row(user_id, case_type_id)
    cert.suspended_at, cert.suspended_reason = clock.now(), reason.strip()
    record_event(actor, "certification.suspend", cert, {"reason": cert.suspended_reason})
    return cert


def lift_suspension(cert: Certification, actor: User) -> None:
    """A lead lifts a suspension."""
    if cert.suspended_at is None:
        raise Conflict(_l("This certification is not suspended."))
    cert.suspended_at, cert.suspended_reason = None, ""
    record_event(actor, "certification.lift", cert)


def reset_attempts(cert: Certification, actor: User) -> None:
    """A lead resets the failed-attempt count so the agent may try again."""
    cert.attempts_reset_at = clock.now()
    record_event(actor, "certification.reset_attempts", cert)
