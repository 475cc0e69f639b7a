"""POST /api/v1/audits: a vendor's own QA verdicts, all or nothing, idempotent, one per decision per
auditor."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db as _db
from app.qa.audits.models import Audit
from tests.qa.decisions.ingest_support import bearer, count, decision

URL = "/api/v1/audits"


@pytest.fixture
def decisions(client, make_user, make_token, make_case_type):
    """Three stored decisions by ana: D-00001 .. D-00003."""
    make_case_type()
    make_user("agent", username="ana")
    token = make_token(make_user("admin"), scopes=("ingest",))
    body = {"decisions": [decision(n) for n in (1, 2, 3)]}
    assert client.post("/api/v1/decisions", json=body, headers=bearer(token)).status_code == 200


@pytest.fixture
def lead(make_user):
    return make_user("qa_lead", username="vendor.lead")


def verdict(decision_id="D-00001", **overrides) -> dict:
    return {
        "decision_id": decision_id,
        "verdict": "incorrect",
        "corrected_decision": "block",
        "corrected_label": "FN",
        "severity": "major",
        "root_cause": "agent_error",
        "note": "Tamper score ignored.",
        **overrides,
    }


def post(client, token, audits, **headers):
    return client.post(URL, json={"audits": audits}, headers={**bearer(token), **headers})


def test_a_lead_posts_external_audits(app, client, make_token, decisions, lead):
    audits = [verdict(), verdict("D-00002", verdict="correct", severity=None, corrected_decision=None)]
    response = post(client, make_token(lead), audits)
    assert response.status_code == 200
    assert response.get_json() == {"created": 2, "duplicates": 0}
    with app.app_context():
        stored = _db.session.scalars(select(Audit).order_by(Audit.live_decision_id)).all()
        assert [(a.verdict, a.effective_verdict, a.external, a.auditor_id) for a in stored] == [
            ("incorrect", "incorrect", True, lead.id),
            ("correct", "correct", True, lead.id),
        ]
        assert (stored[0].corrected_label, stored[0].root_cause, stored[0].note) == (
            "FN",
            "agent_error",
            "Tamper score ignored.",
        )
        (event,) = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "qa.external_audits"))
        assert event.detail == {"created": 2, "duplicates": 0} and event.actor_id == lead.id


def test_one_audit_per_decision_per_auditor(app, client, make_user, make_token, decisions, lead):
    token = make_token(lead)
    post(client, token, [verdict()])
    again = post(client, token, [verdict(verdict="correct", severity=None), verdict("D-00003")])
    assert again.get_json() == {"created": 1, "duplicates": 1}  # the first verdict stands
    other = post(client, make_token(make_user("admin")), [verdict()])
    assert other.get_json() == {"created": 1, "duplicates": 0}  # another auditor may audit it too
    with app.app_context():
        verdicts = _db.session.execute(
            select(Audit.auditor_id, Audit.verdict, Audit.is_second_review).order_by(Audit.id)
        ).all()
    assert [(v, second) for _auditor, v, second in verdicts] == [
        ("incorrect", False),
        ("incorrect", False),
        ("incorrect", True),
    ]


@pytest.mark.parametrize(
    ("audits", "errors"),
    [
        (
            [verdict(), verdict("D-404")],
            [{"index": 1, "field": "decision_id", "message": "Unknown decision."}],
        ),
        (
            [verdict(severity=None)],
            [{"index": 0, "field": "severity", "message": "An incorrect decision needs a severity."}],
        ),
        (
            [verdict(verdict="maybe")],
            [{"index": 0, "field": "verdict", "message": "Choose correct or incorrect."}],
        ),
        (
            [verdict(), verdict()],
            [{"index": 1, "field": "decision_id", "message": "Duplicate of item 0."}],
        ),
        ([], [{"index": None, "field": "audits", "message": "The list is empty."}]),
    ],
)
def test_any_invalid_audit_rejects_the_batch(app, client, make_token, decisions, lead, audits, errors):
    response = post(client, make_token(lead), audits)
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}
    assert count(app, Audit) == 0


def test_idempotency_key_replays_and_guards_the_body(app, client, make_token, decisions, lead):
    token = make_token(lead)
    first = post(client, token, [verdict()], **{"Idempotency-Key": "vendor-7"})
    again = post(client, token, [verdict()], **{"Idempotency-Key": "vendor-7"})
    assert first.get_json() == again.get_json() == {"created": 1, "duplicates": 0}
    other = post(client, token, [verdict("D-00002")], **{"Idempotency-Key": "vendor-7"})
    assert other.status_code == 409
    assert count(app, Audit) == 1


@pytest.mark.parametrize(
    ("role", "scopes", "status"),
    [("agent", ("api",), 403), ("manager", ("api",), 403), ("qa_lead", ("ingest",), 403)],
)
def test_only_leads_api_tokens_may_post_audits(
    app, client, make_user, make_token, decisions, role, scopes, status
):
    assert post(client, make_token(make_user(role), scopes=scopes), [verdict()]).status_code == status
    assert client.post(URL, json={"audits": [verdict()]}).status_code == 401
    assert count(app, Audit) == 0


def test_wrong_content_type_is_415(client, make_token, decisions, lead):
    response = client.post(
        URL, data="audits", headers={**bearer(make_token(lead)), "Content-Type": "text/csv"}
    )
    assert response.status_code == 415
