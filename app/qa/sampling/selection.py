"""Choosing which live decisions QA audits. Pure and vectorised: numpy arrays in, chosen rows out.

Mandatory: every decision with a critical finding and every Key User case. Then each other decision is
drawn with probability rate × weight (a higher rate for agents in their first 30 days after
certification; weight for low confidence and for high-confidence overrides). Agents below the weekly
minimum get more of their decisions drawn. Finally the QA leads' weekly capacity caps the total,
keeping critical, then Key User, then weekly-minimum, then random picks.

Each chosen decision comes back with its inclusion probability pi under the plan, which the design-based
accuracy (app/metrics/design.py) weights by:
- critical and Key User decisions: 1;
- any other decision: its Poisson probability p = rate x weight, plus, for an agent who may fall below the
  weekly minimum, the exact chance the top-up draws it: (1 - p) * sum over x < t of P(X = x) * min(t - x,
  N - x) / (N - x), where t is the minimum less the agent's mandatory picks, N the agent's other decisions
  and X the number of the agent's other decisions the Poisson draw picked (a Poisson-binomial count). It is
  a property of the decision, the same whether the Poisson draw or the top-up happened to pick it;
- when the capacity cap drops part of a reason's picks, it keeps a random K of the R drawn, so each kept
  pick's probability is multiplied by K / R (two-phase sampling: the second phase's conditional chance).
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

from app.cases.vocabulary import KEY_USER_PRIORITY

REASONS = ("critical", "key_user", "weekly_min", "random")  # also the order kept under the cap


@dataclass(frozen=True)
class PlanParams:
    base_rate: float
    weekly_min_per_agent: int
    new_agent_rate: float
    low_confidence_below: float
    low_confidence_weight: float
    override_weight: float
    weekly_capacity: int
    second_review_share: float


@dataclass(frozen=True)
class Selection:
    """Row indices chosen, each with its reason code (index into REASONS) and inclusion probability, and
    the second-review flags."""

    rows: np.ndarray
    reasons: np.ndarray
    second_review: np.ndarray
    dropped_by_capacity: int
    probabilities: np.ndarray


def inclusion_probability(
    params: PlanParams, confidence: np.ndarray, override: np.ndarray, new_agent: np.ndarray
) -> np.ndarray:
    """Each non-mandatory decision's chance of being drawn."""
    rate = np.where(new_agent, params.new_agent_rate, params.base_rate)
    weight = np.where(confidence < params.low_confidence_below, params.low_confidence_weight, 1.0)
    weight = weight * np.where(override, params.override_weight, 1.0)
    return np.clip(rate * weight, 0.0, 1.0)


def select(
    params: PlanParams,
    agent: np.ndarray,
    priority: np.ndarray,
    confidence: np.ndarray,
    critical: np.ndarray,
    override: np.ndarray,
    new_agent: np.ndarray,
    rng: np.random.Generator,
) -> Selection:
    """Apply the plan to one window of decisions (parallel arrays, one entry per decision)."""
    n = len(agent)
    reason = np.full(n, -1, dtype=np.int8)
    reason[priority >= KEY_USER_PRIORITY] = REASONS.index("key_user")
    reason[critical] = REASONS.index("critical")
    mandatory = reason >= 0
    poisson = np.where(mandatory, 1.0, inclusion_probability(params, confidence, override, new_agent))
    draws = rng.random(n)
    random_pick = ~mandatory & (draws < poisson)
    reason[random_pick] = REASONS.index("random")
    _top_up_weekly_minimum(reason, agent, params.weekly_min_per_agent, rng)
    probability = with_top_up(poisson, mandatory, agent, params.weekly_min_per_agent)
    chosen = np.flatnonzero(reason >= 0)
    dropped = 0
    if len(chosen) > params.weekly_capacity:
        # Keep by reason order, then by a random tie-break so the cap doesn't favour early rows.
        order = np.lexsort((rng.random(len(chosen)), reason[chosen]))
        dropped = len(chosen) - params.weekly_capacity
        drawn = np.bincount(reason[chosen], minlength=len(REASONS))
        chosen = np.sort(chosen[order[: params.weekly_capacity]])
        kept = np.bincount(reason[chosen], minlength=len(REASONS))
        probability[chosen] *= (kept / np.maximum(drawn, 1))[reason[chosen]]
    second = rng.random(len(chosen)) < params.second_review_share
    return Selection(chosen, reason[chosen], second, dropped, probability[chosen])


def with_top_up(poisson: np.ndarray, mandatory: np.ndarray, agent: np.ndarray, minimum: int) -> np.ndarray:
    """Each decision's inclusion probability before the capacity cap: 1 for mandatory ones; for the others
    the Poisson probability plus the chance the weekly-minimum top-up draws it (see the module docstring)."""
    probability = poisson.astype(float).copy()
    if minimum <= 0 or len(agent) == 0:
        return probability
    agents, codes = np.unique(agent, return_inverse=True)
    have = np.bincount(codes[mandatory], minlength=len(agents))
    for a in np.flatnonzero(have < minimum):
        rows = np.flatnonzero((codes == a) & ~mandatory)
        if len(rows):
            probability[rows] = _topped_up(poisson[rows], int(minimum - have[a]))
    return probability


def _topped_up(p: np.ndarray, target: int) -> np.ndarray:
    """One agent's probabilities (their N non-mandatory decisions, Poisson probabilities p) when the top-up
    brings them to `target` picks. Decisions share a few distinct p, so the count of the others picked is
    a sum of binomials, truncated at `target` (beyond it nothing is topped up)."""
    n = len(p)
    values, sizes = np.unique(p, return_counts=True)
    pmfs = [binom.pmf(np.arange(target), size, value) for value, size in zip(values, sizes, strict=True)]
    result = p.copy()
    for i, value in enumerate(values):
        others = np.zeros(target)
        others[0] = 1.0
        for j, pmf in enumerate(pmfs):
            part = binom.pmf(np.arange(target), sizes[j] - 1, value) if j == i else pmf
            others = np.convolve(others, part)[:target]
        x = np.arange(target)
        share = np.minimum(target - x, n - x) / np.maximum(n - x, 1)
        extra = float((others * share).sum())
        result[p == value] = value + (1.0 - value) * extra
    return np.minimum(result, 1.0)


def _top_up_weekly_minimum(
    reason: np.ndarray, agent: np.ndarray, minimum: int, rng: np.random.Generator
) -> None:
    """Mark extra decisions of agents with fewer than `minimum` chosen, at random among their others."""
    if minimum <= 0 or len(agent) == 0:
        return
    agents, codes = np.unique(agent, return_inverse=True)
    have = np.bincount(codes[reason >= 0], minlength=len(agents))
    deficit = np.maximum(minimum - have, 0)
    candidates = np.flatnonzero((reason < 0) & (deficit[codes] > 0))
    if len(candidates) == 0:
        return
    # Random order within each agent, then take the first `deficit` of each.
    order = candidates[np.lexsort((rng.random(len(candidates)), codes[candidates]))]
    agent_of = codes[order]
    starts = np.searchsorted(agent_of, agent_of, side="left")
    rank = np.arange(len(order)) - starts
    reason[order[rank < deficit[agent_of]]] = REASONS.index("weekly_min")


def expected_per_agent(params: PlanParams, weekly_volume: float) -> float:
    """Expected audits per agent per week for an agent deciding `weekly_volume` cases (boosts aside): the
    base rate's share, topped up to the weekly minimum, and never more than the agent decided."""
    return float(min(weekly_volume, max(params.weekly_min_per_agent, weekly_volume * params.base_rate)))
