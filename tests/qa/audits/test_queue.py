"""The audit queue: claim order, leases, second reviews, verdicts, optimistic locking, and 20 leads
claiming at once from a queue of 10 (on SQLite and on PostgreSQL)."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.audit.models import AuditEvent
from app.auth.models import User
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db as _db
from app.qa.audits import queue
from app.qa.audits.models import Audit
from app.qa.sampling.models import Sample
from tests.qa.conftest import count_rows, event_actions

INCORRECT = {"verdict": "incorrect", "severity": "major", "corrected_decision": "block", "root_cause": "A"}


def user(db, someone) -> User:
    return db.session.get(User, someone.id)


def claim_ids(db, lead, times) -> list[int | None]:
    claimed = []
    for _ in range(times):
        sample = queue.claim_next(lead)
        claimed.append(sample.id if sample else None)
        db.session.commit()
    return claimed


def test_the_most_urgent_sample_is_claimed_first(
    db, app, qa_clock, make_user, make_live_decisions, make_queued_samples
):
    decisions = make_live_decisions(make_user("agent"), 6)
    reasons = ["random", "weekly_min", "critical", "random", "key_user", "critical"]
    samples = make_queued_samples(decisions, reasons)
    lead = user(db, make_user("qa_lead"))

    claimed = claim_ids(db, lead, 7)

    assert claimed == [samples[2], samples[5], samples[4], samples[1], samples[0], samples[3], None]
    sample = db.session.get(Sample, samples[2])
    assert (sample.status, sample.claimed_by_id) == ("claimed", lead.id)
    assert (sample.claimed_at, sample.lease_expires_at) == (qa_clock.now, qa_clock.now + queue.LEASE)
    assert event_actions(app).count("qa.claim") == 6


def test_an_expired_claim_can_be_claimed_again(
    db, qa_clock, make_user, make_live_decisions, make_queued_samples
):
    [sample_id] = make_queued_samples(make_live_decisions(make_user("agent"), 1))
    first, second = user(db, make_user("qa_lead")), user(db, make_user("qa_lead"))
    assert claim_ids(db, first, 1) == [sample_id]

    qa_clock.advance(minutes=29)
    assert claim_ids(db, second, 1) == [None]
    qa_clock.advance(minutes=2)
    assert claim_ids(db, second, 1) == [sample_id]

    assert db.session.get(Sample, sample_id).claimed_by_id == second.id
    with pytest.raises(NotFound):
        queue.own_claim(sample_id, first)
    assert queue.own_claim(sample_id, second).id == sample_id


def test_a_second_review_goes_to_another_lead_blind(
    db, qa_clock, make_user, make_live_decisions, make_queued_samples
):
    [decision] = make_live_decisions(make_user("agent"), 1)
    [sample_id] = make_queued_samples([decision], needs_second_review=True)
    first, second, third = (user(db, make_user("qa_lead")) for _ in range(3))

    [claimed] = claim_ids(db, first, 1)
    queue.submit_audit(db.session.get(Sample, claimed), first, {"verdict": "correct", "note": "Fine."})
    db.session.commit()
    sample = db.session.get(Sample, sample_id)
    assert (sample.status, sample.claimed_by_id, sample.lease_expires_at) == ("queued", None, None)

    assert claim_ids(db, first, 1) == [None]  # never a second review of your own audit
    assert claim_ids(db, second, 1) == [sample_id]
    audit = queue.submit_audit(db.session.get(Sample, sample_id), second, INCORRECT)
    db.session.commit()

    assert audit.is_second_review is True
    assert db.session.get(Sample, sample_id).status == "done"
    audits = db.session.execute(
        select(Audit.auditor_id, Audit.verdict, Audit.is_second_review).order_by(Audit.id)
    ).all()
    assert audits == [(first.id, "correct", False), (second.id, "incorrect", True)]
    assert claim_ids(db, third, 1) == [None]
    details = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "qa.audit").order_by(AuditEvent.id)
    )
    assert [d["second_review"] for d in details] == [False, True]


def test_a_lead_never_claims_a_decision_they_already_audited(
    db, make_user, make_live_decisions, make_queued_samples, make_live_audit
):
    lead = make_user("qa_lead")
    [decision] = make_live_decisions(make_user("agent"), 1)
    make_live_audit(decision, lead, external=True)  # the vendor's own QA, sent through the API
    [sample_id] = make_queued_samples([decision])
    assert claim_ids(db, user(db, lead), 1) == [None]
    assert claim_ids(db, user(db, make_user("qa_lead")), 1) == [sample_id]


def test_a_verdict_without_a_second_review_finishes_the_sample(
    db, qa_clock, make_user, make_live_decisions, make_queued_samples
):
    [sample_id] = make_queued_samples(make_live_decisions(make_user("agent"), 1))
    lead = user(db, make_user("qa_lead"))
    claim_ids(db, lead, 1)
    values = {**INCORRECT, "corrected_label": "FN", "note": "  Tamper score ignored.  "}
    audit = queue.submit_audit(queue.own_claim(sample_id, lead), lead, values)
    db.session.commit()

    stored = db.session.get(Audit, audit.id)
    assert (stored.verdict, stored.effective_verdict, stored.severity) == ("incorrect", "incorrect", "major")
    assert (stored.corrected_decision, stored.corrected_label, stored.root_cause) == ("block", "FN", "A")
    assert (stored.note, stored.version, stored.created_at) == ("Tamper score ignored.", 1, qa_clock.now)
    assert db.session.get(Sample, sample_id).status == "done"
    with pytest.raises(NotFound):
        queue.own_claim(sample_id, lead)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"verdict": "maybe"}, "verdict"),
        ({"verdict": ""}, "verdict"),
        ({"verdict": "incorrect"}, "severity"),
        ({"verdict": "incorrect", "severity": "huge"}, "severity"),
        ({"verdict": "correct", "severity": "fatal"}, "severity"),
        ({"verdict": "correct", "corrected_decision": "freeze"}, "corrected_decision"),
        ({"verdict": "correct", "corrected_label": "XX"}, "corrected_label"),
        ({"verdict": "incorrect", "severity": "minor", "root_cause": "D"}, "root_cause"),
    ],
)
def test_a_bad_verdict_is_refused_and_nothing_is_written(
    db, make_user, make_live_decisions, make_queued_samples, values, field
):
    [sample_id] = make_queued_samples(make_live_decisions(make_user("agent"), 1))
    lead = user(db, make_user("qa_lead"))
    claim_ids(db, lead, 1)
    with pytest.raises(DomainError) as refused:
        queue.submit_audit(db.session.get(Sample, sample_id), lead, values)
    db.session.rollback()
    assert refused.value.field == field
    assert db.session.scalar(select(func.count(Audit.id))) == 0
    assert db.session.get(Sample, sample_id).status == "claimed"


def test_an_edit_bumps_the_version_and_a_stale_edit_conflicts(
    db, qa_clock, make_user, make_live_decisions, make_live_audit
):
    lead, other = user(db, make_user("qa_lead")), user(db, make_user("qa_lead"))
    [decision] = make_live_decisions(make_user("agent"), 1)
    audit = db.session.get(Audit, make_live_audit(decision, lead, "correct"))

    qa_clock.advance(hours=1)
    queue.edit_audit(audit, lead, INCORRECT, seen_version=1)
    db.session.commit()
    assert (audit.version, audit.verdict, audit.effective_verdict) == (2, "incorrect", "incorrect")
    assert audit.updated_at == qa_clock.now

    with pytest.raises(Conflict):
        queue.edit_audit(audit, lead, {"verdict": "correct"}, seen_version=1)
    with pytest.raises(NotFound):
        queue.edit_audit(audit, other, {"verdict": "correct"}, seen_version=2)
    db.session.rollback()
    admin = user(db, make_user("admin"))
    queue.edit_audit(audit, admin, {"verdict": "incorrect", "severity": "minor"}, seen_version=2)
    db.session.commit()

    stored = db.session.get(Audit, audit.id)
    assert (stored.version, stored.severity) == (3, "minor")
    edits = db.session.execute(
        select(AuditEvent.actor_id, AuditEvent.detail)
        .where(AuditEvent.action == "qa.audit_edit")
        .order_by(AuditEvent.id)
    ).all()
    assert edits == [
        (lead.id, {"before": {"verdict": "correct", "severity": None}, "verdict": "incorrect"}),
        (admin.id, {"before": {"verdict": "incorrect", "severity": "major"}, "verdict": "incorrect"}),
    ]


def test_an_edit_saved_meanwhile_by_someone_else_makes_a_concurrent_edit_conflict(
    db, app, make_user, make_live_decisions, make_live_audit
):
    lead, admin = make_user("qa_lead"), make_user("admin")
    [decision] = make_live_decisions(make_user("agent"), 1)
    audit_id = make_live_audit(decision, lead, "correct")
    mine = db.session.get(Audit, audit_id)  # loaded at version 1, like an open form
    assert mine.version == 1
    with app.app_context():  # another request saves first
        theirs = _db.session.get(Audit, audit_id)
        queue.edit_audit(theirs, _db.session.get(User, admin.id), INCORRECT, seen_version=1)
        _db.session.commit()

    with pytest.raises(Conflict):
        queue.edit_audit(mine, user(db, lead), {"verdict": "correct", "note": "Mine."}, seen_version=1)
    db.session.rollback()

    stored = db.session.get(Audit, audit_id)
    assert (stored.version, stored.verdict, stored.note) == (2, "incorrect", "")
    assert event_actions(app).count("qa.audit_edit") == 1


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_twenty_concurrent_claims_on_ten_samples_give_ten_distinct_claims(
    app, make_user, make_live_decisions, make_queued_samples, round_
):
    samples = make_queued_samples(make_live_decisions(make_user("agent"), 10))
    leads = [make_user("qa_lead") for _ in range(20)]
    barrier = threading.Barrier(len(leads))
    claimed: list[int | None] = []
    locked: list[str] = []

    def claim(lead):
        # The lead is loaded before the barrier, so no thread holds a connection while the others wait.
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                sample = queue.claim_next(lead)
                sample_id = sample.id if sample else None
                _db.session.commit()
            except OperationalError as error:  # SQLite's "database is locked": counted, and must not happen
                _db.session.rollback()
                locked.append(str(error))
                return
            claimed.append(sample_id)

    threads = [threading.Thread(target=claim, args=(lead,)) for lead in leads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert locked == []
    assert len(claimed) == 20
    assert sorted(s for s in claimed if s is not None) == sorted(samples)
    assert claimed.count(None) == 10
    with app.app_context():
        rows = _db.session.execute(select(Sample.status, Sample.claimed_by_id)).all()
        assert {status for status, _lead in rows} == {"claimed"}
        assert len({lead for _status, lead in rows}) == 10
        assert {lead for _status, lead in rows} <= {lead.id for lead in leads}
    assert count_rows(app, AuditEvent, action="qa.claim") == 10
