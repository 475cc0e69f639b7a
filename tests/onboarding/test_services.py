"""Practice, exams and certifications through the services (no HTTP)."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.cases import services as case_services
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.errors import Conflict, DomainError, ImportRejected
from app.onboarding import reports, services
from app.onboarding.models import Attempt, AttemptItem, Certification
from tests.onboarding.conftest import right, wrong


def kyc(db) -> CaseType:
    return db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))


def events(db, action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.fixture
def agent(db, make_user):
    user = make_user("agent")
    return db.session.get(User, user.id)


@pytest.fixture
def lead(db, make_user):
    user = make_user("qa_lead")
    return db.session.get(User, user.id)


def take_exam(db, agent, cases, *, wrong_keys=(), unanswered_keys=(), seed=0) -> Attempt:
    """Start (or resume) the exam, answer every case (right unless listed), submit, commit."""
    by_id = {c["id"]: c for c in cases}
    attempt = services.start_exam(agent, kyc(db), random.Random(seed))
    for item in attempt.items:
        case = by_id[item.golden_case_id]
        if case["key"] in unanswered_keys:
            continue
        services.save_exam_answer(item, wrong(case) if case["key"] in wrong_keys else right(case))
    services.submit_exam(attempt, agent)
    db.session.commit()
    return attempt


# --- practice ---------------------------------------------------------------------------------------


def test_practice_draws_unseen_cases_until_every_case_was_seen(db, golden_set, agent):
    cases = golden_set(kinds=("fn", "tp", "tn"))
    shown = []
    for _ in range(3):
        item = services.next_practice_item(agent, kyc(db), random.Random(1))
        shown.append(item.golden_case_id)
        services.answer_practice(item, right(next(c for c in cases if c["id"] == item.golden_case_id)))
        db.session.commit()
    assert sorted(shown) == sorted(c["id"] for c in cases)
    # All three seen: the next one is the one seen longest ago, in a fresh practice run.
    again = services.next_practice_item(agent, kyc(db), random.Random(1))
    assert again.golden_case_id == shown[0]
    assert again.attempt_id != item.attempt_id


def test_practice_resumes_the_pending_case(db, golden_set, agent):
    golden_set(kinds=("fn", "tp", "tn"))
    first = services.next_practice_item(agent, kyc(db), random.Random(1))
    db.session.commit()
    for seed in (2, 3, 4):
        assert services.next_practice_item(agent, kyc(db), random.Random(seed)).id == first.id
    assert db.session.scalar(select(func.count()).select_from(AttemptItem)) == 1


def test_practice_skips_retired_cases_and_gives_none_when_nothing_is_active(db, golden_set, agent):
    cases = golden_set(kinds=("fn", "tp"))
    retired = db.session.get(GoldenCase, cases[0]["id"])
    case_services.set_status(retired, "retired", None)
    db.session.commit()
    item = services.next_practice_item(agent, kyc(db), random.Random(0))
    assert item.golden_case_id == cases[1]["id"]
    case_services.set_status(db.session.get(GoldenCase, cases[1]["id"]), "retired", None)
    services.answer_practice(item, right(cases[1]))
    db.session.commit()
    assert services.next_practice_item(agent, kyc(db), random.Random(0)) is None


@pytest.mark.parametrize(
    ("kind", "answer", "marks"),
    [
        ("fn", None, (True, True, True)),
        (
            "fn",
            {"decision": "block", "label": "FN", "root_cause": "B", "rationale": "Model bias."},
            (True, True, False),
        ),
        (
            "fn",
            {"decision": "pass", "label": "TN", "root_cause": None, "rationale": ""},
            (False, False, False),
        ),
        (
            "tp",
            {"decision": "block", "label": "TP", "root_cause": None, "rationale": "Mixer."},
            (True, True, None),
        ),
    ],
)
def test_practice_is_graded_at_once(db, golden_set, agent, kind, answer, marks):
    (case,) = golden_set(kinds=(kind,))
    item = services.next_practice_item(agent, kyc(db), random.Random(0))
    services.answer_practice(item, answer or right(case))
    db.session.commit()
    stored = db.session.get(AttemptItem, item.id)
    assert (stored.decision_ok, stored.label_ok, stored.root_cause_ok) == marks
    assert stored.answered_at is not None


def test_practice_is_scored_against_the_version_current_when_answered(db, golden_set, agent, lead):
    case_a, case_b = golden_set(kinds=("fn", "fn"))
    first = services.next_practice_item(agent, kyc(db), random.Random(0))
    services.answer_practice(first, right(case_a if first.golden_case_id == case_a["id"] else case_b))
    db.session.commit()
    v1 = first.reference_answer_id
    # The reference of the other case changes to "pass" before the agent answers it.
    other = case_b if first.golden_case_id == case_a["id"] else case_a
    amended = case_services.amend_answer(
        db.session.get(GoldenCase, other["id"]),
        {
            "decision": "pass",
            "label": "TN",
            "rationale": "Tamper score is a scanner artefact.",
            "sop_ref": "KYC-3.2",
        },
        lead,
    )
    db.session.commit()
    second = services.next_practice_item(agent, kyc(db), random.Random(0))
    assert second.golden_case_id == other["id"]
    services.answer_practice(second, right(other))  # the old reference: block
    db.session.commit()
    assert second.reference_answer_id == amended.id
    assert db.session.get(ReferenceAnswer, amended.id).version == 2
    assert second.decision_ok is False
    assert first.reference_answer_id == v1 and first.decision_ok is True


def test_a_second_practice_answer_is_a_conflict_and_changes_nothing(db, golden_set, agent):
    (case,) = golden_set(kinds=("fn",))
    item = services.next_practice_item(agent, kyc(db), random.Random(0))
    services.answer_practice(item, right(case))
    db.session.commit()
    with pytest.raises(Conflict) as raised:
        services.answer_practice(item, wrong(case))
    assert raised.value.status == 409
    db.session.rollback()
    stored = db.session.get(AttemptItem, item.id)
    assert (stored.decision, stored.decision_ok) == ("block", True)


def test_a_malformed_practice_answer_is_refused_and_nothing_stored(db, golden_set, agent):
    golden_set(kinds=("fn",))
    item = services.next_practice_item(agent, kyc(db), random.Random(0))
    db.session.commit()
    with pytest.raises(ImportRejected) as raised:
        services.answer_practice(
            item, {"decision": "block", "label": "FN", "root_cause": None, "rationale": "x."}
        )
    assert [e.field for e in raised.value.errors] == ["root_cause"]
    db.session.rollback()
    assert db.session.get(AttemptItem, item.id).answered_at is None


def test_practice_does_not_draw_cases_of_the_open_exam(db, golden_set, agent):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp", "fn", "tp"), exam_size=3)
    exam = services.start_exam(agent, kyc(db), random.Random(0))
    db.session.commit()
    in_exam = {i.golden_case_id for i in exam.items}
    practised = set()
    for _ in range(6):
        item = services.next_practice_item(agent, kyc(db), random.Random(0))
        practised.add(item.golden_case_id)
        services.answer_practice(item, right(next(c for c in cases if c["id"] == item.golden_case_id)))
        db.session.commit()
    assert practised == {c["id"] for c in cases} - in_exam


def test_a_pending_practice_case_taken_by_the_exam_is_sealed_until_submission(db, golden_set, agent):
    cases = golden_set(kinds=("fn", "tp"), exam_size=2)
    pending = services.next_practice_item(agent, kyc(db), random.Random(0))
    exam = services.start_exam(agent, kyc(db), random.Random(0))
    db.session.commit()
    case = next(c for c in cases if c["id"] == pending.golden_case_id)
    with pytest.raises(Conflict):
        services.answer_practice(pending, right(case))
    db.session.rollback()
    assert db.session.get(AttemptItem, pending.id).answered_at is None
    assert services.next_practice_item(agent, kyc(db), random.Random(0)) is None  # every case is sealed
    db.session.commit()
    services.submit_exam(exam, agent)
    db.session.commit()
    after = services.next_practice_item(agent, kyc(db), random.Random(0))
    services.answer_practice(after, right(next(c for c in cases if c["id"] == after.golden_case_id)))
    assert after.decision_ok is True


# --- exams ------------------------------------------------------------------------------------------


def test_exam_draws_exam_size_cases_over_scenarios_and_a_second_start_resumes(db, golden_set, agent):
    golden_set(kinds=("fn", "tp", "tn", "fp") * 3, scenarios=4, exam_size=8)
    attempt = services.start_exam(agent, kyc(db), random.Random(3))
    db.session.commit()
    assert [i.position for i in attempt.items] == list(range(1, 9))
    scenarios = [i.golden_case.scenario for i in attempt.items]
    assert sorted(scenarios.count(s) for s in set(scenarios)) == [2, 2, 2, 2]
    again = services.start_exam(agent, kyc(db), random.Random(99))
    db.session.commit()
    assert again.id == attempt.id
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert events(db, "exam.start") == 1


def test_exam_avoids_the_previous_attempts_cases(db, golden_set, agent, clock):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp") * 2, exam_size=4, cooldown_hours=0)
    first = take_exam(db, agent, cases, wrong_keys={c["key"] for c in cases})
    clock.advance(minutes=1)
    second = services.start_exam(agent, kyc(db), random.Random(0))
    assert {i.golden_case_id for i in second.items}.isdisjoint({i.golden_case_id for i in first.items})


def test_exam_answers_can_change_until_submitted(db, golden_set, agent):
    (case,) = golden_set(kinds=("fn",))
    attempt = services.start_exam(agent, kyc(db), random.Random(0))
    (item,) = attempt.items
    services.save_exam_answer(item, wrong(case))
    db.session.commit()
    assert item.decision == "pass" and item.decision_ok is None  # saved, not graded
    services.save_exam_answer(item, right(case))
    db.session.commit()
    assert item.decision == "block"
    services.submit_exam(attempt, agent)
    db.session.commit()
    with pytest.raises(Conflict):
        services.save_exam_answer(item, wrong(case))
    db.session.rollback()
    assert db.session.get(AttemptItem, item.id).decision == "block"


def test_submit_grades_once_and_certifies_until_expiry(db, golden_set, agent, clock):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"), validity_days=30)
    attempt = take_exam(db, agent, cases)
    assert attempt.status == "submitted" and attempt.submitted_at == clock.now
    assert (attempt.decision_correct, attempt.label_correct) == (4, 4)
    assert (attempt.root_cause_correct, attempt.root_cause_total) == (2, 2)
    assert (attempt.cost_total, attempt.key_user_missed, attempt.passed) == (0.0, 0, True)
    cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
    assert cert.certified_at == clock.now
    assert cert.expires_at == clock.now + timedelta(days=30)
    assert cert.attempt_id == attempt.id

    clock.advance(hours=1)
    with pytest.raises(Conflict):
        services.submit_exam(attempt, agent)
    db.session.rollback()
    again = db.session.get(Attempt, attempt.id)
    assert (again.decision_correct, again.submitted_at) == (4, clock.now - timedelta(hours=1))
    assert events(db, "exam.submit") == 1


def test_unanswered_exam_cases_count_wrong(db, golden_set, agent):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"), pass_mark=0.5)
    attempt = take_exam(db, agent, cases, unanswered_keys={cases[0]["key"]})
    assert (attempt.decision_correct, attempt.label_correct) == (3, 3)
    assert attempt.cost_total == 10.0  # the unanswered block costs the worst mistake
    assert attempt.passed is True
    unanswered = next(i for i in attempt.items if i.golden_case_id == cases[0]["id"])
    assert (unanswered.decision_ok, unanswered.root_cause_ok) == (False, False)
    assert unanswered.reference_answer_id is not None


@pytest.mark.parametrize(("wrong_kind", "passed"), [("key", False), ("tn", True)])
def test_a_missed_key_user_fails_whatever_the_percentage(db, golden_set, agent, wrong_kind, passed):
    # 3 of 4 right is above a 0.5 pass mark: only a missed Key User fails it.
    cases = golden_set(kinds=("key", "tp", "tn", "fp"), pass_mark=0.5)
    missed = next(c for c in cases if c["kind"] == wrong_kind)
    attempt = take_exam(db, agent, cases, wrong_keys={missed["key"]})
    assert attempt.decision_correct == 3
    assert attempt.key_user_missed == (1 if wrong_kind == "key" else 0)
    assert attempt.passed is passed
    cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
    assert (cert.certified_at is not None) is passed


def test_cooldown_blocks_a_retake_until_it_has_passed(db, golden_set, agent, clock):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp") * 2, cooldown_hours=24)
    failed = take_exam(db, agent, cases, wrong_keys={c["key"] for c in cases})
    assert failed.passed is False
    clock.advance(hours=23, minutes=59)
    gate = services.exam_gate(agent, kyc(db))
    assert (gate.allowed, gate.reason, gate.wait_until) == (
        False,
        "cooldown",
        failed.submitted_at + timedelta(hours=24),
    )
    with pytest.raises(Conflict):
        services.start_exam(agent, kyc(db))
    db.session.rollback()
    clock.advance(minutes=1)
    assert services.start_exam(agent, kyc(db)).id != failed.id


def test_max_attempts_lock_until_a_lead_resets(db, golden_set, agent, lead, clock):
    cases = golden_set(kinds=("fn", "tp", "tn", "fp") * 2, cooldown_hours=1, max_attempts=2)
    for _ in range(2):
        take_exam(db, agent, cases, wrong_keys={c["key"] for c in cases})
        clock.advance(hours=2)
    assert services.exam_gate(agent, kyc(db)).reason == "locked"
    with pytest.raises(Conflict):
        services.start_exam(agent, kyc(db))
    db.session.rollback()
    cert = services.certification_row(agent.id, kyc(db).id)
    services.reset_attempts(cert, lead)
    db.session.commit()
    assert events(db, "certification.reset_attempts") == 1
    clock.advance(minutes=1)
    assert services.exam_gate(agent, kyc(db)).reason == "ready"
    # One more failure after the reset is one of two again, not the third.
    take_exam(db, agent, cases, wrong_keys={c["key"] for c in cases})
    clock.advance(hours=2)
    assert services.exam_gate(agent, kyc(db)).reason == "ready"


def test_suspend_and_lift_a_certification(db, golden_set, agent, lead):
    cases = golden_set()
    take_exam(db, agent, cases)
    cert = services.suspend_certification(agent.id, kyc(db).id, "  Live accuracy 91%.  ", None)
    db.session.commit()
    assert cert.suspended_reason == "Live accuracy 91%."
    gate = services.exam_gate(agent, kyc(db))
    assert (gate.allowed, gate.reason) == (False, "suspended")
    services.lift_suspension(cert, lead)
    db.session.commit()
    assert cert.suspended_at is None and cert.certified_at is not None
    assert services.exam_gate(agent, kyc(db)).reason == "certified"
    with pytest.raises(Conflict):
        services.lift_suspension(cert, lead)
    assert (events(db, "certification.suspend"), events(db, "certification.lift")) == (1, 1)


def test_certification_expires_and_recertification_opens_14_days_before(db, golden_set, agent, clock):
    cases = golden_set(validity_days=90)
    take_exam(db, agent, cases)
    certified_at = clock.now
    # (days after certifying, status, exam gate)
    for days, status, gate in [
        (0, "certified", "certified"),
        (75, "certified", "certified"),
        (76, "expiring", "recertify"),
        (89, "expiring", "recertify"),
        (90, "expired", "recertify"),
        (400, "expired", "recertify"),
    ]:
        clock.now = certified_at + timedelta(days=days)
        cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
        assert reports.standing_of(cert, None, clock.now) == status, days
        assert services.exam_gate(agent, kyc(db)).reason == gate, days
    # Re-certifying renews the certification from the new exam.
    clock.now = certified_at + timedelta(days=80)
    take_exam(db, agent, cases)
    cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
    assert cert.expires_at == clock.now + timedelta(days=90)


def test_an_exam_with_no_active_cases_is_refused(db, golden_set, agent):
    cases = golden_set(kinds=("fn",))
    case_services.set_status(db.session.get(GoldenCase, cases[0]["id"]), "retired", None)
    db.session.commit()
    with pytest.raises(DomainError):
        services.start_exam(agent, kyc(db))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_rested_cases_stay_out_of_exams_but_not_practice(db, golden_set, agent, lead, clock):
    cases = golden_set(kinds=("fn", "tp"), exam_size=2)
    rested = db.session.get(GoldenCase, cases[0]["id"])
    case_services.rest_case(rested, clock.now + timedelta(days=30), lead)
    db.session.commit()
    exam = services.start_exam(agent, kyc(db), random.Random(0))
    assert [i.golden_case_id for i in exam.items] == [cases[1]["id"]]
    practice_pool = {case_id for case_id, _scenario in services.active_pool(kyc(db).id, for_exam=False)}
    assert practice_pool == {cases[0]["id"], cases[1]["id"]}
    clock.advance(days=30)  # the rest is over
    exam_pool = {case_id for case_id, _scenario in services.active_pool(kyc(db).id, for_exam=True)}
    assert exam_pool == practice_pool
