"""The QA lead's side through HTTP: cohort, one agent, disputes, exposure and certification actions."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.extensions import db
from app.onboarding import disputes, services
from app.onboarding.models import Attempt, Certification, GoldDispute
from tests.onboarding.conftest import right, wrong

AMEND = {
    "decision": "pass",
    "label": "TN",
    "root_cause": "",
    "rationale": "Scanner artefact.",
    "sop_ref": "KYC-3.2",
}


def exam_for(app, agent_id, cases, wrong_keys=(), contest_key=None) -> dict:
    """Run an exam for an agent through the services; optionally contest one case. Returns ids."""
    with app.app_context():
        agent = db.session.get(User, agent_id)
        case_type = db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))
        attempt = services.start_exam(agent, case_type, random.Random(0))
        dispute_id = None
        for item in attempt.items:
            case = next(c for c in cases if c["id"] == item.golden_case_id)
            services.save_exam_answer(item, wrong(case) if case["key"] in wrong_keys else right(case))
        services.submit_exam(attempt, agent)
        for item in attempt.items:
            if contest_key and item.golden_case_id == next(c["id"] for c in cases if c["key"] == contest_key):
                dispute_id = disputes.contest(item, "The tamper score is an artefact.", agent).id
        db.session.commit()
        cert_id = db.session.scalar(select(Certification.id).where(Certification.user_id == agent_id))
        return {"attempt": attempt.id, "dispute": dispute_id, "cert": cert_id, "passed": attempt.passed}


@pytest.fixture
def contested(app, golden_set, make_user, make_team):
    """An agent failed an exam on one "fn" case (answered pass) and contested it."""
    cases = golden_set(kinds=("fn", "tp", "tn", "fp"))
    agent = make_user("agent", username="xavier", team=make_team(name="Alpha"))
    ids = exam_for(app, agent.id, cases, wrong_keys={cases[0]["key"]}, contest_key=cases[0]["key"])
    return {"cases": cases, "agent": agent, **ids}


@pytest.mark.parametrize("role", ["qa_lead", "manager", "admin"])
def test_cohort_and_agent_pages_for_staff(client, auth, contested, make_user, make_team, role):
    beta = make_team(name="Beta")
    make_user("agent", username="yvonne", team=beta)
    auth.login_as(role)
    page = client.get("/onboarding").get_data(as_text=True)
    row = '<span class="muted">{}</span>'
    assert row.format("xavier") in page and row.format("yvonne") in page
    assert "exams 0/1" in page
    filtered = client.get(f"/onboarding?team={beta.id}").get_data(as_text=True)
    assert row.format("yvonne") in filtered and row.format("xavier") not in filtered
    agent_page = client.get(f"/onboarding/agents/{contested['agent'].id}").get_data(as_text=True)
    assert "75.0%" in agent_page and "not passed" in agent_page


def test_agent_page_is_for_agents_only(client, auth, contested):
    lead = auth.login_as("qa_lead")
    assert client.get(f"/onboarding/agents/{lead.id}").status_code == 404
    assert client.get("/onboarding/agents/999999").status_code == 404


@pytest.mark.parametrize(
    ("role", "statuses"),
    [
        ("agent", (403, 403, 403, 403)),
        ("manager", (200, 200, 403, 403)),
        ("qa_lead", (200, 200, 200, 200)),
        ("admin", (200, 200, 200, 200)),
    ],
)
def test_lead_pages_by_role(client, auth, contested, role, statuses):
    auth.login_as(role)
    urls = [
        "/onboarding",
        f"/onboarding/agents/{contested['agent'].id}",
        "/onboarding/disputes",
        f"/onboarding/disputes/{contested['dispute']}",
    ]
    assert tuple(client.get(url).status_code for url in urls) == statuses
    assert client.get("/onboarding/exposure").status_code == statuses[2]


def test_dispute_list_shows_open_disputes_and_most_missed(client, auth, contested):
    auth.login_as("qa_lead")
    page = client.get("/onboarding/disputes").get_data(as_text=True)
    key = contested["cases"][0]["key"]
    assert page.count(key) == 2  # once as disputed, once as most missed
    assert "The tamper score is an artefact." in page
    assert f'href="/onboarding/disputes/{contested["dispute"]}"' in page


def test_upholding_a_dispute(app, client, auth, contested):
    auth.login_as("qa_lead")
    page = client.get(f"/onboarding/disputes/{contested['dispute']}").get_data(as_text=True)
    assert contested["cases"][0]["marker"] in page  # the lead sees the reference to judge it
    response = client.post(
        f"/onboarding/disputes/{contested['dispute']}",
        data={"outcome": "uphold", "note": "The MRZ is edited."},
    )
    assert response.status_code == 302
    with app.app_context():
        dispute = db.session.get(GoldDispute, contested["dispute"])
        assert (dispute.status, dispute.resolution_note) == ("upheld", "The MRZ is edited.")
        assert db.session.get(Attempt, contested["attempt"]).passed is False
    # Resolving it again is refused with a message.
    again = client.post(
        f"/onboarding/disputes/{contested['dispute']}", data={"outcome": "uphold", "note": "Again."}
    )
    assert again.status_code == 422
    assert "This dispute was already resolved." in again.get_data(as_text=True)


def test_amending_a_dispute_rescores_and_certifies(app, client, auth, contested):
    auth.login_as("qa_lead")
    response = client.post(
        f"/onboarding/disputes/{contested['dispute']}", data={**AMEND, "outcome": "amend", "note": "Agreed."}
    )
    assert response.status_code == 302
    follow = client.get(response.location).get_data(as_text=True)
    assert "Answer amended; 1 exam attempts re-scored." in follow
    with app.app_context():
        attempt = db.session.get(Attempt, contested["attempt"])
        assert (attempt.decision_correct, attempt.passed) == (4, True)
        cert = db.session.scalar(select(Certification).where(Certification.user_id == contested["agent"].id))
        assert cert.certified_at == attempt.submitted_at
        versions = db.session.scalars(
            select(ReferenceAnswer.version).where(
                ReferenceAnswer.golden_case_id == contested["cases"][0]["id"]
            )
        )
        assert sorted(versions) == [1, 2]
    # The agent sees the new score.
    auth.logout()
    auth.login(contested["agent"].username)
    review = client.get(f"/learn/exams/{contested['attempt']}").get_data(as_text=True)
    assert 'data-result="passed"' in review and "You contested this case: amended." in review


# Amendments that are refused, with the message the lead sees.
BAD_AMENDMENTS = [
    ({"note": ""}, "This field is required."),
    ({"label": "FN", "root_cause": "A"}, "The recommendation and the decision make this label TN."),
    ({"rationale": "One. Two. Three. Four."}, "Keep the rationale to three sentences at most."),
    (None, "The answer is unchanged, so no new version was made."),
]


def test_a_bad_amendment_changes_nothing(app, client, auth, contested):
    auth.login_as("qa_lead")
    current = {**contested["cases"][0]["answer"], "root_cause": "A"}
    for change, message in BAD_AMENDMENTS:
        data = {
            **(AMEND if change is not None else current),
            "outcome": "amend",
            "note": "x",
            **(change or {}),
        }
        response = client.post(f"/onboarding/disputes/{contested['dispute']}", data=data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert db.session.get(GoldDispute, contested["dispute"]).status == "open"
        assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 4
        assert db.session.get(Attempt, contested["attempt"]).passed is False


def test_exposure_and_rotating_a_case_out(app, client, auth, contested, clock):
    auth.login_as("qa_lead")
    page = client.get("/onboarding/exposure").get_data(as_text=True)
    case = contested["cases"][1]
    assert case["key"] in page
    response = client.post(f"/onboarding/exposure/{case['id']}/rest")
    assert response.status_code == 302
    assert "Rotated out of exams for 30 days." in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(GoldenCase, case["id"]).rested_until == clock.now + timedelta(days=30)
    assert client.post("/onboarding/exposure/999999/rest").status_code == 404


def test_certification_actions(app, client, auth, golden_set, make_user):
    cases = golden_set(kinds=("fn", "tp"))
    agent = make_user("agent")
    cert_id = exam_for(app, agent.id, cases)["cert"]
    auth.login_as("qa_lead")

    def cert():
        with app.app_context():
            return db.session.get(Certification, cert_id)

    url = f"/onboarding/certifications/{cert_id}"
    response = client.post(f"{url}/suspend", data={"reason": ""}, follow_redirects=True)
    assert "Give a reason for the suspension." in response.get_data(as_text=True)
    assert cert().suspended_at is None
    assert client.post(f"{url}/suspend", data={"reason": "Live accuracy 90%."}).status_code == 302
    assert cert().suspended_reason == "Live accuracy 90%."
    assert client.post(f"{url}/lift").status_code == 302
    assert cert().suspended_at is None
    response = client.post(f"{url}/lift", follow_redirects=True)
    assert "This certification is not suspended." in response.get_data(as_text=True)
    assert client.post(f"{url}/reset").status_code == 302
    assert cert().attempts_reset_at is not None
    assert client.post(f"{url}/promote").status_code == 400
    assert client.post("/onboarding/certifications/999999/lift").status_code == 404


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_certification_actions_are_for_leads(app, client, auth, golden_set, make_user, role):
    cases = golden_set(kinds=("fn", "tp"))
    cert_id = exam_for(app, make_user("agent").id, cases)["cert"]
    auth.login_as(role)
    assert (
        client.post(f"/onboarding/certifications/{cert_id}/suspend", data={"reason": "x"}).status_code == 403
    )
    with app.app_context():
        assert db.session.get(Certification, cert_id).suspended_at is None
