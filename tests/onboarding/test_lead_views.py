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
from tests.conftest import PASSWORD
from tests.forms import page_form
from tests.onboarding.conftest import right, wrong

AMEND = {
    "decision": "pass",
    "label": "TN",
    "root_cause": "",
    "rationale": "Scanner artefact.",
    "sop_ref": "KYC-3.2",
}


def resolve_form(client, dispute_id: int):
    """The page where a lead upholds or amends a contested reference answer."""
    return page_form(client, f"/onboarding/disputes/{dispute_id}")


def certification_form(client, agent_id: int, cert_id: int, action: str):
    """One of the lift / suspend / reset forms on the agent's page."""
    return page_form(
        client, f"/onboarding/agents/{agent_id}", action=f"/onboarding/certifications/{cert_id}/{action}"
    )


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
    stale = resolve_form(client, contested["dispute"])  # the same dispute, open in a second tab
    response = (
        resolve_form(client, contested["dispute"]).fill(note="The MRZ is edited.").submit("outcome=uphold")
    )
    assert response.status_code == 302
    with app.app_context():
        dispute = db.session.get(GoldDispute, contested["dispute"])
        assert (dispute.status, dispute.resolution_note) == ("upheld", "The MRZ is edited.")
        assert db.session.get(Attempt, contested["attempt"]).passed is False
    # Resolving it again from the second tab is refused with a message.
    again = stale.fill(note="Again.").submit("outcome=uphold")
    assert again.status_code == 422
    assert "This dispute was already resolved." in again.get_data(as_text=True)


def test_amending_a_dispute_rescores_and_certifies(app, client, auth, contested):
    auth.login_as("qa_lead")
    response = (
        resolve_form(client, contested["dispute"]).fill(**AMEND, note="Agreed.").submit("outcome=amend")
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


def test_amending_a_dispute_makes_an_editor_opened_before_it_stale(app, client, auth, contested, make_user):
    case_id = contested["cases"][0]["id"]
    auth.login_as("qa_lead")
    editor = page_form(client, f"/golden/{case_id}/edit").fill(difficulty="hard")  # a tab left open
    other = app.test_client()
    lena = make_user("qa_lead", username="lena")
    assert (
        page_form(other, "/login").fill(username=lena.username, password=PASSWORD).submit().status_code == 302
    )
    assert (
        resolve_form(other, contested["dispute"])
        .fill(**AMEND, note="Agreed.")
        .submit("outcome=amend")
        .status_code
        == 302
    )
    response = editor.submit()
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Lena saved a change at" in page and AMEND["rationale"] in page
    with app.app_context():
        case = db.session.get(GoldenCase, case_id)
        assert (case.difficulty, case.current_answer.rationale) == ("medium", AMEND["rationale"])


# Amendments that are refused, with the message the lead sees.
BAD_AMENDMENTS = [
    ({"note": ""}, "This field is required."),
    ({"label": "FN", "root_cause": "A"}, "The recommendation and the decision make this label TN."),
    ({"rationale": "One. Two. Three. Four."}, "Keep the rationale to three sentences at most."),
    (None, "The answer is unchanged, so no new version was made."),
]


def test_a_bad_amendment_changes_nothing(app, client, auth, contested):
    auth.login_as("qa_lead")
    for change, message in BAD_AMENDMENTS:
        form = resolve_form(client, contested["dispute"])  # shows the current answer
        typed = {"note": "x"} if change is None else {**AMEND, "note": "x", **change}
        response = form.fill(**typed).submit("outcome=amend")
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert db.session.get(GoldDispute, contested["dispute"]).status == "open"
        assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 4
        assert db.session.get(Attempt, contested["attempt"]).passed is False


def test_amending_with_an_untouched_two_line_rationale_is_unchanged(app, client, auth, contested):
    # The browser sends the rationale's line break as CR LF; the stored answer has LF.
    with app.app_context():
        answer = db.session.scalar(
            select(ReferenceAnswer).where(ReferenceAnswer.golden_case_id == contested["cases"][0]["id"])
        )
        answer.rationale = "The MRZ is edited.\nThe model under-weights tamper signals."
        db.session.commit()
    auth.login_as("qa_lead")
    response = resolve_form(client, contested["dispute"]).fill(note="x").submit("outcome=amend")
    assert response.status_code == 422
    assert "The answer is unchanged, so no new version was made." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReferenceAnswer)) == 4


def test_exposure_and_rotating_a_case_out(app, client, auth, contested, clock):
    auth.login_as("qa_lead")
    page = client.get("/onboarding/exposure").get_data(as_text=True)
    case = contested["cases"][1]
    assert case["key"] in page
    response = page_form(
        client, "/onboarding/exposure", action=f"/onboarding/exposure/{case['id']}/rest"
    ).submit()
    assert response.status_code == 302
    assert "Rotated out of exams for 30 days." in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(GoldenCase, case["id"]).rested_until == clock.now + timedelta(days=30)
    assert client.post("/onboarding/exposure/999999/rest").status_code == 404  # crafted: no such case


def test_certification_actions(app, client, auth, golden_set, make_user):
    cases = golden_set(kinds=("fn", "tp"))
    agent = make_user("agent")
    cert_id = exam_for(app, agent.id, cases)["cert"]
    auth.login_as("qa_lead")

    def cert():
        with app.app_context():
            return db.session.get(Certification, cert_id)

    def action(name):
        return certification_form(client, agent.id, cert_id, name)

    response = action("suspend").submit(follow_redirects=True)  # no reason typed
    assert "Give a reason for the suspension." in response.get_data(as_text=True)
    assert cert().suspended_at is None
    assert action("suspend").fill(reason="Live accuracy 90%.").submit().status_code == 302
    assert cert().suspended_reason == "Live accuracy 90%."
    lift = action("lift")
    assert lift.submit().status_code == 302
    assert cert().suspended_at is None
    response = lift.submit(follow_redirects=True)  # pressed again on the page as it was
    assert "This certification is not suspended." in response.get_data(as_text=True)
    assert action("reset").submit().status_code == 302
    assert cert().attempts_reset_at is not None
    # Crafted: an action no button sends, and a certification no page shows.
    url = f"/onboarding/certifications/{cert_id}"
    assert client.post(f"{url}/promote").status_code == 400
    assert client.post("/onboarding/certifications/999999/lift").status_code == 404


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_certification_actions_are_for_leads(app, client, auth, golden_set, make_user, role):
    cases = golden_set(kinds=("fn", "tp"))
    cert_id = exam_for(app, make_user("agent").id, cases)["cert"]
    auth.login_as(role)
    # Forged: the agent page shows these buttons to leads only (and agents cannot open it).
    assert (
        client.post(f"/onboarding/certifications/{cert_id}/suspend", data={"reason": "x"}).status_code == 403
    )
    with app.app_context():
        assert db.session.get(Certification, cert_id).suspended_at is None
