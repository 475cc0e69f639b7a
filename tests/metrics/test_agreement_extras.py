"""Bootstrap interval, rater influence and disputed units, checked against the krippendorff package."""

import krippendorff
import numpy as np
import pytest

from app.metrics.agreement import (
    bootstrap_alpha,
    krippendorff_alpha,
    most_disputed,
    rater_influence,
    unit_disagreement,
)
from app.metrics.agreement_report import agreement_report
from app.metrics.coincidence import resampled_alphas, unit_coincidences
from app.metrics.ratings import REASON_NO_VARIATION, encode_ratings, value_counts


def session(seed, units=60, raters=5, categories=3, missing=0.15):
    """A random numeric session with structure (a true value per unit), NaN for missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, categories, size=units)
    noise = rng.integers(0, categories, size=(units, raters))
    table = np.where(rng.random((units, raters)) < 0.7, truth[:, None], noise).astype(float)
    table[rng.random(table.shape) < missing] = np.nan
    return table


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_bootstrap_estimate_equals_package_alpha_on_full_sample(level):
    table = session(3)
    interval = bootstrap_alpha(table, seed=7, level=level, n_resamples=200)
    expected = krippendorff.alpha(table.T, level_of_measurement=level)
    assert interval.estimate == pytest.approx(expected, abs=1e-9)
    assert interval.low <= interval.estimate <= interval.high


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_each_resample_equals_package_alpha_on_the_resampled_table(level):
    table = session(4)
    pairable = table[(~np.isnan(table)).sum(axis=1) >= 2]
    ratings = encode_ratings(pairable)
    per_unit = unit_coincidences(value_counts(ratings))
    picks = np.random.default_rng(11).integers(0, len(pairable), size=(5, len(pairable)))
    values = list(ratings.categories) if level == "interval" else None
    fast = resampled_alphas(per_unit, picks, level, values)
    # Ordinal needs the full value domain: a resample may miss a category the data has.
    slow = [
        krippendorff.alpha(pairable[pick].T, level_of_measurement=level, value_domain=ratings.categories)
        for pick in picks
    ]
    assert fast == pytest.approx(slow, abs=1e-9)


def test_bootstrap_is_reproducible_by_seed_and_accepts_a_generator():
    table = session(5)
    first = bootstrap_alpha(table, seed=1, n_resamples=300)
    assert bootstrap_alpha(table, seed=1, n_resamples=300) == first
    assert bootstrap_alpha(table, seed=np.random.default_rng(1), n_resamples=300) == first
    assert bootstrap_alpha(table, seed=2, n_resamples=300) != first


def test_bootstrap_interval_narrows_with_more_units():
    small = bootstrap_alpha(session(6, units=40), seed=0, n_resamples=400)
    large = bootstrap_alpha(session(6, units=1000), seed=0, n_resamples=400)
    assert large.high - large.low < small.high - small.low


def test_bootstrap_of_degenerate_table_gives_reason():
    interval = bootstrap_alpha([["pass", "pass"], ["pass", "pass"]], seed=0)
    assert (interval.estimate, interval.low, interval.high) == (None, None, None)
    assert interval.reason == REASON_NO_VARIATION


def test_bootstrap_counts_resamples_without_variation():
    # One disagreeing unit among unanimous ones: resamples that miss it have no variation.
    table = [["pass", "pass"]] * 3 + [["pass", "block"]]
    interval = bootstrap_alpha(table, seed=0, n_resamples=200)
    assert 0 < interval.undefined < 200


def test_rater_influence_equals_alpha_without_that_column():
    table = session(8, raters=6)
    full = krippendorff.alpha(table.T, level_of_measurement="nominal")
    for influence in rater_influence(table):
        without = np.delete(table, influence.rater, axis=1)
        expected = krippendorff.alpha(without.T, level_of_measurement="nominal")
        assert influence.alpha_without == pytest.approx(expected, abs=1e-9)
        assert influence.change == pytest.approx(expected - full, abs=1e-9)
        assert influence.ratings == int((~np.isnan(table[:, influence.rater])).sum())


def test_contrarian_rater_has_the_largest_positive_influence():
    table = session(9, units=80, raters=5, missing=0.0)
    table[:, 2] = (table[:, 0] + 1) % 3  # rater 2 always disagrees with rater 0
    influences = rater_influence(table)
    assert max(influences, key=lambda item: item.change).rater == 2
    assert influences[2].change > 0


def test_unit_disagreement_is_share_of_disagreeing_pairs():
    table = [["a", "a", "b"], ["a", "a", "a"], ["a", None, None], ["a", "b", None], ["b", "b", "a"]]
    # Unit 1: 4 of 6 ordered pairs disagree; unit 4: both pairs disagree.
    assert unit_disagreement(table) == [pytest.approx(2 / 3), 0.0, None, 1.0, pytest.approx(2 / 3)]


def test_most_disputed_ranks_and_skips_unanimous_units():
    table = [["a", "a", "b"], ["a", "a", "a"], ["a", None, None], ["a", "b", None], ["b", "b", "a"]]
    ranked = [(unit.unit, unit.ratings) for unit in most_disputed(table)]
    assert ranked == [(3, 2), (0, 3), (4, 3)]
    assert len(most_disputed(table, limit=1)) == 1


def test_report_agrees_with_the_separate_functions():
    table = [[None if np.isnan(v) else "pbe"[int(v)] for v in row] for row in session(10)]
    report = agreement_report(table, seed=3, categories=["p", "b", "e"], n_resamples=100)
    assert report.alpha == krippendorff_alpha(table, categories=["p", "b", "e"])
    assert report.interval == bootstrap_alpha(table, seed=3, categories=["p", "b", "e"], n_resamples=100)
    assert report.influence == rater_influence(table, categories=["p", "b", "e"])
    assert report.categories == ("p", "b", "e")
    assert len(report.kappa.values) == 5
