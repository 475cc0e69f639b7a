"""Accuracy against a benchmark: estimate, confidence interval, and status against a target.

The interval is scipy's ``binomtest(k, n).proportion_ci``: Wilson's score interval by default
(Newcombe 1998, method 3), Clopper-Pearson with ``method="exact"`` (method 5). Status compares the
whole interval with the target, so a reviewer is only called above or below it when the data say so:

- ``above``: lower bound >= target;
- ``below``: upper bound < target;
- ``inconclusive``: the interval straddles the target;
- ``no_data``: nothing audited yet.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from scipy.stats import binomtest, norm

ABOVE = "above"
BELOW = "below"
INCONCLUSIVE = "inconclusive"
NO_DATA = "no_data"
DEFAULT_TARGET = 0.98  # the team's decision-accuracy standard (DOMAIN.md)
METHODS = ("wilson", "exact")
_SEARCH_CAP = 10_000


@dataclass(frozen=True)
class AccuracyAssessment:
    """Accuracy of n audited decisions with its interval and status against the target."""

    correct: int
    n: int
    estimate: float | None
    low: float | None
    high: float | None
    target: float
    confidence: float
    method: str
    status: str


def proportion_interval(
    successes: int, n: int, confidence: float = 0.95, method: str = "wilson"
) -> tuple[float, float] | None:
    """Two-sided confidence interval for successes / n (None when n = 0)."""
    _check_counts(successes, n)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    if n == 0:
        return None
    if method == "wilson":
        return _wilson(successes, n, confidence)
    interval = binomtest(successes, n).proportion_ci(confidence_level=confidence, method=method)
    return float(interval.low), float(interval.high)


@lru_cache(maxsize=16)
def z_value(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (1.96 at 95%)."""
    return float(norm.ppf(1 - (1 - confidence) / 2))


def _wilson(successes: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson's score interval in closed form: the same numbers as binomtest's "wilson" (tested), without
    its p-value computation, which made a dashboard of hundreds of agents slow."""
    return wilson_bounds(successes / n, n, confidence)


def wilson_bounds(p: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a share p observed over n (n may be an effective sample size)."""
    z = z_value(confidence)
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(max(p * (1 - p), 0.0) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if p <= 0 else max(0.0, centre - half)
    high = 1.0 if p >= 1 else min(1.0, centre + half)
    return low, high


def accuracy_status(low: float | None, high: float | None, target: float = DEFAULT_TARGET) -> str:
    """Status of an interval against a target: above, below, inconclusive, or no_data."""
    if low is None or high is None:
        return NO_DATA
    if low >= target:
        return ABOVE
    return BELOW if high < target else INCONCLUSIVE


def assess_accuracy(
    correct: int,
    n: int,
    target: float = DEFAULT_TARGET,
    confidence: float = 0.95,
    method: str = "wilson",
) -> AccuracyAssessment:
    """Point estimate, interval and status for `correct` right decisions out of `n` audited."""
    interval = proportion_interval(correct, n, confidence, method)
    low, high = interval if interval is not None else (None, None)
    return AccuracyAssessment(
        correct=correct,
        n=n,
        estimate=correct / n if n else None,
        low=low,
        high=high,
        target=target,
        confidence=confidence,
        method=method,
        status=accuracy_status(low, high, target),
    )


def audits_to_settle(
    correct: int,
    n: int,
    target: float = DEFAULT_TARGET,
    confidence: float = 0.95,
    method: str = "wilson",
    assume: Literal["all_correct", "current_rate"] = "all_correct",
    cap: int = _SEARCH_CAP,
) -> int | None:
    """Smallest number of extra audits m that would settle the status, or None if not within `cap`.

    ``assume="all_correct"``: the extra m are all correct, and settled means ``above``. The lower bound
    rises with every correct audit, so the search is a bisection and m is exactly the smallest.
    ``assume="current_rate"``: the extra audits keep the current accuracy (correct count rounded), and
    settled means ``above`` or ``below``. Rounding makes this a planning estimate, not a guarantee;
    it is None when n = 0 (no rate yet). 0 means the status is already settled.
    """
    _check_counts(correct, n)
    if assume not in ("all_correct", "current_rate"):
        raise ValueError(f"assume must be 'all_correct' or 'current_rate', not {assume!r}")
    if assume == "current_rate" and n == 0:
        return None
    return _first_true(lambda m: _settles(correct, n, m, target, confidence, method, assume), cap)


def _settles(
    correct: int, n: int, extra: int, target: float, confidence: float, method: str, assume: str
) -> bool:
    """Whether `extra` more audits (all correct, or at the current rate) settle the status."""
    if assume == "all_correct":
        return assess_accuracy(correct + extra, n + extra, target, confidence, method).status == ABOVE
    projected = round(correct / n * (n + extra))
    status = assess_accuracy(projected, n + extra, target, confidence, method).status
    return status in (ABOVE, BELOW)


def _first_true(predicate: Callable[[int], bool], cap: int) -> int | None:
    """Smallest m in [0, cap] with predicate(m), for a predicate that stays true once true."""
    if predicate(0):
        return 0
    low, high = 0, 1  # invariant: predicate(low) is false
    while not predicate(high):
        if high >= cap:
            return None
        low, high = high, min(2 * high, cap)
    while high - low > 1:
        middle = (low + high) // 2
        if predicate(middle):
            high = middle
        else:
            low = middle
    return high


def _check_counts(successes: int, n: int) -> None:
    """Reject impossible counts early, with a message that names them."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
