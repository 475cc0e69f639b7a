"""Running a sampling plan over one week of 1,000,000 live decisions.

Run: ``python bench/bench_sampling.py [--rows N] [--database-url URL]``. It builds a fresh database (a
temporary SQLite file by default; an empty PostgreSQL database when a URL is given) with the demo people
and the seed golden set, inserts N live decisions of one case type for 2026-W47 with Core executemany in
batches (40 agents, priorities 0-100 with about 1% Key Users, confidences below the auto-decision
threshold, about 1% critical findings and 2% high-confidence overrides; five agents newly certified),
saves a plan and measures, in one run:
- plans.run_plan over the week, commit included (target < 5 s for 1,000,000 decisions);
- the pure sampling.select on the same arrays, and the ratio of the two.
"""

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.models import AuditEvent  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.cases.cli import load_seed_golden, seed_dir  # noqa: E402
from app.cases.models import CaseType  # noqa: E402
from app.demo.services import seed_demo_people  # noqa: E402
from app.extensions import db  # noqa: E402
from app.onboarding.models import Certification  # noqa: E402
from app.qa.decisions.models import LiveDecision  # noqa: E402
from app.qa.sampling import plans  # noqa: E402
from app.qa.sampling.models import Sample  # noqa: E402
from app.qa.sampling.selection import REASONS  # noqa: E402
from app.qa.sampling.selection import select as select_rows  # noqa: E402
from config import TestConfig  # noqa: E402

WEEK, WEEK_START = "2026-W47", datetime(2026, 11, 16, tzinfo=UTC)
BATCH, SEED, RUN_SEED, NEW_AGENTS = 50_000, 20261116, 47, 5
PLAN = {
    "name": "KYC weekly",
    "team_id": None,
    "base_rate": 0.02,
    "weekly_min_per_agent": 5,
    "new_agent_rate": 0.10,
    "low_confidence_below": 0.6,
    "low_confidence_weight": 2.0,
    "override_weight": 3.0,
    "weekly_capacity": 50_000,
    "second_review_share": 0.05,
}


def build(url: str, rows: int, capacity: int = PLAN["weekly_capacity"]):
    """A migrated database with people, the golden set, `rows` decisions for the week and a plan."""
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    app = create_app(config)
    rng = np.random.default_rng(SEED)
    with app.app_context():
        upgrade()
        seed_demo_people()
        load_seed_golden(seed_dir())
        db.session.commit()
        kyc = db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))
        agents = list(db.session.scalars(select(User.id).where(User.role == "agent").order_by(User.id)))
        lead = db.session.scalar(select(User).where(User.role == "qa_lead").order_by(User.id))
        for index, agent in enumerate(agents):
            days = 10 if index < NEW_AGENTS else 200
            certified = WEEK_START - timedelta(days=days)
            db.session.add(
                Certification(
                    user_id=agent,
                    case_type_id=kyc.id,
                    certified_at=certified,
                    expires_at=certified + timedelta(days=365),
                )
            )
        db.session.commit()
        table = LiveDecision.__table__
        weights = rng.uniform(0.5, 1.5, len(agents))  # some agents decide more than others
        weights /= weights.sum()
        recommendations = np.array(["pass", "block", "escalate"])
        for start in range(0, rows, BATCH):
            n = min(BATCH, rows - start)
            agent = rng.choice(agents, size=n, p=weights)
            seconds = np.sort(rng.integers(0, 7 * 86_400, size=n))
            priority = np.where(rng.random(n) < 0.01, rng.integers(75, 101, n), rng.integers(0, 75, n))
            confidence = np.round(rng.beta(5, 3, n) * 0.85, 3)
            recommended = recommendations[rng.choice(3, size=n, p=[0.6, 0.35, 0.05])]
            override = rng.random(n) < 0.02
            critical = rng.random(n) < 0.01
            batch = []
            for i in range(n):
                decided = WEEK_START + timedelta(seconds=int(seconds[i]))
                recommendation = str(recommended[i])
                overridden = "block" if recommendation == "pass" else "pass"
                decision = overridden if override[i] else recommendation
                batch.append(
                    {
                        "decision_id": f"LD-{start + i:08d}",
                        "agent_id": int(agent[i]),
                        "case_type_id": kyc.id,
                        "scenario": "kyc.doc_tamper",
                        "case_ref": f"KYC-{start + i:08d}",
                        "decision": decision,
                        "agent_recommendation": recommendation,
                        "confidence": float(confidence[i]) + (0.1 if override[i] else 0.0),
                        "priority": int(priority[i]),
                        "opened_at": decided - timedelta(minutes=40),
                        "decided_at": decided,
                        "label": None,
                        "root_cause": None,
                        "rationale": "Name and document match. Tamper score is low.",
                        "signals": None,
                        "has_critical": bool(critical[i]),
                        "high_confidence_override": bool(override[i]),
                        "ingested_at": decided,
                    }
                )
            with db.engine.begin() as connection:
                connection.execute(insert(table), batch)  # Core executemany
            print(f"\rinserted {start + n:,} decisions", end="", flush=True)
        print()
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))  # as autovacuum / a DBA would after a bulk load
        plan = plans.save_plan(None, {**PLAN, "weekly_capacity": capacity, "case_type_id": kyc.id}, lead)
        db.session.commit()
        return app, plan.id, lead.id


def time_run_plan(app, plan_id: int, lead_id: int) -> tuple[float, dict, dict[str, int]]:
    with app.app_context():
        plan = db.session.get(plans.SamplingPlan, plan_id)
        lead = db.session.get(User, lead_id)
        start = time.perf_counter()
        run, fresh = plans.run_plan(plan, WEEK, lead, seed=RUN_SEED)
        db.session.commit()
        seconds = time.perf_counter() - start
        assert fresh
        reasons = dict(db.session.execute(select(Sample.reason, func.count()).group_by(Sample.reason)).all())
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qa.plan_run"))
        figures = {"sampled": run.sampled, "seed": run.seed, "dropped": event.detail["dropped"]}
        return seconds, figures, reasons


def time_select(app, plan_id: int) -> tuple[float, int]:
    """The pure selection on the arrays run_plan builds (read beforehand, outside the timing)."""
    with app.app_context():
        plan = db.session.get(plans.SamplingPlan, plan_id)
        start_at, end_at = plans.week_window(WEEK)
        window = plans._window(plan, start_at, end_at)
        new_agents = list(
            db.session.scalars(
                select(Certification.user_id).where(
                    Certification.case_type_id == plan.case_type_id,
                    Certification.certified_at >= start_at - timedelta(days=plans.NEW_AGENT_DAYS),
                )
            )
        )
        params = plans.params_of(plan)
    arrays = (
        window["agent"],
        window["priority"],
        window["confidence"],
        window["critical"],
        window["override"],
        np.isin(window["agent"], new_agents),
    )
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        selection = select_rows(params, *arrays, np.random.default_rng(RUN_SEED))
        best = min(best, time.perf_counter() - start)
    return best, len(selection.rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="live decisions in the week")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: temporary SQLite)")
    parser.add_argument(
        "--capacity", type=int, default=PLAN["weekly_capacity"], help="the plan's weekly capacity (samples)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        app, plan_id, lead_id = build(url, args.rows, args.capacity)
        print(f"database: {url.split('@')[-1]}; built in {time.perf_counter() - started:.1f} s\n")
        pure, pure_count = time_select(app, plan_id)
        seconds, run, reasons = time_run_plan(app, plan_id, lead_id)
        # Same seed, same arrays: the same picks (nothing was sampled before in this database).
        assert run["sampled"] == pure_count, (run["sampled"], pure_count)
        print(f"{'measurement':40} {'value':>10} {'ratio':>30}")
        ratio = f"{seconds / pure:10.1f}x pure select"
        print(f"{'run_plan over the week, commit (s)':40} {seconds:10.3f} {ratio:>30}")
        print(f"{'sampling.select alone, best of 5 (s)':40} {pure:10.3f}")
        by_reason = ", ".join(f"{r} {reasons.get(r, 0):,}" for r in REASONS)
        print(f"\n{args.rows:,} decisions, {run['sampled']:,} sampled ({by_reason})")
        print(f"{run['dropped']:,} dropped by the capacity cap ({args.capacity:,}); seed {run['seed']}")
        target = 5 * args.rows / 1_000_000
        verdict = "OK" if seconds < target else "TOO SLOW"
        print(f"target: run_plan < {target:.2f} s ({5} s per 1,000,000 decisions): {verdict}")


if __name__ == "__main__":
    main()
