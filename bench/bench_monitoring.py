"""How often the suspension rule fires, by simulation: 10,000 simulated agents per row, simple random audits.

Run from anywhere: ``python bench/bench_monitoring.py [--agents N] [--seed S]``. For each true accuracy it
runs ``app.metrics.monitoring.first_alarm`` (the rule the product uses) over each agent's audits in order
and counts the agents it proposes for suspension within the horizon. Beside it, in the same run, the rule
it replaced: the Wilson interval re-tested after every audit, "below" as soon as its upper bound falls
under 98% (no minimum, as ``assess_accuracy`` was used), on the same simulated audits.

Targets (issue 13): at 99% at most 1% proposed within 1,000 audits; at 98% at most 5%; at 95% at least
90% within 500; at 90% at least 95% within 150. It exits non-zero if one is missed.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from app.metrics.accuracy import proportion_interval  # noqa: E402
from app.metrics.monitoring import first_alarm  # noqa: E402

TARGET = 0.98
Z = 1.959963984540054  # the two-sided 95% normal quantile, as assess_accuracy's Wilson interval uses
ROWS = [  # true accuracy, horizon (audits), target share proposed, "at most" or "at least"
    (0.995, 1000, None, None),
    (0.99, 1000, 0.01, "at most"),
    (0.985, 1000, None, None),
    (0.98, 1000, 0.05, "at most"),
    (0.95, 500, 0.90, "at least"),
    (0.90, 150, 0.95, "at least"),
]


def old_rule_alarmed(outcomes: np.ndarray) -> np.ndarray:
    """Per agent: whether the Wilson upper bound fell below the target at any audit (vectorised closed form,
    checked against proportion_interval below)."""
    n = np.arange(1, outcomes.shape[1] + 1)
    p = np.cumsum(outcomes, axis=1) / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return ((centre + half) < TARGET).any(axis=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    # The vectorised Wilson bound equals the product's interval.
    sample = rng.random((3, 40)) < 0.97
    for row in sample:
        k, m = int(row.sum()), len(row)
        assert abs(proportion_interval(k, m)[1] - old_rule_alarmed_bound(k, m)) < 1e-12

    print(f"{args.agents:,} simulated agents per row, simple random audits, target {TARGET:.0%}, alpha 5%\n")
    print("| true accuracy | horizon | proposed (SPRT) | target | met | old rule (Wilson, every audit) |")
    print("|---|---|---|---|---|---|")
    failures = 0
    started = time.perf_counter()
    for accuracy, horizon, goal, direction in ROWS:
        outcomes = rng.random((args.agents, horizon)) < accuracy
        proposed = np.mean([first_alarm(agent) is not None for agent in outcomes])
        old = old_rule_alarmed(outcomes).mean()
        if goal is None:
            verdict, goal_text = "", "—"
        else:
            ok = proposed <= goal if direction == "at most" else proposed >= goal
            failures += not ok
            verdict, goal_text = ("yes" if ok else "NO"), f"{direction} {goal:.0%}"
        print(f"| {accuracy:.1%} | {horizon:,} | {proposed:.2%} | {goal_text} | {verdict} | {old:.2%} |")
    elapsed = time.perf_counter() - started
    print(f"\n{len(ROWS) * args.agents:,} agents simulated in {elapsed:.1f} s")
    return 1 if failures else 0


def old_rule_alarmed_bound(k: int, n: int) -> float:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    return centre + Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)


if __name__ == "__main__":
    sys.exit(main())
