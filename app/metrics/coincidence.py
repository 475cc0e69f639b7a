"""Vectorised Krippendorff kernel: per-unit coincidence matrices and alpha from their sums.

Notation follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": o_ck is the
coincidence of values c and k, n_c its margins, n.. the number of pairable values, delta_ck the
difference function of the level of measurement. Alpha = 1 - D_o / D_e.

Every function broadcasts over leading axes, so a batch of bootstrap resamples or of leave-one-rater-out
tables is one numpy call instead of a Python loop. ``agreement.krippendorff_alpha`` uses the
``krippendorff`` package for the headline value; the tests check this kernel against it to 1e-9.
"""

from collections.abc import Sequence

import numpy as np

LEVELS = ("nominal", "ordinal", "interval")


def unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Per-unit coincidence matrices (..., units, V, V) from value counts (..., units, V)."""
    counts = np.asarray(counts, dtype=float)
    pairable = counts.sum(axis=-1)
    pairs = counts[..., :, np.newaxis] * counts[..., np.newaxis, :]
    pairs -= counts[..., np.newaxis] * np.eye(counts.shape[-1])
    # A unit with fewer than two values has no pairs; weight 0 also avoids dividing by m_u - 1 = 0.
    weight = np.divide(1.0, pairable - 1, out=np.zeros_like(pairable), where=pairable >= 2)
    return pairs * weight[..., np.newaxis, np.newaxis]


def distances(level: str, margins: np.ndarray, values: Sequence[float] | None = None) -> np.ndarray:
    """Difference function delta_ck (..., V, V) for a level; ordinal depends on the margins n_c."""
    margins = np.asarray(margins, dtype=float)
    size = margins.shape[-1]
    if level == "nominal":
        return np.broadcast_to(1.0 - np.eye(size), margins.shape + (size,))
    if level == "interval":
        if values is None:
            raise ValueError("interval level needs the numeric category values")
        points = np.asarray(values, dtype=float)
        squared = (points[:, np.newaxis] - points[np.newaxis, :]) ** 2
        return np.broadcast_to(squared, margins.shape + (size,))
    if level == "ordinal":
        return _ordinal_distances(margins)
    raise ValueError(f"level must be one of {LEVELS}, not {level!r}")


def _ordinal_distances(margins: np.ndarray) -> np.ndarray:
    """Ordinal delta_ck = (sum of n_g for g from c to k - (n_c + n_k) / 2) squared."""
    index = np.arange(margins.shape[-1])
    low = np.minimum.outer(index, index)
    high = np.maximum.outer(index, index)
    running = np.cumsum(margins, axis=-1)
    between = running[..., high] - running[..., low] + margins[..., low]
    return (between - (margins[..., low] + margins[..., high]) / 2.0) ** 2


def alpha_from_coincidences(
    coincidences: np.ndarray, level: str = "nominal", values: Sequence[float] | None = None
) -> np.ndarray:
    """Alpha for summed coincidence matrices (..., V, V); NaN where expected disagreement is zero."""
    coincidences = np.asarray(coincidences, dtype=float)
    margins = coincidences.sum(axis=-1)
    total = margins.sum(axis=-1)
    delta = distances(level, margins, values)
    expected = margins[..., :, np.newaxis] * margins[..., np.newaxis, :]
    expected -= margins[..., np.newaxis] * np.eye(margins.shape[-1])
    observed_disagreement = (coincidences * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_disagreement = (expected * delta).sum(axis=(-2, -1)) / (total - 1)
        alpha = 1.0 - observed_disagreement / expected_disagreement
    return np.where(expected_disagreement > 0, alpha, np.nan)


def resample_weights(picks: np.ndarray, n_units: int) -> np.ndarray:
    """How often each unit was drawn in each resample: (resamples, units) counts from picked indices."""
    n_resamples = picks.shape[0]
    offsets = np.arange(n_resamples)[:, np.newaxis] * n_units
    flat = np.bincount((picks + offsets).ravel(), minlength=n_resamples * n_units)
    return flat.reshape(n_resamples, n_units)


def resampled_alphas(
    per_unit: np.ndarray,
    picks: np.ndarray,
    level: str = "nominal",
    values: Sequence[float] | None = None,
) -> np.ndarray:
    """Alpha of each resample of units, by summing each unit's coincidences as often as it was drawn."""
    n_units, size, _ = per_unit.shape
    weights = resample_weights(picks, n_units).astype(float)
    summed = (weights @ per_unit.reshape(n_units, size * size)).reshape(-1, size, size)
    return alpha_from_coincidences(summed, level, values)
