"""Krippendorff's alpha for calibration sessions: value, bootstrap interval, rater influence, disputes.

Input is a units x raters table (list of lists or numpy array), missing ratings as None or NaN,
categories as strings or numbers (see ``ratings.encode_ratings``). A ``Ratings`` from
``encode_ratings`` is accepted everywhere, so callers can encode once.

Undefined alpha never raises: the result carries ``value=None`` and a ``reason`` (``ratings.REASON_*``).
Readings follow Krippendorff (Content Analysis, 2004; "Computing Krippendorff's Alpha-Reliability",
2011): rely on alpha >= 0.800 ("reliable"), draw only tentative conclusions for 0.667 <= alpha < 0.800
("tentative"), and discard data below 0.667 ("unreliable").
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

from app.metrics.coincidence import (
    LEVELS,
    alpha_from_coincidences,
    distances,
    resampled_alphas,
    unit_coincidences,
)
from app.metrics.ratings import (
    REASON_NO_DATA,
    REASON_NO_PAIRS,
    REASON_NO_VARIATION,
    Ratings,
    Table,
    encode_ratings,
    one_hot,
    value_counts,
)

RELIABLE = 0.800
TENTATIVE = 0.667
# Resamples are summed in blocks so memory stays bounded (block x units weights) for large sessions.
_BLOCK = 250


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with why it is undefined (if it is) and how much data it rests on."""

    value: float | None
    reason: str | None
    pairable: int  # pairable values n.. : ratings on units that have two or more ratings
    units: int  # units with two or more ratings
    reading: str | None
    level: str


@dataclass(frozen=True)
class AlphaInterval:
    """Percentile bootstrap interval for alpha, resampling units."""

    estimate: float | None
    low: float | None
    high: float | None
    confidence: float
    n_resamples: int
    undefined: int  # resamples with no variation, hence no alpha; left out of the percentiles
    reason: str | None


@dataclass(frozen=True)
class RaterInfluence:
    """Alpha without one rater; a positive change means the session agrees better without them."""

    rater: int
    ratings: int
    alpha_without: float | None
    change: float | None


@dataclass(frozen=True)
class DisputedUnit:
    """A unit whose raters disagree: mean difference over its pairs of ratings."""

    unit: int
    disagreement: float
    ratings: int


def alpha_reading(value: float | None) -> str | None:
    """Krippendorff's reading of alpha: 'reliable', 'tentative' or 'unreliable' (None if undefined)."""
    if value is None:
        return None
    if value >= RELIABLE:
        return "reliable"
    return "tentative" if value >= TENTATIVE else "unreliable"


def krippendorff_alpha(
    table: Table, level: str = "nominal", categories: Sequence[Hashable] | None = None
) -> AlphaResult:
    """Krippendorff's alpha of a units x raters table, computed by the ``krippendorff`` package."""
    ratings = encode_for_level(table, categories, level)
    counts = value_counts(ratings)
    reason = _undefined_reason(counts)
    pairable_rows = counts[counts.sum(axis=1) >= 2]
    if reason is not None:
        return _alpha_result(None, reason, pairable_rows, level)
    value = krippendorff.alpha(
        value_counts=pairable_rows,
        value_domain=_value_domain(ratings, level),
        level_of_measurement=level,
    )
    return _alpha_result(float(value), None, pairable_rows, level)


def bootstrap_alpha(
    table: Table,
    *,
    seed: int | np.random.Generator,
    level: str = "nominal",
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
) -> AlphaInterval:
    """Bootstrap interval for alpha: resample the pairable units with replacement, percentile limits.

    Units with fewer than two ratings carry no pairs, so only pairable units are resampled (Hayes &
    Krippendorff 2007 resample pairable values instead; resampling units keeps each case's ratings
    together, which is what a calibration session samples).
    """
    ratings = encode_for_level(table, categories, level)
    counts = value_counts(ratings)
    reason = _undefined_reason(counts)
    if reason is not None:
        return AlphaInterval(None, None, None, confidence, n_resamples, 0, reason)
    per_unit = unit_coincidences(counts[counts.sum(axis=1) >= 2])
    values = _level_values(ratings, level)
    estimate = float(alpha_from_coincidences(per_unit.sum(axis=0), level, values))
    rng = np.random.default_rng(seed)
    n_units = per_unit.shape[0]
    blocks = []
    for start in range(0, n_resamples, _BLOCK):
        picks = rng.integers(0, n_units, size=(min(_BLOCK, n_resamples - start), n_units))
        blocks.append(resampled_alphas(per_unit, picks, level, values))
    alphas = np.concatenate(blocks) if blocks else np.zeros(0)
    defined = alphas[~np.isnan(alphas)]
    if defined.size == 0:
        return AlphaInterval(estimate, None, None, confidence, n_resamples, alphas.size, None)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(defined, [tail, 1.0 - tail])
    undefined = int(alphas.size - defined.size)
    return AlphaInterval(estimate, float(low), float(high), confidence, n_resamples, undefined, None)


def rater_influence(
    table: Table, level: str = "nominal", categories: Sequence[Hashable] | None = None
) -> list[RaterInfluence]:
    """For each rater (column), alpha with that rater left out and its change from the full alpha."""
    ratings = encode_for_level(table, categories, level)
    values = _level_values(ratings, level)
    indicators = one_hot(ratings)
    counts = indicators.sum(axis=1)
    full = _nan_to_none(alpha_from_coincidences(unit_coincidences(counts).sum(axis=0), level, values))
    # counts without rater r, for every r at once: (raters, units, V).
    without = counts[np.newaxis] - indicators.transpose(1, 0, 2)
    alphas = alpha_from_coincidences(unit_coincidences(without).sum(axis=1), level, values)
    rated = indicators.any(axis=2).sum(axis=0)
    result = []
    for rater, alpha in enumerate(alphas):
        alpha_without = _nan_to_none(alpha)
        change = None if alpha_without is None or full is None else alpha_without - full
        result.append(RaterInfluence(rater, int(rated[rater]), alpha_without, change))
    return result


def unit_disagreement(
    table: Table, level: str = "nominal", categories: Sequence[Hashable] | None = None
) -> list[float | None]:
    """Per unit, the mean difference over its ordered pairs of ratings; None below two ratings.

    For nominal data this is the share of rater pairs that disagree on the unit.
    """
    ratings = encode_for_level(table, categories, level)
    counts = value_counts(ratings)
    per_unit = unit_coincidences(counts)
    delta = distances(level, per_unit.sum(axis=0).sum(axis=-1), _level_values(ratings, level))
    pairable = counts.sum(axis=1)
    mean_difference = (per_unit * delta).sum(axis=(1, 2)) / np.maximum(pairable, 1)
    return [float(d) if m >= 2 else None for d, m in zip(mean_difference, pairable, strict=True)]


def most_disputed(
    table: Table,
    level: str = "nominal",
    categories: Sequence[Hashable] | None = None,
    limit: int | None = 10,
) -> list[DisputedUnit]:
    """Units with any disagreement, most disputed first (ties: more ratings first, then unit order)."""
    ratings = encode_for_level(table, categories, level)
    rated = (ratings.codes >= 0).sum(axis=1)
    disputed = [
        DisputedUnit(unit, value, int(rated[unit]))
        for unit, value in enumerate(unit_disagreement(ratings, level))
        if value is not None and value > 0
    ]
    disputed.sort(key=lambda item: (-item.disagreement, -item.ratings, item.unit))
    return disputed if limit is None else disputed[:limit]


def encode_for_level(table: Table, categories: Sequence[Hashable] | None, level: str) -> Ratings:
    """Encode a table for a level; rejects an unknown level, and text categories with no order given."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    ratings = encode_ratings(table, categories)
    # Sorted strings are alphabetical, not ranked: ordered levels need the order spelled out.
    implicit = categories is None and not isinstance(table, Ratings)
    if level != "nominal" and implicit and any(isinstance(c, str) for c in ratings.categories):
        raise ValueError(f"{level} level with text categories needs categories in order")
    return ratings


def _undefined_reason(counts: np.ndarray) -> str | None:
    """Why alpha is undefined for these value counts, or None when it is defined."""
    if counts.sum() == 0:
        return REASON_NO_DATA
    pairable_rows = counts[counts.sum(axis=1) >= 2]
    if pairable_rows.size == 0:
        return REASON_NO_PAIRS
    if np.count_nonzero(pairable_rows.sum(axis=0)) < 2:
        return REASON_NO_VARIATION
    return None


def _alpha_result(
    value: float | None, reason: str | None, pairable_rows: np.ndarray, level: str
) -> AlphaResult:
    """Assemble an AlphaResult with its data counts and reading."""
    return AlphaResult(
        value=value,
        reason=reason,
        pairable=int(pairable_rows.sum()),
        units=int(pairable_rows.shape[0]),
        reading=alpha_reading(value),
        level=level,
    )


def _level_values(ratings: Ratings, level: str) -> list[float] | None:
    """Numeric category values for the interval level (its difference function uses them)."""
    if level != "interval":
        return None
    try:
        return [float(category) for category in ratings.categories]  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise ValueError("interval level needs numeric categories") from error


def _value_domain(ratings: Ratings, level: str) -> list[float] | np.ndarray:
    """Domain for the krippendorff package: codes keep category order; interval needs real values."""
    values = _level_values(ratings, level)
    return values if values is not None else np.arange(len(ratings.categories))


def _nan_to_none(value: float | np.floating) -> float | None:
    """Plain float, or None for NaN (undefined alpha)."""
    return None if np.isnan(value) else float(value)
