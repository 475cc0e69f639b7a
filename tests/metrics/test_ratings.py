"""Encoding units x raters tables to category codes."""

import numpy as np
import pytest

from app.metrics.ratings import MISSING, encode_ratings, value_counts


def test_strings_get_sorted_codes_and_none_is_missing():
    ratings = encode_ratings([["pass", "block"], [None, "escalate"]])
    assert ratings.categories == ("block", "escalate", "pass")
    assert ratings.codes.tolist() == [[2, 0], [MISSING, 1]]
    assert (ratings.n_units, ratings.n_raters) == (2, 2)


def test_explicit_categories_keep_their_order_and_may_be_unused():
    ratings = encode_ratings([["pass", "block"]], categories=["pass", "block", "escalate"])
    assert ratings.codes.tolist() == [[0, 1]]
    assert value_counts(ratings).tolist() == [[1, 1, 0]]


def test_nan_in_a_list_is_missing():
    ratings = encode_ratings([["a", float("nan")], [np.nan, "b"]])
    assert ratings.codes.tolist() == [[0, MISSING], [MISSING, 1]]


def test_numeric_array_with_nan():
    ratings = encode_ratings(np.array([[3.0, np.nan], [1.0, 3.0]]))
    assert ratings.categories == (1.0, 3.0)
    assert ratings.codes.tolist() == [[1, MISSING], [0, 1]]


def test_category_first_seen_late_is_still_found():
    # The first rows only show "pass"; "escalate" appears in row 20.
    table = [["pass", "pass"]] * 20 + [["escalate", None]]
    ratings = encode_ratings(table)
    assert ratings.categories == ("escalate", "pass")
    assert ratings.codes[-1].tolist() == [0, MISSING]
    assert value_counts(ratings).sum(axis=0).tolist() == [1, 40]


@pytest.mark.parametrize(
    ("table", "categories"),
    [
        ([["pass", "allow"]], ["pass", "block"]),  # unknown category
        (np.array([[1.0, 7.0]]), [1.0, 2.0]),  # unknown numeric category
        ([["pass", "block"], ["pass"]], None),  # ragged rows
        ([["pass", 1]], None),  # mixed types cannot be ordered
        ([["pass"]], ["pass", "pass"]),  # duplicate categories
    ],
)
def test_bad_tables_are_rejected(table, categories):
    with pytest.raises(ValueError):
        encode_ratings(table, categories)


def test_empty_table():
    ratings = encode_ratings([])
    assert ratings.codes.shape == (0, 0)
    assert ratings.categories == ()
