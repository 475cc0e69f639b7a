"""The decision agent's precision and recall on risk, per case type and week."""

import pytest

from app.dashboard.queries import Filters
from app.qa.decision_agent import reports as agent_reports
from tests.conftest import utc
from tests.dashboard.conftest import wilson

PERIOD = Filters(since=utc(2026, 9, 2))  # the dashboards' default: the 12 weeks up to NOW's day
WEEK_48 = utc(2026, 11, 23, 10)


def _labels(make_decisions, agent, case_type, decided_at, **counts):
    for label, n in counts.items():
        make_decisions(agent, n, case_type=case_type, label=label, decided_at=decided_at)


def test_decision_agent_precision_and_recall_per_case_type(db, make_user, make_decisions, case_type_id):
    agent = make_user("agent")
    _labels(make_decisions, agent, "kyc_audit", utc(2026, 11, 17, 10), TP=95, FP=5, FN=1, TN=10)
    _labels(make_decisions, agent, "kyc_audit", WEEK_48, TP=10, TN=2)
    _labels(make_decisions, agent, "ato_investigation", WEEK_48, TN=3)
    make_decisions(agent, 4, label=None)  # unlabelled decisions say nothing about the decision agent

    quality = agent_reports.decision_agent_quality(PERIOD)
    kyc, ato = quality[case_type_id("kyc_audit")], quality[case_type_id("ato_investigation")]

    overall = kyc["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"], overall["tn"]) == (105, 5, 1, 12)
    assert overall["precision"] == pytest.approx(105 / 110) and overall["recall"] == pytest.approx(105 / 106)
    assert overall["precision_ci"] == pytest.approx(wilson(105, 110))
    assert overall["recall_ci"] == pytest.approx(wilson(105, 106))
    first, second = kyc["weeks"]
    assert first["week"] == "2026-11-16" and first["precision"] == 0.95 and first["recall"] == 95 / 96
    assert second["week"] == "2026-11-23" and second["precision"] == second["recall"] == 1.0
    # Only true negatives: precision and recall are undefined, not 0 and not 100%.
    assert ato["overall"]["precision"] is None and ato["overall"]["recall"] is None
    assert ato["overall"]["precision_ci"] is None and ato["overall"]["tn"] == 3
