"""Audited accuracy and the certification link (suspension, remediation practice), and agreement between
leads."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.cases.models import CaseType
from app.onboarding import services as onboarding
from app.onboarding.models import Certification
from app.qa.quality import services as quality
from tests.qa.conftest import WEEK_START, kyc_id


def audit_many(make_live_decisions, make_live_audit, agent, lead, verdicts, **decision_fields):
    """One decision per verdict, each audited by `lead`; returns the decision ids."""
    ids = make_live_decisions(agent, len(verdicts), **decision_fields)
    for verdict in ("correct", "incorrect"):
        chosen = [decision for decision, given in zip(ids, verdicts, strict=True) if given == verdict]
        if chosen:
            make_live_audit(chosen, lead, verdict)
    return ids


@pytest.mark.parametrize(
    "correct, incorrect, status",
    [(0, 0, "no_data"), (10, 0, "inconclusive"), (9, 1, "inconclusive"), (8, 2, "below"), (300, 0, "above")],
)
def test_audited_accuracy_is_assessed_against_the_benchmark(
    db, make_user, make_live_decisions, make_live_audit, correct, incorrect, status
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    audit_many(
        make_live_decisions, make_live_audit, agent, lead, ["correct"] * correct + ["incorrect"] * incorrect
    )
    assessment = quality.audited_accuracy(agent.id, kyc_id(db) or 0)
    assert (assessment.correct, assessment.n, assessment.status) == (correct, correct + incorrect, status)


def test_second_reviews_and_other_case_types_do_not_count(
    db, make_user, make_live_decisions, make_live_audit
):
    agent, lead, second = make_user("agent"), make_user("qa_lead"), make_user("qa_lead")
    ids = audit_many(make_live_decisions, make_live_audit, agent, lead, ["correct"] * 5)
    for decision in ids:
        make_live_audit(decision, second, "incorrect", is_second_review=True)
    audit_many(make_live_decisions, make_live_audit, agent, lead, ["incorrect"] * 3, case_type="reset_2fa")
    assessment = quality.audited_accuracy(agent.id, kyc_id(db))
    assert (assessment.correct, assessment.n) == (5, 5)


@pytest.fixture
def golden_scenarios(make_golden_case):
    """Six active golden KYC cases, two of them kyc.sanctions_hit; returns case id → scenario."""
    scenarios = ["kyc.sanctions_hit"] * 2 + ["kyc.doc_tamper", "kyc.face_mismatch"] * 2
    return {make_golden_case(key=f"kyc_audit-9{i:02d}", scenario=s): s for i, s in enumerate(scenarios)}


def practice_draws(db, agent, times=6) -> list[int]:
    """The golden cases practice shows the agent, answering each one to get the next."""
    user = db.session.get(User, agent.id)
    case_type = db.session.get(CaseType, kyc_id(db))
    shown = []
    for _ in range(times):
        item = onboarding.next_practice_item(user, case_type)
        shown.append(item.golden_case_id)
        item.answered_at = WEEK_START
        db.session.flush()
    db.session.rollback()
    return shown


def test_a_certified_agent_below_the_benchmark_is_suspended_and_practises_what_they_got_wrong(
    db, qa_clock, golden_scenarios, make_user, make_live_decisions, make_live_audit, make_certification
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    make_certification(agent, qa_clock.now - timedelta(days=90))
    audit_many(make_live_decisions, make_live_audit, agent, lead, ["correct"] * 8, scenario="kyc.doc_tamper")
    audit_many(
        make_live_decisions, make_live_audit, agent, lead, ["incorrect"] * 2, scenario="kyc.sanctions_hit"
    )
    assert set(practice_draws(db, agent)) == set(golden_scenarios)  # every scenario before

    assert quality.apply_certification_link(agent.id, kyc_id(db), db.session.get(User, lead.id)) is True
    db.session.commit()

    cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
    assert cert.suspended_at == qa_clock.now
    assert "80.0%" in cert.suspended_reason and "10 audits" in cert.suspended_reason
    assert "98% benchmark" in cert.suspended_reason
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certification.suspend"))
    assert event.actor_id == lead.id
    assert onboarding.remediation_scenarios(agent.id, kyc_id(db)) == ["kyc.sanctions_hit"]
    remediation = {case_id for case_id, s in golden_scenarios.items() if s == "kyc.sanctions_hit"}
    drawn = practice_draws(db, agent)
    assert set(drawn) == remediation

    onboarding.lift_suspension(cert, db.session.get(User, lead.id))
    db.session.commit()
    assert set(practice_draws(db, agent)) == set(golden_scenarios)


@pytest.mark.parametrize(
    "verdicts, certified",
    [
        (["correct"] * 9 + ["incorrect"], True),  # 90% of 10: inconclusive, not proof of being below
        (["correct"] * 10, True),
        (["incorrect"] * 3, False),  # below, but never certified
    ],
)
def test_no_suspension_without_proof_or_without_a_certification(
    db, qa_clock, make_user, make_live_decisions, make_live_audit, make_certification, verdicts, certified
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    if certified:
        make_certification(agent, qa_clock.now - timedelta(days=90))
    audit_many(make_live_decisions, make_live_audit, agent, lead, verdicts)
    assert quality.apply_certification_link(agent.id, kyc_id(db), None) is False
    db.session.commit()
    assert (
        db.session.scalar(select(Certification.suspended_at).where(Certification.user_id == agent.id)) is None
    )
    assert (
        db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "certification.suspend")) is None
    )


def test_a_suspended_certification_is_not_suspended_again(
    db, qa_clock, make_user, make_live_decisions, make_live_audit, make_certification
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    make_certification(agent, qa_clock.now - timedelta(days=90))
    audit_many(make_live_decisions, make_live_audit, agent, lead, ["incorrect"] * 3)
    assert quality.apply_certification_link(agent.id, kyc_id(db), None) is True
    db.session.commit()
    first = db.session.scalar(select(Certification.suspended_at))
    qa_clock.advance(days=1)
    assert quality.apply_certification_link(agent.id, kyc_id(db), None) is False
    db.session.commit()
    assert db.session.scalar(select(Certification.suspended_at)) == first


def pair_up(make_live_decisions, make_live_audit, make_user, pairs):
    agent, first, second = make_user("agent"), make_user("qa_lead"), make_user("qa_lead")
    ids = make_live_decisions(agent, len(pairs))
    for decision, (a, b) in zip(ids, pairs, strict=True):
        make_live_audit(decision, first, a)
        if b:
            make_live_audit(decision, second, b, is_second_review=True)


def test_lead_agreement_over_second_reviews(db, make_user, make_live_decisions, make_live_audit):
    c, i = "correct", "incorrect"
    pairs = (
        [(c, c)] * 6 + [(i, i)] * 2 + [(c, i), (i, c)] + [(c, None)] * 5
    )  # the last five: no second review
    pair_up(make_live_decisions, make_live_audit, make_user, pairs)
    agreement = quality.lead_agreement()
    assert agreement["pairs"] == 10
    assert agreement["agreement"] == pytest.approx(0.8)
    # Both leads said correct 7 times out of 10: chance agreement .7² + .3² = .58, kappa (.8 - .58) / .42.
    assert agreement["kappa"] == pytest.approx(11 / 21)


def test_lead_agreement_with_no_second_reviews(db, make_user, make_live_decisions, make_live_audit):
    pair_up(make_live_decisions, make_live_audit, make_user, [("correct", None)] * 3)
    assert quality.lead_agreement() == {"pairs": 0, "agreement": None, "kappa": None}


def test_lead_agreement_when_every_verdict_is_the_same(db, make_user, make_live_decisions, make_live_audit):
    pair_up(make_live_decisions, make_live_audit, make_user, [("correct", "correct")] * 4)
    agreement = quality.lead_agreement()
    assert (agreement["pairs"], agreement["agreement"], agreement["kappa"]) == (4, 1.0, None)
    assert agreement["kappa_reason"]
