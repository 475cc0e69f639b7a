"""The certification link: the monitoring rule proposes, a lead or manager decides, automatic suspension
only when an admin allows it, and a suspension or proposal whose evidence is overturned is lifted."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.admin import settings
from app.audit.models import AuditEvent
from app.auth.models import User
from app.cases.models import CaseType
from app.errors import Conflict, DomainError
from app.onboarding import services as onboarding
from app.onboarding.models import Certification
from app.qa.audits import disputes
from app.qa.audits.models import Audit
from app.qa.quality import suspensions
from app.qa.quality.models import SuspensionProposal
from tests.qa.conftest import WEEK_START, kyc_id
from tests.qa.quality.test_services import audit_many

PROPOSING = ["correct"] * 6 + ["incorrect"] * 4  # the rule crosses at the 4th error, audit 10


@pytest.fixture
def certified(db, qa_clock, make_user, make_certification):
    """A certified KYC agent and two leads (the auditor, and another who resolves disputes)."""
    agent, lead, other = make_user("agent"), make_user("qa_lead"), make_user("qa_lead")
    make_certification(agent, qa_clock.now - timedelta(days=90))
    return agent, lead, other


def review(db, agent, actor=None, cause="audit"):
    return suspensions.review_standing(agent.id, kyc_id(db), actor and db.session.get(User, actor.id), cause)


def cert_of(db, agent) -> Certification:
    return db.session.scalar(select(Certification).where(Certification.user_id == agent.id))


def events(db, action) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_crossing_the_boundary_proposes_and_suspends_nothing(
    db, certified, make_live_decisions, make_live_audit
):
    agent, lead, _ = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)

    proposal = review(db, agent, lead)
    db.session.commit()

    assert (proposal.status, proposal.alarm_at, proposal.errors, proposal.audits) == ("pending", 10, 4, 10)
    assert cert_of(db, agent).suspended_at is None
    [event] = events(db, "suspension.propose")
    assert event.actor_id == lead.id
    assert event.detail["alarm_at"] == 10 and event.detail["errors_at_alarm"] == 4
    assert event.detail["evidence"] >= event.detail["threshold"] == 20
    assert events(db, "certification.suspend") == []
    assert review(db, agent) is None  # one proposal, not one per look
    assert (
        db.session.scalar(select(SuspensionProposal.id).where(SuspensionProposal.id != proposal.id)) is None
    )


@pytest.mark.parametrize(
    "verdicts, certified_first",
    [
        (["correct"] * 8 + ["incorrect"] * 2, True),  # "below" to the old interval rule, which suspended
        (["incorrect"] * 3, True),  # also "below" before; three errors never cross the boundary
        (["correct"] * 300, True),
        (["incorrect"] * 5, False),  # crosses, but there is no certification to suspend
    ],
)
def test_no_proposal_short_of_the_boundary_or_without_a_certification(
    db,
    qa_clock,
    make_user,
    make_live_decisions,
    make_live_audit,
    make_certification,
    verdicts,
    certified_first,
):
    agent, lead = make_user("agent"), make_user("qa_lead")
    if certified_first:
        make_certification(agent, qa_clock.now - timedelta(days=90))
    audit_many(make_live_decisions, make_live_audit, agent, lead, verdicts)
    assert review(db, agent) is None
    assert db.session.scalar(select(SuspensionProposal.id)) is None
    assert events(db, "suspension.propose") == []


def test_with_automatic_suspension_on_the_rule_suspends_by_itself(
    db, certified, qa_clock, make_live_decisions, make_live_audit
):
    agent, lead, _ = certified
    assert settings.automatic_suspension() is False  # off by default
    admin = db.session.get(User, lead.id)
    settings.set_setting(settings.AUTOMATIC_SUSPENSION, True, admin)
    db.session.commit()
    [changed] = events(db, "settings.change")
    assert changed.detail == {"key": "automatic_suspension", "from": False, "to": True}
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)

    proposal = review(db, agent)
    db.session.commit()

    assert (proposal.status, proposal.automatic) == ("suspended", True)
    cert = cert_of(db, agent)
    assert cert.suspended_at == qa_clock.now and "4 errors" in cert.suspended_reason
    [event] = events(db, "suspension.auto")
    assert event.detail["alarm_at"] == 10


@pytest.fixture
def golden_scenarios(make_golden_case):
    """Six active golden KYC cases, two of them kyc.sanctions_hit; returns case id → scenario."""
    scenarios = ["kyc.sanctions_hit"] * 2 + ["kyc.doc_tamper", "kyc.face_mismatch"] * 2
    return {make_golden_case(key=f"kyc_audit-9{i:02d}", scenario=s): s for i, s in enumerate(scenarios)}


def practice_draws(db, agent, times=6) -> list[int]:
    """The golden cases practice shows the agent, answering each one to get the next."""
    user = db.session.get(User, agent.id)
    case_type = db.session.get(CaseType, kyc_id(db))
    shown = []
    for _ in range(times):
        item = onboarding.next_practice_item(user, case_type)
        shown.append(item.golden_case_id)
        item.answered_at = WEEK_START
        db.session.flush()
    db.session.rollback()
    return shown


def test_confirming_suspends_and_the_agent_practises_what_they_got_wrong(
    db, certified, qa_clock, golden_scenarios, make_live_decisions, make_live_audit
):
    agent, lead, _ = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, ["correct"] * 6, scenario="kyc.doc_tamper")
    audit_many(
        make_live_decisions, make_live_audit, agent, lead, ["incorrect"] * 4, scenario="kyc.sanctions_hit"
    )
    proposal = review(db, agent)
    db.session.commit()
    assert set(practice_draws(db, agent)) == set(golden_scenarios)  # not suspended yet

    suspensions.confirm_proposal(proposal, db.session.get(User, lead.id), "Checked the four cases.")
    db.session.commit()

    cert = cert_of(db, agent)
    assert cert.suspended_at == qa_clock.now
    assert "4 errors" in cert.suspended_reason and "10 audited decisions" in cert.suspended_reason
    assert (proposal.status, proposal.decided_by_id, proposal.decision_note) == (
        "suspended",
        lead.id,
        "Checked the four cases.",
    )
    [event] = events(db, "suspension.confirm")
    assert event.actor_id == lead.id and event.detail["errors"] == 4 and event.detail["alarm_at"] == 10
    assert [e.actor_id for e in events(db, "certification.suspend")] == [lead.id]
    remediation = {case_id for case_id, s in golden_scenarios.items() if s == "kyc.sanctions_hit"}
    assert set(practice_draws(db, agent)) == remediation
    with pytest.raises(Conflict):
        suspensions.confirm_proposal(proposal, db.session.get(User, lead.id))
    with pytest.raises(Conflict):
        suspensions.dismiss_proposal(proposal, db.session.get(User, lead.id), "too late")


def test_dismissing_needs_a_reason_and_the_rule_starts_afresh(
    db, certified, make_live_decisions, make_live_audit
):
    agent, lead, _ = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)
    proposal = review(db, agent)
    with pytest.raises(DomainError):
        suspensions.dismiss_proposal(proposal, db.session.get(User, lead.id), "  ")
    suspensions.dismiss_proposal(proposal, db.session.get(User, lead.id), "Errors were a tooling outage.")
    db.session.commit()

    assert (proposal.status, proposal.decision_note) == ("dismissed", "Errors were a tooling outage.")
    assert cert_of(db, agent).suspended_at is None
    [event] = events(db, "suspension.dismiss")
    assert event.detail["reason"] == "Errors were a tooling outage." and event.detail["alarm_at"] == 10
    audit_many(make_live_decisions, make_live_audit, agent, lead, ["incorrect"] * 3)
    assert review(db, agent) is None  # the dismissed run is not counted again: 3 new errors don't cross
    audit_many(make_live_decisions, make_live_audit, agent, lead, ["incorrect"])
    again = review(db, agent)
    assert (again.status, again.alarm_at, again.window_after_audit_id) == (
        "pending",
        4,
        proposal.last_audit_id,
    )


def dispute_and_overturn(db, agent, resolver, audit_id, outcome="overturned"):
    audit = db.session.get(Audit, audit_id)
    dispute = disputes.open_dispute(
        audit, db.session.get(User, agent.id), "The tamper score was a false hit."
    )
    disputes.resolve_dispute(dispute, outcome, "Agreed.", db.session.get(User, resolver.id))
    db.session.commit()


def incorrect_audit_ids(db, agent) -> list[int]:
    return [a.audit_id for a in suspensions.monitored_audits(agent.id, kyc_id(db)) if not a.correct]


def test_overturning_the_verdict_behind_a_suspension_lifts_it_and_tells_the_agent(
    db, certified, qa_clock, make_live_decisions, make_live_audit
):
    agent, lead, other = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)
    proposal = review(db, agent)
    suspensions.confirm_proposal(proposal, db.session.get(User, lead.id))
    db.session.commit()
    qa_clock.advance(days=2)

    dispute_and_overturn(db, agent, other, incorrect_audit_ids(db, agent)[0])

    cert = cert_of(db, agent)
    assert (cert.suspended_at, cert.suspended_reason) == (None, "")
    assert (proposal.status, proposal.closed_because, proposal.closed_at) == (
        "lifted",
        "overturned",
        qa_clock.now,
    )
    [event] = events(db, "suspension.lift")
    assert event.actor_id == other.id
    assert (event.detail["errors"], event.detail["alarm_at"], event.detail["because"]) == (
        3,
        None,
        "overturned",
    )
    [notice] = suspensions.agent_notices(agent.id)
    assert (notice.status, notice.closed_because) == ("lifted", "overturned")


def test_an_upheld_dispute_lifts_nothing(db, certified, make_live_decisions, make_live_audit):
    agent, lead, other = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)
    proposal = review(db, agent)
    suspensions.confirm_proposal(proposal, db.session.get(User, lead.id))
    db.session.commit()
    dispute_and_overturn(db, agent, other, incorrect_audit_ids(db, agent)[0], outcome="upheld")
    assert proposal.status == "suspended" and cert_of(db, agent).suspended_at is not None
    assert events(db, "suspension.lift") == []


def test_overturning_the_verdict_behind_a_pending_proposal_withdraws_it(
    db, certified, make_live_decisions, make_live_audit
):
    agent, lead, other = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)
    proposal = review(db, agent)
    db.session.commit()
    dispute_and_overturn(db, agent, other, incorrect_audit_ids(db, agent)[-1])
    assert (proposal.status, proposal.closed_because) == ("withdrawn", "overturned")
    [event] = events(db, "suspension.withdraw")
    assert event.detail["errors"] == 3
    assert suspensions.pending_count() == 0


def test_a_pending_proposal_is_withdrawn_when_the_agent_is_no_longer_certified(
    db, certified, make_live_decisions, make_live_audit
):
    """Re-graded gold can fail the exam that certified the agent: nothing is left to suspend."""
    agent, lead, _ = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)
    proposal = review(db, agent)
    cert_of(db, agent).certified_at = None
    review(db, agent, cause="regraded")
    assert (proposal.status, proposal.closed_because) == ("withdrawn", "not_certified")


def test_a_lead_lifting_the_suspension_closes_the_proposal_and_the_rule_starts_afresh(
    db, certified, make_live_decisions, make_live_audit
):
    agent, lead, _ = certified
    audit_many(make_live_decisions, make_live_audit, agent, lead, PROPOSING)
    proposal = review(db, agent)
    suspensions.confirm_proposal(proposal, db.session.get(User, lead.id))
    cert = cert_of(db, agent)
    onboarding.lift_suspension(cert, db.session.get(User, lead.id))
    suspensions.note_lead_lift(cert, db.session.get(User, lead.id))
    db.session.commit()
    assert (proposal.status, proposal.closed_because) == ("lifted", "by_lead")
    assert review(db, agent) is None  # the same evidence does not propose again
