"""POST /api/v1/decisions and GET /api/v1/decisions/<id>: all or nothing, idempotent, access by scope."""

import json
import threading

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db as _db
from app.qa.decisions.models import IdempotencyRecord, LiveDecision, LiveFinding
from tests.conftest import PG_URL
from tests.qa.decisions.ingest_support import bearer, count, decision

URL = "/api/v1/decisions"


@pytest.fixture
def ana(make_user, make_case_type):
    make_case_type()
    return make_user("agent", username="ana")


@pytest.fixture
def ingest_token(make_user, make_token, ana):
    return make_token(make_user("qa_lead"), scopes=("ingest",))


def post(client, token, body, **headers):
    return client.post(URL, json=body, headers={**bearer(token), **headers})


def test_a_batch_is_stored_and_counted(app, client, ingest_token):
    response = post(client, ingest_token, {"decisions": [decision(1), decision(2, priority=80)]})
    assert response.status_code == 200
    assert response.get_json() == {"created": 2, "duplicates": 0}
    assert count(app, LiveDecision) == 2
    assert count(app, LiveFinding) == 1
    with app.app_context():
        (event,) = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "qa.ingest"))
        assert event.detail == {"source": "api", "created": 2, "duplicates": 0}


def test_decisions_already_stored_count_as_duplicates(app, client, ingest_token):
    post(client, ingest_token, {"decisions": [decision(1), decision(2)]})
    response = post(client, ingest_token, {"decisions": [decision(2), decision(3), decision(1)]})
    assert response.get_json() == {"created": 1, "duplicates": 2}
    assert count(app, LiveDecision) == 3


@pytest.mark.parametrize(
    ("items", "errors"),
    [
        (
            [decision(1), decision(2, agent="nobody")],
            [{"index": 1, "field": "agent", "message": "Unknown agent."}],
        ),
        (
            [decision(1, case_type="kyc")],
            [{"index": 0, "field": "case_type", "message": "Unknown case type."}],
        ),
        (
            [decision(1), decision(2), decision(1)],
            [{"index": 2, "field": "decision_id", "message": "Duplicate of item 0."}],
        ),
        (
            [decision(1, confidence=2), decision(2, opened_at="2026-11-17 08:00")],
            [
                {"index": 0, "field": "confidence", "message": "Give a number from 0 to 1."},
                {
                    "index": 1,
                    "field": "opened_at",
                    "message": "Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z.",
                },
            ],
        ),
        (
            [decision(1, signals=[1])],
            [
                {
                    "index": 0,
                    "field": "signals",
                    "message": "Give the signals as a JSON object, or leave them empty.",
                }
            ],
        ),
        ([], [{"index": None, "field": "decisions", "message": "The list is empty."}]),
        (
            [{}] * 10_001,
            [{"index": None, "field": "decisions", "message": "Send at most 10000 items per request."}],
        ),
    ],
)
def test_any_invalid_item_rejects_the_whole_batch(app, client, ingest_token, items, errors):
    response = post(client, ingest_token, {"decisions": items})
    assert response.status_code == 422
    assert response.get_json() == {"errors": errors}
    assert count(app, LiveDecision) == 0
    with app.app_context():
        assert _db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "qa.ingest")) is None


def test_a_body_that_is_not_a_decisions_object(app, client, ingest_token):
    assert post(client, ingest_token, {"items": []}).status_code == 422
    response = client.post(
        URL, data="{not json", headers={**bearer(ingest_token), "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert count(app, LiveDecision) == 0


def test_wrong_content_type_is_415(app, client, ingest_token):
    body = json.dumps({"decisions": [decision(1)]})
    response = client.post(URL, data=body, headers={**bearer(ingest_token), "Content-Type": "text/plain"})
    assert response.status_code == 415
    assert count(app, LiveDecision) == 0


def test_a_body_over_20_mb_is_413_before_it_is_read(app, client, ingest_token):
    body = b'{"decisions": [' + b" " * (20 * 1024 * 1024) + b"]}"
    response = client.post(
        URL, data=body, headers={**bearer(ingest_token), "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "error" in response.get_json()
    assert count(app, LiveDecision) == 0


@pytest.mark.parametrize(("scopes", "status"), [(("api",), 403), (None, 401)])
def test_a_bad_token_or_scope(app, client, make_user, make_token, ana, scopes, status):
    token = make_token(make_user("admin"), scopes=scopes) if scopes else "tst_not-a-token"
    assert post(client, token, {"decisions": [decision(1)]}).status_code == status
    assert client.post(URL, json={"decisions": [decision(1)]}).status_code == 401  # no header at all
    assert count(app, LiveDecision) == 0


def test_an_agents_own_ingest_token_may_post(client, make_token, ana):
    assert post(client, make_token(ana, scopes=("ingest",)), {"decisions": [decision(1)]}).status_code == 200


# --- idempotency -------------------------------------------------------------------------------------


def test_the_same_key_replays_the_first_answer(app, client, ingest_token):
    body = {"decisions": [decision(1), decision(2)]}
    first = post(client, ingest_token, body, **{"Idempotency-Key": "batch-1"})
    post(client, ingest_token, {"decisions": [decision(3)]})  # another batch in between
    again = post(client, ingest_token, body, **{"Idempotency-Key": "batch-1"})
    assert first.get_json() == again.get_json() == {"created": 2, "duplicates": 0}
    assert again.status_code == 200
    assert count(app, LiveDecision) == 3
    assert count(app, IdempotencyRecord) == 1


def test_the_same_key_with_another_body_is_409(app, client, ingest_token):
    post(client, ingest_token, {"decisions": [decision(1)]}, **{"Idempotency-Key": "k"})
    response = post(client, ingest_token, {"decisions": [decision(2)]}, **{"Idempotency-Key": "k"})
    assert response.status_code == 409
    assert count(app, LiveDecision) == 1


def test_keys_belong_to_a_token_and_invalid_batches_do_not_use_them(app, client, make_user, make_token, ana):
    one, two = (make_token(make_user("qa_lead"), scopes=("ingest",)) for _ in range(2))
    assert (
        post(client, one, {"decisions": [decision(1, agent="x")]}, **{"Idempotency-Key": "k"}).status_code
        == 422
    )
    assert post(client, one, {"decisions": [decision(1)]}, **{"Idempotency-Key": "k"}).status_code == 200
    response = post(client, two, {"decisions": [decision(2)]}, **{"Idempotency-Key": "k"})
    assert response.get_json() == {"created": 1, "duplicates": 0}
    assert count(app, LiveDecision) == 2


# --- reading a decision ------------------------------------------------------------------------------


@pytest.fixture
def stored(client, ingest_token):
    crafted = decision(1, priority=80, rationale="One. Two. Three. Four.")
    assert post(client, ingest_token, {"decisions": [crafted, decision(2)]}).status_code == 200


@pytest.mark.parametrize("role", ["qa_lead", "manager", "admin"])
def test_staff_read_a_decision_with_its_findings(client, make_user, make_token, stored, role):
    response = client.get(f"{URL}/D-00001", headers=bearer(make_token(make_user(role))))
    assert response.status_code == 200
    body = response.get_json()
    assert body["findings"] == ["key_user_not_escalated", "rationale_too_long"]
    assert (body["agent"], body["case_type"], body["priority"]) == ("ana", "kyc_audit", 80)
    assert body["opened_at"] == "2026-11-17T08:00:00Z" and body["signals"]["tamper_score"] == 0.1
    assert (
        client.get(f"{URL}/D-00002", headers=bearer(make_token(make_user(role)))).get_json()["findings"] == []
    )
    assert client.get(f"{URL}/D-404", headers=bearer(make_token(make_user(role)))).status_code == 404


def test_agents_read_only_their_own_decisions(client, make_user, make_token, ana, stored):
    own = client.get(f"{URL}/D-00001", headers=bearer(make_token(ana)))
    assert own.status_code == 200 and own.get_json()["decision_id"] == "D-00001"
    other = client.get(f"{URL}/D-00001", headers=bearer(make_token(make_user("agent"))))
    assert other.status_code == 404


def test_reading_needs_the_api_scope(client, ingest_token, stored):
    assert client.get(f"{URL}/D-00001", headers=bearer(ingest_token)).status_code == 403


# --- concurrency (PostgreSQL) ------------------------------------------------------------------------


@pytest.mark.skipif(not PG_URL, reason="row-level concurrency is tested on PostgreSQL")
def test_twenty_identical_batches_in_parallel_store_each_decision_once(app, make_user, make_token, ana):
    lead = make_user("qa_lead")
    tokens = [make_token(lead, scopes=("ingest",), name=f"t{i}") for i in range(20)]
    body = {"decisions": [decision(n, priority=80 if n % 3 == 0 else 30) for n in range(300)]}
    barrier, answers = threading.Barrier(20), []

    def send(token):
        client = app.test_client()
        barrier.wait()
        response = client.post(URL, json=body, headers=bearer(token))
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200] * 20
    assert sum(answer["created"] for _, answer in answers) == 300
    assert all(answer["created"] + answer["duplicates"] == 300 for _, answer in answers)
    assert count(app, LiveDecision) == 300
    assert count(app, LiveFinding) == 100  # each decision's findings once
