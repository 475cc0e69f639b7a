"""Dashboards at production scale: 300 agents, 3,000,000 live decisions, 150,000 audits.

Run: ``python bench/bench_dashboards.py [--scale 1.0] [--postgres]``. It builds the database (SQLite in a
temp dir, or the PostgreSQL database bench_dashboards), measures three pages' server time through the
whole Flask stack (the manager dashboard with its vendor table, one agent's page, the vendor rollup API)
at full scale and at one tenth of it, in the same run, and prints each time and the full/tenth ratio.
The rows are inserted directly, so the daily rollup is rebuilt once after loading (its time is printed);
what keeping it current costs the ingest path is measured by bench_ingest.py.
Targets: under 500 ms per page at full scale, and a ratio of at most 3.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import Team, User, new_session_token  # noqa: E402
from app.auth.passwords import hash_password  # noqa: E402
from app.auth.services import create_token  # noqa: E402
from app.cases.cli import load_seed_golden, seed_dir  # noqa: E402
from app.cases.models import CaseType  # noqa: E402
from app.extensions import db  # noqa: E402
from app.qa.audits.models import Audit  # noqa: E402
from app.qa.decisions.models import LiveDecision  # noqa: E402
from app.qa.quality import rollup  # noqa: E402
from config import TestConfig  # noqa: E402

AGENTS, DECISIONS, AUDITS, WEEKS = 300, 3_000_000, 150_000, 12
PASSWORD = "bench-password-1"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_dashboards"
TARGETED = ("manager dashboard", "agent page", "vendor rollup (API)")


def build(url: str, scale: float):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    app = create_app(config)
    rng = random.Random(7)
    now = datetime.now(UTC)
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        load_seed_golden(seed_dir())
        vendors = ("Northwind BPO", "Atlas Support", "Meridian Services")
        db.session.execute(
            insert(Team),
            [
                {"name": f"Team {i}", "vendor": vendors[i % 3], "site": "Site", "created_at": now}
                for i in range(15)
            ],
        )
        teams = list(db.session.scalars(select(Team.id)))
        hashed = hash_password(PASSWORD)
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"agent{i:03d}",
                    "display_name": f"Agent {i}",
                    "role": "agent",
                    "team_id": teams[i % 15],
                    "locale": "en",
                    "active": True,
                    "password_hash": hashed,
                    "session_token": new_session_token(),
                    "created_at": now,
                }
                for i in range(AGENTS)
            ]
            + [
                {
                    "username": "boss",
                    "display_name": "Boss",
                    "role": "manager",
                    "team_id": None,
                    "locale": "en",
                    "active": True,
                    "password_hash": hashed,
                    "session_token": new_session_token(),
                    "created_at": now,
                }
            ],
        )
        agents = list(db.session.scalars(select(User.id).where(User.role == "agent")))
        types = list(db.session.scalars(select(CaseType.id)))
        boss = db.session.scalar(select(User).where(User.username == "boss"))
        _token, secret = create_token(boss, "bench", ["api"], None)
        db.session.commit()
        decisions, audits = int(DECISIONS * scale), int(AUDITS * scale)
        start = now - timedelta(weeks=WEEKS)
        span = WEEKS * 7 * 24 * 3600
        batch = []
        for number in range(decisions):
            opened = start + timedelta(seconds=rng.randrange(span))
            label = rng.choice(("TP", "TN", "TN", "FP", "FN")) if rng.random() < 0.8 else None
            batch.append(
                {
                    "decision_id": f"B{number:08d}",
                    "agent_id": agents[number % AGENTS],
                    "case_type_id": types[number % 5],
                    "scenario": f"scenario.{rng.randrange(8)}",
                    "case_ref": "C",
                    "decision": rng.choice(("pass", "block", "escalate")),
                    "agent_recommendation": rng.choice(("pass", "block")),
                    "confidence": rng.random(),
                    "priority": rng.randrange(100),
                    "opened_at": opened,
                    "decided_at": opened + timedelta(hours=rng.random() * 5),
                    "label": label,
                    "root_cause": rng.choice("ABC") if label in ("FP", "FN") else None,
                    "rationale": "",
                    "signals": None,
                    "has_critical": rng.random() < 0.02,
                    "high_confidence_override": False,
                    "ingested_at": opened,
                }
            )
            if len(batch) == 20_000:
                db.session.execute(insert(LiveDecision), batch)
                batch = []
        if batch:
            db.session.execute(insert(LiveDecision), batch)
        db.session.commit()
        lead = boss.id
        ids = rng.sample(range(1, decisions + 1), audits)
        for offset in range(0, audits, 20_000):
            verdicts = [rng.random() < 0.97 for _ in ids[offset : offset + 20_000]]
            db.session.execute(
                insert(Audit),
                [
                    {
                        "live_decision_id": i,
                        "auditor_id": lead,
                        "verdict": "correct" if ok else "incorrect",
                        "effective_verdict": "correct" if ok else "incorrect",
                        "severity": None if ok else "minor",
                        "is_second_review": False,
                        "external": False,
                        "version": 1,
                        "note": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, ok in zip(ids[offset : offset + 20_000], verdicts, strict=True)
                ],
            )
        db.session.commit()
        # The rows went in around the write paths that keep the daily rollup current, so count them once.
        started = time.perf_counter()
        rollup.rebuild()
        db.session.commit()
        print(f"  rollup rebuilt in {time.perf_counter() - started:.1f} s")
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("ANALYZE"))
        return app, agents[0], secret, decisions


def timed(client, url: str, headers=None, rounds: int = 5) -> float:
    client.get(url, headers=headers)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def measure(url: str, scale: float) -> dict[str, float]:
    app, agent_id, secret, decisions = build(url, scale)
    with app.app_context():
        type_id = db.session.scalar(select(CaseType.id).order_by(CaseType.id))
    client = app.test_client()
    client.post("/login", data={"username": "boss", "password": PASSWORD})
    print(f"  built {decisions:,} decisions at scale {scale}")
    return {
        "manager dashboard": timed(client, "/dashboard"),
        "agent page": timed(client, f"/dashboard/agents/{agent_id}"),
        "vendor rollup (API)": timed(
            client, "/api/v1/vendors/quality", {"Authorization": f"Bearer {secret}"}
        ),
        # Not in the target; measured so their cost at volume is known.
        "decision agent page": timed(client, "/dashboard/decision-agent", rounds=3),
        "feedback routing page": timed(client, "/dashboard/feedback", rounds=3),
        "SOP coverage page": timed(client, "/dashboard/coverage", rounds=3),
        "threshold evidence page": timed(
            client, f"/dashboard/feedback/{type_id}/threshold?scenario=scenario.1&root_cause=A", rounds=3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the production scale to build")
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL (database bench_dashboards)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:

        def url(tag: str) -> str:
            return PG_URL if args.postgres else f"sqlite:///{Path(folder) / (tag + '.db')}"

        full = measure(url("full"), args.scale)
        tenth = measure(url("tenth"), args.scale / 10)
    print(f"\n{'page':24} {'full ms':>10} {'tenth ms':>10} {'ratio':>7}  target: < 500 ms and ratio <= 3")
    for name in full:
        ratio = full[name] / tenth[name]
        verdict = "OK" if full[name] < 500 and ratio <= 3 else "MISSES"
        if name not in TARGETED:
            verdict = "(no target)"
        print(f"{name:24} {full[name]:10.1f} {tenth[name]:10.1f} {ratio:7.2f}  {verdict}")


if __name__ == "__main__":
    main()
