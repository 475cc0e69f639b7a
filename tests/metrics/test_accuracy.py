"""Accuracy against a benchmark: Wilson / Clopper-Pearson intervals, status, audits to settle."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from app.metrics.accuracy import (
    ABOVE,
    BELOW,
    INCONCLUSIVE,
    NO_DATA,
    accuracy_status,
    assess_accuracy,
    audits_to_settle,
    proportion_interval,
)

STATUS_ORDER = {BELOW: 0, INCONCLUSIVE: 1, ABOVE: 2}


# Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
# methods", Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity
# correction).
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe_table_1(successes, n, low, high):
    interval = proportion_interval(successes, n)
    assert interval == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


@pytest.mark.parametrize(("successes", "n"), [(81, 263), (15, 148), (1, 29), (28, 29)])
def test_exact_interval_is_clopper_pearson_by_definition(successes, n):
    # Clopper & Pearson (1934): each bound leaves exactly 2.5% in its binomial tail.
    low, high = proportion_interval(successes, n, method="exact")
    assert binom.sf(successes - 1, n, low) == pytest.approx(0.025, abs=1e-9)
    assert binom.cdf(successes, n, high) == pytest.approx(0.025, abs=1e-9)


def test_no_audits_gives_no_interval_and_no_data_status():
    assessment = assess_accuracy(0, 0)
    assert proportion_interval(0, 0) is None
    assert (assessment.estimate, assessment.low, assessment.high) == (None, None, None)
    assert assessment.status == NO_DATA


# Wilson lower bound for n out of n is n / (n + z^2); it reaches 0.98 at n >= 0.98 z^2 / 0.02 = 188.2.
@pytest.mark.parametrize(
    ("correct", "n", "status"),
    [
        (189, 189, ABOVE),
        (188, 188, INCONCLUSIVE),
        (200, 200, ABOVE),
        (98, 100, INCONCLUSIVE),
        (95, 100, BELOW),  # upper bound 0.9785 < 0.98
        (470, 500, BELOW),
    ],
)
def test_status_against_98_percent_target(correct, n, status):
    assert assess_accuracy(correct, n).status == status


@pytest.mark.parametrize(
    ("low", "high", "status"),
    [(0.98, 1.0, ABOVE), (0.9, 0.9799, BELOW), (0.9, 0.98, INCONCLUSIVE), (None, None, NO_DATA)],
)
def test_status_boundaries(low, high, status):
    assert accuracy_status(low, high, 0.98) == status


@pytest.mark.parametrize(("correct", "n"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_rejected(correct, n):
    with pytest.raises(ValueError):
        assess_accuracy(correct, n)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError):
        proportion_interval(5, 10, method="wald")


@pytest.mark.parametrize(
    ("correct", "n", "expected"),
    [(0, 0, 189), (189, 189, 0), (98, 100, 261), (490, 500, 416), (188, 188, 1)],
)
def test_audits_to_settle_all_correct(correct, n, expected):
    assert audits_to_settle(correct, n) == expected


def test_audits_to_settle_is_the_smallest_by_linear_scan():
    m = audits_to_settle(98, 100)
    statuses = [assess_accuracy(98 + extra, 100 + extra).status for extra in range(m + 1)]
    assert statuses[-1] == ABOVE
    assert ABOVE not in statuses[:-1]


def test_audits_to_settle_impossible_target_is_none():
    # A perfect 100% target is never shown by a finite sample.
    assert audits_to_settle(5, 5, target=1.0, cap=5000) is None


def test_audits_to_settle_at_current_rate():
    m = audits_to_settle(97, 100, assume="current_rate")
    assert m == 684
    assert assess_accuracy(round(0.97 * (100 + m)), 100 + m).status == BELOW
    assert assess_accuracy(round(0.97 * (99 + m)), 99 + m).status == INCONCLUSIVE
    assert audits_to_settle(95, 100, assume="current_rate") == 0
    assert audits_to_settle(0, 0, assume="current_rate") is None


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_estimate_within_unit_interval(counts):
    successes, n = counts
    low, high = proportion_interval(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 600).flatmap(lambda n: st.tuples(st.integers(0, n), st.integers(0, n), st.just(n))),
    st.sampled_from(["wilson", "exact"]),
)
def test_status_is_monotonic_in_number_correct(counts, method):
    first, second, n = counts
    fewer, more = sorted((first, second))
    assert (
        STATUS_ORDER[assess_accuracy(fewer, n, method=method).status]
        <= STATUS_ORDER[assess_accuracy(more, n, method=method).status]
    )


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_closed_form_wilson_equals_scipys(case):
    """proportion_interval computes Wilson in closed form; it must equal scipy's binomtest to 1e-12."""
    from scipy.stats import binomtest

    successes, n = case
    expected = binomtest(successes, n).proportion_ci(method="wilson")
    low, high = proportion_interval(successes, n)
    assert abs(low - expected.low) < 1e-12 and abs(high - expected.high) < 1e-12
