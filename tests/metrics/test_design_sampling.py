"""Acceptance: with the product's own risk-weighted sampling (app/qa/sampling/selection.py) and errors
concentrated in Key User cases, as in production, the product's 95% interval for an agent's accuracy
(app/metrics/design.py) covers the true accuracy of all that agent's decisions in at least 93% of 400
simulated agents; the old unweighted share of the audits, run on the same draws, does not."""

import numpy as np

from app.metrics.accuracy import assess_accuracy
from app.metrics.design import design_accuracy
from app.qa.sampling.selection import PlanParams, select

PLAN = PlanParams(
    base_rate=0.05,
    weekly_min_per_agent=5,
    new_agent_rate=0.10,
    low_confidence_below=0.6,
    low_confidence_weight=2.0,
    override_weight=3.0,
    weekly_capacity=10**9,
    second_review_share=0.0,
)


def simulated_agent(rng: np.random.Generator) -> dict:
    """One agent's month: 800 decisions, 4% Key User cases (a third of them wrong: not escalated), 20% at
    low confidence, 5% overrides; elsewhere a true error rate of 0.5% to 3% that differs by agent."""
    n = 800
    priority = np.where(rng.random(n) < 0.04, 90, 30)
    confidence = np.where(rng.random(n) < 0.2, 0.4, 0.9)
    override = rng.random(n) < 0.05
    base_error = rng.uniform(0.005, 0.03)
    error = np.where(priority >= 75, 0.33, np.where(confidence < 0.6, 2 * base_error, base_error))
    correct = rng.random(n) >= error
    return {
        "agent": np.zeros(n, dtype=int),
        "priority": priority,
        "confidence": confidence,
        "critical": np.zeros(n, dtype=bool),
        "override": override,
        "new_agent": np.zeros(n, dtype=bool),
        "correct": correct,
    }


def test_the_design_interval_covers_the_true_accuracy_and_the_unweighted_one_does_not():
    rng = np.random.default_rng(20261207)
    agents, design_covers, plain_covers = 400, 0, 0
    for _ in range(agents):
        decisions = simulated_agent(rng)
        correct = decisions.pop("correct")
        truth = correct.mean()
        chosen = select(PLAN, **decisions, rng=rng)
        audited = correct[chosen.rows]
        design = design_accuracy(audited, chosen.probabilities)
        plain = assess_accuracy(int(audited.sum()), len(audited))
        design_covers += design.low <= truth <= design.high
        plain_covers += plain.low <= truth <= plain.high
    assert design_covers / agents >= 0.93, design_covers / agents
    assert plain_covers / agents < 0.80, plain_covers / agents
