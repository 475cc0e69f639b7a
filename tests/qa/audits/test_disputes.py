"""Agents disputing audit verdicts within the window; another lead or a manager resolving them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.errors import Conflict, DomainError, NotFound
from app.qa.audits import disputes, queue
from app.qa.audits.models import Audit, AuditDispute
from app.qa.quality.services import audited_accuracy


@pytest.fixture
def audited(db, qa_clock, make_user, make_live_decisions, make_live_audit):
    """An agent with 10 audited decisions, 2 of them incorrect (major); returns (agent, lead, wrong audit)."""
    agent, lead = make_user("agent"), make_user("qa_lead")
    decisions = make_live_decisions(agent, 10)
    for decision in decisions[2:]:
        make_live_audit(decision, lead, "correct")
    make_live_audit(decisions[1], lead, "incorrect", severity="critical")
    wrong = make_live_audit(decisions[0], lead, "incorrect", severity="major", note="Missed the tamper.")
    return agent, lead, wrong


def get(db, model, key):
    return db.session.get(model, key if isinstance(key, int) else key.id)


def dispute(db, audit_id, agent, reason="The SOP allows this."):
    opened = disputes.open_dispute(get(db, Audit, audit_id), get(db, User, agent), reason)
    db.session.commit()
    return opened


@pytest.mark.parametrize("after", [timedelta(0), timedelta(days=3), timedelta(days=7)])
def test_an_agent_disputes_their_own_verdict_within_seven_days(db, qa_clock, audited, after):
    agent, _lead, wrong = audited
    qa_clock.advance(seconds=after.total_seconds())
    opened = dispute(db, wrong, agent, "  Tamper score was below the SOP threshold.  ")
    stored = get(db, AuditDispute, opened.id)
    assert (stored.status, stored.agent_id, stored.audit_id) == ("open", agent.id, wrong)
    assert (stored.reason, stored.created_at) == ("Tamper score was below the SOP threshold.", qa_clock.now)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qa.dispute"))
    assert (event.actor_id, event.detail) == (agent.id, {"audit_id": wrong})
    assert [d.id for d in disputes.open_disputes()] == [opened.id]


@pytest.mark.parametrize("after", [timedelta(days=7, seconds=1), timedelta(days=30)])
def test_a_dispute_after_the_window_is_refused(db, qa_clock, audited, after):
    agent, _lead, wrong = audited
    qa_clock.advance(seconds=after.total_seconds())
    with pytest.raises(Conflict):
        dispute(db, wrong, agent)
    db.session.rollback()
    assert db.session.scalar(select(AuditDispute.id)) is None


def test_nobody_disputes_someone_elses_verdict_or_a_second_review(db, audited, make_user, make_live_audit):
    agent, _lead, wrong = audited
    with pytest.raises(NotFound):
        dispute(db, wrong, make_user("agent"))
    decision = get(db, Audit, wrong).live_decision_id
    second = make_live_audit(decision, make_user("qa_lead"), "correct", is_second_review=True)
    with pytest.raises(NotFound):
        dispute(db, second, agent)
    db.session.rollback()
    assert db.session.scalar(select(AuditDispute.id)) is None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_dispute_needs_a_reason(db, audited, reason):
    agent, _lead, wrong = audited
    with pytest.raises(DomainError) as refused:
        dispute(db, wrong, agent, reason)
    assert refused.value.field == "reason"


def test_a_verdict_is_disputed_once(db, qa_clock, audited, make_user):
    agent, lead, wrong = audited
    first = dispute(db, wrong, agent)
    with pytest.raises(Conflict):
        dispute(db, wrong, agent, "Again.")
    db.session.rollback()
    disputes.resolve_dispute(
        get(db, AuditDispute, first.id), "upheld", "Stands.", get(db, User, make_user("manager"))
    )
    db.session.commit()
    with pytest.raises(Conflict):  # not even after it was resolved
        dispute(db, wrong, agent, "Once more.")
    db.session.rollback()
    assert len(db.session.scalars(select(AuditDispute.id)).all()) == 1


def test_the_auditor_cannot_resolve_a_dispute_of_their_own_verdict(db, audited):
    agent, lead, wrong = audited
    opened = dispute(db, wrong, agent)
    with pytest.raises(DomainError):
        disputes.resolve_dispute(
            get(db, AuditDispute, opened.id), "overturned", "I was wrong.", get(db, User, lead)
        )
    db.session.rollback()
    assert get(db, AuditDispute, opened.id).status == "open"
    assert get(db, Audit, wrong).effective_verdict == "incorrect"


@pytest.mark.parametrize("resolver_role", ["manager", "qa_lead", "admin"])
def test_an_overturn_makes_the_decision_count_as_correct(db, qa_clock, audited, make_user, resolver_role):
    agent, _lead, wrong = audited
    type_id = get(db, Audit, wrong).decision.case_type_id
    before = audited_accuracy(agent.id, type_id)
    opened = dispute(db, wrong, agent)
    resolver = get(db, User, make_user(resolver_role))
    qa_clock.advance(hours=5)

    disputes.resolve_dispute(get(db, AuditDispute, opened.id), "overturned", "The SOP allows it.", resolver)
    db.session.commit()

    audit = get(db, Audit, wrong)
    assert (audit.verdict, audit.effective_verdict, audit.severity) == ("incorrect", "correct", "major")
    after = audited_accuracy(agent.id, type_id)
    assert (before.correct, before.n, after.correct, after.n) == (8, 10, 9, 10)
    assert after.estimate > before.estimate
    resolved = get(db, AuditDispute, opened.id)
    assert (resolved.status, resolved.resolver_id, resolved.resolved_at) == (
        "overturned",
        resolver.id,
        qa_clock.now,
    )
    assert resolved.resolution_note == "The SOP allows it."
    assert disputes.open_disputes() == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "qa.dispute_overturned"))
    assert (event.actor_id, event.detail) == (resolver.id, {"audit_id": wrong})


def test_an_overturned_verdict_stays_overturned_when_the_lead_edits_the_audit(db, audited, make_user):
    agent, lead, wrong = audited
    opened = dispute(db, wrong, agent)
    disputes.resolve_dispute(
        get(db, AuditDispute, opened.id), "overturned", "OK.", get(db, User, make_user("manager"))
    )
    db.session.commit()
    audit = get(db, Audit, wrong)
    queue.edit_audit(audit, get(db, User, lead), {"verdict": "incorrect", "severity": "minor"}, audit.version)
    db.session.commit()
    assert (get(db, Audit, wrong).severity, get(db, Audit, wrong).effective_verdict) == ("minor", "correct")


@pytest.mark.parametrize(
    "severity, outcome, expected",
    [
        ("major", "partial", ("minor", "incorrect")),
        ("critical", "partial", ("minor", "incorrect")),
        ("minor", "partial", ("minor", "incorrect")),
        ("major", "upheld", ("major", "incorrect")),
    ],
)
def test_partial_acceptance_lowers_the_severity_and_upholding_changes_nothing(
    db, audited, make_user, make_live_decisions, make_live_audit, severity, outcome, expected
):
    agent, lead, _wrong = audited
    [decision] = make_live_decisions(agent, 1)
    audit_id = make_live_audit(decision, lead, "incorrect", severity=severity)
    opened = dispute(db, audit_id, agent)
    disputes.resolve_dispute(
        get(db, AuditDispute, opened.id), outcome, "Partly right.", get(db, User, make_user("manager"))
    )
    db.session.commit()
    audit = get(db, Audit, audit_id)
    assert (audit.severity, audit.effective_verdict) == expected
    assert get(db, AuditDispute, opened.id).status == outcome
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == f"qa.dispute_{outcome}"))


@pytest.mark.parametrize(
    "outcome, note, field",
    [("reversed", "Note.", "outcome"), ("", "Note.", "outcome"), ("upheld", "  ", "note")],
)
def test_a_resolution_needs_a_known_outcome_and_a_note(db, audited, make_user, outcome, note, field):
    agent, _lead, wrong = audited
    opened = dispute(db, wrong, agent)
    with pytest.raises(DomainError) as refused:
        disputes.resolve_dispute(
            get(db, AuditDispute, opened.id), outcome, note, get(db, User, make_user("manager"))
        )
    assert refused.value.field == field
    db.session.rollback()
    assert get(db, AuditDispute, opened.id).status == "open"


def test_a_dispute_is_resolved_once(db, audited, make_user):
    agent, _lead, wrong = audited
    opened = dispute(db, wrong, agent)
    manager = get(db, User, make_user("manager"))
    disputes.resolve_dispute(get(db, AuditDispute, opened.id), "upheld", "Stands.", manager)
    db.session.commit()
    with pytest.raises(Conflict):
        disputes.resolve_dispute(get(db, AuditDispute, opened.id), "overturned", "Changed my mind.", manager)
    db.session.rollback()
    assert get(db, Audit, wrong).effective_verdict == "incorrect"


def test_open_disputes_come_oldest_first(db, qa_clock, audited, make_live_decisions, make_live_audit):
    agent, lead, wrong = audited
    [decision] = make_live_decisions(agent, 1)
    newer = make_live_audit(decision, lead, "incorrect")
    first = dispute(db, wrong, agent)
    qa_clock.advance(hours=2)
    second = dispute(db, newer, agent)
    assert [d.id for d in disputes.open_disputes()] == [first.id, second.id]
