"""Twelve weeks of demo work for the demo agents: live decisions of differing quality. Pure and seeded.

Agents differ in skill so that a manager's dashboard shows some clearly above the 98% benchmark, some
clearly below and some inconclusive.
"""

import random
from datetime import datetime, timedelta

WEEKS = 12
DECISIONS_PER_WEEK = 70
CASE_TYPE_BY_TEAM_INDEX = (
    "kyc_audit",
    "withdrawal_anomaly",
    "ato_investigation",
    "reset_2fa",
    "poa_review",
    "kyc_audit",
)
SKILLS = (0.999, 0.995, 0.99, 0.985, 0.98, 0.975, 0.96, 0.93)  # cycled over agents


def agent_skill(index: int) -> float:
    return SKILLS[index % len(SKILLS)]


def _truth(rng: random.Random, priority: int) -> str:
    if priority >= 75:
        return "escalate"
    return rng.choices(("pass", "block"), weights=(0.62, 0.38))[0]


def _label(recommendation: str, decision: str, rng: random.Random) -> str:
    table = {
        ("block", "block"): "TP",
        ("block", "pass"): "FP",
        ("pass", "block"): "FN",
        ("pass", "pass"): "TN",
    }
    return table.get((recommendation, decision)) or rng.choice(("TP", "TN", "FN"))


def decisions_for(
    agent: dict, index: int, scenarios: dict[str, list[str]], now: datetime, seed: int = 2026
) -> list[dict]:
    """Every demo live decision of one agent: dicts in the ingest format plus the hidden `truth`."""
    rng = random.Random(f"{seed}-{agent['username']}")
    case_type = agent["case_type"]
    skill = agent_skill(index)
    start = now - timedelta(weeks=WEEKS)
    rows = []
    for number in range(WEEKS * DECISIONS_PER_WEEK):
        opened = start + timedelta(minutes=rng.randrange(WEEKS * 7 * 24 * 60 - 600))
        priority = rng.randrange(75, 100) if rng.random() < 0.12 else rng.randrange(0, 75)
        truth = _truth(rng, priority)
        agent_right = truth if truth != "escalate" else rng.choice(("pass", "block"))
        recommendation = agent_right if rng.random() < 0.8 else ("block" if agent_right == "pass" else "pass")
        decision = (
            truth
            if rng.random() < skill
            else rng.choice([d for d in ("pass", "block", "escalate") if d != truth])
        )
        label = _label(recommendation, decision, rng)
        root_cause = rng.choice("AABC") if label in ("FP", "FN") else None
        hours = rng.expovariate(1 / 1.5) if rng.random() < 0.97 else rng.uniform(4.5, 9)
        rows.append(
            {
                "decision_id": f"D-{agent['username']}-{number:05d}",
                "agent": agent["username"],
                "case_type": case_type,
                "scenario": rng.choice(scenarios[case_type]),
                "case_ref": f"CASE-{rng.randrange(10**8):08d}",
                "decision": decision,
                "agent_recommendation": recommendation,
                "confidence": round(rng.uniform(0.35, 0.84), 2),
                "priority": priority,
                "opened_at": opened,
                "decided_at": opened + timedelta(hours=hours),
                "label": label,
                "root_cause": root_cause,
                "rationale": ""
                if decision == "pass" and label == "TN"
                else "Signals checked against the SOP. Decision follows.",
                "signals": {"queue": "demo", "risk_score": round(rng.random(), 2)},
                "truth": truth,
            }
        )
    return rows
