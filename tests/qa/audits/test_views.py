"""QA pages through the test client: who opens what, the queue and verdicts, audit edits, plans and runs.
Forms are submitted as a browser sends them (tests/forms.py); disputes and batches have files of their own."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.onboarding.models import Certification
from app.qa.audits.models import Audit
from app.qa.decisions.models import LiveFinding
from app.qa.quality.models import SuspensionProposal
from app.qa.sampling.models import Sample
from tests.forms import page_form
from tests.qa.conftest import count_rows, field_errors, flashes, signed_in


def claim(client):
    """The queue's "Claim the next sample" button on the QA home page."""
    return page_form(client, "/qa", action="/qa/claim").submit()


def verdict_form(client, sample_id: int, **fields):
    """The audit page's verdict form, filled in."""
    return page_form(client, f"/qa/samples/{sample_id}").fill(**fields)


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/qa", {"qa_lead", "admin"}),
        ("/qa/plans/new", {"qa_lead", "admin"}),
        ("/qa/batches", {"qa_lead", "admin"}),
        ("/qa/disputes", {"qa_lead", "manager", "admin"}),
        ("/qa/mine", {"agent"}),
    ],
)
@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager", "admin"])
def test_who_may_open_each_qa_page(app, make_user, make_case_type, path, allowed, role):
    make_case_type()
    response = signed_in(app, make_user(role)).get(path)
    assert response.status_code == (200 if role in allowed else 403)


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get("/qa")
    assert response.status_code == 302 and "/login" in response.location


@pytest.fixture
def queued(app, make_user, make_live_decisions, make_queued_samples):
    """One decision with two findings, sampled as critical; returns (agent, decision id, sample id)."""
    agent = make_user("agent")
    [decision] = make_live_decisions(
        agent,
        1,
        decision_id="LD-7731",
        priority=80,
        has_critical=True,
        signals={"tamper_score": 0.93, "document_type": "passport"},
    )
    with app.app_context():
        db.session.execute(
            insert(LiveFinding),
            [
                {"live_decision_id": decision, "code": "key_user_not_escalated", "severity": "critical"},
                {"live_decision_id": decision, "code": "sla_breach", "severity": "major"},
            ],
        )
        db.session.commit()
    [sample] = make_queued_samples([decision], ["critical"])
    return agent, decision, sample


def test_a_lead_claims_a_sample_and_sees_the_decision_with_its_findings(app, client, auth, queued):
    _agent, _decision, sample = queued
    auth.login_as("qa_lead")
    home = client.get("/qa").get_data(as_text=True)
    assert '<span class="stat" data-queued>1</span>' in home

    claimed = claim(client)
    assert claimed.status_code == 302 and claimed.location.endswith(f"/qa/samples/{sample}")
    page = client.get(claimed.location).get_data(as_text=True)

    assert "Audit decision LD-7731" in page and "sampled: critical" in page
    assert "<code>key_user_not_escalated</code>" in page and "<code>sla_breach</code>" in page
    assert "0.93" in page
    empty = page_form(client, "/qa", action="/qa/claim").submit(follow_redirects=True)
    assert ("info", "The queue is empty.") in flashes(empty)


def test_only_the_claiming_lead_opens_the_audit_page(app, auth, client, queued, make_user):
    _agent, _decision, sample = queued
    auth.login_as("qa_lead")
    claim(client)
    other = signed_in(app, make_user("qa_lead"))
    assert other.get(f"/qa/samples/{sample}").status_code == 404
    # Forged: another lead's claim, whose page this lead is refused.
    assert other.post(f"/qa/samples/{sample}", data={"verdict": "correct"}).status_code == 404
    assert count_rows(app, Audit) == 0


def assert_refused_verdict(app, response, field, message):
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert count_rows(app, Audit) == 0
    assert count_rows(app, Sample, status="claimed") == 1
    assert count_rows(app, AuditEvent, action="qa.audit") == 0


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"verdict": "incorrect"}, "severity", "An incorrect decision needs a severity."),
        ({"note": "No verdict."}, "verdict", "Choose correct or incorrect."),
        ({"verdict": "incorrect", "severity": "minor", "note": "x" * 4001}, "note", None),
    ],
)
def test_a_bad_verdict_is_422_with_the_error_by_its_field_and_nothing_written(
    app, client, auth, queued, fields, field, message
):
    _agent, _decision, sample = queued
    auth.login_as("qa_lead")
    claim(client)
    response = verdict_form(client, sample, **fields).submit()
    assert_refused_verdict(app, response, field, message)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"verdict": "incorrect", "severity": "huge"}, "severity", "Choose critical, major or minor."),
        ({"verdict": "correct", "corrected_label": "XX"}, "corrected_label", "Choose TP, TN, FP or FN."),
        (
            {"verdict": "correct", "corrected_decision": "freeze"},
            "corrected_decision",
            "Choose pass, block or escalate.",
        ),
        (
            {"verdict": "incorrect", "severity": "minor", "root_cause": "D"},
            "root_cause",
            "Choose A, B, C or agent error.",
        ),
    ],
)
def test_a_verdict_with_a_value_the_page_does_not_offer_is_422(
    app, client, auth, queued, data, field, message
):
    _agent, _decision, sample = queued
    auth.login_as("qa_lead")
    claim(client)
    response = client.post(f"/qa/samples/{sample}", data=data)  # tampered: an option the selects don't offer
    assert_refused_verdict(app, response, field, message)


def test_a_verdict_is_saved_and_the_sample_is_done(app, client, auth, queued):
    _agent, decision, sample = queued
    lead = auth.login_as("qa_lead")
    claim(client)
    form = verdict_form(
        client,
        sample,
        verdict="incorrect",
        severity="critical",
        corrected_decision="escalate",
        corrected_label="",
        root_cause="agent_error",
        note="Key User passed.",
    )
    response = form.submit(follow_redirects=True)

    assert ("success", "Audit saved.") in flashes(response)
    with app.app_context():
        audit = db.session.scalar(select(Audit))
        assert (audit.live_decision_id, audit.auditor_id, audit.sample_id) == (decision, lead.id, sample)
        assert (audit.verdict, audit.severity, audit.corrected_decision) == (
            "incorrect",
            "critical",
            "escalate",
        )
        assert (audit.corrected_label, audit.root_cause, audit.note) == (
            None,
            "agent_error",
            "Key User passed.",
        )
        assert db.session.get(Sample, sample).status == "done"


def test_the_verdict_that_crosses_the_monitoring_boundary_proposes_a_suspension_and_suspends_nothing(
    app,
    client,
    auth,
    qa_clock,
    make_user,
    make_live_decisions,
    make_live_audit,
    make_queued_samples,
    make_certification,
):
    agent, earlier = make_user("agent"), make_user("qa_lead")
    make_certification(agent, qa_clock.now - timedelta(days=60))
    decisions = make_live_decisions(agent, 10)
    # 6 correct then 3 errors: short of the rule's boundary (the old interval rule suspended at 8/10).
    for decision, verdict in zip(decisions[:9], ["correct"] * 6 + ["incorrect"] * 3, strict=True):
        make_live_audit(decision, earlier, verdict)
    [sample] = make_queued_samples(decisions[9:])
    lead = auth.login_as("qa_lead")
    claim(client)

    verdict_form(client, sample, verdict="incorrect", severity="major").submit()

    with app.app_context():
        cert = db.session.scalar(select(Certification).where(Certification.user_id == agent.id))
        assert cert.suspended_at is None
        proposal = db.session.scalar(select(SuspensionProposal))
        assert (proposal.agent_id, proposal.status, proposal.alarm_at) == (agent.id, "pending", 10)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "suspension.propose"))
        assert event.actor_id == lead.id and event.detail["errors"] == 4


@pytest.fixture
def saved_audit(app, make_user, make_live_decisions, make_live_audit):
    lead = make_user("qa_lead")
    [decision] = make_live_decisions(make_user("agent"), 1)
    return lead, make_live_audit(decision, lead, "correct", note="Looks right.")


def test_an_audit_edit_bumps_the_version_and_a_stale_form_gets_409(app, saved_audit):
    lead, audit_id = saved_audit
    client = signed_in(app, lead)
    url = f"/qa/audits/{audit_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert '<input id="version" name="version" type="hidden" value="1">' in page
    assert "Looks right." in page
    stale = page_form(client, url)  # a second tab, opened before the edit below

    edit = {"verdict": "incorrect", "severity": "minor", "note": "Second look."}
    response = page_form(client, url).fill(**edit).submit(follow_redirects=True)
    assert ("success", "Audit updated.") in flashes(response)
    assert stale.fill(**{**edit, "verdict": "correct"}).submit().status_code == 409

    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert (audit.version, audit.verdict, audit.severity, audit.note) == (
            2,
            "incorrect",
            "minor",
            "Second look.",
        )
    assert count_rows(app, AuditEvent, action="qa.audit_edit") == 1
    again = page_form(client, url)
    assert (again["version"], again["note"]) == ("2", "Second look.")  # as saved, shown back unchanged
    assert again.fill(severity="major").submit().status_code == 302
    assert count_rows(app, AuditEvent, action="qa.audit_edit") == 2


def test_an_audit_edit_with_a_bad_verdict_is_422(app, saved_audit):
    lead, audit_id = saved_audit
    form = page_form(signed_in(app, lead), f"/qa/audits/{audit_id}/edit")
    response = form.fill(verdict="incorrect").submit()
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True)) == {
        "severity": ["An incorrect decision needs a severity."]
    }
    with app.app_context():
        assert db.session.get(Audit, audit_id).version == 1


def test_another_lead_cannot_edit_an_audit_but_an_admin_can(app, saved_audit, make_user):
    _lead, audit_id = saved_audit
    url = f"/qa/audits/{audit_id}/edit"
    edit = {"verdict": "incorrect", "severity": "minor"}
    other = signed_in(app, make_user("qa_lead"))
    assert other.get(url).status_code == 404
    # Forged: another lead's audit, whose edit page this lead is refused.
    assert other.post(url, data={**edit, "version": "1"}).status_code == 404
    admin = page_form(signed_in(app, make_user("admin")), url)
    assert admin.fill(**edit).submit().status_code == 302
    with app.app_context():
        assert db.session.get(Audit, audit_id).verdict == "incorrect"
