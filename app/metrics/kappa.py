"""Kappa coefficients: Cohen's kappa for a pair of raters, the pairwise matrix, and Fleiss' kappa.

Tables are units x raters as in ``agreement`` (missing as None or NaN). Undefined kappa never raises:
``value=None`` and a ``reason`` (``ratings.REASON_*``).
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.metrics.ratings import (
    REASON_NO_DATA,
    REASON_NO_PAIRS,
    REASON_NO_SHARED,
    REASON_NO_VARIATION,
    Table,
    encode_ratings,
    one_hot,
    value_counts,
)


@dataclass(frozen=True)
class KappaResult:
    """A kappa with its observed and chance agreement and the number of units it rests on."""

    value: float | None
    reason: str | None
    n: int
    observed: float | None
    expected: float | None


@dataclass(frozen=True)
class PairwiseKappa:
    """Cohen's kappa for every pair of raters (symmetric) and how many units each pair shares."""

    values: list[list[float | None]]
    shared: list[list[int]]


def cohen_kappa_from_matrix(matrix: Sequence[Sequence[int]] | np.ndarray) -> KappaResult:
    """Cohen's (1960) kappa from a square agreement matrix of counts (rows: rater 1, cols: rater 2)."""
    table = np.asarray(matrix, dtype=float)
    n, agree = float(table.sum()), float(np.trace(table))
    if n == 0:
        return KappaResult(None, REASON_NO_SHARED, 0, None, None)
    chance = float(table.sum(axis=1) @ table.sum(axis=0))
    # Counts, not proportions: kappa = (n * agree - chance) / (n^2 - chance), exact for integer data.
    if n * n == chance:
        return KappaResult(None, REASON_NO_VARIATION, int(n), agree / n, 1.0)
    value = (n * agree - chance) / (n * n - chance)
    return KappaResult(value, None, int(n), agree / n, chance / (n * n))


def cohen_kappa(
    first: Sequence[Any], second: Sequence[Any], categories: Sequence[Hashable] | None = None
) -> KappaResult:
    """Cohen's kappa for two raters' ratings of the same units, counting only units both rated."""
    if len(first) != len(second):
        raise ValueError("both raters need one entry per unit (use None for not rated)")
    if not first:
        return KappaResult(None, REASON_NO_SHARED, 0, None, None)
    ratings = encode_ratings([[a, b] for a, b in zip(first, second, strict=True)], categories)
    both = (ratings.codes >= 0).all(axis=1)
    size = len(ratings.categories)
    pairs = ratings.codes[both]
    matrix = np.bincount(pairs[:, 0] * size + pairs[:, 1], minlength=size * size).reshape(size, size)
    return cohen_kappa_from_matrix(matrix)


def pairwise_kappa(table: Table, categories: Sequence[Hashable] | None = None) -> PairwiseKappa:
    """Cohen's kappa for every pair of raters (columns), each on the units that pair both rated."""
    indicators = one_hot(encode_ratings(table, categories)).astype(float)  # units x raters x V
    present = indicators.sum(axis=2)
    shared = present.T @ present
    by_category = indicators.transpose(2, 1, 0)  # V x raters x units
    agree = (by_category @ by_category.transpose(0, 2, 1)).sum(axis=0)
    # margins[v, i, j]: how often rater i said v on units rater j also rated.
    margins = by_category @ present
    chance = (margins * margins.transpose(0, 2, 1)).sum(axis=0)
    denominator = shared * shared - chance
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (shared * agree - chance) / denominator
    defined = (shared > 0) & (denominator != 0)
    values = [
        [float(kappa[i, j]) if defined[i, j] else None for j in range(kappa.shape[1])]
        for i in range(kappa.shape[0])
    ]
    return PairwiseKappa(values=values, shared=shared.astype(int).tolist())


def fleiss_kappa_from_counts(counts: Sequence[Sequence[int]] | np.ndarray) -> KappaResult:
    """Fleiss' (1971) kappa from a units x categories table of how many raters chose each category.

    Fleiss assumes every unit has the same number of raters. When they differ, each unit's agreement
    P_i uses its own n_i (pairs agreeing / n_i(n_i - 1)) and the category shares p_j pool all ratings;
    with equal n_i this is exactly Fleiss' formula. Units with fewer than two ratings are left out.
    """
    table = np.asarray(counts, dtype=float)
    if table.size == 0 or table.sum() == 0:
        return KappaResult(None, REASON_NO_DATA, 0, None, None)
    raters = table.sum(axis=1)
    table = table[raters >= 2]
    raters = raters[raters >= 2]
    if table.shape[0] == 0:
        return KappaResult(None, REASON_NO_PAIRS, 0, None, None)
    observed = float(np.mean(((table * (table - 1)).sum(axis=1)) / (raters * (raters - 1))))
    shares = table.sum(axis=0) / table.sum()
    expected = float(shares @ shares)
    units = int(table.shape[0])
    if np.isclose(expected, 1.0, rtol=0.0, atol=1e-12):
        return KappaResult(None, REASON_NO_VARIATION, units, observed, 1.0)
    return KappaResult((observed - expected) / (1.0 - expected), None, units, observed, expected)


def fleiss_kappa(table: Table, categories: Sequence[Hashable] | None = None) -> KappaResult:
    """Fleiss' kappa of a units x raters table (see ``fleiss_kappa_from_counts`` for unequal raters)."""
    return fleiss_kappa_from_counts(value_counts(encode_ratings(table, categories)))
