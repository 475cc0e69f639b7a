"""Suspension proposal pages: the evidence, confirming and dismissing through the page's own forms, who
may see them, the agent's notice, and the admin's automatic-suspension setting."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.admin import settings
from app.audit.models import AuditEvent
from app.extensions import db
from app.onboarding.models import Certification
from app.qa.quality import suspensions
from app.qa.quality.models import SuspensionProposal
from tests.forms import page_form
from tests.qa.conftest import field_errors, flashes, kyc_id, signed_in
from tests.qa.quality.test_suspensions import PROPOSING


@pytest.fixture
def proposal(app, qa_clock, make_user, make_live_decisions, make_live_audit, make_certification):
    """A pending proposal for a certified agent; returns (agent, auditing lead, proposal id)."""
    agent, lead = make_user("agent"), make_user("qa_lead")
    make_certification(agent, qa_clock.now - timedelta(days=90))
    ids = make_live_decisions(agent, len(PROPOSING))
    make_live_audit(ids[:6], lead, "correct")
    make_live_audit(ids[6:], lead, "incorrect")
    with app.app_context():
        made = suspensions.review_standing(agent.id, kyc_id(db), None)
        db.session.commit()
        return agent, lead, made.id


def test_a_lead_sees_the_evidence_and_confirms(app, proposal, make_user, qa_clock):
    agent, _, proposal_id = proposal
    lead = make_user("qa_lead")
    client = signed_in(app, lead)
    home = client.get("/").get_data(as_text=True)
    assert "1 suspension proposal waits for a decision" in home
    listing = client.get("/qa/suspensions").get_data(as_text=True)
    assert f'data-proposal="{proposal_id}"' in listing and "at audit 10 (evidence" in listing
    url = f"/qa/suspensions/{proposal_id}"
    page = client.get(url).get_data(as_text=True)
    assert page.count("<tr data-number=") == 10 and 'data-number="10" class="highlight" data-crossing' in page
    assert "At audit 10, with 4 errors so far" in page and "past the threshold of 20" in page
    assert "60.0% correct over 10 audits (95% interval" in page

    form = page_form(client, url, action=f"/qa/suspensions/{proposal_id}/confirm")
    form.fill(note="Looked at all four.")
    response = form.submit(follow_redirects=True)

    assert ("success", "Suspension confirmed; the agent sees it on their learning page.") in flashes(response)
    with app.app_context():
        cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
        assert cert.suspended_at == qa_clock.now
        made = db.session.get(SuspensionProposal, proposal_id)
        assert (made.status, made.decided_by_id, made.decision_note) == (
            "suspended",
            lead.id,
            "Looked at all four.",
        )
    assert "Confirm the suspension" not in client.get(url).get_data(as_text=True)  # decided: no forms
    curriculum = signed_in(app, agent).get("/learn").get_data(as_text=True)
    assert (
        'data-notice="suspended"' in curriculum
        and "Suspended: the monitoring rule found 4 errors" in curriculum
    )


def test_a_manager_dismisses_with_a_reason_and_none_is_refused(app, proposal, make_user):
    agent, _, proposal_id = proposal
    manager = make_user("manager")
    client = signed_in(app, manager)
    url = f"/qa/suspensions/{proposal_id}"
    action = f"/qa/suspensions/{proposal_id}/dismiss"

    blank = page_form(client, url, action=action).submit()
    assert blank.status_code == 422
    assert field_errors(blank.get_data(as_text=True))["reason"] == ["Say why the proposal is dismissed."]

    form = page_form(client, url, action=action)
    form.fill(reason="Two of the errors were one customer, audited twice.")
    assert form.submit().status_code == 302
    with app.app_context():
        made = db.session.get(SuspensionProposal, proposal_id)
        assert (made.status, made.decided_by_id) == ("dismissed", manager.id)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "suspension.dismiss"))
        assert event.actor_id == manager.id and event.detail["alarm_at"] == 10
        assert db.session.scalar(select(Certification.suspended_at)) is None


@pytest.mark.parametrize("path", ["/qa/suspensions", "/qa/suspensions/{id}"])
def test_agents_may_not_see_proposals(app, proposal, path):
    agent, _, proposal_id = proposal
    client = signed_in(app, agent)
    assert client.get(path.format(id=proposal_id)).status_code == 403


def test_agents_may_not_decide_and_unknown_proposals_are_404(app, proposal, make_user):
    agent, _, proposal_id = proposal
    # Crafted requests: an agent has no page with these forms.
    assert signed_in(app, agent).post(f"/qa/suspensions/{proposal_id}/confirm").status_code == 403
    lead = signed_in(app, make_user("qa_lead"))
    assert lead.get("/qa/suspensions/999999").status_code == 404
    with app.app_context():
        assert db.session.get(SuspensionProposal, proposal_id).status == "pending"


def test_an_admin_turns_on_automatic_suspension_with_an_audit_event(app, make_user):
    admin = make_user("admin")
    client = signed_in(app, admin)
    form = page_form(client, "/admin/settings")
    assert form["automatic_suspension"] is None  # off by default: the box is unticked
    form.set("automatic_suspension", True)
    assert form.submit().status_code == 302
    with app.app_context():
        assert settings.automatic_suspension() is True
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "settings.change"))
        assert event.actor_id == admin.id and event.detail["to"] is True
    assert signed_in(app, make_user("qa_lead")).get("/admin/settings").status_code == 403
