"""The monitoring rule: Wald's one-sided SPRT as a test martingale.

Checked three ways: against Wald's closed-form rejection line, against the exact probability of ever
alarming (dynamic programming over the error count, no simulation), and by seeded simulation of the
design-weighted rule under a risk-weighted sampling plan.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.metrics.monitoring import bet_size, error_boundary, evidence, first_alarm


def wald_line(n: int, p0=0.02, p1=0.045, alpha=0.05) -> float:
    """Wald (1947), the Bernoulli SPRT: reject H0 once errors >= h + s n, with
    h = log(1/alpha) / log(p1 q0 / (p0 q1)) and s = log(q0 / q1) / log(p1 q0 / (p0 q1))."""
    q0, q1 = 1 - p0, 1 - p1
    denominator = math.log(p1 * q0 / (p0 * q1))
    return math.log(1 / alpha) / denominator + n * math.log(q0 / q1) / denominator


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), max_size=400).map(lambda xs: [x or (i % 3 == 0) for i, x in enumerate(xs)]))
def test_first_alarm_is_the_first_crossing_of_walds_line(outcomes):
    errors = np.cumsum([not x for x in outcomes])
    expected = next((n for n, k in enumerate(errors, start=1) if k >= wald_line(n) - 1e-9), None)
    assert first_alarm(outcomes) == expected


@pytest.mark.parametrize("audits", [1, 8, 50, 100, 500, 1000, 5000])
def test_the_boundary_shown_to_people_is_walds_line(audits):
    assert error_boundary(audits) == max(0, math.ceil(wald_line(audits) - 1e-9))
    assert (
        first_alarm([False] * error_boundary(audits) + [True] * (audits - error_boundary(audits))) is not None
    )


def test_the_bet_is_the_likelihood_ratio():
    # One error multiplies the evidence by p1/p0, one correct decision by (1-p1)/(1-p0).
    assert evidence([False]).e_value == pytest.approx(0.045 / 0.02)
    assert evidence([True]).e_value == pytest.approx(0.955 / 0.98)
    assert bet_size() == pytest.approx((0.045 - 0.02) / (0.02 * 0.98))


def test_one_error_in_the_first_eight_audits_is_no_alarm():
    # The old rule suspended on 7/8 (Wilson upper bound .978 < .98).
    assert first_alarm([True] * 7 + [False]) is None
    assert first_alarm([False, False, False, False]) == 4  # four errors in a row are


def exact_alarm_probability(p_error: float, horizon: int, p0=0.02, p1=0.045, alpha=0.05) -> float:
    """P(the unweighted rule alarms within `horizon` audits), summed exactly over error counts."""
    alive = np.zeros(horizon + 2)
    alive[0] = 1.0  # probability of k errors so far without having alarmed
    crossed = 0.0
    for n in range(1, horizon + 1):
        step = np.zeros_like(alive)
        step[1:] += alive[:-1] * p_error
        step += alive * (1 - p_error)
        boundary = math.ceil(wald_line(n, p0, p1, alpha) - 1e-9)
        crossed += step[boundary:].sum()
        step[boundary:] = 0.0
        alive = step
    return crossed


@pytest.mark.parametrize(
    "accuracy, horizon, low, high",
    [
        (0.99, 1000, 0.0, 0.01),  # a good reviewer is almost never proposed
        (0.98, 1000, 0.0, 0.05),  # one exactly at the standard: at most alpha, looking after every audit
        (0.95, 500, 0.90, 1.0),  # a clearly weak one is found within 500 audits
        (0.90, 150, 0.95, 1.0),  # and a poor one within 150
    ],
)
def test_exact_rates_meet_the_targets(accuracy, horizon, low, high):
    assert low <= exact_alarm_probability(1 - accuracy, horizon) <= high


def test_the_error_rate_holds_however_long_one_looks():
    # Ville's inequality: at the standard, the chance of EVER alarming stays under alpha.
    assert exact_alarm_probability(0.02, 20_000) <= 0.05


def test_simulation_agrees_with_the_exact_rate():
    rng = np.random.default_rng(7)
    runs = [first_alarm(rng.random(500) >= 0.05) for _ in range(4000)]
    simulated = np.mean([r is not None for r in runs])
    assert simulated == pytest.approx(exact_alarm_probability(0.05, 500), abs=0.02)


def risk_weighted_audits(rng, population_accuracy: float, audits: int):
    """A plan that audits every Key User decision (5% of volume, where errors concentrate: 10x the rate)
    and 2% of the rest; returns outcomes and design weights (1/inclusion probability) in draw order."""
    key_share, key_rate_ratio = 0.05, 10.0
    base_error = (1 - population_accuracy) / (key_share * key_rate_ratio + (1 - key_share))
    probabilities = {"key": 1.0, "other": 0.02}
    # Draw probability of each stratum among audits is proportional to its share x its inclusion probability.
    mass = {"key": key_share * probabilities["key"], "other": (1 - key_share) * probabilities["other"]}
    share_key = mass["key"] / (mass["key"] + mass["other"])
    is_key = rng.random(audits) < share_key
    error_rate = np.where(is_key, base_error * key_rate_ratio, base_error)
    outcomes = rng.random(audits) >= error_rate
    weights = np.where(is_key, 1 / probabilities["key"], 1 / probabilities["other"])
    return outcomes, weights


def test_design_weights_keep_false_alarms_under_alpha_where_the_unweighted_rule_does_not():
    rng = np.random.default_rng(20261207)
    weighted, unweighted = [], []
    for _ in range(1500):
        outcomes, weights = risk_weighted_audits(rng, 0.98, 600)
        weighted.append(first_alarm(outcomes, weights) is not None)
        unweighted.append(first_alarm(outcomes) is not None)
    assert np.mean(weighted) <= 0.05
    assert np.mean(unweighted) > 0.5  # Key User errors read as if they were typical


def test_design_weights_still_find_a_weak_reviewer():
    rng = np.random.default_rng(11)
    found = [first_alarm(*risk_weighted_audits(rng, 0.93, 600)) is not None for _ in range(500)]
    assert np.mean(found) >= 0.9


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"target": 1.0}, "target"),
        ({"alpha": 0.0}, "alpha"),
        ({"weights": [1.0]}, "one weight per outcome"),
        ({"weights": [1.0, -2.0]}, "positive"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        evidence([True, False], **kwargs)


def test_no_audits_no_evidence():
    result = evidence([])
    assert (result.audits, result.e_value, result.alarm_at) == (0, 1.0, None)
