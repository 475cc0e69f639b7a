"""Monitoring a reviewer's accuracy audit by audit, with the false-alarm rate held under continuous looks.

A fixed-sample interval re-tested after every audit raises false alarms far above its nominal rate: a
reviewer at exactly 98% is called "below" by some look within 1,000 audits about a third of the time. The
rule here is anytime-valid instead: Wald's one-sided sequential probability ratio test, written as a
test martingale (Ville's inequality), so the chance that it EVER alarms on a reviewer who meets the
target is at most ``alpha``, however often it is looked at.

- Null: the error rate is at most ``p0 = 1 - target`` (the reviewer meets the standard).
- Alternative it is tuned to catch fast: an error rate of ``alternative`` (default 2.25 x p0, which is
  4.5% for the 98% standard, i.e. 95.5% accuracy).
- Each audit multiplies the evidence by the likelihood ratio, ``1 + bet * (error - p0)`` with
  ``bet = (p1 - p0) / (p0 (1 - p0))``: p1/p0 for an error, (1-p1)/(1-p0) for a correct decision.
  Under any error rate <= p0 the product has expectation <= 1 at every step (a supermartingale), so
  P(it ever reaches 1/alpha) <= alpha.
- The rule proposes suspension at the first audit where the evidence reaches 1/alpha. It never
  "accepts": good reviewers simply never cross.

Design weights. Audits drawn by a plan that favours risky decisions are not a simple random sample.
With weights w_i (the inverse of each audit's inclusion probability) the step becomes
``1 + bet * (w_i / c_i) * (error_i - p0)``, where c_i is the mean weight of the audits before i (a
predictable scale; the first audit only sets it). Because E[w (error - p0)] over the plan's draws is
proportional to (population error rate - p0), the product is still a test supermartingale under the null
for the population the plan samples from. A bet is capped at 90% of the evidence so that a single audit
with an extreme weight cannot wipe it out; with the plans' weights (at most about 35 times their mean)
the cap never binds. ``bench/bench_monitoring.py`` measures the rates by simulation.

This module is pure: plain data in, plain data out.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_TARGET = 0.98
DEFAULT_ALPHA = 0.05
ALTERNATIVE_RATIO = 2.25  # the error rate caught fastest: 2.25 x the allowed one (4.5% for the 98% standard)
MAX_BET_SHARE = 0.9  # never stake more than 90% of the evidence on one audit


@dataclass(frozen=True)
class Evidence:
    """Where the monitoring rule stands after some audits."""

    audits: int
    errors: int
    e_value: float  # the evidence against "meets the target"; alarms at 1 / alpha
    threshold: float
    alarm_at: int | None  # 1-based audit index of the first crossing, or None

    @property
    def alarmed(self) -> bool:
        return self.alarm_at is not None

    @property
    def share_of_threshold(self) -> float:
        """How far towards the boundary the evidence is, in log terms: 0 at the start, 1 at the alarm."""
        if self.e_value <= 1:
            return 0.0
        return min(1.0, math.log(self.e_value) / math.log(self.threshold))


def _check(target: float, alpha: float, alternative: float | None) -> tuple[float, float]:
    if not 0 < target < 1:
        raise ValueError("target must be between 0 and 1")
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    p0 = 1 - target
    p1 = alternative if alternative is not None else min(ALTERNATIVE_RATIO * p0, (1 + p0) / 2)
    if not p0 < p1 < 1:
        raise ValueError("the alternative error rate must lie between 1 - target and 1")
    return p0, p1


def bet_size(target: float = DEFAULT_TARGET, alternative: float | None = None) -> float:
    """The likelihood-ratio bet (p1 - p0) / (p0 (1 - p0)) for this target and alternative error rate."""
    p0, p1 = _check(target, DEFAULT_ALPHA, alternative)
    return (p1 - p0) / (p0 * (1 - p0))


def evidence(
    outcomes: Sequence[bool],
    weights: Sequence[float] | None = None,
    target: float = DEFAULT_TARGET,
    alpha: float = DEFAULT_ALPHA,
    alternative: float | None = None,
) -> Evidence:
    """Run the rule over audit outcomes in order (True = correct), with optional design weights."""
    p0, p1 = _check(target, alpha, alternative)
    errors = 1.0 - np.asarray(outcomes, dtype=float).reshape(-1)
    scale = np.ones_like(errors) if weights is None else _predictable_scale(weights, len(errors))
    stake = np.minimum((p1 - p0) / (p0 * (1 - p0)) * scale, MAX_BET_SHARE / p0)
    log_path = np.cumsum(np.log1p(stake * (errors - p0)))
    threshold = 1 / alpha
    crossed = np.flatnonzero(log_path >= math.log(threshold) - 1e-12)
    return Evidence(
        audits=len(errors),
        errors=int(errors.sum()),
        e_value=float(np.exp(log_path[-1])) if len(errors) else 1.0,
        threshold=threshold,
        alarm_at=int(crossed[0]) + 1 if len(crossed) else None,
    )


def _predictable_scale(weights: Sequence[float], n: int) -> np.ndarray:
    """w_i divided by the mean weight of the audits before i (0 for the first audit, which only sets it)."""
    w = np.asarray(weights, dtype=float).reshape(-1)
    if len(w) != n:
        raise ValueError("give one weight per outcome")
    if not np.all(np.isfinite(w) & (w > 0)):
        raise ValueError("weights must be positive and finite")
    scale = np.zeros(n)
    if n > 1:
        earlier_mean = np.cumsum(w)[:-1] / np.arange(1, n)
        scale[1:] = w[1:] / earlier_mean
    return scale


def first_alarm(
    outcomes: Sequence[bool],
    weights: Sequence[float] | None = None,
    target: float = DEFAULT_TARGET,
    alpha: float = DEFAULT_ALPHA,
) -> int | None:
    """The 1-based index of the audit at which the rule first proposes suspension, or None."""
    return evidence(outcomes, weights, target, alpha).alarm_at


def error_boundary(
    audits: int,
    target: float = DEFAULT_TARGET,
    alpha: float = DEFAULT_ALPHA,
    alternative: float | None = None,
) -> int:
    """Unweighted: the fewest errors in `audits` audits that make the rule alarm (Wald's rejection line
    h + s * n, rounded up), for showing "the boundary" on an agent's page."""
    p0, p1 = _check(target, alpha, alternative)
    up = math.log(p1 / p0)
    down = math.log((1 - p0) / (1 - p1))
    slope = down / (up + down)
    intercept = math.log(1 / alpha) / (up + down)
    return max(0, math.ceil(intercept + slope * audits - 1e-9))
