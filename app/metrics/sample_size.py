"""How many cases to audit: for a margin, to demonstrate a target, and by ANSI/ASQ Z1.4.

- ``n_for_margin``: smallest n whose 95% Wilson interval is at most +/- margin wide, found by exact
  search on the Wilson formula rather than the normal approximation z^2 p (1 - p) / h^2.
- ``n_to_demonstrate``: smallest n such that seeing at most c errors would be unlikely
  (<= 1 - confidence) if accuracy were only the target, by the exact binomial. For c = 0 this is the
  success-run theorem n = ln(1 - C) / ln(R): 149 audits at 98% accuracy and 95% confidence.
- ``z14_plan``: the sample size code letter and sample size of ANSI/ASQ Z1.4 Table I / II-A.

Note: ``n_to_demonstrate`` is a one-sided exact test; ``accuracy.assess_accuracy`` uses a two-sided
interval, whose lower bound is a one-sided 97.5% bound. 149 flawless audits demonstrate 98% at 95%
one-sided, but the two-sided Wilson status only turns ``above`` at 189 (``audits_to_settle(0, 0)``).
"""

from bisect import bisect_left
from dataclasses import dataclass
from math import sqrt

import numpy as np
from scipy.stats import binom, norm

# ANSI/ASQ Z1.4-2003 Table I: upper lot-size bound of each band (the last band is 500,001 and over).
_Z14_LOT_BOUNDS = (8, 15, 25, 50, 90, 150, 280, 500, 1200, 3200, 10_000, 35_000, 150_000, 500_000)
# One code letter per lot-size band for each general inspection level (the table skips I and O).
_Z14_LETTERS = {"I": "AABCCDEFGHJKLMN", "II": "ABCDEFGHJKLMNPQ", "III": "BCDEFGHJKLMNPQR"}
# Table II-A: sample size for each code letter.
_Z14_SIZES = (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000)
Z14_SAMPLE_SIZES = dict(zip("ABCDEFGHJKLMNPQR", _Z14_SIZES, strict=True))
_MAX_N = 10**9


@dataclass(frozen=True)
class Z14Plan:
    """Z1.4 sample for a lot: code letter (None below 2), sample size, whether that is the whole lot."""

    lot_size: int
    level: str
    letter: str | None
    sample_size: int
    full_inspection: bool


def wilson_half_width(p: float, n: int, confidence: float = 0.95) -> float:
    """Half the width of the Wilson score interval at observed proportion p with n trials."""
    z = norm.ppf(0.5 + confidence / 2.0)
    return z * sqrt(n * p * (1.0 - p) + z * z / 4.0) / (n + z * z)


def n_for_margin(margin: float, confidence: float = 0.95, p: float = 0.5) -> int:
    """Smallest n whose Wilson interval at proportion p is no wider than +/- margin.

    The Wilson half-width is largest at p = 0.5, so the default is the worst case: enough whatever the
    accuracy turns out to be. Pass an expected p (e.g. 0.98) for a smaller, assumption-laden n.
    """
    if not 0.0 < margin < 0.5:
        raise ValueError("margin must be between 0 and 0.5")
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be a proportion")
    # The half-width falls as n grows, so bisect on it.
    low, high = 0, 1
    while wilson_half_width(p, high, confidence) > margin:
        low, high = high, 2 * high
        if high > _MAX_N:
            raise ValueError("margin too small to reach")
    while high - low > 1:
        middle = (low + high) // 2
        if wilson_half_width(p, middle, confidence) <= margin:
            high = middle
        else:
            low = middle
    return high


def n_to_demonstrate(target: float = 0.98, confidence: float = 0.95, allowed_errors: int = 0) -> int:
    """Smallest n such that at most `allowed_errors` errors shows accuracy >= target (exact binomial)."""
    if not 0.0 < target < 1.0 or not 0.0 < confidence < 1.0:
        raise ValueError("target and confidence must be strictly between 0 and 1")
    if allowed_errors < 0:
        raise ValueError("allowed_errors cannot be negative")
    error_rate, chunk = 1.0 - target, 4096
    start = allowed_errors + 1
    while start < _MAX_N:
        sizes = np.arange(start, start + chunk)
        # P(at most c errors | accuracy is exactly the target) falls as n grows: first n under 1 - C.
        passing = np.nonzero(binom.cdf(allowed_errors, sizes, error_rate) <= 1.0 - confidence)[0]
        if passing.size:
            return int(sizes[passing[0]])
        start, chunk = start + chunk, chunk * 2
    raise ValueError("no sample size within reach")


def z14_plan(lot_size: int, level: str = "II") -> Z14Plan:
    """ANSI/ASQ Z1.4 general inspection (level I, II or III) code letter and sample size for a lot."""
    if level not in _Z14_LETTERS:
        raise ValueError(f"level must be I, II or III, not {level!r}")
    if lot_size < 0:
        raise ValueError("lot size cannot be negative")
    if lot_size < 2:
        # Below the table's first band (2 to 8): inspect whatever there is.
        return Z14Plan(lot_size, level, None, lot_size, True)
    letter = _Z14_LETTERS[level][bisect_left(_Z14_LOT_BOUNDS, lot_size)]
    size = Z14_SAMPLE_SIZES[letter]
    # Z1.4: when the sample size equals or exceeds the lot size, inspect every unit.
    return Z14Plan(lot_size, level, letter, min(size, lot_size), size >= lot_size)
