"""Krippendorff's alpha against published worked examples, degenerate inputs and properties."""

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.metrics.agreement import alpha_reading, krippendorff_alpha
from app.metrics.coincidence import alpha_from_coincidences, unit_coincidences
from app.metrics.ratings import (
    REASON_NO_DATA,
    REASON_NO_PAIRS,
    REASON_NO_VARIATION,
    encode_ratings,
    value_counts,
)

_ = None


def units_by_raters(*observers):
    """Krippendorff prints observers x units; our tables are units x raters."""
    return [list(unit) for unit in zip(*observers, strict=True)]


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: binary, 2 observers.
BINARY = units_by_raters([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
# Section B: nominal, 2 observers, no missing data.
NOMINAL_TWO = units_by_raters(list("aabbdcccedda"), list("babbbccceddd"))
# Section C: 4 observers, 12 units, missing data (also used for the other levels).
FOUR_CODERS = units_by_raters(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
)
# Wikipedia, "Krippendorff's alpha", "A computational example": 3 coders, 15 units.
WIKIPEDIA = units_by_raters(
    [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
    [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
    [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
)


@pytest.mark.parametrize(
    ("table", "level", "published"),
    [
        (BINARY, "nominal", 0.095),
        (NOMINAL_TWO, "nominal", 0.692),
        (FOUR_CODERS, "nominal", 0.743),
        (FOUR_CODERS, "ordinal", 0.815),
        (FOUR_CODERS, "interval", 0.849),
        (WIKIPEDIA, "nominal", 0.691),
        (WIKIPEDIA, "interval", 0.811),
    ],
)
def test_published_worked_examples(table, level, published):
    assert krippendorff_alpha(table, level).value == pytest.approx(published, abs=5e-4)


def test_binary_example_exactly():
    # Section A's coincidences: o_01 = 4, n_0 = 14, n_1 = 6, n = 20: alpha = 1 - 19 * 4 / (14 * 6).
    assert krippendorff_alpha(BINARY).value == pytest.approx(1 - 19 * 4 / 84, abs=1e-12)


def test_pairable_counts_of_section_c():
    # Krippendorff counts n.. = 40 pairable values; unit 12 has a single value and drops out.
    result = krippendorff_alpha(FOUR_CODERS)
    assert (result.pairable, result.units, result.reading, result.reason) == (40, 11, "tentative", None)


def test_string_categories_match_numeric_codes():
    letters = [[None if v is None else "abcde"[v - 1] for v in row] for row in FOUR_CODERS]
    assert krippendorff_alpha(letters).value == pytest.approx(0.743421052631579, abs=1e-12)


def test_ordinal_text_categories_use_the_given_order():
    names = ["very low", "low", "mid", "high", "very high"]
    text = [[None if v is None else names[v - 1] for v in row] for row in FOUR_CODERS]
    assert krippendorff_alpha(text, "ordinal", categories=names).value == pytest.approx(0.815, abs=5e-4)
    with pytest.raises(ValueError):
        krippendorff_alpha(text, "ordinal")  # alphabetical order would be meaningless


def test_numpy_input_with_nan():
    array = np.array([[np.nan if v is None else v for v in row] for row in FOUR_CODERS])
    assert krippendorff_alpha(array).value == pytest.approx(0.743, abs=5e-4)


def test_unknown_level_is_rejected():
    with pytest.raises(ValueError):
        krippendorff_alpha(FOUR_CODERS, "ratio-ish")


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ([], REASON_NO_DATA),
        ([[None, None], [None, None]], REASON_NO_DATA),
        ([["pass", None], [None, "block"]], REASON_NO_PAIRS),
        ([["pass", "pass"], ["pass", "pass"]], REASON_NO_VARIATION),
        # "block" only on a unit with one rating: the pairable values are all "pass".
        ([["pass", "pass", "pass"], ["block", None, None]], REASON_NO_VARIATION),
    ],
)
def test_degenerate_inputs_give_none_with_reason(table, reason):
    result = krippendorff_alpha(table)
    assert (result.value, result.reason, result.reading) == (None, reason, None)


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        (1.0, "reliable"),
        (0.800, "reliable"),
        (0.7999, "tentative"),
        (0.667, "tentative"),
        (0.6669, "unreliable"),
        (-0.2, "unreliable"),
        (None, None),
    ],
)
def test_reading_thresholds(value, reading):
    assert alpha_reading(value) == reading


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_vectorised_kernel_equals_krippendorff_package(seed, level):
    rng = np.random.default_rng(seed)
    table = rng.integers(0, 4, size=(40, 6)).astype(float)
    table[rng.random(table.shape) < 0.2] = np.nan
    ratings = encode_ratings(table)
    kernel = alpha_from_coincidences(
        unit_coincidences(value_counts(ratings)).sum(axis=0), level, list(ratings.categories)
    )
    reference = krippendorff.alpha(table.T, level_of_measurement=level)
    assert float(kernel) == pytest.approx(reference, abs=1e-9)


small_tables = st.integers(2, 4).flatmap(
    lambda raters: st.lists(
        st.lists(st.sampled_from([0, 1, 2, None]), min_size=raters, max_size=raters),
        min_size=1,
        max_size=12,
    )
)


@settings(max_examples=80, deadline=None)
@given(small_tables, st.permutations(["pass", "block", "escalate"]))
def test_alpha_is_invariant_to_relabeling_categories(table, names):
    relabeled = [[None if v is None else names[v] for v in row] for row in table]
    original, renamed = krippendorff_alpha(table), krippendorff_alpha(relabeled)
    assert original.reason == renamed.reason
    if original.value is None:
        assert renamed.value is None
    else:
        assert renamed.value == pytest.approx(original.value, abs=1e-12)
