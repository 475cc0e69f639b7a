"""Ingesting live decisions: `flask qa import` of a large CSV, and a 10,000-decision API batch.

Run: ``python bench/bench_ingest.py [--rows 1000000] [--batch-size 10000] [--no-postgres]`` (or set
BENCH_INGEST_ROWS). It writes a CSV of realistic decisions (demo agents, the five case types, about 10%
with an automated finding) to a temporary folder, then measures, in one run:
- the import path (`app.qa.decisions.cli.import_file`, what `flask qa import` runs: stream, validate, run
  the rules, write in batches, one commit) into a fresh SQLite database, against raw
  `sqlite3.executemany` of the same rows into the same table of another fresh database (target: at
  most 3x, and under 60 s);
- the same into PostgreSQL (database `bench_ingest`, created and dropped here) against `COPY`;
- a 10,000-decision POST /api/v1/decisions through the test client (target under 2 s).

Each baseline is timed twice: reading the rows from the same CSV (as the import must) and from tuples
built in memory beforehand (the database's cost alone). Ratios are against both.
"""

import argparse
import csv
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.cases.cli import load_seed_golden, seed_dir  # noqa: E402
from app.cases.vocabulary import derive_label  # noqa: E402
from app.demo.people import demo_people  # noqa: E402
from app.demo.services import seed_demo_people  # noqa: E402
from app.extensions import db  # noqa: E402
from app.qa.decisions.cli import import_file  # noqa: E402
from app.qa.decisions.ingest import DECISION_COLUMNS  # noqa: E402
from app.qa.decisions.ingest_format import DECISION_FIELDS  # noqa: E402
from app.qa.decisions.models import LiveDecision, LiveFinding  # noqa: E402
from config import TestConfig  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
PG_DB = "bench_ingest"
START = datetime(2026, 10, 1, tzinfo=UTC)
RATIONALES = (
    "Signals match the documented pattern. The SOP section applies directly.",
    "Name and face match are strong. No tamper signs on the document.",
    "Withdrawal fits the 90-day average. Destination has no risk exposure.",
    "New device and impossible travel within an hour. Escalated for a senior review.",
)


def item(i: int, rng: random.Random, agents: list[str], types: list[str]) -> dict:
    """One realistic decision; about one in ten breaks one automated-QA rule."""
    recommendation = rng.choices(("pass", "block", "escalate"), weights=(6, 3, 1))[0]
    confidence = round(rng.uniform(0.35, 0.99), 2)
    decision = recommendation
    if rng.random() < 0.15:
        decision = rng.choice([d for d in ("pass", "block", "escalate") if d != recommendation])
        confidence = min(confidence, 0.79)
    priority = rng.randrange(75, 101) if decision == "escalate" and rng.random() < 0.3 else rng.randrange(75)
    label = derive_label(recommendation, decision) or rng.choice(("TP", "TN"))
    opened = START + timedelta(seconds=i * 17 % 5_000_000)
    decided = opened + timedelta(minutes=rng.randrange(3, 230))
    values = {
        "decision_id": f"LD-{i:08d}",
        "agent": rng.choice(agents),
        "case_type": rng.choice(types),
        "scenario": rng.choice(("", "kyc.doc_tamper", "ato.new_device", "wd.mule_pattern")),
        "case_ref": f"CASE-{rng.randrange(10**7):07d}",
        "decision": decision,
        "agent_recommendation": recommendation,
        "confidence": confidence,
        "priority": priority,
        "label": label,
        "root_cause": rng.choice("ABC") if label in ("FP", "FN") else "",
        "rationale": rng.choice(RATIONALES),
        "signals": {"amount_ratio": round(rng.uniform(0.1, 9), 2), "new_device": rng.random() < 0.2},
    }
    if rng.random() < 0.10:  # one defect
        defect = rng.randrange(4)
        if defect == 0:
            values["priority"], values["decision"] = 80, "pass"  # Key User not escalated
            values["label"] = derive_label(recommendation, "pass") or "TN"
            values["root_cause"] = rng.choice("ABC") if values["label"] in ("FP", "FN") else ""
        elif defect == 1:
            decided = opened + timedelta(hours=5)  # SLA breach
        elif defect == 2:
            values["rationale"] = ""
            values["decision"], values["agent_recommendation"], values["label"] = "block", "block", "TP"
            values["priority"] = min(values["priority"], 74)
        else:
            values["root_cause"] = "" if values["label"] in ("FP", "FN") else "A"
    values["opened_at"] = opened.isoformat().replace("+00:00", "Z")
    values["decided_at"] = decided.isoformat().replace("+00:00", "Z")
    return values


def write_csv(path: Path, rows: int, agents: list[str], types: list[str], start: int = 0) -> None:
    rng = random.Random(2026 + start)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(DECISION_FIELDS)
        for i in range(start, start + rows):
            values = item(i, rng, agents, types)
            values["signals"] = json.dumps(values["signals"])
            writer.writerow([values[name] for name in DECISION_FIELDS])


def fresh_app(uri: str):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = uri
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_seed_golden(seed_dir())
        seed_demo_people()
        db.session.commit()
    return app


def timed_import(app, path: Path, batch_size: int) -> tuple[float, int, int]:
    with app.app_context():
        start = time.perf_counter()
        stored = import_file(path, batch_size)
        db.session.commit()
        seconds = time.perf_counter() - start
        findings = db.session.scalar(select(func.count()).select_from(LiveFinding))
        assert db.session.scalar(select(func.count()).select_from(LiveDecision)) == stored.created
    return seconds, stored.created, findings


def id_maps(app) -> tuple[dict, dict]:
    with app.app_context():
        agents = dict(db.session.execute(select(User.username, User.id)).all())
        types = dict(db.session.execute(text("SELECT slug, id FROM case_types")).all())
        db.session.remove()
        db.engine.dispose()
    return agents, types


def raw_rows(path: Path, agents: dict, types: dict):
    """The CSV's rows as the table's column tuples, with no validation and no rules."""
    now = datetime.now(UTC)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for r in reader:
            yield (
                r[0], agents[r[1]], types[r[2]], r[3] or None, r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                r[11] or None, r[12] or None, r[13], r[14], False, False, now,
            )  # fmt: skip


def sqlite_raw(path: Path, csv_path: Path, in_memory: bool) -> float:
    """Raw executemany into a fresh database's live_decisions, with the app's PRAGMAs."""
    agents, types = id_maps(fresh_app(f"sqlite:///{path}"))
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    sql = (
        f"INSERT INTO live_decisions ({', '.join(DECISION_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(DECISION_COLUMNS))})"
    )
    rows = list(raw_rows(csv_path, agents, types)) if in_memory else raw_rows(csv_path, agents, types)
    start = time.perf_counter()
    connection.executemany(sql, rows)
    connection.commit()
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def pg_admin(statement: str) -> None:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def pg_fresh():
    pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    pg_admin(f"CREATE DATABASE {PG_DB}")
    return fresh_app(f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/{PG_DB}")


def pg_copy(csv_path: Path, in_memory: bool) -> float:
    """COPY into a fresh database's live_decisions."""
    agents, types = id_maps(pg_fresh())
    rows = list(raw_rows(csv_path, agents, types)) if in_memory else raw_rows(csv_path, agents, types)
    with psycopg.connect(f"{PG_SERVER}/{PG_DB}") as connection, connection.cursor() as cursor:
        start = time.perf_counter()
        with cursor.copy(f"COPY live_decisions ({', '.join(DECISION_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()
        return time.perf_counter() - start


def api_batch(app, agents: list[str], types: list[str]) -> tuple[float, int, dict]:
    rng = random.Random(7)
    decisions = [item(i, rng, agents, types) for i in range(90_000_000, 90_010_000)]
    for values in decisions:
        values["root_cause"] = values["root_cause"] or None
        values["scenario"] = values["scenario"] or None
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.username == "admin"))
        _token, secret = auth_services.create_token(owner, "bench", ["ingest"], None)
        db.session.commit()
    client = app.test_client()
    body = json.dumps({"decisions": decisions})
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    start = time.perf_counter()
    response = client.post("/api/v1/decisions", data=body, headers=headers)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.get_json()
    return seconds, len(body), response.get_json()


def line(name: str, seconds: float, ratios: str = "") -> None:
    print(f"{name:58} {seconds:9.2f} s  {ratios}")


def report(title: str, stored: tuple, seconds: float, stream: float, memory: float, baseline: str) -> float:
    created, findings = stored
    print(f"{title}: {created:,} decisions and {findings:,} findings stored")
    line(f"  {baseline}, rows streamed from the CSV", stream)
    line(f"  {baseline}, rows already in memory", memory)
    line(
        "  flask qa import (import_file + commit)",
        seconds,
        f"{seconds / stream:.2f}x streamed, {seconds / memory:.2f}x in memory",
    )
    return seconds / stream


def sqlite_part(folder: Path, csv_path: Path, args) -> object:
    imports, streams, memories = [], [], []
    for run in range(args.repeat):  # interleaved, so a busy moment hits each measurement alike
        app = fresh_app(f"sqlite:///{folder / f'import{run}.db'}")
        seconds, created, findings = timed_import(app, csv_path, args.batch_size)
        imports.append(seconds)
        streams.append(sqlite_raw(folder / f"raw{run}.db", csv_path, in_memory=False))
        memories.append(sqlite_raw(folder / f"mem{run}.db", csv_path, in_memory=True))
        for name in (f"raw{run}.db", f"mem{run}.db"):
            (folder / name).unlink()
    ratio = report(
        "SQLite", (created, findings), min(imports), min(streams), min(memories), "sqlite3.executemany"
    )
    verdict = "OK" if ratio <= 3 and min(imports) < 60 else "MISSED"
    print(f"  target <= 3x and < 60 s: {verdict}\n")
    return app


def postgres_part(csv_path: Path, args) -> None:
    imports, streams, memories = [], [], []
    try:
        for _run in range(args.repeat):
            seconds, created, findings = timed_import(pg_fresh(), csv_path, args.batch_size)
            imports.append(seconds)
            streams.append(pg_copy(csv_path, in_memory=False))
            memories.append(pg_copy(csv_path, in_memory=True))
    except psycopg.OperationalError as error:
        print(f"PostgreSQL skipped: {error}\n")
        return
    finally:
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    ratio = report("PostgreSQL", (created, findings), min(imports), min(streams), min(memories), "COPY")
    print(f"  target <= 3x: {'OK' if ratio <= 3 else 'MISSED'}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_INGEST_ROWS", 1_000_000)))
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs of each measurement")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    agents = [p["username"] for p in demo_people() if p["role"] == "agent"]
    types = [
        t["slug"] for t in json.loads((ROOT / "seed_cases" / "case_types.json").read_text())["case_types"]
    ]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_path = folder / "decisions.csv"
        start = time.perf_counter()
        write_csv(csv_path, args.rows, agents, types)
        size = csv_path.stat().st_size / 1e6
        print(
            f"{args.rows:,} decisions, {size:.0f} MB of CSV (written in {time.perf_counter() - start:.1f} s)"
        )
        print(f"batch size {args.batch_size:,}; best of {args.repeat} run(s) of each measurement\n")
        app = sqlite_part(folder, csv_path, args)
        if not args.no_postgres:
            postgres_part(csv_path, args)
        api_seconds, body_bytes, answer = api_batch(app, agents, types)
        print(f"API: 10,000 decisions, {body_bytes / 1e6:.1f} MB of JSON, into the SQLite table above")
        verdict = "OK" if api_seconds < 2 else "MISSED"
        line("  POST /api/v1/decisions", api_seconds, f"{answer}; target < 2 s: {verdict}")


if __name__ == "__main__":
    main()
