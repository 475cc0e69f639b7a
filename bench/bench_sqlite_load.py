"""SQLite under saturation: 24 clients with no think time against gunicorn with 4 workers, with writing
requests beginning BEGIN IMMEDIATE (SQLITE_BEGIN_IMMEDIATE, the default) and without it.

Run: ``python bench/bench_sqlite_load.py``. It seeds a temporary SQLite file once (the golden set, the
demo organisation, and an open calibration session over 30 KYC cases for agent01..agent24), then, for each
setting, copies it, starts gunicorn on it and lets 24 signed-in agents each open a case's labelling page
and save an answer to it, over and over (half page reads, half writes), for a fixed number of requests.
It prints, side by side: requests, 500s, "database is locked" errors in the server log, throughput, and
p50/p95 latency. Exits 1 if any request fails with the fix on.
"""

import http.cookiejar
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIENTS, WORKERS, ROUNDS = 24, 4, 15  # each client: sign in, then ROUNDS × (open a case, save an answer)
CASES = 30
SECRET = "bench-" + "x" * 40
ANSWERS = [
    {"decision": "pass", "label": "TN", "root_cause": "", "rationale": "Nothing stands out."},
    {"decision": "block", "label": "FN", "root_cause": "A", "rationale": "The tamper score is high."},
    {"decision": "escalate", "label": "FN", "root_cause": "C", "rationale": "The SOP is silent here."},
]
LOCKED = "database is locked"


def seed(path: Path) -> int:
    """Golden set, demo people and an open session for agent01..agent24; returns the session id."""
    os.environ.update(DATABASE_URL=f"sqlite:///{path}", SECRET_KEY=SECRET, TOUCHSTONE_ENV="development")
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import clock, create_app
    from app.auth.models import User
    from app.calibration import services
    from app.cases.cli import load_seed_golden, seed_dir
    from app.cases.models import CaseType, GoldenCase
    from app.demo.services import seed_demo_people
    from app.extensions import db
    from config import DevConfig

    app = create_app(DevConfig())
    with app.app_context():
        upgrade()
        load_seed_golden(seed_dir())
        seed_demo_people()
        db.session.commit()
        kyc = db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))
        case_ids = list(
            db.session.scalars(
                select(GoldenCase.id).where(GoldenCase.case_type_id == kyc.id).order_by(GoldenCase.id)
            )
        )[:CASES]
        names = [f"agent{i:02d}" for i in range(1, CLIENTS + 1)]
        agents = list(db.session.scalars(select(User).where(User.username.in_(names))))
        lead = db.session.scalar(select(User).where(User.username == "lead1"))
        deadline = clock.now() + timedelta(days=7)
        session = services.create_session("Load bench", kyc, deadline, agents, case_ids, lead)
        db.session.commit()
        session_id = session.id
        db.session.remove()
        db.engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return session_id


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Agent:
    """One browser: a cookie jar, redirects not followed, CSRF tokens read from the page."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.timings: list[float] = []
        self.statuses: list[int] = []

    def request(self, path: str, fields: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        self.timings.append(time.perf_counter() - started)
        self.statuses.append(status)
        return status, body

    def token(self, page: str) -> str:
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page
        )
        return found.group(1) if found else ""

    def sign_in(self, username: str) -> None:
        _status, page = self.request("/login")
        fields = {"csrf_token": self.token(page), "username": username, "password": "agent-demo-2026"}
        status, _body = self.request("/login", fields)
        if status != 302:
            raise SystemExit(f"{username} could not sign in ({status})")

    def work(self, session_id: int, offset: int, start: threading.Barrier) -> None:
        start.wait()
        for round_ in range(ROUNDS):
            position = (offset + round_) % CASES + 1
            path = f"/calibration/{session_id}/cases/{position}"
            status, page = self.request(path)
            if status != 200:
                continue
            answer = ANSWERS[(offset + round_) % len(ANSWERS)]
            self.request(path, {"csrf_token": self.token(page), **answer})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


def run(seeded: Path, workdir: Path, session_id: int, immediate: bool) -> dict:
    """Serve a copy of the seeded database with gunicorn and drive it; returns the figures."""
    label = "on" if immediate else "off"
    database = workdir / f"load-{label}.db"
    shutil.copy(seeded, database)
    log = workdir / f"gunicorn-{label}.log"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": SECRET,
        "TOUCHSTONE_ENV": "development",
        "SQLITE_BEGIN_IMMEDIATE": "1" if immediate else "0",
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [*command, "app:create_app()"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        agents = [Agent(base) for _ in range(CLIENTS)]
        for index, agent in enumerate(agents, start=1):
            agent.sign_in(f"agent{index:02d}")
            agent.timings.clear()
            agent.statuses.clear()
        start = threading.Barrier(CLIENTS + 1)
        threads = [
            threading.Thread(target=agent.work, args=(session_id, index * 7, start))
            for index, agent in enumerate(agents)
        ]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    timings = sorted(t for agent in agents for t in agent.timings)
    statuses = [s for agent in agents for s in agent.statuses]
    cuts = statistics.quantiles(timings, n=100)
    return {
        "requests": len(statuses),
        "500s": sum(1 for s in statuses if s >= 500),
        "locked": log.read_text(errors="replace").count(f"OperationalError) {LOCKED}"),
        "throughput": len(statuses) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
    }


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        seeded = workdir / "seeded.db"
        began = time.perf_counter()
        session_id = seed(seeded)
        print(f"seeded in {time.perf_counter() - began:.1f} s; {CLIENTS} clients, {WORKERS} gunicorn workers")
        results = {
            "BEGIN IMMEDIATE (on)": run(seeded, workdir, session_id, immediate=True),
            "deferred (off)": run(seeded, workdir, session_id, immediate=False),
        }
    names = list(results)
    rows = [
        ("requests", "{:.0f}", "requests"),
        ("500 answers", "{:.0f}", "500s"),
        ('"database is locked"', "{:.0f}", "locked"),
        ("throughput (req/s)", "{:.0f}", "throughput"),
        ("p50 latency (ms)", "{:.1f}", "p50"),
        ("p95 latency (ms)", "{:.1f}", "p95"),
    ]
    print(f"{'SQLITE_BEGIN_IMMEDIATE':<24}" + "".join(f"{name:>24}" for name in names))
    for title, style, key in rows:
        print(f"{title:<24}" + "".join(f"{style.format(results[n][key]):>24}" for n in names))
    with_fix = results[names[0]]
    if with_fix["500s"] or with_fix["locked"]:
        print("FAIL: requests failed with BEGIN IMMEDIATE on")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
