"""An agent's own audited decisions and their disputes, and the leads' and managers' disputes list, through
the pages' forms as a browser submits them (tests/forms.py)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.qa.audits.models import Audit, AuditDispute
from tests.forms import page_form
from tests.qa.conftest import count_rows, flashes, signed_in


def audit_ids_shown(response) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-audit="(\d+)">', response.get_data(as_text=True))]


@pytest.fixture
def audited_agents(app, qa_clock, make_user, make_live_decisions, make_live_audit):
    """Agent `me` with a first audit (incorrect) plus a second review of it, an older audit outside the
    dispute window; another agent with an audit of their own."""
    me, other, lead, second = (
        make_user("agent"),
        make_user("agent"),
        make_user("qa_lead"),
        make_user("qa_lead"),
    )
    mine = make_live_decisions(me, 2)
    recent = make_live_audit(mine[0], lead, "incorrect", severity="major", note="Missed the tamper.")
    make_live_audit(mine[0], second, "correct", is_second_review=True)
    old = make_live_audit(mine[1], lead, "correct", created_at=qa_clock.now - timedelta(days=8))
    theirs = make_live_audit(make_live_decisions(other, 1)[0], lead, "incorrect", severity="minor")
    return {"me": me, "lead": lead, "recent": recent, "old": old, "theirs": theirs}


def test_an_agent_sees_only_their_own_first_audits_and_disputes_within_the_window(app, audited_agents):
    me = signed_in(app, audited_agents["me"])
    page = me.get("/qa/mine")
    assert sorted(audit_ids_shown(page)) == sorted([audited_agents["recent"], audited_agents["old"]])
    text = page.get_data(as_text=True)
    assert "Missed the tamper." in text
    assert f"/qa/mine/{audited_agents['recent']}/dispute" in text
    assert f"/qa/mine/{audited_agents['old']}/dispute" not in text  # 8 days old

    sent = dispute_form(me, audited_agents["recent"], "The SOP allows it.").submit(follow_redirects=True)
    assert ("success", "Dispute sent. Another lead or a manager will decide.") in flashes(sent)
    assert f"/qa/mine/{audited_agents['recent']}/dispute" not in sent.get_data(as_text=True)
    with app.app_context():
        dispute = db.session.scalar(select(AuditDispute))
        assert (dispute.audit_id, dispute.agent_id, dispute.status) == (
            audited_agents["recent"],
            audited_agents["me"].id,
            "open",
        )


def dispute_form(client, audit_id: int, reason: str):
    """The Dispute form of one audit on the agent's "My audits" page, with the reason typed in."""
    return page_form(client, "/qa/mine", action=f"/qa/mine/{audit_id}/dispute").fill(reason=reason)


def test_a_dispute_without_a_reason_is_refused(app, audited_agents):
    agent = signed_in(app, audited_agents["me"])
    response = dispute_form(agent, audited_agents["recent"], "").submit()
    assert response.status_code == 302
    assert ("error", "Say why the verdict is wrong.") in flashes(agent.get(response.location))
    assert count_rows(app, AuditDispute) == 0


def test_a_dispute_sent_after_the_window_closed_is_refused(app, qa_clock, audited_agents):
    agent = signed_in(app, audited_agents["me"])
    form = dispute_form(agent, audited_agents["recent"], "Too late.")  # the page was opened in time
    qa_clock.advance(days=8)
    response = form.submit()
    assert response.status_code == 302
    message = "The dispute window (7 days after the audit) has passed."
    assert ("error", message) in flashes(agent.get(response.location))
    assert count_rows(app, AuditDispute) == 0


@pytest.mark.parametrize("which", ["theirs", "missing", "old"])
def test_a_dispute_of_an_audit_the_page_does_not_offer_is_refused(app, audited_agents, which):
    audit_id = audited_agents.get(which, 999_999)
    agent = signed_in(app, audited_agents["me"])
    assert f"/qa/mine/{audit_id}/dispute" not in agent.get("/qa/mine").get_data(as_text=True)
    # Forged: another agent's audit, one that doesn't exist, or one past its window.
    response = agent.post(f"/qa/mine/{audit_id}/dispute", data={"reason": "Not offered."})
    assert response.status_code == (302 if which == "old" else 404)
    if which == "old":
        message = "The dispute window (7 days after the audit) has passed."
        assert ("error", message) in flashes(agent.get(response.location))
    assert count_rows(app, AuditDispute) == 0


def resolve_form(client, dispute_id: int, **fields):
    """One dispute's form on the disputes page, filled in."""
    return page_form(client, "/qa/disputes", action=f"/qa/disputes/{dispute_id}").fill(**fields)


@pytest.mark.parametrize("role", ["manager", "qa_lead"])
def test_a_manager_or_another_lead_resolves_a_dispute_from_the_list(
    app, qa_clock, audited_agents, make_user, role
):
    dispute_form(signed_in(app, audited_agents["me"]), audited_agents["recent"], "SOP 3.2.").submit()
    qa_clock.advance(hours=5)
    resolver = signed_in(app, make_user(role))
    listing = resolver.get("/qa/disputes").get_data(as_text=True)
    assert "SOP 3.2." in listing and "5 h old" in listing
    dispute_id = int(re.search(r'data-dispute="(\d+)"', listing).group(1))

    form = resolve_form(resolver, dispute_id, outcome="overturned", note="Fair.")
    done = form.submit(follow_redirects=True)

    assert ("success", "Dispute resolved.") in flashes(done)
    assert "No open disputes." in done.get_data(as_text=True)
    with app.app_context():
        audit = db.session.get(Audit, audited_agents["recent"])
        assert (audit.verdict, audit.effective_verdict) == ("incorrect", "correct")
    mine = signed_in(app, audited_agents["me"]).get("/qa/mine").get_data(as_text=True)
    assert "overturned — Fair." in mine


def test_the_auditor_cannot_resolve_and_an_agent_cannot_open_the_list(app, audited_agents):
    dispute_form(signed_in(app, audited_agents["me"]), audited_agents["recent"], "No.").submit()
    with app.app_context():
        dispute_id = db.session.scalar(select(AuditDispute.id))
    auditor = signed_in(app, audited_agents["lead"])
    form = resolve_form(auditor, dispute_id, outcome="overturned", note="Mine.")
    refused = form.submit(follow_redirects=True)
    assert ("error", "Another lead or a manager must resolve a dispute of your verdict.") in flashes(refused)
    agent = signed_in(app, audited_agents["me"])
    assert agent.get("/qa/disputes").status_code == 403
    # Forged: agents are refused the disputes page, so no browser of theirs has this form.
    assert (
        agent.post(f"/qa/disputes/{dispute_id}", data={"outcome": "overturned", "note": "x"}).status_code
        == 403
    )
    incomplete = resolve_form(auditor, dispute_id, outcome="upheld").submit(follow_redirects=True)
    assert ("error", "Choose an outcome and explain it.") in flashes(incomplete)
    with app.app_context():
        assert db.session.get(AuditDispute, dispute_id).status == "open"
        assert db.session.get(Audit, audited_agents["recent"]).effective_verdict == "incorrect"
