"""Contesting golden answers: contest, uphold, amend and re-score (services)."""

import random

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.cases.models import CaseType, ReferenceAnswer
from app.errors import Conflict, DomainError, NotFound
from app.onboarding import disputes, services
from app.onboarding.models import Attempt, AttemptItem, Certification, GoldDispute
from app.qa.quality.models import SuspensionProposal
from tests.onboarding.conftest import right, wrong

# The corrected reference for an "fn" case (recommendation pass): the case was fine after all.
AMENDED = {
    "decision": "pass",
    "label": "TN",
    "rationale": "The tamper score is a scanner artefact.",
    "sop_ref": "KYC-3.2",
}


def kyc(db) -> CaseType:
    return db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))


@pytest.fixture
def people(db, make_user):
    return {role: db.session.get(User, make_user(role).id) for role in ("agent", "qa_lead")}


def failed_exam(db, agent, cases, contested) -> Attempt:
    """An exam right on every case but `contested`, answered pass/TN: 3 of 4 fails a 0.98 pass mark."""
    attempt = services.start_exam(agent, kyc(db), random.Random(0))
    for item in attempt.items:
        case = next(c for c in cases if c["id"] == item.golden_case_id)
        services.save_exam_answer(item, wrong(case) if case is contested else right(case))
    services.submit_exam(attempt, agent)
    db.session.commit()
    return attempt


def item_of(attempt: Attempt, case: dict) -> AttemptItem:
    return next(i for i in attempt.items if i.golden_case_id == case["id"])


def test_amending_rescores_the_exam_and_certifies(db, golden_set, people):
    agent, lead = people["agent"], people["qa_lead"]
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    contested = cases[0]
    attempt = failed_exam(db, agent, cases, contested)
    assert (attempt.decision_correct, attempt.passed) == (3, False)
    dispute = disputes.contest(item_of(attempt, contested), "  The tamper score is an artefact.  ", agent)
    db.session.commit()
    assert dispute.reason == "The tamper score is an artefact."

    rescored = disputes.amend(dispute, AMENDED, "Agreed, scanner artefact.", lead)
    db.session.commit()

    assert rescored == 1
    db.session.refresh(attempt)
    assert (attempt.decision_correct, attempt.label_correct, attempt.passed) == (4, 4, True)
    assert attempt.cost_total == 0.0
    item = item_of(attempt, contested)
    assert item.reference.version == 2 and item.decision_ok is True
    assert (dispute.status, dispute.resolver_id, dispute.new_answer_id) == (
        "amended",
        lead.id,
        item.reference_answer_id,
    )
    cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
    assert (cert.certified_at, cert.attempt_id) == (attempt.submitted_at, attempt.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "gold.amend"))
    assert event.actor_id == lead.id
    assert event.detail == {"version": 2, "attempts_rescored": 1}


def test_amending_is_one_transaction_of_the_caller(db, golden_set, people):
    agent, lead = people["agent"], people["qa_lead"]
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    attempt = failed_exam(db, agent, cases, cases[0])
    dispute = disputes.contest(item_of(attempt, cases[0]), "Artefact.", agent)
    db.session.commit()
    disputes.amend(dispute, AMENDED, "note", lead)
    db.session.rollback()  # e.g. the commit failed: nothing of the amendment may remain
    assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 4
    assert db.session.get(Attempt, attempt.id).passed is False
    assert db.session.get(GoldDispute, dispute.id).status == "open"
    assert (
        db.session.scalar(select(Certification.certified_at).where(Certification.user_id == agent.id)) is None
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "gold.amend")
        )
        == 0
    )


def test_amending_the_other_way_takes_the_certification_away(db, golden_set, people):
    agent, lead = people["agent"], people["qa_lead"]
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    attempt = services.start_exam(agent, kyc(db), random.Random(0))
    for item in attempt.items:
        services.save_exam_answer(item, right(next(c for c in cases if c["id"] == item.golden_case_id)))
    services.submit_exam(attempt, agent)
    db.session.commit()
    assert attempt.passed is True
    dispute = disputes.contest(item_of(attempt, cases[0]), "Should it not be pass?", agent)
    disputes.amend(dispute, AMENDED, "Yes.", lead)
    db.session.commit()
    assert db.session.get(Attempt, attempt.id).passed is False
    cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
    assert (cert.certified_at, cert.expires_at) == (None, None)


def test_amending_rescores_practice_answers_and_settles_other_disputes(db, golden_set, people, make_user):
    agent, lead = people["agent"], people["qa_lead"]
    second = db.session.get(User, make_user("agent").id)
    (case,) = golden_set(kinds=("fn",))
    items = []
    for person, answer in ((agent, wrong(case)), (second, right(case))):
        item = services.next_practice_item(person, kyc(db), random.Random(0))
        services.answer_practice(item, answer)
        items.append(item)
    first_dispute = disputes.contest(items[0], "Artefact.", agent)
    second_dispute = disputes.contest(items[1], "Also unsure.", second)
    db.session.commit()
    assert disputes.open_dispute_counts() == {case["id"]: 2}
    assert disputes.amend(first_dispute, AMENDED, "Fixed.", lead) == 0  # no exams to re-grade
    db.session.commit()
    assert [db.session.get(AttemptItem, i.id).decision_ok for i in items] == [True, False]
    assert db.session.get(GoldDispute, second_dispute.id).status == "amended"
    assert disputes.open_dispute_counts() == {}


def test_upholding_leaves_scores_and_answers_alone(db, golden_set, people):
    agent, lead = people["agent"], people["qa_lead"]
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    attempt = failed_exam(db, agent, cases, cases[0])
    dispute = disputes.contest(item_of(attempt, cases[0]), "Artefact.", agent)
    disputes.uphold(dispute, "  The MRZ is edited.  ", lead)
    db.session.commit()
    assert (dispute.status, dispute.resolution_note, dispute.new_answer_id) == (
        "upheld",
        "The MRZ is edited.",
        None,
    )
    db.session.refresh(attempt)
    assert (attempt.decision_correct, attempt.passed) == (3, False)
    assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 4
    with pytest.raises(Conflict):
        disputes.amend(dispute, AMENDED, "Changed my mind.", lead)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 4


@pytest.mark.parametrize("outcome", ["uphold", "amend"])
def test_nobody_resolves_their_own_dispute(db, golden_set, people, outcome):
    lead = people["qa_lead"]
    (case,) = golden_set(kinds=("fn",))
    item = services.next_practice_item(lead, kyc(db), random.Random(0))  # a lead practising
    services.answer_practice(item, wrong(case))
    dispute = disputes.contest(item, "Artefact.", lead)
    db.session.commit()
    with pytest.raises(DomainError):
        if outcome == "uphold":
            disputes.uphold(dispute, "Mine.", lead)
        else:
            disputes.amend(dispute, AMENDED, "Mine.", lead)
    db.session.rollback()
    assert db.session.get(GoldDispute, dispute.id).status == "open"
    assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 1


def test_no_contest_before_the_result_is_seen(db, golden_set, people):
    agent = people["agent"]
    cases = golden_set(kinds=("fn", "tp"))
    practice = services.next_practice_item(agent, kyc(db), random.Random(0))
    exam = services.start_exam(agent, kyc(db), random.Random(0))
    services.save_exam_answer(
        exam.items[0], right(next(c for c in cases if c["id"] == exam.items[0].golden_case_id))
    )
    db.session.commit()
    for item in (practice, exam.items[0], exam.items[1]):
        with pytest.raises(Conflict):
            disputes.contest(item, "I disagree.", agent)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(GoldDispute)) == 0


def test_contest_needs_a_reason_once_and_only_for_ones_own_item(db, golden_set, people, make_user):
    agent = people["agent"]
    stranger = db.session.get(User, make_user("agent").id)
    (case,) = golden_set(kinds=("fn",))
    item = services.next_practice_item(agent, kyc(db), random.Random(0))
    services.answer_practice(item, wrong(case))
    db.session.commit()
    with pytest.raises(NotFound):
        disputes.contest(item, "Not mine.", stranger)
    with pytest.raises(DomainError) as raised:
        disputes.contest(item, "   ", agent)
    assert raised.value.field == "reason"
    disputes.contest(item, "Artefact.", agent)
    with pytest.raises(Conflict):
        disputes.contest(item, "Again.", agent)
    db.session.rollback()


def test_amending_gold_re_reviews_the_agents_suspension_proposal(db, golden_set, people):
    """Re-grading that takes the certification away withdraws the pending proposal to suspend it."""
    agent, lead = people["agent"], people["qa_lead"]
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    attempt = services.start_exam(agent, kyc(db), random.Random(0))
    for item in attempt.items:
        services.save_exam_answer(item, right(next(c for c in cases if c["id"] == item.golden_case_id)))
    services.submit_exam(attempt, agent)
    proposal = SuspensionProposal(
        agent_id=agent.id,
        case_type_id=kyc(db).id,
        audits=10,
        errors=4,
        alarm_at=10,
        evidence=21.9,
        threshold=20.0,
        last_audit_id=0,
    )
    db.session.add(proposal)
    db.session.commit()
    dispute = disputes.contest(item_of(attempt, cases[0]), "Should it not be pass?", agent)
    disputes.amend(dispute, AMENDED, "Yes.", lead)
    db.session.commit()
    assert (proposal.status, proposal.closed_because) == ("withdrawn", "not_certified")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "suspension.withdraw"))
    assert event.actor_id == lead.id
