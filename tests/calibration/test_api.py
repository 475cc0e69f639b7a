"""Calibration over the JSON API: create, answer, close and read the report with bearer tokens.

Every test against the database pays for emptying it afterwards, so refusals that write nothing are
checked in a loop over a table of cases inside one test; each assertion names its case.
"""

from datetime import timedelta

import krippendorff
import numpy as np
import pytest
from sqlalchemy import func, select

from app.calibration.models import CalibrationSession, SessionAnswer, SessionParticipant
from app.extensions import db as _db
from app.metrics.ratings import REASON_NO_VARIATION
from tests.calibration.conftest import ANSWERS
from tests.conftest import utcnow

LATER = (utcnow() + timedelta(days=3)).isoformat()
SESSIONS = "/api/v1/calibration/sessions"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def count(app, model) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def body(make_user, make_cases):
    """A valid create-session body over three golden cases and two agents."""
    cases = make_cases(("fn", "tp", "tn"))
    for name in ("ana", "ben"):
        make_user("agent", username=name)
    return {
        "name": "API week",
        "case_type": "kyc_audit",
        "case_ids": [c["id"] for c in cases],
        "participants": ["ana", "BEN "],  # usernames are matched as normalised
        "deadline": LATER,
    }


# --- create -----------------------------------------------------------------------------------------


def test_leads_and_admins_create_sessions(app, client, make_user, make_token, body):
    for role in ("qa_lead", "admin"):
        response = client.post(
            SESSIONS, json={**body, "name": role}, headers=bearer(make_token(make_user(role)))
        )
        assert response.status_code == 201, role
        assert list(response.get_json()) == ["id"]
        with app.app_context():
            session = _db.session.get(CalibrationSession, response.get_json()["id"])
            assert session.name == role and session.status == "open"
            assert [c.golden_case_id for c in session.cases] == body["case_ids"]
            assert sorted(p.user.username for p in session.participants) == ["ana", "ben"]


def test_others_cannot_create_sessions(app, client, make_user, make_token, body):
    for role, status in (("agent", 403), ("manager", 403), (None, 401)):
        headers = bearer(make_token(make_user(role))) if role else {}
        assert client.post(SESSIONS, json=body, headers=headers).status_code == status, role
    lead = bearer(make_token(make_user("qa_lead")))
    assert client.post(SESSIONS, data={"name": "x"}, headers=lead).status_code == 415
    assert count(app, CalibrationSession) == 0


BAD_BODIES = [
    (
        {"name": None, "case_type": None, "case_ids": None, "participants": None, "deadline": None},
        ["case_type", "case_ids", "participants", "deadline"],
    ),
    ({"case_type": "kyc_nothing"}, ["case_type"]),
    ({"case_ids": "1,2"}, ["case_ids"]),
    ({"case_ids": [1, True]}, ["case_ids"]),
    ({"participants": ["ana", "nobody", "ghost"]}, ["participants"]),
    ({"participants": "ana"}, ["participants"]),
    ({"participants": ["ana", "max"]}, ["participants"]),  # max is a manager
    ({"deadline": "2026-12-01 10:00"}, ["deadline"]),  # no time zone
    ({"deadline": "soon"}, ["deadline"]),
    ({"deadline": "2020-01-01T10:00:00Z"}, ["deadline"]),
    ({"name": "  "}, ["name"]),
    ({"case_ids": [999_999]}, ["cases"]),
    ({"case_ids": []}, ["cases"]),
]


def test_bad_bodies_are_422_listing_the_fields(app, client, make_user, make_token, body):
    make_user("manager", username="max")
    token = make_token(make_user("qa_lead"))
    for changes, fields in BAD_BODIES:
        sent = {k: v for k, v in {**body, **changes}.items() if v is not None}
        response = client.post(SESSIONS, json=sent, headers=bearer(token))
        assert response.status_code == 422, changes
        errors = response.get_json()["errors"]
        assert [e["field"] for e in errors] == fields, changes
        assert all(isinstance(e["message"], str) and e["message"] for e in errors)
        if "nobody" in str(changes):
            assert "ghost, nobody" in errors[0]["message"]
    assert count(app, CalibrationSession) == 0 and count(app, SessionParticipant) == 0


# --- answers ----------------------------------------------------------------------------------------


@pytest.fixture
def world(make_world, make_token):
    world = make_world(agents=3, kinds=("fn", "tp"), live=1, names=["ana", "ben", "cai"])
    world.tokens = {p.username: make_token(p) for p in world.people}
    world.lead_token = make_token(world.lead)
    return world


def answers_url(world) -> str:
    return f"{SESSIONS}/{world.session_id}/answers"


def stored_answers(app) -> list[tuple]:
    with app.app_context():
        query = select(SessionAnswer.user_id, SessionAnswer.decision, SessionAnswer.rationale)
        return _db.session.execute(query.order_by(SessionAnswer.id)).all()


def test_a_participant_answers_golden_and_live_cases(app, client, world):
    headers = bearer(world.tokens["ana"])
    golden_id = world.cases[0]["id"]
    golden = client.post(answers_url(world), json={"case_id": golden_id, **ANSWERS["block"]}, headers=headers)
    assert golden.status_code == 200
    assert golden.get_json()["case_id"] == golden_id and golden.get_json()["saved_at"].endswith("Z")
    live = client.post(answers_url(world), json={"case_id": "D-1", **ANSWERS["pass"]}, headers=headers)
    assert live.status_code == 200
    again = client.post(answers_url(world), json={"case_id": "D-1", **ANSWERS["escalate"]}, headers=headers)
    assert again.status_code == 200
    ana = world.people[0].id
    assert stored_answers(app) == [
        (ana, "block", "Tamper score is high."),
        (ana, "escalate", "The SOP is silent."),
    ]


BAD_ANSWERS = [
    ({"decision": "allow", "label": "TN"}, ["decision"]),
    ({"decision": "pass", "label": "FN", "rationale": "Risky."}, ["root_cause"]),
    ({"decision": "block", "label": "TP", "root_cause": "A", "rationale": "Blocked."}, ["root_cause"]),
    ({"decision": "escalate", "label": "TP"}, ["rationale"]),
    ({}, ["decision", "label"]),
]


def test_refused_answers_save_nothing(app, client, world, make_user, make_token):
    url, golden_id = answers_url(world), world.cases[1]["id"]
    outsider = make_token(make_user("agent"))
    for token in (outsider, world.lead_token):  # neither takes part
        response = client.post(url, json={"case_id": "D-1", **ANSWERS["pass"]}, headers=bearer(token))
        assert response.status_code == 404
    for case_id in (999_999, "D-404", None):  # not in the session
        response = client.post(
            url, json={"case_id": case_id, **ANSWERS["pass"]}, headers=bearer(world.tokens["ben"])
        )
        assert response.status_code == 404, case_id
    for answer, fields in BAD_ANSWERS:
        response = client.post(
            url, json={"case_id": golden_id, **answer}, headers=bearer(world.tokens["cai"])
        )
        assert response.status_code == 422, answer
        assert [e["field"] for e in response.get_json()["errors"]] == fields, answer
    response = client.post(url, data={"case_id": "D-1"}, headers=bearer(world.tokens["ana"]))
    assert response.status_code == 415
    assert stored_answers(app) == []


# --- close and report -------------------------------------------------------------------------------


def close_url(world) -> str:
    return f"{SESSIONS}/{world.session_id}/close"


def report_url(world) -> str:
    return f"{SESSIONS}/{world.session_id}/report"


def test_close_is_for_leads_and_happens_once(app, client, world, give):
    give(world.session_id, world.people[0], 1, ANSWERS["pass"])
    assert client.post(close_url(world), headers=bearer(world.tokens["ana"])).status_code == 403
    response = client.post(close_url(world), headers=bearer(world.lead_token))
    assert response.status_code == 200
    assert response.get_json()["status"] == "closed"
    assert set(response.get_json()["alpha"]) == {"decision", "label", "root_cause"}
    assert client.post(close_url(world), headers=bearer(world.lead_token)).status_code == 409
    late = client.post(
        answers_url(world), json={"case_id": "D-1", **ANSWERS["pass"]}, headers=bearer(world.tokens["ben"])
    )
    assert late.status_code == 409
    assert len(stored_answers(app)) == 1
    assert client.post(f"{SESSIONS}/999999/close", headers=bearer(world.lead_token)).status_code == 404


ALPHA_KEYS = {"value", "ci95", "pairable", "reading", "reason"}
PARTICIPANT_KEYS = {
    "participant",
    "answered",
    "scored",
    "correct",
    "accuracy",
    "ci95",
    "majority_agreement",
    "alpha_without",
    "alpha_change",
}
CASE_KEYS = {
    "position",
    "case_id",
    "distribution",
    "answers",
    "majority",
    "split",
    "reference",
    "majority_correct",
}
DECISIONS = [["block", "block", "pass"], ["pass", "pass", "pass"], ["escalate", "block", "escalate"]]


def test_report_shape_for_every_reader(client, world, give, make_user, make_token):
    for position, row in enumerate(DECISIONS, start=1):
        for person, decision in zip(world.people, row, strict=True):
            give(world.session_id, person, position, ANSWERS[decision])
    assert client.post(close_url(world), headers=bearer(world.lead_token)).status_code == 200
    codes = {"pass": 0, "block": 1, "escalate": 2}
    data = np.array([[codes[d] for d in row] for row in DECISIONS], dtype=float).T
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    readers = {"qa_lead": world.lead_token, "ana": world.tokens["ana"], "cai": world.tokens["cai"]}
    readers |= {role: make_token(make_user(role)) for role in ("manager", "admin")}
    reports = []
    for reader, token in readers.items():
        response = client.get(report_url(world), headers=bearer(token))
        assert response.status_code == 200, reader
        reports.append(response.get_json())
    report = reports[0]
    assert all(other == report for other in reports)
    assert {"alpha", "participants", "cases"} <= set(report)
    assert set(report["alpha"]) == {"decision", "label", "root_cause"}
    assert all(set(block) == ALPHA_KEYS for block in report["alpha"].values())
    decision = report["alpha"]["decision"]
    assert decision["value"] == pytest.approx(expected, abs=1e-9)
    assert isinstance(decision["ci95"], list) and len(decision["ci95"]) == 2
    assert decision["pairable"] == 3 and decision["reading"] in ("reliable", "tentative", "unreliable")
    assert decision["reason"] is None
    assert [p["participant"] for p in report["participants"]] == ["ana", "ben", "cai"]
    assert all(set(p) == PARTICIPANT_KEYS for p in report["participants"])
    assert all(set(c) == CASE_KEYS for c in report["cases"])
    assert {c["case_id"] for c in report["cases"]} == {*(c["id"] for c in world.cases), "D-1"}


def test_a_degenerate_report_has_null_values_and_reasons(client, world, give):
    for person in world.people:
        give(world.session_id, person, 1, ANSWERS["pass"])
    client.post(close_url(world), headers=bearer(world.lead_token))
    report = client.get(report_url(world), headers=bearer(world.tokens["ben"])).get_json()
    decision = report["alpha"]["decision"]
    assert decision["value"] is None and decision["ci95"] is None and decision["reading"] is None
    assert decision["reason"] == REASON_NO_VARIATION
    assert isinstance(report["alpha"]["root_cause"]["reason"], str)


def test_who_gets_no_report(client, world, make_user, make_token):
    outsider = bearer(make_token(make_user("agent")))
    refusals = [
        ("participant", bearer(world.tokens["ana"]), 409),
        ("lead", bearer(world.lead_token), 404),  # nothing computed yet
        ("outsider", outsider, 404),
        ("no token", {}, 401),
    ]
    for reader, headers, status in refusals:
        response = client.get(report_url(world), headers=headers)
        assert response.status_code == status, reader
        assert "alpha" not in response.get_json()
    client.post(close_url(world), headers=bearer(world.lead_token))
    assert client.get(report_url(world), headers=outsider).status_code == 404
    assert client.get(report_url(world), headers=bearer(world.tokens["ana"])).status_code == 200


# --- the golden case list ---------------------------------------------------------------------------


def test_only_leads_list_cases_and_without_their_answers(client, make_user, make_token, make_cases):
    cases = make_cases(("fn", "tp"))
    make_cases(("tn",), case_type="reset_2fa")
    make_cases(("fp",), status="retired")
    url = "/api/v1/cases?case_type=kyc_audit&status=active"
    for role in ("agent", "manager"):
        assert client.get(url, headers=bearer(make_token(make_user(role)))).status_code == 403, role
    response = client.get(url, headers=bearer(make_token(make_user("qa_lead"))))
    assert response.status_code == 200
    listed = response.get_json()["cases"]
    assert sorted(c["id"] for c in listed) == sorted(c["id"] for c in cases)
    assert all(c["case_type"] == "kyc_audit" and c["status"] == "active" for c in listed)
    assert all("answer" not in c for c in listed)
    assert all(case["marker"] not in response.get_data(as_text=True) for case in cases)
