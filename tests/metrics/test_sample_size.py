"""Sample sizes: margin by Wilson, zero/c-failure demonstration by binomial, ANSI/ASQ Z1.4 letters."""

import math

import pytest
from scipy.stats import binomtest, norm

from app.metrics.sample_size import n_for_margin, n_to_demonstrate, wilson_half_width, z14_plan

Z95 = norm.ppf(0.975)


@pytest.mark.parametrize(("successes", "n"), [(190, 380), (81, 263), (0, 20), (29, 29), (147, 150)])
def test_wilson_half_width_matches_scipy(successes, n):
    interval = binomtest(successes, n).proportion_ci(method="wilson")
    half = (interval.high - interval.low) / 2
    assert wilson_half_width(successes / n, n) == pytest.approx(half, abs=1e-12)


@pytest.mark.parametrize("margin", [0.1, 0.05, 0.03, 0.02, 0.01])
def test_worst_case_margin_matches_closed_form(margin):
    # At p = 0.5 the Wilson half-width is z / (2 sqrt(n + z^2)), so n >= z^2 / (4 h^2) - z^2.
    assert n_for_margin(margin) == math.ceil(Z95**2 / (4 * margin**2) - Z95**2)


def test_five_point_margin_needs_381_not_the_normal_approximations_385():
    assert n_for_margin(0.05) == 381


@pytest.mark.parametrize(("margin", "p"), [(0.05, 0.5), (0.02, 0.98), (0.01, 0.9), (0.03, 0.0)])
def test_margin_search_finds_the_smallest_n(margin, p):
    n = n_for_margin(margin, p=p)
    assert wilson_half_width(p, n) <= margin < wilson_half_width(p, n - 1)


def test_expected_accuracy_needs_fewer_than_worst_case():
    assert n_for_margin(0.02, p=0.98) < n_for_margin(0.02)


@pytest.mark.parametrize(("margin", "p"), [(0.0, 0.5), (0.5, 0.5), (0.05, 1.5)])
def test_margin_arguments_are_checked(margin, p):
    with pytest.raises(ValueError):
        n_for_margin(margin, p=p)


# Issue 3: "for c = 0 at 98% and 95%, this is the familiar 149" (success-run theorem,
# n = ln(1 - C) / ln(R) = ln 0.05 / ln 0.98 = 148.3). 95%/95%: 59, 93, 124, 153 for c = 0..3 is the
# standard attribute acceptance table; 99%/95% c = 0: 299; 90%/90% c = 0: 22.
@pytest.mark.parametrize(
    ("target", "confidence", "errors", "n"),
    [
        (0.98, 0.95, 0, 149),
        (0.95, 0.95, 0, 59),
        (0.95, 0.95, 1, 93),
        (0.95, 0.95, 2, 124),
        (0.95, 0.95, 3, 153),
        (0.99, 0.95, 0, 299),
        (0.90, 0.90, 0, 22),
    ],
)
def test_demonstration_sample_sizes(target, confidence, errors, n):
    assert n_to_demonstrate(target, confidence, errors) == n


@pytest.mark.parametrize("target", [0.9, 0.95, 0.98, 0.99, 0.995])
@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_zero_failure_matches_success_run_theorem(target, confidence):
    assert n_to_demonstrate(target, confidence) == math.ceil(math.log(1 - confidence) / math.log(target))


@pytest.mark.parametrize(
    ("target", "confidence", "errors"), [(1.0, 0.95, 0), (0.98, 0.0, 0), (0.98, 0.95, -1)]
)
def test_demonstration_arguments_are_checked(target, confidence, errors):
    with pytest.raises(ValueError):
        n_to_demonstrate(target, confidence, errors)


# ANSI/ASQ Z1.4-2003 Table I (sample size code letters), general inspection level II, and Table II-A
# (sample size per letter), at both edges of every lot-size band.
@pytest.mark.parametrize(
    ("lot_size", "letter", "sample_size"),
    [
        (2, "A", 2),
        (8, "A", 2),
        (9, "B", 3),
        (15, "B", 3),
        (16, "C", 5),
        (25, "C", 5),
        (26, "D", 8),
        (50, "D", 8),
        (51, "E", 13),
        (90, "E", 13),
        (91, "F", 20),
        (150, "F", 20),
        (151, "G", 32),
        (280, "G", 32),
        (281, "H", 50),
        (500, "H", 50),
        (501, "J", 80),
        (1200, "J", 80),
        (1201, "K", 125),
        (3200, "K", 125),
        (3201, "L", 200),
        (10_000, "L", 200),
        (10_001, "M", 315),
        (35_000, "M", 315),
        (35_001, "N", 500),
        (150_000, "N", 500),
        (150_001, "P", 800),
        (500_000, "P", 800),
        (500_001, "Q", 1250),
        (10**8, "Q", 1250),
    ],
)
def test_z14_general_level_two(lot_size, letter, sample_size):
    plan = z14_plan(lot_size)
    assert (plan.letter, plan.sample_size) == (letter, sample_size)


@pytest.mark.parametrize(
    ("lot_size", "level", "letter", "sample_size"),
    [
        (2, "I", "A", 2),
        (16, "I", "B", 3),
        (1000, "I", "G", 32),
        (500_001, "I", "N", 500),
        (2, "III", "B", 2),
        (1000, "III", "K", 125),
        (500_001, "III", "R", 2000),
    ],
)
def test_z14_levels_one_and_three(lot_size, level, letter, sample_size):
    plan = z14_plan(lot_size, level)
    assert (plan.letter, plan.sample_size) == (letter, sample_size)


@pytest.mark.parametrize(
    ("lot_size", "sample_size", "full"), [(0, 0, True), (1, 1, True), (2, 2, True), (3, 2, False)]
)
def test_z14_small_lots_are_inspected_in_full(lot_size, sample_size, full):
    plan = z14_plan(lot_size)
    assert (plan.sample_size, plan.full_inspection) == (sample_size, full)


def test_z14_rejects_unknown_level_and_negative_lot():
    with pytest.raises(ValueError):
        z14_plan(100, "IV")
    with pytest.raises(ValueError):
        z14_plan(-1)
