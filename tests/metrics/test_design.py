"""Design-based accuracy: checked against statsmodels' cluster-robust and heteroskedasticity-robust
variances, against the plain binomial case it must reduce to, and by seeded simulation of a risk-weighted
plan (coverage of the interval, and the unweighted share it replaces)."""

import numpy as np
import pytest
import statsmodels.api as sm

from app.metrics import design
from app.metrics.accuracy import assess_accuracy
from app.metrics.design import design_accuracy, kish_effective_size


def half_width_variance(result) -> float:
    return ((result.high - result.low) / 2 / 1.959963984540054) ** 2


def test_unsmoothed_cell_variance_is_statsmodels_robust_variance_times_one_minus_pi(monkeypatch):
    monkeypatch.setattr(design, "SMOOTHING", 0.0)
    rng = np.random.default_rng(3)
    pi = rng.choice([0.05, 0.2, 0.5], 600)
    y = rng.random(600) < np.where(pi == 0.05, 0.98, 0.9)
    result = design_accuracy(y, pi)
    cells = np.column_stack([pi == p for p in (0.05, 0.2, 0.5)]).astype(float)
    fit = sm.WLS(y.astype(float), cells, weights=1 / pi).fit(cov_type="HC0")
    shares = np.array([(pi == p).sum() / p for p in (0.05, 0.2, 0.5)])
    shares /= shares.sum()
    assert result.sampled_estimate == pytest.approx(shares @ fit.params)
    expected = sum(shares[k] ** 2 * (1 - p) * fit.cov_params()[k, k] for k, p in enumerate((0.05, 0.2, 0.5)))
    assert half_width_variance(result) == pytest.approx(expected, rel=1e-9)


def test_clustered_variance_is_statsmodels_cluster_robust_variance():
    rng = np.random.default_rng(5)
    agents = rng.integers(0, 12, 400)
    skill = rng.uniform(0.7, 0.99, 12)
    y = rng.random(400) < skill[agents]
    pi = rng.choice([0.05, 0.2, 0.5], 400)
    result = design_accuracy(y, pi, clusters=agents)
    fit = sm.WLS(y.astype(float), np.ones(400), weights=1 / pi).fit(
        cov_type="cluster", cov_kwds={"groups": agents, "use_correction": True}
    )
    assert result.sampled_estimate == pytest.approx(fit.params[0])
    assert half_width_variance(result) == pytest.approx(fit.bse[0] ** 2, rel=1e-9)  # agents differ a lot
    assert result.clustered


def test_one_heavy_agent_cannot_make_a_team_look_precise():
    # 10 agents; one decides most of the team's work and is perfect, the others vary widely.
    rng = np.random.default_rng(8)
    agents = np.concatenate([np.zeros(400, int), np.repeat(np.arange(1, 10), 20)])
    skill = np.concatenate([[1.0], rng.uniform(0.6, 0.99, 9)])
    y = rng.random(len(agents)) < skill[agents]
    pi = np.full(len(agents), 0.1)
    pooled = design_accuracy(y, pi)
    clustered = design_accuracy(y, pi, clusters=agents)
    assert clustered.high - clustered.low > pooled.high - pooled.low


def test_a_census_is_exact():
    result = design_accuracy([True, True, False, True], [1.0] * 4)
    assert (result.estimate, result.low, result.high) == (0.75, 0.75, 0.75)
    assert result.census.audits == 4 and result.census.accuracy == 0.75 and result.sampled_audits == 0


def test_certain_strata_are_their_own_figure_and_count_once_in_the_overall_one():
    # 10 Key User audits (3 wrong, all audited) and 50 sampled at 10% (1 wrong): 510 decisions stand behind.
    correct = [True] * 7 + [False] * 3 + [True] * 49 + [False]
    pi = [1.0] * 10 + [0.1] * 50
    result = design_accuracy(correct, pi)
    assert result.census.audits == 10 and result.census.correct == 7
    assert result.represented == pytest.approx(510)
    assert result.sampled_estimate == pytest.approx(49 / 50)
    assert result.estimate == pytest.approx((7 + 500 * 49 / 50) / 510)
    assert result.low < result.estimate < result.high


def test_no_audits_no_estimate():
    result = design_accuracy([], [])
    assert (result.estimate, result.status, result.audits) == (None, "no_data", 0)


@pytest.mark.parametrize(
    "correct, probabilities, clusters",
    [([True], [0.0], None), ([True], [1.5], None), ([True, False], [0.5], None), ([True], [0.5], [1, 2])],
)
def test_bad_inputs_are_refused(correct, probabilities, clusters):
    with pytest.raises(ValueError):
        design_accuracy(correct, probabilities, clusters)


def test_kish_effective_size():
    assert kish_effective_size([0.5, 0.5]) == pytest.approx(2)
    assert kish_effective_size([1.0, 0.1]) == pytest.approx(11**2 / 101)


def simulate_agent(rng, decisions=2000):
    """One agent's quarter: 5% Key User cases (always audited) where errors concentrate, 15% low-confidence
    (drawn at 15%), the rest drawn at 3%. Returns (true accuracy, audited outcomes, probabilities)."""
    kind = rng.choice(3, decisions, p=[0.05, 0.15, 0.80])  # 0 key user, 1 low confidence, 2 routine
    base = rng.uniform(0.005, 0.03)
    error_rate = np.choose(kind, [min(1.0, 12 * base), 3 * base, base])
    correct = rng.random(decisions) >= error_rate
    pi = np.choose(kind, [1.0, 0.15, 0.03])
    drawn = rng.random(decisions) < pi
    return correct.mean(), correct[drawn], pi[drawn]


def test_interval_covers_the_true_accuracy_of_all_decisions_where_the_unweighted_share_does_not():
    rng = np.random.default_rng(20261207)
    design_hits = plain_hits = 0
    agents = 400
    for _ in range(agents):
        truth, outcomes, pi = simulate_agent(rng)
        result = design_accuracy(outcomes, pi)
        design_hits += result.low <= truth <= result.high
        plain = assess_accuracy(int(outcomes.sum()), len(outcomes))
        plain_hits += plain.low <= truth <= plain.high
    assert design_hits / agents >= 0.93
    assert plain_hits / agents < 0.6


def test_the_estimate_is_unbiased_for_the_population_accuracy():
    rng = np.random.default_rng(1)
    gaps = []
    for _ in range(400):
        truth, outcomes, pi = simulate_agent(rng)
        gaps.append(design_accuracy(outcomes, pi).estimate - truth)
    assert abs(np.mean(gaps)) < 0.002
