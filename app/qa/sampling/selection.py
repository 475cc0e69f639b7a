"""Choosing which live decisions QA audits. Pure and vectorised: numpy arrays in, chosen rows out.

Mandatory: every decision with a critical finding and every Key User case. Then each other decision is
drawn with probability rate × weight (a higher rate for agents in their first 30 days after
certification; weight for low confidence and for high-confidence overrides). Agents below the weekly
minimum get more of their decisions drawn. Finally the QA leads' weekly capacity caps the total,
keeping critical, then Key User, then weekly-minimum, then random picks.
"""

from dataclasses import dataclass

import numpy as np

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
    """Row indices chosen, each with its reason code (index into REASONS), and the second-review flags."""

    rows: np.ndarray
    reasons: np.ndarray
    second_review: np.ndarray
    dropped_by_capacity: int


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
    draws = rng.random(n)
    random_pick = (reason < 0) & (draws < inclusion_probability(params, confidence, override, new_agent))
    reason[random_pick] = REASONS.index("random")
    _top_up_weekly_minimum(reason, agent, params.weekly_min_per_agent, rng)
    chosen = np.flatnonzero(reason >= 0)
    dropped = 0
    if len(chosen) > params.weekly_capacity:
        # Keep by reason order, then by a random tie-break so the cap doesn't favour early rows.
        order = np.lexsort((rng.random(len(chosen)), reason[chosen]))
        dropped = len(chosen) - params.weekly_capacity
        chosen = np.sort(chosen[order[: params.weekly_capacity]])
    second = rng.random(len(chosen)) < params.second_review_share
    return Selection(chosen, reason[chosen], second, dropped)


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
