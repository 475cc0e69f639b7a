"""The misclassification batches page: one click makes a calibration session of a batch, from the form as
a browser submits it (tests/forms.py)."""

import re

import pytest
from sqlalchemy import select

from app.calibration.models import SessionCase
from app.extensions import db
from tests.forms import page_form
from tests.qa.conftest import count_rows, flashes, signed_in


def test_a_misclassification_batch_becomes_a_calibration_session(
    app, qa_clock, make_user, make_live_decisions
):
    agent = make_user("agent")
    make_live_decisions(agent, 3, decision="block", label="FN", root_cause="A", rationale="Tampered.")
    client = signed_in(app, make_user("qa_lead"))
    page = client.get("/qa/batches").get_data(as_text=True)
    assert "kyc.doc_tamper" in page and "root cause A" in page
    form = page_form(client, "/qa/batches")
    form.fill(name="Tamper misses", participants=[str(agent.id)])

    response = form.submit()

    assert response.status_code == 302
    session_id = int(re.search(r"/calibration/(\d+)$", response.location).group(1))
    with app.app_context():
        cases = db.session.scalars(select(SessionCase).where(SessionCase.session_id == session_id)).all()
        assert len(cases) == 3 and {c.source for c in cases} == {"live"}


def test_a_batch_session_without_participants_is_refused(app, qa_clock, make_user, make_live_decisions):
    make_live_decisions(make_user("agent"), 2, decision="block", label="FN", root_cause="A", rationale="x.")
    client = signed_in(app, make_user("qa_lead"))
    response = page_form(client, "/qa/batches").fill(name="S").submit()
    assert response.status_code == 422
    assert ("error", "Choose at least one participant.") in flashes(response)
    assert count_rows(app, SessionCase) == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": ""}, "Name the session."),
        ({"deadline": ""}, "Give the deadline as a date and time."),
    ],
)
def test_a_batch_session_with_a_missing_name_or_deadline_says_why(
    app, qa_clock, make_user, make_live_decisions, fields, message
):
    agent = make_user("agent")
    make_live_decisions(agent, 2, decision="block", label="FN", root_cause="A", rationale="x.")
    client = signed_in(app, make_user("qa_lead"))
    form = page_form(client, "/qa/batches").fill(**{"name": "S", "participants": [str(agent.id)], **fields})
    response = form.submit()
    assert response.status_code == 422
    assert ("error", message) in flashes(response)
    assert count_rows(app, SessionCase) == 0


def test_a_forged_batch_is_refused_without_a_server_error(app, qa_clock, make_user, make_live_decisions):
    agent = make_user("agent")
    make_live_decisions(agent, 2, decision="block", label="FN", root_cause="A", rationale="x.")
    client = signed_in(app, make_user("qa_lead"))
    fields = dict(page_form(client, "/qa/batches").fill(name="S", participants=[str(agent.id)]).pairs())
    fields["participants"] = [str(agent.id)]
    response = client.post("/qa/batches", data={**fields, "case_type_id": "kyc"})  # tampered hidden field
    assert response.status_code == 422
    assert count_rows(app, SessionCase) == 0
