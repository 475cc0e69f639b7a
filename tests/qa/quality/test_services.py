"""Audited accuracy and agreement between leads. The certification link is tested in test_suspensions.py."""

import pytest

from app.qa.quality import services as quality
from tests.qa.conftest import kyc_id


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
