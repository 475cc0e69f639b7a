"""Cost-weighted error score."""

import pytest

from app.metrics.cost import cost_score, decision_cost, worst_cost


@pytest.mark.parametrize(
    ("reference", "given", "cost"),
    [
        ("block", "pass", 10.0),  # let a risky case through
        ("pass", "block", 1.0),  # blocked a good user
        ("escalate", "pass", 20.0),  # Key User not escalated
        ("escalate", "block", 20.0),
        ("pass", "escalate", 0.5),  # needless escalation
        ("block", "escalate", 0.5),
        ("pass", "pass", 0.0),
        ("escalate", "escalate", 0.0),
    ],
)
def test_default_costs(reference, given, cost):
    assert decision_cost(reference, given) == cost


def test_worked_example():
    # Costs 10 + 1 + 20 + 0 = 31; worst possible 10 + 1 + 20 + 1 = 32.
    score = cost_score(["block", "pass", "escalate", "pass"], ["pass", "block", "block", "pass"])
    assert score.total == 31.0
    assert score.mean == 7.75
    assert score.normalised == pytest.approx(31 / 32)
    assert score.by_pair == {
        ("block", "pass"): 10.0,
        ("pass", "block"): 1.0,
        ("escalate", "block"): 20.0,
    }


def test_all_right_scores_zero_and_costliest_mistakes_score_one():
    reference = ["pass", "block", "escalate"]
    assert cost_score(reference, reference).normalised == 0.0
    assert cost_score(reference, ["block", "pass", "pass"]).normalised == 1.0


def test_worst_cost_per_reference():
    assert [worst_cost(r) for r in ("pass", "block", "escalate")] == [1.0, 10.0, 20.0]


def test_empty_input_has_no_mean():
    score = cost_score([], [])
    assert (score.n, score.total, score.mean, score.normalised) == (0, 0.0, None, None)


def test_custom_costs_must_cover_the_mistakes_seen():
    costs = {("block", "pass"): 5.0}
    assert cost_score(["block"], ["pass"], costs).total == 5.0
    with pytest.raises(ValueError):
        cost_score(["pass"], ["block"], costs)


def test_lengths_must_match():
    with pytest.raises(ValueError):
        cost_score(["pass"], [])
