"""Cost-weighted error score: not every wrong decision is equally wrong.

A cost table maps (reference, given) decisions to a cost; a right decision costs 0. The default says
what the risk team fears most:

- not escalating a case that had to be escalated (a Key User) costs 20;
- passing a case that should have been blocked (money or an account lost) costs 10;
- blocking a good user (friction, a support ticket) costs 1;
- escalating when pass or block was right (a senior agent's time) costs 0.5.

Scores:

- ``total``: sum of the costs;
- ``mean``: total / number of cases (cost per case);
- ``normalised``: total / worst possible total for the same cases, where each case's worst is the
  costliest answer to its reference decision. 0 means every decision was right, 1 means every decision
  was the costliest mistake available. It compares reviewers who saw different case mixes.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

CostTable = Mapping[tuple[Hashable, Hashable], float]

# Read-only, so no caller can change everyone's scoring by accident.
DEFAULT_COSTS: CostTable = MappingProxyType(
    {
        ("block", "pass"): 10.0,
        ("pass", "block"): 1.0,
        ("escalate", "pass"): 20.0,
        ("escalate", "block"): 20.0,
        ("pass", "escalate"): 0.5,
        ("block", "escalate"): 0.5,
    }
)


@dataclass(frozen=True)
class CostScore:
    """Total, per-case and normalised cost, and the total cost of each kind of mistake."""

    n: int
    total: float
    mean: float | None
    normalised: float | None
    by_pair: dict[tuple[Hashable, Hashable], float]


def decision_cost(reference: Hashable, given: Hashable, costs: CostTable = DEFAULT_COSTS) -> float:
    """Cost of answering `given` when `reference` was right; 0 when they match."""
    if reference == given:
        return 0.0
    try:
        return float(costs[(reference, given)])
    except KeyError:
        # A missing pair would silently score a mistake as free.
        raise ValueError(f"no cost configured for reference {reference!r}, given {given!r}") from None


def worst_cost(reference: Hashable, costs: CostTable = DEFAULT_COSTS) -> float:
    """Costliest answer to a case whose right decision is `reference` (0 if every answer is free)."""
    return max((cost for (truth, _), cost in costs.items() if truth == reference), default=0.0)


def cost_score(
    reference: Sequence[Hashable], given: Sequence[Hashable], costs: CostTable = DEFAULT_COSTS
) -> CostScore:
    """Cost-weighted error score of `given` decisions against `reference` decisions."""
    if len(reference) != len(given):
        raise ValueError("reference and given must have one entry per case")
    by_pair: dict[tuple[Hashable, Hashable], float] = {}
    total = worst = 0.0
    for truth, answer in zip(reference, given, strict=True):
        cost = decision_cost(truth, answer, costs)
        if cost:
            by_pair[(truth, answer)] = by_pair.get((truth, answer), 0.0) + cost
        total += cost
        worst += worst_cost(truth, costs)
    n = len(reference)
    return CostScore(
        n=n,
        total=total,
        mean=total / n if n else None,
        normalised=total / worst if worst else None,
        by_pair=by_pair,
    )
