"""Accuracy estimated from audits drawn by a sampling plan: design-based, not a share of the audits.

Plans favour risky decisions (every Key User case and every critical finding is audited; low-confidence
decisions and overrides are drawn more often). A plain share of the audits therefore over-represents the
hard cases and under-states accuracy. Here each audited decision carries its inclusion probability pi
(its chance of being drawn, recorded when the plan drew it) and stands for w = 1/pi decisions:

- Certain strata (pi = 1: Key User cases, critical findings) are a census. Their accuracy is known
  exactly and is reported as its own figure beside the estimate; in the overall figure they count once
  each and add no sampling error.
- Sampled decisions are post-stratified by inclusion probability: decisions drawn with the same pi form a
  cell of estimated size N_h = n_h / pi_h (Horvitz-Thompson), and the estimate is sum(N_h p_h) / sum(N_h),
  which is the Hajek estimator sum(w y) / sum(w). Its variance is the stratified one with each cell's
  finite-population correction, sum((N_h/N)^2 (1 - pi_h) p~_h (1 - p~_h) / (n_h + 1)), where
  p~_h = (x_h + 1/2) / (n_h + 1) adds half an error and half a correct decision to each cell (the
  Jeffreys prior's mean). Without it a cell with no errors seen would claim no uncertainty at all, and
  intervals built on rare errors in lightly sampled cells cover far less than they say; with it a 95%
  interval covers the true accuracy of all the agent's decisions in about 97% of simulated agents
  (tests/metrics/test_design.py). Unsmoothed, the variance equals statsmodels' robust (HC0) variance of a
  weighted regression on the cells, times (1 - pi) (tested).
- With clusters (a team's or a vendor's audits, clustered by agent) the variance is the larger of that
  and the with-replacement between-cluster estimator m/(m-1) sum_a z_a^2, z_a being the agent's
  linearised total, which equals statsmodels' cluster-robust variance (tested). So agents who differ
  widen the interval and one busy agent cannot make a vendor look precise.
- The interval is the normal one around the sampled part, clipped to [0, 1], carried to the overall
  figure through the census part, which is exact.

Pure: plain data in, plain data out.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.metrics.accuracy import DEFAULT_TARGET, accuracy_status, z_value

SMOOTHING = 0.5  # pseudo-decisions of each kind per cell in the variance (Jeffreys)


@dataclass(frozen=True)
class Census:
    """Decisions audited with certainty: exact counts, no sampling error."""

    audits: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.audits if self.audits else None


@dataclass(frozen=True)
class DesignEstimate:
    """Accuracy over the decisions the audits stand for, with its interval and status."""

    estimate: float | None
    low: float | None
    high: float | None
    status: str
    audits: int
    represented: float  # the number of decisions the audits stand for, sum of 1/pi
    effective_n: float | None  # of the sampled part: p(1-p)/variance
    census: Census
    sampled_audits: int
    sampled_estimate: float | None
    target: float
    confidence: float
    clustered: bool


def design_accuracy(
    correct: Sequence[bool],
    probabilities: Sequence[float],
    clusters: Sequence[object] | None = None,
    target: float = DEFAULT_TARGET,
    confidence: float = 0.95,
) -> DesignEstimate:
    """Design-based accuracy of audited decisions (True = correct) drawn with these inclusion probabilities,
    optionally clustered (by agent, for teams and vendors)."""
    y = np.asarray(correct, dtype=float).reshape(-1)
    pi = np.asarray(probabilities, dtype=float).reshape(-1)
    if len(pi) != len(y) or (clusters is not None and len(clusters) != len(y)):
        raise ValueError("give one inclusion probability (and cluster) per audit")
    if not np.all((pi > 0) & (pi <= 1)):
        raise ValueError("inclusion probabilities must lie in (0, 1]")
    certain = pi >= 1.0
    census = Census(int(certain.sum()), int(y[certain].sum()))
    sampled = ~certain
    w, ys = 1.0 / pi[sampled], y[sampled]
    sampled_total = float(w.sum())
    represented = census.audits + sampled_total
    if len(y) == 0:
        return _estimate(None, None, None, 0, 0.0, None, census, 0, None, target, confidence, clusters)
    if not sampled.any():  # a census: exact
        value = census.correct / census.audits
        return _estimate(
            value, value, value, len(y), represented, None, census, 0, None, target, confidence, clusters
        )
    ratio = float((w * ys).sum() / sampled_total)
    variance = _cell_variance(ys, pi[sampled], sampled_total, SMOOTHING)
    if clusters is not None:
        groups = np.asarray(clusters, dtype=object)[sampled]
        variance = max(variance, _between_cluster_variance(w * (ys - ratio) / sampled_total, groups))
    half = z_value(confidence) * math.sqrt(variance)
    low, high = max(0.0, ratio - half), min(1.0, ratio + half)
    effective = ratio * (1 - ratio) / variance if variance > 0 else None

    def overall(share: float) -> float:
        return (census.correct + sampled_total * share) / represented

    return _estimate(
        overall(ratio),
        overall(low),
        overall(high),
        len(y),
        represented,
        effective,
        census,
        int(sampled.sum()),
        ratio,
        target,
        confidence,
        clusters,
    )


def _cell_variance(y: np.ndarray, pi: np.ndarray, total: float, smoothing: float) -> float:
    """The post-stratified variance over cells of equal inclusion probability (see the module docstring)."""
    variance = 0.0
    for probability in np.unique(pi):
        cell = y[pi == probability]
        n, x = len(cell), float(cell.sum())
        share = (n / probability) / total
        p = (x + smoothing) / (n + 2 * smoothing)
        variance += share * share * (1 - probability) * p * (1 - p) / (n + 2 * smoothing)
    return variance


def _between_cluster_variance(linearised: np.ndarray, groups: np.ndarray) -> float:
    """m/(m-1) times the sum of squared cluster totals of the linearised values (their mean is 0)."""
    _labels, codes = np.unique(groups.astype(str), return_inverse=True)
    totals = np.bincount(codes, weights=linearised)
    m = len(totals)
    if m < 2:
        return float((linearised**2).sum())  # one cluster: fall back to the unit-level variance
    return float(m / (m - 1) * ((totals - totals.mean()) ** 2).sum())


def _estimate(
    value,
    low,
    high,
    audits,
    represented,
    effective,
    census,
    sampled_audits,
    sampled_estimate,
    target,
    confidence,
    clusters,
) -> DesignEstimate:
    return DesignEstimate(
        estimate=value,
        low=low,
        high=high,
        status=accuracy_status(low, high, target),
        audits=audits,
        represented=represented,
        effective_n=effective,
        census=census,
        sampled_audits=sampled_audits,
        sampled_estimate=sampled_estimate,
        target=target,
        confidence=confidence,
        clustered=clusters is not None,
    )


def kish_effective_size(probabilities: Sequence[float]) -> float:
    """Kish's effective sample size of weights 1/pi: (sum w)^2 / sum w^2."""
    w = 1.0 / np.asarray(probabilities, dtype=float)
    return float(w.sum() ** 2 / (w * w).sum()) if len(w) else 0.0
