"""Choosing decisions to audit: mandatory picks, probabilities, the weekly minimum and the capacity cap.
Pure: numpy arrays in, chosen rows out."""

import numpy as np
import pytest

from app.qa.sampling.selection import REASONS, PlanParams, expected_per_agent, inclusion_probability, select

PARAMS = PlanParams(
    base_rate=0.02,
    weekly_min_per_agent=0,
    new_agent_rate=0.10,
    low_confidence_below=0.6,
    low_confidence_weight=2.0,
    override_weight=3.0,
    weekly_capacity=10**9,
    second_review_share=0.0,
)


def params(**changes) -> PlanParams:
    return PlanParams(**{**PARAMS.__dict__, **changes})


def window(n, agents=1, priority=30, confidence=0.9, critical=False, override=False, new_agent=False):
    """Parallel arrays for n decisions spread round-robin over `agents` agents."""
    return {
        "agent": np.arange(n) % agents,
        "priority": np.full(n, priority),
        "confidence": np.full(n, confidence, dtype=float),
        "critical": np.full(n, critical, dtype=bool),
        "override": np.full(n, override, dtype=bool),
        "new_agent": np.full(n, new_agent, dtype=bool),
    }


def run(plan, arrays, seed=7):
    return select(plan, **arrays, rng=np.random.default_rng(seed))


def reasons_of(selection) -> dict[str, int]:
    names, counts = np.unique([REASONS[r] for r in selection.reasons], return_counts=True)
    return dict(zip(names.tolist(), counts.tolist(), strict=True))


@pytest.mark.parametrize(
    "confidence, override, new_agent, expected",
    [
        (0.9, False, False, 0.02),
        (0.6, False, False, 0.02),  # at the threshold is not "low"
        (0.59, False, False, 0.04),
        (0.9, True, False, 0.06),
        (0.3, True, False, 0.12),
        (0.9, False, True, 0.10),
        (0.3, False, True, 0.20),
        (0.3, True, True, 0.60),
    ],
)
def test_inclusion_probability_multiplies_rate_by_weights(confidence, override, new_agent, expected):
    got = inclusion_probability(PARAMS, np.array([confidence]), np.array([override]), np.array([new_agent]))
    assert got[0] == pytest.approx(expected)


def test_inclusion_probability_never_exceeds_one():
    plan = params(new_agent_rate=0.5, low_confidence_weight=4.0, override_weight=5.0)
    got = inclusion_probability(plan, np.array([0.1, 0.9]), np.array([True, False]), np.array([True, True]))
    assert got.tolist() == [1.0, 0.5]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_critical_and_key_user_decisions_are_always_chosen(seed):
    arrays = window(1000, agents=10)
    arrays["critical"][[3, 500, 999]] = True
    arrays["priority"][[10, 11, 500]] = [75, 99, 80]  # 500 is both: counted as critical
    selection = run(params(base_rate=0.0), arrays, seed)
    assert selection.rows.tolist() == [3, 10, 11, 500, 999]
    assert [REASONS[r] for r in selection.reasons] == [
        "critical",
        "key_user",
        "key_user",
        "critical",
        "critical",
    ]
    assert selection.dropped_by_capacity == 0


@pytest.mark.parametrize(
    "changes, arrays, expected_share",
    [
        ({"base_rate": 0.05}, {}, 0.05),
        ({}, {"confidence": 0.3}, 0.04),
        ({}, {"override": True}, 0.06),
        ({}, {"new_agent": True}, 0.10),
        ({"new_agent_rate": 0.25}, {"new_agent": True, "confidence": 0.1}, 0.50),
    ],
)
def test_the_drawn_share_matches_the_probability_on_a_large_window(changes, arrays, expected_share):
    n = 200_000
    selection = run(params(**changes), window(n, agents=50, **arrays))
    share = len(selection.rows) / n
    # Binomial standard error is at most 0.0012 here: four of them is a generous, still telling, margin.
    assert abs(share - expected_share) < 4 * np.sqrt(expected_share * (1 - expected_share) / n)
    assert set(reasons_of(selection)) == {"random"}


def test_probabilities_apply_per_decision_within_one_window():
    n = 100_000
    arrays = window(2 * n, agents=20)
    arrays["new_agent"][n:] = True  # the second half belongs to new agents
    selection = run(params(base_rate=0.02, new_agent_rate=0.2), arrays)
    old = np.count_nonzero(selection.rows < n) / n
    new = np.count_nonzero(selection.rows >= n) / n
    assert old == pytest.approx(0.02, abs=0.003)
    assert new == pytest.approx(0.2, abs=0.006)


@pytest.mark.parametrize("minimum", [1, 5, 12])
@pytest.mark.parametrize("base_rate", [0.0, 0.05])
def test_the_weekly_minimum_tops_each_agent_up_exactly_to_it(minimum, base_rate):
    volumes = {0: 3, 1: 12, 2: 40, 3: 200}  # agent → decisions this week
    agent = np.concatenate([np.full(v, a) for a, v in volumes.items()])
    arrays = window(len(agent))
    arrays["agent"] = agent
    without = run(params(base_rate=base_rate, weekly_min_per_agent=0), arrays, seed=11)
    selection = run(params(base_rate=base_rate, weekly_min_per_agent=minimum), arrays, seed=11)
    drawn_before = np.bincount(agent[without.rows], minlength=4)
    chosen = np.bincount(agent[selection.rows], minlength=4)
    for a, volume in volumes.items():
        # Same seed, same draws: the minimum only adds, and only up to the minimum (or all there is).
        assert chosen[a] == min(volume, max(minimum, drawn_before[a])), (a, chosen, drawn_before)
    assert set(without.rows) <= set(selection.rows)


def test_mandatory_picks_count_towards_the_weekly_minimum():
    arrays = window(20)  # one agent
    arrays["critical"][:3] = True
    arrays["priority"][3:5] = 90
    selection = run(params(base_rate=0.0, weekly_min_per_agent=6), arrays)
    assert reasons_of(selection) == {"critical": 3, "key_user": 2, "weekly_min": 1}


def capped_window():
    """5 critical (agent 0), 5 Key User (agent 1), two agents at rate 0 topped up to 5 each, and a new
    agent whose 20 decisions are all drawn at random (new-agent rate 1)."""
    agent = np.repeat([0, 1, 2, 3, 4], [5, 5, 50, 50, 20])
    arrays = window(len(agent))
    arrays["agent"] = agent
    arrays["critical"][agent == 0] = True
    arrays["priority"][agent == 1] = 80
    arrays["new_agent"][agent == 4] = True
    return arrays


@pytest.mark.parametrize(
    "capacity, kept",
    [
        (3, {"critical": 3}),
        (8, {"critical": 5, "key_user": 3}),
        (15, {"critical": 5, "key_user": 5, "weekly_min": 5}),
        (25, {"critical": 5, "key_user": 5, "weekly_min": 10, "random": 5}),
        (40, {"critical": 5, "key_user": 5, "weekly_min": 10, "random": 20}),
        (1000, {"critical": 5, "key_user": 5, "weekly_min": 10, "random": 20}),
    ],
)
def test_the_capacity_cap_keeps_critical_then_key_user_then_minimum_then_random(capacity, kept):
    plan = params(base_rate=0.0, new_agent_rate=1.0, weekly_min_per_agent=5, weekly_capacity=capacity)
    selection = run(plan, capped_window())
    assert reasons_of(selection) == kept
    assert len(selection.rows) == min(capacity, 40)
    assert selection.dropped_by_capacity == max(0, 40 - capacity)
    assert np.all(np.diff(selection.rows) > 0)  # rows come back in window order, each once


def test_the_same_seed_gives_the_same_selection_and_another_seed_another():
    arrays = window(50_000, agents=40, confidence=0.5)
    arrays["critical"][::997] = True
    plan = params(weekly_min_per_agent=5, weekly_capacity=2000, second_review_share=0.1)
    first, again, other = run(plan, arrays, 42), run(plan, arrays, 42), run(plan, arrays, 43)
    assert np.array_equal(first.rows, again.rows)
    assert np.array_equal(first.reasons, again.reasons)
    assert np.array_equal(first.second_review, again.second_review)
    assert not np.array_equal(first.rows, other.rows)


@pytest.mark.parametrize("share", [0.0, 0.05, 0.2, 1.0])
def test_the_second_review_share_is_roughly_right(share):
    selection = run(params(base_rate=0.5, second_review_share=share), window(100_000, agents=40))
    assert len(selection.second_review) == len(selection.rows)
    flagged = selection.second_review.mean()
    assert flagged == pytest.approx(share, abs=0.006)


def test_an_empty_window_selects_nothing():
    selection = run(params(weekly_min_per_agent=5), window(0))
    assert len(selection.rows) == 0 and selection.dropped_by_capacity == 0


@pytest.mark.parametrize(
    "changes, volume, expected",
    [
        ({"base_rate": 0.02, "weekly_min_per_agent": 5}, 1000, 20.0),
        ({"base_rate": 0.02, "weekly_min_per_agent": 5}, 100, 5.0),
        ({"base_rate": 0.10, "weekly_min_per_agent": 0}, 40, 4.0),
        ({"base_rate": 0.02, "weekly_min_per_agent": 5}, 3, 3.0),  # can't audit more than was decided
        ({"base_rate": 0.02, "weekly_min_per_agent": 5}, 0, 0.0),
    ],
)
def test_expected_audits_per_agent_per_week(changes, volume, expected):
    assert expected_per_agent(params(**changes), volume) == pytest.approx(expected)


def mixed_window():
    """Two busy agents with Key User and critical picks and low-confidence decisions, and a quiet agent
    whose weekly minimum takes most of their decisions."""
    agent = np.repeat([0, 1, 2], [30, 30, 5])
    arrays = window(len(agent))
    arrays["agent"] = agent
    arrays["priority"][[0, 1]] = 90
    arrays["critical"][30] = True
    arrays["confidence"][np.arange(len(agent)) % 3 == 0] = 0.3
    return arrays


def test_each_recorded_inclusion_probability_is_how_often_the_plan_draws_that_decision():
    plan = params(base_rate=0.05, weekly_min_per_agent=4, low_confidence_weight=3.0)
    arrays, rng, runs = mixed_window(), np.random.default_rng(3), 20_000
    drawn, recorded = np.zeros(65), np.full(65, np.nan)
    for _ in range(runs):
        selection = select(plan, **arrays, rng=rng)
        drawn[selection.rows] += 1
        recorded[selection.rows] = selection.probabilities  # the same every run without a cap
    assert recorded[[0, 1, 30]].tolist() == [1.0, 1.0, 1.0]
    tolerance = 4 * np.sqrt(recorded * (1 - recorded) / runs) + 1e-9
    assert np.all(np.abs(drawn / runs - recorded) <= tolerance)
    # The top-up raises the quiet agent's and the busy agents' chances above the Poisson 5% / 15%.
    assert recorded[2] > 0.05 and recorded[3] > 0.15 and recorded[60] > 0.75


@pytest.mark.parametrize("capacity", [12, 30])
def test_under_the_capacity_cap_weights_still_add_up_to_the_window(capacity):
    """Horvitz-Thompson: summed over many runs, 1/pi of the chosen decisions averages the window's size.
    (Not when the cap drops a reason's picks altogether, as it does at capacity 6: no weight can stand for
    decisions the plan gave no chance; the run reports what the cap dropped.)"""
    plan = params(base_rate=0.2, weekly_min_per_agent=4, weekly_capacity=capacity)
    arrays, rng, runs = mixed_window(), np.random.default_rng(5), 4_000
    totals = [(1 / select(plan, **arrays, rng=rng).probabilities).sum() for _ in range(runs)]
    assert np.mean(totals) == pytest.approx(65, rel=0.03)
