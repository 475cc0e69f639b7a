"""The daily quality rollup kept current by every write path: bulk ingest (UTC days, SLA, critical
findings, labels, duplicates), queue audits, edits and overturned disputes, external audits, the CLI
import, and concurrent ingests on PostgreSQL. Each test checks hand-computed counts and that the
incremental rows equal what `rollup.rebuild()` computes from scratch."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db as _db
from app.qa.audits import disputes, external, queue
from app.qa.audits.audit_format import validate_audits
from app.qa.audits.models import Audit, AuditDispute
from app.qa.decisions import ingest
from app.qa.decisions.ingest_format import validate_decisions
from app.qa.quality import rollup
from app.qa.quality.models import DailyQuality
from tests.conftest import PG_URL, utc
from tests.qa.decisions.ingest_support import decision
from tests.qa.quality.rollup_support import assert_same_as_rebuild, cli_import

INCORRECT = {"verdict": "incorrect", "severity": "major"}
CORRECT = {"verdict": "correct"}
BLOCK = {"decision": "block", "agent_recommendation": "block"}


def rollup_rows() -> list[tuple]:
    """Every rollup row as (agent_id, case_type_id, day, *counts), sorted."""
    columns = [DailyQuality.__table__.c[name] for name in (*rollup.KEY, *rollup.COUNTS)]
    return sorted(tuple(row) for row in _db.session.execute(select(*columns)))


def by_day(agent_id: int) -> dict:
    """{day: (decisions, within_sla, critical, tp, fp, fn, tn, audited, correct)} for one agent."""
    return {row[2]: row[3:] for row in rollup_rows() if row[0] == agent_id}


def audits_by_day(agent_id: int) -> dict:
    return {day: counts[7:] for day, counts in by_day(agent_id).items()}


def user(someone) -> User:
    return _db.session.get(User, someone.id)


@pytest.fixture
def known(app, make_user, make_case_type):
    make_case_type()
    make_user("agent", username="ana")
    with app.app_context():
        return ingest.known_people_and_types()


def rows(known, *items) -> list[dict]:
    checked = validate_decisions(enumerate(items), known)
    assert checked.errors == []
    return checked.rows


def test_ingest_counts_by_utc_day_sla_critical_and_label_and_skips_duplicates(db, known):
    ana = known.agents["ana"]
    first = [
        decision(1),  # 17th 09:00, 1 h, TN
        decision(2, opened_at="2026-11-17T19:30:00Z", decided_at="2026-11-17T23:30:00Z", label="TP", **BLOCK),
        # 00:10 UTC is the next day; 4 h + 1 s is outside the SLA
        decision(3, opened_at="2026-11-17T20:09:59Z", decided_at="2026-11-18T00:10:00Z", label="FP"),
        # 07:30 at +08:00 is 23:30 UTC on the 17th
        decision(
            4,
            opened_at="2026-11-18T04:00:00+08:00",
            decided_at="2026-11-18T07:30:00+08:00",
            label="FN",
            root_cause="A",
        ),
        # priority 80 not escalated: a critical finding; exactly 4 h is a breach of the SLA
        decision(5, opened_at="2026-11-17T22:00:00Z", decided_at="2026-11-18T02:00:00Z", priority=80),
    ]
    assert ingest.store_decisions(rows(known, *first)) == ingest.Stored(5, 0)
    # decisions, within_sla, critical, tp, fp, fn, tn, audited, correct
    assert by_day(ana) == {
        utc(2026, 11, 17): (3, 2, 0, 1, 0, 1, 1, 0, 0),  # decision 2 took exactly 4 h
        utc(2026, 11, 18): (2, 0, 1, 0, 1, 0, 1, 0, 0),
    }
    assert_same_as_rebuild()

    overlapping = [
        *first[1:3],
        first[4],
        decision(6, opened_at="2026-11-18T06:00:00Z", decided_at="2026-11-18T10:00:00Z"),
        decision(7, opened_at="2026-11-17T11:00:00Z", decided_at="2026-11-17T12:00:00Z", priority=90),
    ]
    assert ingest.ingest_decisions(rows(known, *overlapping), None, "api") == ingest.Stored(2, 3)
    assert by_day(ana) == {
        utc(2026, 11, 17): (4, 3, 1, 1, 0, 1, 2, 0, 0),
        utc(2026, 11, 18): (3, 0, 1, 0, 1, 0, 2, 0, 0),  # decision 6 took exactly 4 h
    }
    assert_same_as_rebuild()


def test_queue_audits_second_reviews_edits_and_overturned_disputes(
    db, qa_clock, make_user, make_live_decisions, make_queued_samples
):
    agent = make_user("agent")
    d1, d2, d3 = make_live_decisions(
        agent,
        3,
        opened_at=[utc(2026, 11, 17, 8), utc(2026, 11, 17, 22), utc(2026, 11, 17, 23)],
        decided_at=[utc(2026, 11, 17, 9), utc(2026, 11, 17, 23, 30), utc(2026, 11, 18, 0, 10)],
    )
    [s1] = make_queued_samples([d1], needs_second_review=True)
    s2, s3 = make_queued_samples([d2, d3])
    lead, reviewer, manager = make_user("qa_lead"), make_user("qa_lead"), make_user("manager")
    day17, day18 = utc(2026, 11, 17), utc(2026, 11, 18)

    def audit_next(by, values, expected_sample) -> int:
        sample = queue.claim_next(user(by))
        assert sample.id == expected_sample
        audit = queue.submit_audit(sample, user(by), values)
        _db.session.commit()
        return audit.id

    def edit(audit_id, by, values) -> None:
        audit = _db.session.get(Audit, audit_id)
        queue.edit_audit(audit, user(by), values, audit.version)
        _db.session.commit()

    def check(expected) -> None:
        assert audits_by_day(agent.id) == expected
        assert_same_as_rebuild()

    check({day17: (0, 0), day18: (0, 0)})
    first = audit_next(lead, CORRECT, s1)  # back to the queue for a second review
    check({day17: (1, 1), day18: (0, 0)})
    wrong = audit_next(lead, INCORRECT, s2)
    check({day17: (2, 1), day18: (0, 0)})
    second = audit_next(reviewer, INCORRECT, s1)  # a second review adds nothing
    assert _db.session.get(Audit, second).is_second_review
    check({day17: (2, 1), day18: (0, 0)})
    audit_next(lead, CORRECT, s3)
    check({day17: (2, 1), day18: (1, 1)})

    edit(first, lead, INCORRECT)
    check({day17: (2, 0), day18: (1, 1)})
    edit(first, lead, CORRECT)
    check({day17: (2, 1), day18: (1, 1)})
    edit(second, reviewer, CORRECT)  # editing a second review changes nothing either
    check({day17: (2, 1), day18: (1, 1)})

    opened = disputes.open_dispute(_db.session.get(Audit, wrong), user(agent), "The SOP allows it.")
    _db.session.commit()
    disputes.resolve_dispute(_db.session.get(AuditDispute, opened.id), "overturned", "Agreed.", user(manager))
    _db.session.commit()
    check({day17: (2, 2), day18: (1, 1)})
    edit(wrong, lead, {**INCORRECT, "severity": "minor"})  # still overturned: still counted correct
    assert _db.session.get(Audit, wrong).effective_verdict == "correct"
    check({day17: (2, 2), day18: (1, 1)})


def test_external_audits_count_first_audits_only(db, known, make_user):
    ana = known.agents["ana"]
    items = [decision(1), decision(2), decision(3, decided_at="2026-11-18T00:10:00Z")]
    vendor, other_vendor = make_user("qa_lead"), make_user("qa_lead")
    ingest.store_decisions(rows(known, *items))

    def send(auditor, *audits) -> ingest.Stored:
        keys = ingest.decision_keys(item["decision_id"] for item in audits)
        checked = validate_audits(list(audits), keys)
        assert checked.errors == []
        stored = external.store_external_audits(checked.rows, user(auditor))
        _db.session.commit()
        return stored

    def check(expected) -> None:
        assert audits_by_day(ana) == expected
        assert_same_as_rebuild()

    incorrect = {**INCORRECT, "corrected_decision": "block"}
    stored = send(vendor, {"decision_id": "D-00001", **incorrect}, {"decision_id": "D-00002", **CORRECT})
    assert stored == ingest.Stored(2, 0)
    check({utc(2026, 11, 17): (2, 1), utc(2026, 11, 18): (0, 0)})

    # D-00001 is already audited: the other vendor's audit of it is a second review
    stored = send(other_vendor, {"decision_id": "D-00001", **CORRECT}, {"decision_id": "D-00003", **CORRECT})
    assert stored == ingest.Stored(2, 0)
    check({utc(2026, 11, 17): (2, 1), utc(2026, 11, 18): (1, 1)})

    # A repeat of D-00001 is a duplicate; the vendor's first audit of D-00003 is a second review
    stored = send(vendor, {"decision_id": "D-00001", **CORRECT}, {"decision_id": "D-00003", **incorrect})
    assert stored == ingest.Stored(1, 1)
    check({utc(2026, 11, 17): (2, 1), utc(2026, 11, 18): (1, 1)})
    flags = _db.session.execute(select(Audit.external, Audit.is_second_review).order_by(Audit.id)).all()
    assert flags == [(True, False), (True, False), (True, True), (True, False), (True, True)]


def generated(n: int) -> dict:
    """Decision n of the CLI file: ten minutes apart from 2026-11-17 00:00 UTC; n % 4 == 1 misses the SLA
    by a second, n % 4 == 0 takes exactly 4 h; every tenth is critical; labels cycle TP, FP, TN."""
    decided = utc(2026, 11, 17) + timedelta(minutes=10 * n)
    took = {0: timedelta(hours=4), 1: timedelta(hours=4, seconds=1)}.get(n % 4, timedelta(hours=1))
    return decision(
        n,
        opened_at=(decided - took).isoformat(),
        decided_at=decided.isoformat(),
        priority=80 if n % 10 == 0 else 30,
        label=("TP", "FP", "TN")[n % 3],
    )


def test_the_cli_import_keeps_the_rollup_current(app, runner, tmp_path, known):
    ana = known.agents["ana"]
    path = tmp_path / "decisions.csv"
    cli_import(runner, path, (generated(n) for n in range(250)), created=250, duplicates=0)
    with app.app_context():
        # day 17: n = 0 .. 143; day 18: n = 144 .. 249
        assert by_day(ana) == {
            utc(2026, 11, 17): (144, 72, 15, 48, 48, 0, 48, 0, 0),  # n % 4 in (0, 1): a breach
            utc(2026, 11, 18): (106, 52, 10, 36, 35, 0, 35, 0, 0),
        }
        assert_same_as_rebuild()

    cli_import(runner, path, (generated(n) for n in range(200, 300)), created=50, duplicates=50)
    with app.app_context():
        # n = 250 .. 287 fall on the 18th, 288 .. 299 on the 19th
        decisions = {day: counts[0] for day, counts in by_day(ana).items()}
        assert decisions == {utc(2026, 11, 17): 144, utc(2026, 11, 18): 144, utc(2026, 11, 19): 12}
        assert_same_as_rebuild()


@pytest.mark.skipif(not PG_URL, reason="concurrent writers are tested on PostgreSQL")
def test_concurrent_ingests_of_one_agent_day_lose_no_count(app, known):
    ana, writers, each = known.agents["ana"], 8, 25
    batches = [
        rows(known, *(decision(w * each + i, priority=80 if i == 0 else 30) for i in range(each)))
        for w in range(writers)
    ]
    barrier, stored, errors = threading.Barrier(writers), [], []

    def write(batch):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                stored.append(ingest.store_decisions(batch))
                _db.session.commit()
            except Exception as error:  # reported below, with every other thread's outcome
                _db.session.rollback()
                errors.append(repr(error))

    threads = [threading.Thread(target=write, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert stored == [ingest.Stored(each, 0)] * writers
    with app.app_context():
        assert by_day(ana) == {utc(2026, 11, 17): (200, 200, 8, 0, 0, 0, 200, 0, 0)}
        assert_same_as_rebuild()
