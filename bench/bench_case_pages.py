"""Server time of the onboarding case pages with the full golden set loaded.

Run: ``python bench/bench_case_pages.py``. It builds a fresh SQLite database (migrations, the whole
seed_cases/ golden set and the demo organisation), then times each page through the whole Flask stack
(routing, access check, session, queries, templates) with the test client, and prints the median and
95th percentile next to the same measurement of /healthz, the lightest route, taken in the same run.
Target: every case page under 100 ms.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.cases.cli import load_seed_golden, seed_dir  # noqa: E402
from app.cases.models import CaseType  # noqa: E402
from app.demo.people import DEMO_PASSWORDS  # noqa: E402
from app.demo.services import seed_demo_people  # noqa: E402
from app.extensions import db  # noqa: E402
from app.onboarding import services  # noqa: E402
from config import TestConfig  # noqa: E402

ROUNDS = 60
TARGET_MS = 100.0


def build_app(folder: Path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.db'}"
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_seed_golden(seed_dir())
        seed_demo_people()
        db.session.commit()
    return app


def prepare_exam(app) -> dict[str, str]:
    """A submitted 50-case exam, an open one, and a practice item answered, for agent01 and agent02."""
    with app.app_context():
        kyc = db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))
        first, second = (
            db.session.scalar(select(User).where(User.username == n)) for n in ("agent01", "agent02")
        )
        done = services.start_exam(first, kyc)
        for item in done.items:
            ref = item.golden_case.current_answer
            answer = {
                "decision": ref.decision,
                "label": ref.label,
                "root_cause": ref.root_cause,
                "rationale": ref.rationale,
            }
            services.save_exam_answer(item, answer)
        services.submit_exam(done, first)
        open_exam = services.start_exam(second, kyc)
        practice = services.next_practice_item(second, kyc)
        if practice is None:  # the open exam sealed every case: nothing is left to practise
            raise SystemExit("The KYC golden set has no case outside the open exam to practise.")
        ref = practice.golden_case.current_answer
        services.answer_practice(
            practice,
            {
                "decision": ref.decision,
                "label": ref.label,
                "root_cause": ref.root_cause,
                "rationale": ref.rationale,
            },
        )
        services.next_practice_item(second, kyc)  # dealt and waiting: the practice page shows a case
        db.session.commit()
        return {
            "exam review (50 cases)": f"/learn/exams/{done.id}",
            "exam case page": f"/learn/exams/{open_exam.id}/25",
            "practice feedback": f"/learn/practice/{practice.id}",
        }, (first.username, second.username)


def timed(client, url: str) -> list[float]:
    client.get(url)  # warm caches and compiled templates
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        urls, (reviewer, learner) = prepare_exam(app)
        pages = {
            reviewer: {"exam review (50 cases)": urls["exam review (50 cases)"], "curriculum": "/learn"},
            learner: {
                "practice case page": "/learn/kyc_audit/practice",
                "exam case page": urls["exam case page"],
                "practice feedback": urls["practice feedback"],
            },
        }
        baseline = statistics.median(timed(app.test_client(), "/healthz"))
        print(f"golden set loaded; {ROUNDS} requests per page; baseline /healthz median {baseline:.2f} ms\n")
        print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'x healthz':>10} {'vs 100 ms':>10}")
        worst = 0.0
        for username, named in pages.items():
            client = app.test_client()
            client.post("/login", data={"username": username, "password": DEMO_PASSWORDS["agent"]})
            for name, url in named.items():
                samples = sorted(timed(client, url))
                median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
                worst = max(worst, p95)
                ratios = f"{median / baseline:10.1f} {median / TARGET_MS:10.2f}"
                print(f"{name:28} {median:10.2f} {p95:8.2f} {ratios}")
        verdict = "OK" if worst < TARGET_MS else "TOO SLOW"
        print(f"\nslowest p95: {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {verdict}")


if __name__ == "__main__":
    main()
