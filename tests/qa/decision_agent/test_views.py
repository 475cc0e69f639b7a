"""Feedback routing and threshold review pages: leads route and resolve FP/FN patterns; anyone on staff
sees what moving the threshold would change."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db as _db
from tests.dashboard.conftest import page_of
from tests.forms import BrowserForm, parse_forms


@pytest.fixture
def patterns(make_user, make_decisions, case_type_id):
    agent = make_user("agent")
    make_decisions(agent, 4, label="FN", root_cause="B", decision="block", confidence=0.8)
    make_decisions(agent, 2, label="FP", root_cause="A", scenario="kyc.name_mismatch")
    return f"{case_type_id()}:kyc.doc_tamper:B"


def test_feedback_page_lists_patterns_with_recurring_by_k(client, auth, patterns):
    auth.login_as("manager")

    by_k = {}
    for k in (2, 3):
        rows = page_of(client.get(f"/dashboard/feedback?k={k}")).cells("patterns")
        by_k[k] = [(r[1], r[2], r[3], r[4], r[5], "recurring" in r[7]) for r in rows]

    assert by_k[2] == [
        ("kyc.doc_tamper", "B", "0", "4", "66.7%", True),
        ("kyc.name_mismatch", "A", "2", "0", "100.0%", True),
    ]
    assert [recurring for *_, recurring in by_k[3]] == [True, False]


def _events(app):
    with app.app_context():
        return [
            (e.action, e.object_type, e.object_id, e.actor.username)
            for e in _db.session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("feedback.%")).order_by(AuditEvent.id)
            )
        ]


def _state(client, key_part):
    (row,) = [r for r in page_of(client.get("/dashboard/feedback")).cells("patterns") if r[1] == key_part]
    return row[7]


def pattern_form(client, key: str):
    """The row form of one pattern on the feedback page (one per pattern, told apart by their hidden key)."""
    url = "/dashboard/feedback"
    response = client.get(url)
    assert response.status_code == 200
    forms = [BrowserForm(client, url, parsed) for parsed in parse_forms(response.get_data(as_text=True))]
    (form,) = [f for f in forms if "key" in f.names() and f["key"] == key]
    return form


def test_a_lead_routes_then_resolves_a_pattern_with_audit_events(app, client, auth, patterns):
    auth.login_as("qa_lead", username="lena")

    routed = pattern_form(client, patterns).submit("state=routed")
    assert routed.status_code == 302
    assert _state(client, "kyc.doc_tamper") == "routed"
    pattern_form(client, patterns).submit("state=resolved")

    assert _state(client, "kyc.doc_tamper") == "resolved"
    assert _state(client, "kyc.name_mismatch") == "open"
    assert _events(app) == [
        ("feedback.routed", "feedback_pattern", patterns, "lena"),
        ("feedback.resolved", "feedback_pattern", patterns, "lena"),
    ]


@pytest.mark.parametrize("state", ["closed", ""])
def test_an_unknown_state_changes_nothing(app, client, auth, patterns, state):
    auth.login_as("qa_lead")
    buttons = [c.value for c in pattern_form(client, patterns).controls if c.kind == "submit"]
    assert buttons == ["routed", "resolved"]

    response = client.post(  # tampered: a state no button of the page sends
        "/dashboard/feedback", data={"key": patterns, "state": state}, follow_redirects=True
    )

    assert "Choose routed or resolved." in response.get_data(as_text=True)
    assert _events(app) == []


def test_managers_may_not_change_a_patterns_state(app, client, auth, patterns):
    auth.login_as("manager")
    assert 'name="key"' not in client.get("/dashboard/feedback").get_data(as_text=True)
    # Forged: the page shows managers no buttons, so no browser of theirs sends this.
    assert client.post("/dashboard/feedback", data={"key": patterns, "state": "routed"}).status_code == 403
    assert _events(app) == []


def test_threshold_review_page_shows_what_moving_the_threshold_changes(
    client, auth, make_user, make_decisions, case_type_id
):
    agent = make_user("agent")
    make_decisions(agent, 5, label="FN", root_cause="B", confidence=[0.58, 0.62, 0.71, 0.86, 0.97])
    auth.login_as("qa_lead")

    response = client.get(
        f"/dashboard/feedback/{case_type_id()}/threshold?scenario=kyc.doc_tamper&root_cause=B"
    )

    page = page_of(response)
    assert "5 wrong recommendations" in response.get_data(as_text=True)
    assert page.cells("threshold") == [
        ["0.60", "4"],
        ["0.65", "3"],
        ["0.70", "3"],
        ["0.75", "2"],
        ["0.80", "2"],
        ["0.85 (current)", "2"],
    ]
    assert {cells[0]: cells[1] for cells in page.cells("histogram") if cells[1] != "0"} == {
        "0.55 – 0.60": "1",
        "0.60 – 0.65": "1",
        "0.70 – 0.75": "1",
        "0.85 – 0.90": "1",
        "0.95 – 1.00": "1",
    }
