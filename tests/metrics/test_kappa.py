"""Cohen's and Fleiss' kappa against published examples."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.metrics.kappa import (
    cohen_kappa,
    cohen_kappa_from_matrix,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    pairwise_kappa,
)
from app.metrics.ratings import REASON_NO_DATA, REASON_NO_PAIRS, REASON_NO_SHARED, REASON_NO_VARIATION

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin 76:378:
# 30 patients, 6 psychiatrists, 5 diagnoses (as R's irr::diagnoses); irr::kappam.fleiss -> 0.4302445.
DIAGNOSES = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]
# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories -> 0.210.
WIKIPEDIA_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]
# R irr::anxiety, 20 subjects rated by 3 raters (column by column); irr::kappa2 on raters 2 and 3,
# unweighted -> -0.006289308.
ANXIETY_RATER_2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
ANXIETY_RATER_3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]


@pytest.mark.parametrize(
    ("matrix", "published", "tolerance"),
    [
        # Wikipedia, "Cohen's kappa", simple example: 50 proposals, p_o = 0.7, p_e = 0.5.
        ([[20, 5], [10, 15]], 0.4, 1e-12),
        # SAS PROC FREQ example, as checked in statsmodels' test_inter_rater.py.
        ([[0, 4, 1], [0, 8, 0], [0, 1, 5]], 0.4842, 5e-5),
    ],
)
def test_cohen_kappa_published_tables(matrix, published, tolerance):
    assert cohen_kappa_from_matrix(matrix).value == pytest.approx(published, abs=tolerance)


def test_cohen_kappa_wikipedia_agreement_parts():
    result = cohen_kappa_from_matrix([[20, 5], [10, 15]])
    assert (result.n, result.observed, result.expected) == (50, 0.7, 0.5)


def test_cohen_kappa_from_sequences_sklearn_example():
    # scikit-learn cohen_kappa_score docstring example -> 0.6875.
    first = ["negative", "positive", "negative", "neutral", "positive"]
    second = ["negative", "positive", "negative", "neutral", "negative"]
    assert cohen_kappa(first, second).value == pytest.approx(0.6875, abs=1e-12)


def test_cohen_kappa_irr_anxiety():
    assert cohen_kappa(ANXIETY_RATER_2, ANXIETY_RATER_3).value == pytest.approx(-0.006289308, abs=5e-10)


def test_cohen_kappa_counts_only_units_both_rated():
    first = ["pass", "block", None, "pass", "block", "pass"]
    second = ["pass", "block", "block", None, "pass", "pass"]
    result = cohen_kappa(first, second)
    both = cohen_kappa(["pass", "block", "block", "pass"], ["pass", "block", "pass", "pass"])
    assert result.n == 4
    assert result.value == pytest.approx(both.value)


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ([], [], REASON_NO_SHARED),
        (["pass", None], [None, "block"], REASON_NO_SHARED),
        (["pass", "pass"], ["pass", "pass"], REASON_NO_VARIATION),
    ],
)
def test_cohen_kappa_degenerate(first, second, reason):
    result = cohen_kappa(first, second)
    assert (result.value, result.reason) == (None, reason)


def test_cohen_kappa_rejects_unequal_lengths():
    with pytest.raises(ValueError):
        cohen_kappa(["pass"], ["pass", "block"])


def test_fleiss_1971_diagnoses():
    assert fleiss_kappa(DIAGNOSES).value == pytest.approx(0.4302445, abs=5e-8)


def test_fleiss_wikipedia_example():
    result = fleiss_kappa_from_counts(WIKIPEDIA_COUNTS)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert result.value == pytest.approx(0.20993070442195522, abs=1e-12)
    assert (result.observed, result.expected) == (
        pytest.approx(0.378, abs=5e-4),
        pytest.approx(0.213, abs=5e-4),
    )


def test_fleiss_unequal_raters_uses_each_units_own_count():
    # Unit 1: 3 raters, 2 agree -> P = 2 / 6; unit 2: 2 raters agree -> P = 1; a lone rating is dropped.
    result = fleiss_kappa([["a", "a", "b"], ["b", "b", None], ["a", None, None]])
    shares = np.array([2, 3]) / 5
    expected = shares @ shares
    observed = (1 / 3 + 1) / 2
    assert result.n == 2
    assert result.value == pytest.approx((observed - expected) / (1 - expected), abs=1e-12)


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ([], REASON_NO_DATA),
        ([["a", None], [None, "b"]], REASON_NO_PAIRS),
        ([["a", "a"], ["a", "a"]], REASON_NO_VARIATION),
    ],
)
def test_fleiss_degenerate(table, reason):
    result = fleiss_kappa(table)
    assert (result.value, result.reason) == (None, reason)


def test_pairwise_matrix_equals_cohen_for_every_pair():
    rng = np.random.default_rng(5)
    truth = rng.integers(0, 3, size=80)
    table = np.where(rng.random((80, 6)) < 0.7, truth[:, None], rng.integers(0, 3, size=(80, 6)))
    table = table.astype(object)
    table[rng.random(table.shape) < 0.2] = None
    table[:, 5] = None
    table[:3, 5] = 1  # rater 5 rated three units, all the same category
    matrix = pairwise_kappa(table.tolist())
    for i in range(6):
        for j in range(6):
            single = cohen_kappa(list(table[:, i]), list(table[:, j]))
            assert matrix.shared[i][j] == single.n
            if single.value is None:
                assert matrix.values[i][j] is None
            else:
                assert matrix.values[i][j] == pytest.approx(single.value, abs=1e-12)
    assert matrix.values[0][0] == 1.0
    assert matrix.values[5][5] is None  # one category only: chance agreement is total


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 15).flatmap(
        lambda n: st.tuples(
            st.lists(st.sampled_from(["pass", "block", "escalate", None]), min_size=n, max_size=n),
            st.lists(st.sampled_from(["pass", "block", "escalate", None]), min_size=n, max_size=n),
        )
    )
)
def test_cohen_kappa_is_symmetric(pair):
    first, second = pair
    forward, backward = cohen_kappa(first, second), cohen_kappa(second, first)
    assert forward.reason == backward.reason
    if forward.value is None:
        assert backward.value is None
    else:
        assert backward.value == pytest.approx(forward.value, abs=1e-12)
