"""From a misclassification batch to the golden set: a lead turns the batch into a calibration session,
participants label its live cases, the lead settles one and promotes it. Live decisions carry no reasoning
chain, so the promotion offers the lead one drafted from what the decision agent output, to keep or edit.
The service, then the pages as a browser submits them (tests/forms.py)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.calibration import services as calibration
from app.calibration.models import SessionCase
from app.cases.golden_format import validate_golden_payload
from app.cases.models import CaseType, GoldenCase
from app.cases.services import case_to_item
from app.qa.decision_agent import batches
from tests.forms import page_form
from tests.qa.conftest import count_rows, signed_in

SIGNALS = {"tamper_score": 0.91, "document_type": "passport", "pep_hit": False}
DRAFT = [
    "Recommendation: Pass (confidence 0.62).",
    "Signals read: document_type passport, pep_hit false, tamper_score 0.91.",
]
SETTLED = {
    "decision": "block",
    "label": "FN",
    "root_cause": "A",
    "rationale": "Tamper score 0.91 shows an edited MRZ. The model under-weights tamper signals.",
    "sop_ref": "KYC-3.2",
}


@pytest.fixture
def misclassified(request, make_user, make_live_decisions):
    """Two decisions the decision agent got wrong (it said pass; the reviewer blocked: FN, root cause A), of
    scenario kyc.doc_tamper unless a test asks for another (indirect parametrization)."""
    reviewer = make_user("agent")
    return make_live_decisions(
        reviewer,
        2,
        scenario=getattr(request, "param", "kyc.doc_tamper"),
        decision="block",
        agent_recommendation="pass",
        confidence=0.62,
        label="FN",
        root_cause="A",
        rationale="Tampered MRZ.",
        signals=SIGNALS,
    )


def assert_valid_gold(golden: GoldenCase) -> None:
    """The promoted case passes the golden seed validation, as an export of it would be checked."""
    _cases, problems = validate_golden_payload({"cases": [case_to_item(golden)]}, {"kyc_audit"})
    assert problems == []


def test_a_live_case_of_a_batch_session_is_promoted_with_a_drafted_reasoning(
    db, qa_clock, make_user, misclassified
):
    lead = db.session.get(User, make_user("qa_lead").id)
    agent = db.session.get(User, make_user("agent").id)
    type_id = db.session.scalar(select(CaseType.id).where(CaseType.slug == "kyc_audit"))
    deadline = qa_clock.now + timedelta(days=3)
    session = batches.session_from_batch(type_id, "kyc.doc_tamper", "A", "Tamper", deadline, [agent], lead)
    case = session.cases[0]
    calibration.save_answer(session, case, agent, {**SETTLED, "rationale": "Edited MRZ."})
    calibration.close_session(session, lead)
    calibration.settle_case(case, SETTLED, "", lead, amend_golden=False)

    golden = calibration.promote_case(case, "kyc_audit-777", "medium", lead)
    db.session.commit()

    assert golden.reasoning == DRAFT
    assert (golden.recommendation, golden.confidence, golden.signals) == ("pass", 0.62, SIGNALS)
    answer = golden.current_answer
    assert (answer.decision, answer.label, answer.root_cause, answer.sop_ref) == (
        "block",
        "FN",
        "A",
        "KYC-3.2",
    )
    assert case.promoted_case_id == golden.id
    assert_valid_gold(golden)


@pytest.fixture
def closed_batch_session(app, qa_clock, make_user, misclassified):
    """The journey up to the settling page, through the pages: the lead makes a session of the batch, two
    agents label both cases, the lead closes it. Returns (the lead's client, the session id)."""
    people = [make_user("agent", username=name) for name in ("ana", "ben")]
    lead = signed_in(app, make_user("qa_lead"))
    batch = page_form(lead, "/qa/batches").fill(
        name="Tamper misses", participants=[str(p.id) for p in people]
    )
    created = batch.submit()
    assert created.status_code == 302
    session_id = int(re.search(r"/calibration/(\d+)$", created.location).group(1))
    for person, decision in zip(people, ("block", "pass"), strict=True):
        client = signed_in(app, person)
        for position in (1, 2):
            form = page_form(client, f"/calibration/{session_id}/cases/{position}")
            label, root_cause = ("FN", "A") if decision == "block" else ("TN", "")
            form.fill(decision=decision, label=label, root_cause=root_cause, rationale="Looked at tamper.")
            assert form.submit().status_code == 302
    detail = f"/calibration/{session_id}"
    assert page_form(lead, detail, action=f"{detail}/close").submit().status_code == 302
    return lead, session_id


def settle_and_open_promotion(lead, session_id: int):
    """Settle case 1 on its settling page, then return that page's promote form."""
    url = f"/calibration/{session_id}/cases/1/settle"
    assert page_form(lead, url, having="rationale").fill(**SETTLED).submit().status_code == 302
    return page_form(lead, url, having="key")


def promoted(app, key: str) -> GoldenCase | None:
    from app.extensions import db

    with app.app_context():
        golden = db.session.scalar(select(GoldenCase).where(GoldenCase.key == key))
        if golden is not None:
            assert_valid_gold(golden)
            db.session.expunge(golden)
        return golden


def test_the_lead_promotes_a_batch_case_with_the_reasoning_the_page_drafts(app, closed_batch_session):
    lead, session_id = closed_batch_session
    form = settle_and_open_promotion(lead, session_id)
    assert form["reasoning"] == "\n".join(DRAFT)

    response = form.fill(key="kyc_audit-555", difficulty="hard").submit()

    assert response.status_code == 302
    golden = promoted(app, "kyc_audit-555")
    assert golden.reasoning == DRAFT and golden.difficulty == "hard"
    with app.app_context():
        from app.extensions import db

        stored = db.session.get(GoldenCase, golden.id)
        answer = stored.current_answer
        assert (answer.decision, answer.label, answer.root_cause) == ("block", "FN", "A")
        assert answer.rationale == SETTLED["rationale"]
        case = db.session.scalar(
            select(SessionCase).where(SessionCase.session_id == session_id, SessionCase.position == 1)
        )
        assert case.promoted_case_id == golden.id
    page = lead.get(f"/calibration/{session_id}/cases/1/settle").get_data(as_text=True)
    assert f'href="/golden/{golden.id}"' in page


def test_the_lead_rewrites_the_reasoning_before_promoting(app, closed_batch_session):
    lead, session_id = closed_batch_session
    form = settle_and_open_promotion(lead, session_id)
    steps = ["Tamper score 0.91 was weighted low.", "Name match alone drove the pass."]

    response = form.fill(
        key="kyc_audit-556", difficulty="medium", reasoning="\n".join(steps) + "\n\n"
    ).submit()

    assert response.status_code == 302
    assert promoted(app, "kyc_audit-556").reasoning == steps


def test_a_promotion_without_reasoning_says_so_by_the_field(app, closed_batch_session):
    lead, session_id = closed_batch_session
    form = settle_and_open_promotion(lead, session_id)

    response = form.fill(key="kyc_audit-557", reasoning="  \n").submit()

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="reasoning-error">Give 1 to 10 non-empty reasoning steps.</p>' in page
    assert promoted(app, "kyc_audit-557") is None and count_rows(app, GoldenCase) == 0


@pytest.mark.parametrize("misclassified", [None], indirect=True)
def test_a_case_from_a_batch_without_a_scenario_is_promoted_once_the_lead_names_one(
    app, closed_batch_session
):
    lead, session_id = closed_batch_session
    form = settle_and_open_promotion(lead, session_id)
    assert form["scenario"] == ""  # live decisions may come without one; golden cases need one

    refused = form.fill(key="kyc_audit-558").submit()

    assert refused.status_code == 422
    error = re.search(r'<p class="error" id="scenario-error">(.*?)</p>', refused.get_data(as_text=True))
    assert unescape(error.group(1)) == "Use 3-64 lowercase letters, digits, '.' or '_'."
    assert promoted(app, "kyc_audit-558") is None
    again = page_form(lead, f"/calibration/{session_id}/cases/1/settle", having="key")
    assert again.fill(key="kyc_audit-558", scenario="kyc.mrz_edit").submit().status_code == 302
    assert promoted(app, "kyc_audit-558").scenario == "kyc.mrz_edit"
