"""FP/FN patterns, their A/B/C routing state, and the threshold evidence of a pattern."""

from datetime import timedelta

import pytest

from app.auth.models import User
from app.dashboard.queries import Filters
from app.qa.decision_agent import feedback
from tests.conftest import utc
from tests.dashboard.conftest import NOW

PERIOD = Filters(since=utc(2026, 9, 2))  # the dashboards' default: the 12 weeks up to NOW's day
WEEK_48 = utc(2026, 11, 23, 10)


@pytest.fixture
def errors(db, make_user, make_decisions, case_type_id):
    """FP/FN decisions: KYC doc_tamper/A 3 FP + 2 FN, KYC name_mismatch/B 3 FN, ATO new_device/C 1 FP; and
    two doc_tamper/A FNs from half a year ago, outside the 12-week window."""
    agent = make_user("agent")
    make_decisions(agent, 3, label="FP", root_cause="A", decision="pass", agent_recommendation="block")
    make_decisions(agent, 2, label="FN", root_cause="A", decision="block")
    make_decisions(agent, 3, label="FN", root_cause="B", decision="block", scenario="kyc.name_mismatch")
    make_decisions(
        agent, 1, case_type="ato_investigation", label="FP", root_cause="C", scenario="ato.new_device"
    )
    make_decisions(agent, 2, label="FN", root_cause="A", decided_at=NOW - timedelta(weeks=26))
    make_decisions(agent, 7, label="TP", decision="block", agent_recommendation="block")
    return case_type_id("kyc_audit"), case_type_id("ato_investigation")


@pytest.mark.parametrize(
    ("k", "recurring"), [(1, [True, True, True]), (3, [True, True, False]), (5, [True, False, False])]
)
def test_feedback_patterns_pareto_and_recurring_by_k(db, errors, k, recurring):
    kyc, ato = errors

    rows = feedback.patterns(PERIOD, k)

    assert [(r["key"], r["FP"], r["FN"], r["count"], r["route"], r["state"]) for r in rows] == [
        (f"{kyc}:kyc.doc_tamper:A", 3, 2, 5, "retrain", "open"),
        (f"{kyc}:kyc.name_mismatch:B", 0, 3, 3, "threshold_review", "open"),
        (f"{ato}:ato.new_device:C", 1, 0, 1, "sop_gap", "open"),
    ]
    assert [r["cumulative"] for r in rows] == pytest.approx([5 / 9, 8 / 9, 1.0])
    assert [r["recurring"] for r in rows] == recurring


def test_a_patterns_state_is_its_latest_event(db, errors, make_user):
    kyc, _ato = errors
    lead = db.session.get(User, make_user("qa_lead").id)
    key = f"{kyc}:kyc.name_mismatch:B"

    feedback.set_state(key, "routed", lead, "sent to the rules team")
    db.session.commit()
    assert {r["key"]: r["state"] for r in feedback.patterns(PERIOD, 5)}[key] == "routed"
    feedback.set_state(key, "resolved", lead)
    db.session.commit()
    states = {r["key"]: r["state"] for r in feedback.patterns(PERIOD, 5)}

    assert states == {f"{kyc}:kyc.doc_tamper:A": "open", key: "resolved", f"{_ato}:ato.new_device:C": "open"}


@pytest.mark.parametrize(
    ("key", "state"), [("1:kyc.doc_tamper:A", "closed"), ("kyc.doc_tamper:A", "routed"), ("x:y:z", "routed")]
)
def test_set_state_refuses_unknown_states_and_keys(db, make_user, key, state):
    from app.errors import DomainError

    with pytest.raises(DomainError):
        feedback.set_state(key, state, db.session.get(User, make_user("qa_lead").id))


# Bins of 0.05: five wrong recommendations at 0.55-0.60, two at 0.60-0.65, one at 0.80-0.85, three at
# 0.85-0.90 and one at 0.95-1.00.
BINS = [0] * 11 + [5, 2, 0, 0, 0, 1, 3, 0, 1]


@pytest.mark.parametrize("auto_threshold", [0.85, 0.70])
def test_threshold_evidence_counts_wrong_recommendations_at_or_above_each_threshold(auto_threshold):
    evidence = feedback.threshold_evidence(BINS, auto_threshold)

    assert [(e["threshold"], e["auto_decided_wrongly"]) for e in evidence] == [
        (0.60, 7),
        (0.65, 5),
        (0.70, 5),
        (0.75, 5),
        (0.80, 5),
        (0.85, 4),
    ]
    assert [e["threshold"] for e in evidence if e["current"]] == [auto_threshold]


def test_pattern_histogram_bins_confidence_by_twentieths(db, make_user, make_decisions, case_type_id):
    agent = make_user("agent")
    confidences = [0.55, 0.599, 0.60, 0.64, 0.849, 0.85, 0.999, 1.0]
    make_decisions(agent, len(confidences), label="FP", root_cause="B", confidence=confidences)
    make_decisions(agent, 3, label="FP", root_cause="A", confidence=0.9)  # another pattern
    make_decisions(agent, 3, label="TP", root_cause="B", confidence=0.9)  # not wrong

    counts = feedback.pattern_histogram(case_type_id(), "kyc.doc_tamper", "B", PERIOD)

    assert len(counts) == 20 and sum(counts) == len(confidences)
    assert {i: n for i, n in enumerate(counts) if n} == {11: 2, 12: 2, 16: 1, 17: 1, 19: 2}
