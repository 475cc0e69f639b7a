"""Closing a 100-participant × 500-case calibration session, and rendering its report page.

Run: ``python bench/bench_calibration.py``. It builds a fresh SQLite database with the golden set
(topped up to 500 cases of one type by copying seed cases under new keys), 100 participants and their
answers (10% missing), then measures, in one run:
- close: computing the report from the database and storing it (target < 2 s), next to the pure
  report computation alone on the same answers;
- the report page's server time (target < 200 ms), next to /healthz through the same stack.
"""

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User, new_session_token  # noqa: E402
from app.auth.passwords import hash_password  # noqa: E402
from app.calibration import services  # noqa: E402
from app.calibration.models import SessionAnswer, SessionCase  # noqa: E402
from app.calibration.report import Given, build_report  # noqa: E402
from app.cases import services as case_services  # noqa: E402
from app.cases.cli import load_seed_golden, seed_dir  # noqa: E402
from app.cases.models import CaseType, GoldenCase  # noqa: E402
from app.clock import now as utcnow  # noqa: E402  (no app context here: the system clock)
from app.extensions import db  # noqa: E402
from config import TestConfig  # noqa: E402

CASES, PARTICIPANTS, MISSING, SEED = 500, 100, 0.10, 7
PASSWORD = "bench-password-1"


def build(folder: Path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.db'}"
    app = create_app(config)
    rng = random.Random(SEED)
    with app.app_context():
        upgrade()
        load_seed_golden(seed_dir())
        kyc = db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))
        seeds = json.loads((seed_dir() / "kyc_audit.json").read_text())["cases"]
        extra = [
            {**seeds[i % len(seeds)], "key": f"kyc_audit-bench-{i:04d}"} for i in range(CASES - len(seeds))
        ]
        case_services.import_golden_cases({"cases": extra}, None)
        hashed = hash_password(PASSWORD)
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"rater{i:03d}",
                    "display_name": f"Rater {i}",
                    "role": "qa_lead" if i == 0 else "agent",
                    "locale": "en",
                    "active": True,
                    "password_hash": hashed,
                    "session_token": new_session_token(),
                    "created_at": utcnow(),
                }
                for i in range(PARTICIPANTS)
            ],
        )
        people = list(db.session.scalars(select(User).where(User.username.like("rater%"))))
        lead = people[0]
        ids = list(db.session.scalars(select(GoldenCase.id).where(GoldenCase.case_type_id == kyc.id)))[:CASES]
        session = services.create_session("Bench", kyc, utcnow() + timedelta(days=1), people, ids, lead)
        decisions = ("pass", "block", "escalate")
        rows = []
        for case in session.cases:
            truth = rng.randrange(3)
            for person in people:
                if rng.random() < MISSING:
                    continue
                decision = decisions[truth] if rng.random() < 0.85 else rng.choice(decisions)
                label = rng.choice(("TP", "TN", "FP", "FN"))
                rows.append(
                    {
                        "session_case_id": case.id,
                        "user_id": person.id,
                        "decision": decision,
                        "label": label,
                        "root_cause": rng.choice("ABC") if label in ("FP", "FN") else None,
                        "rationale": "Bench.",
                        "answered_at": utcnow(),
                    }
                )
        db.session.execute(insert(SessionAnswer), rows)
        db.session.commit()
        return app, session.id, lead.username, len(rows)


def pure_report_seconds(app, session_id: int) -> float:
    with app.app_context():
        cases = list(
            db.session.scalars(
                select(SessionCase).where(SessionCase.session_id == session_id).order_by(SessionCase.position)
            )
        )
        row = {c.id: i for i, c in enumerate(cases)}
        users = sorted({a.user_id for a in db.session.scalars(select(SessionAnswer))})
        column = {u: i for i, u in enumerate(users)}
        answers = {
            (row[a.session_case_id], column[a.user_id]): Given(a.decision, a.label, a.root_cause)
            for a in db.session.scalars(select(SessionAnswer))
        }
        units = [{"case_id": c.golden_case_id, "reference": None} for c in cases]
        start = time.perf_counter()
        build_report(units, [str(u) for u in users], answers, seed=1)
        return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app, session_id, lead, answers = build(Path(folder))
        print(f"session: {CASES} cases x {PARTICIPANTS} participants, {answers} answers\n")
        pure = pure_report_seconds(app, session_id)
        with app.app_context():
            session = db.session.get(services.CalibrationSession, session_id)
            lead_user = db.session.scalar(select(User).where(User.username == lead))
            start = time.perf_counter()
            services.close_session(session, lead_user)
            db.session.commit()
            close = time.perf_counter() - start
        client = app.test_client()
        client.post("/login", data={"username": lead, "password": PASSWORD})
        page, baseline = [], []
        for _ in range(15):
            start = time.perf_counter()
            response = client.get(f"/calibration/{session_id}/report")
            page.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
            start = time.perf_counter()
            client.get("/healthz")
            baseline.append((time.perf_counter() - start) * 1000)
        page_ms, base_ms = statistics.median(page[1:]), statistics.median(baseline[1:])
        print(f"{'measurement':44} {'value':>10} {'ratio':>28}")
        print(
            f"{'close: load, compute, store the report (s)':44} {close:10.3f} "
            f"{close / pure:10.2f}x pure compute ({pure:.3f} s)"
        )
        ratio = f"{page_ms / base_ms:10.0f}x /healthz ({base_ms:.2f} ms)"
        print(f"{'report page, median server time (ms)':44} {page_ms:10.1f} {ratio}")
        print(
            f"\ntargets: close < 2 s: {'OK' if close < 2 else 'TOO SLOW'}; "
            f"report page < 200 ms: {'OK' if page_ms < 200 else 'TOO SLOW'}"
        )


if __name__ == "__main__":
    main()
