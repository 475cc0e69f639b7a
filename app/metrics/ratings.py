"""Reliability data: a units x raters table of category ratings, encoded to integer codes.

A table has one row per unit (case) and one column per rater; a cell is a category (string or number)
or missing (None or NaN). Encoding once and passing the ``Ratings`` around lets a report compute
alpha, kappa and the rest without re-reading the table.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

MISSING = -1

# Reasons a coefficient is undefined; stable strings so the UI layer can translate them.
REASON_NO_DATA = "no ratings"
REASON_NO_PAIRS = "no unit was rated by two or more raters"
REASON_NO_VARIATION = "every pairable rating is the same category, so chance agreement is total"
REASON_NO_SHARED = "the two raters rated no unit in common"
_GUESS_ROWS = 10


@dataclass(frozen=True)
class Ratings:
    """Ratings as integer codes (units x raters, MISSING where not rated) plus the category list."""

    codes: np.ndarray
    categories: tuple[Hashable, ...]

    @property
    def n_units(self) -> int:
        """Number of units (rows)."""
        return self.codes.shape[0]

    @property
    def n_raters(self) -> int:
        """Number of raters (columns)."""
        return self.codes.shape[1]


Table = Sequence[Sequence[Any]] | np.ndarray | Ratings


def is_missing(value: object) -> bool:
    """True for None and NaN, the two spellings of 'not rated'."""
    return value is None or (isinstance(value, float) and value != value)


def encode_ratings(table: Table, categories: Sequence[Hashable] | None = None) -> Ratings:
    """Encode a units x raters table; categories default to the sorted distinct non-missing values."""
    if isinstance(table, Ratings):
        return table
    if isinstance(table, np.ndarray) and table.dtype.kind in "iuf":
        return _encode_numeric(table, categories)
    rows = table.tolist() if isinstance(table, np.ndarray) else table
    width = len(rows[0]) if len(rows) else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every unit needs one cell per rater (use None for not rated)")
    if categories is None:
        cats, codes = _infer_and_code(rows)
    else:
        cats, codes = tuple(categories), _lookup_codes(rows, tuple(categories))
    return Ratings(codes=codes.reshape(len(rows), width), categories=cats)


def _encode_numeric(table: np.ndarray, categories: Sequence[Hashable] | None) -> Ratings:
    """Vectorised encoding for numeric arrays, NaN meaning missing."""
    if table.ndim != 2:
        raise ValueError("ratings must be a 2-D units x raters table")
    values = table.astype(float)
    present = ~np.isnan(values)
    domain = np.unique(values[present]) if categories is None else np.asarray(categories, float)
    # searchsorted needs a sorted domain; ordinal and interval levels need it anyway.
    if np.any(np.diff(domain) <= 0):
        raise ValueError("numeric categories must be strictly increasing")
    found = np.searchsorted(domain, values[present])
    clipped = np.minimum(found, max(domain.size - 1, 0))
    if values[present].size and (domain.size == 0 or np.any(domain[clipped] != values[present])):
        raise ValueError("a rating is not one of the categories")
    codes = np.full(values.shape, MISSING, dtype=np.int64)
    codes[present] = found
    cats = tuple(categories) if categories is not None else tuple(domain.tolist())
    return Ratings(codes=codes, categories=cats)


def _sorted_categories(rows: Sequence[Sequence[Any]]) -> tuple[Hashable, ...]:
    """Distinct non-missing values in sorted order (so codes are stable between runs)."""
    distinct = {value for value in set().union(*rows) if not is_missing(value)}
    try:
        return tuple(sorted(distinct))
    except TypeError as error:
        raise ValueError("mixed category types: pass categories explicitly") from error


def _infer_and_code(rows: Sequence[Sequence[Any]]) -> tuple[tuple[Hashable, ...], np.ndarray]:
    """Categories inferred from the data, and the codes; one pass when the first rows show them all."""
    # If every cell is found among the first rows' values, those values are exactly the distinct ones
    # (each guessed value occurs, every value was guessed), so the full set scan can be skipped.
    guess = _sorted_categories(rows[:_GUESS_ROWS])
    codes = _fast_codes(rows, guess)
    if codes is None:
        guess = _sorted_categories(rows)
        codes = _lookup_codes(rows, guess)
    return guess, codes


def _lookup_codes(rows: Sequence[Sequence[Any]], categories: tuple[Hashable, ...]) -> np.ndarray:
    """Flat codes for every cell, NaN as missing; raises ValueError for a value not in categories."""
    codes = _fast_codes(rows, categories)
    if codes is None:
        lookup = _shifted_lookup(categories)
        codes = np.array([_slow_code(value, lookup) for value in chain.from_iterable(rows)]) - 1
    return codes


def _shifted_lookup(categories: tuple[Hashable, ...]) -> dict[Any, int]:
    """Category -> code + 1, None -> 0: shifted so missing is 0 and codes fit a byte."""
    lookup: dict[Any, int] = {category: code + 1 for code, category in enumerate(categories)}
    if len(lookup) != len(categories):
        raise ValueError("categories must be distinct")
    lookup[None] = 0
    return lookup


def _fast_codes(rows: Sequence[Sequence[Any]], categories: tuple[Hashable, ...]) -> np.ndarray | None:
    """Flat codes by dict lookup, or None when a cell is neither a category nor None (NaN, unknown)."""
    lookup = _shifted_lookup(categories)
    cells = chain.from_iterable(rows)
    try:
        # bytearray(map(...)) is the cheapest way CPython offers to turn 50,000 lookups into an array.
        if len(categories) < 255:
            shifted = np.frombuffer(bytearray(map(lookup.__getitem__, cells)), dtype=np.uint8)
        else:
            shifted = np.fromiter(map(lookup.__getitem__, cells), dtype=np.int64)
    except (KeyError, TypeError):
        return None
    return shifted.astype(np.int64) - 1


def _slow_code(value: Any, lookup: dict[Any, int]) -> int:
    """Shifted code for one cell, accepting NaN as missing and rejecting unknown categories."""
    if is_missing(value):
        return 0
    try:
        return lookup[value]
    except (KeyError, TypeError):
        raise ValueError(f"rating {value!r} is not one of the categories") from None


def value_counts(ratings: Ratings) -> np.ndarray:
    """Units x categories matrix: how many raters put each unit in each category."""
    # One comparison per category is ~10x faster than summing the units x raters x V one-hot array.
    columns = [(ratings.codes == code).sum(axis=1) for code in range(len(ratings.categories))]
    return np.stack(columns, axis=1) if columns else np.zeros((ratings.n_units, 0), dtype=np.int64)


def one_hot(ratings: Ratings) -> np.ndarray:
    """Units x raters x categories indicator array (all zero where a rater did not rate)."""
    return ratings.codes[..., np.newaxis] == np.arange(len(ratings.categories))
