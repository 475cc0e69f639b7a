"""The input layer (app/inputs.py) from outside: hostile integers, NUL bytes, over-deep JSON and bodies
over the limit answer 400, 404, 411, 413 or 422 with a message, never 500, on SQLite and PostgreSQL."""

import io
import json
import threading
from http.client import HTTPConnection

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.auth.models import User
from app.calibration.models import CalibrationSession
from app.cases.models import CaseType, GoldenCase
from app.extensions import db
from app.qa.decisions.models import LiveDecision
from app.sop import services as sop_services
from app.sop.models import SopGap
from tests.forms import page_form

# Past PostgreSQL `integer` (its ids), past SQLite's and `bigint`'s 64 bits, and past both.
HUGE = (2**31, 2**63, 2**64, 10**30)
DEEP = "[" * 100_000 + "]" * 100_000
JSON_APIS = ("/api/v1/decisions", "/api/v1/audits", "/api/v1/calibration/sessions")


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def lead_token(make_user, make_token):
    return make_token(make_user("qa_lead", username="lead"), scopes=("api", "ingest"))


# --- 1. integers too large for the column ----------------------------------------------------------


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    "role, url, name",
    [
        ("manager", "/dashboard?team={}", "team"),
        ("manager", "/dashboard/coverage?team={}", "team"),
        ("manager", "/onboarding?team={}", "team"),
        ("manager", "/dashboard/feedback?k={}", "k"),
        ("admin", "/admin/users?page={}", "page"),
        ("qa_lead", "/golden?page={}", "page"),
        ("agent", "/sop/kyc_audit/compare?a={}&b=1", "a"),
        ("agent", "/sop/kyc_audit/compare?a=1&b={}", "b"),
    ],
)
def test_an_integer_query_argument_past_the_column_is_400_naming_it(
    client, auth, make_case_type, role, url, name, value
):
    make_case_type()
    auth.login_as(role)
    response = client.get(url.format(value))
    assert response.status_code == 400
    assert f"{name} must be a whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["abc", "1.5", "²", "1_000", "-1", " "])
def test_a_query_integer_that_is_not_a_plain_number_is_400_or_its_default(client, auth, value):
    auth.login_as("manager")
    response = client.get(f"/dashboard?team={value}")
    assert response.status_code == (200 if not value.strip() else 400)


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    "role, url", [("qa_lead", "/golden/{}"), ("admin", "/admin/users/{}"), ("agent", "/learn/exams/{}")]
)
def test_a_path_id_past_the_column_names_nothing_404(client, auth, role, url, value):
    auth.login_as(role)
    assert client.get(url.format(value)).status_code == 404


@pytest.mark.parametrize("value", HUGE)
def test_an_api_path_id_past_the_column_is_404_json(client, make_user, make_token, value):
    response = client.get(f"/api/v1/cases/{value}", headers=bearer(make_token(make_user("qa_lead"))))
    assert response.status_code == 404
    assert response.is_json and "error" in response.get_json()


@pytest.mark.parametrize("value", HUGE)
def test_json_ids_past_the_column_are_refused_not_500(app, client, make_user, lead_token, value):
    make_user("agent", username="ana")
    created = client.post(
        "/api/v1/calibration/sessions",
        json={
            "name": "Week",
            "case_type": "kyc_audit",
            "case_ids": [value],
            "participants": ["ana"],
            "deadline": "2099-01-01T00:00:00Z",
        },
        headers=bearer(lead_token),
    )
    assert created.status_code == 422
    assert count(app, CalibrationSession) == 0


@pytest.mark.parametrize("value", [str(2**63), "²", "1_0"])
def test_a_hidden_golden_case_id_past_the_column_is_ignored_not_500(app, client, auth, make_case_type, value):
    make_case_type()
    auth.login_as("agent")
    form = page_form(client, f"/sop/kyc_audit/gaps/new?case={value}")
    response = form.fill(reason="The SOP misses this.", draft="Add a rule.").submit()
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SopGap.golden_case_id)) is None


@pytest.mark.parametrize("value", [str(2**63), "²"])
def test_a_stale_or_forged_golden_lock_version_is_refused_not_500(client, auth, make_golden_case, value):
    case_id = make_golden_case()
    auth.login_as("qa_lead")
    form = page_form(client, f"/golden/{case_id}/edit")
    data = {**dict(form.pairs()), "lock_version": value, "note": "Forged."}
    response = client.post(f"/golden/{case_id}/edit", data=data)  # hostile: the page sends its own
    assert response.status_code == 400  # no page sends a lock_version that is not a version


# --- 2. NUL bytes and other text PostgreSQL cannot store -------------------------------------------


@pytest.mark.parametrize(
    "role, url",
    [
        ("manager", "/dashboard?vendor=North%00wind"),
        ("manager", "/dashboard/feedback?scenario=kyc%00"),
        ("qa_lead", "/golden?q=tamper%00"),
        ("admin", "/admin/users?role=agent%00"),
        ("agent", "/sop/kyc%00audit"),
        ("agent", "/sop/gaps/new%00"),
        ("agent", "/dashboard/me?since%00=2026-01-01"),
    ],
)
def test_a_nul_in_the_query_or_path_is_400(client, auth, make_case_type, role, url):
    make_case_type()
    auth.login_as(role)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["username", "password", "next"])
def test_a_nul_in_the_sign_in_form_is_400_before_any_lookup(client, make_user, field):
    make_user("agent", username="ana")
    data = {"username": "ana", "password": "x", "next": "/"}
    data[field] += "\x00"
    response = client.post("/login", data=data)  # hostile: no browser sends a NUL
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


def test_a_nul_in_a_form_field_of_a_page_is_400_and_saves_nothing(app, client, auth, make_golden_case):
    case_id = make_golden_case()
    auth.login_as("qa_lead")
    form = page_form(client, f"/golden/{case_id}/edit")
    form["rationale"] = "Tamper score 0.91 shows an edited MRZ.\x00"
    assert form.submit().status_code == 400
    with app.app_context():
        assert db.session.get(GoldenCase, case_id).current_answer.version == 1


def test_a_nul_in_a_header_is_400(client, make_user, lead_token):
    response = client.post(
        "/api/v1/decisions",
        json={"decisions": []},
        headers={**bearer(lead_token), "Idempotency-Key": "key\x00"},
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "The Idempotency-Key header holds a NUL character."}


@pytest.mark.parametrize("path", ["/api/v1/decisions/D%0001", "/api/v1/agents/ana%00/quality"])
def test_a_nul_in_an_api_path_is_400_json(client, make_user, make_token, path):
    response = client.get(path, headers=bearer(make_token(make_user("qa_lead"))))
    assert response.status_code == 400
    assert "NUL character" in response.get_json()["error"]


@pytest.mark.parametrize("text", ["a\\u0000b", "\\ud800", "x\\udfffy"])
@pytest.mark.parametrize("url", JSON_APIS)
def test_json_text_postgres_cannot_store_is_400(app, client, make_user, lead_token, url, text):
    make_user("agent", username="ana")
    fields = '"decisions": [{"agent": "T"}], "audits": [{"decision_id": "T"}], "name": "T"'.replace("T", text)
    body = '{%s, "case_type": "kyc_audit", "case_ids": [], "participants": ["ana"]}' % fields  # noqa: UP031
    response = client.post(url, data=body, headers={**bearer(lead_token), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "NUL character or a lone surrogate" in response.get_json()["error"]
    assert count(app, LiveDecision) == count(app, CalibrationSession) == 0


def test_a_json_key_with_a_nul_is_400(client, lead_token):
    response = client.post(
        "/api/v1/decisions",
        data='{"decisions": [{"sig\\u0000nals": 1}]}',
        headers={**bearer(lead_token), "Content-Type": "application/json"},
    )
    assert response.status_code == 400


# --- 3. over-deep JSON -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", JSON_APIS)
@pytest.mark.parametrize("body", [DEEP, '{"x": ' + "[" * 40 + "]" * 40 + "}"])
def test_json_nested_too_deep_is_400_with_a_message(client, lead_token, url, body):
    response = client.post(url, data=body, headers={**bearer(lead_token), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "The JSON is nested more than 32 levels deep."}


def test_malformed_json_is_still_400_not_a_json_object(client, lead_token):
    response = client.post(
        "/api/v1/calibration/sessions",
        data="{not json",
        headers={**bearer(lead_token), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "The body must be a JSON object."}


def test_an_over_deep_golden_import_file_is_a_form_error(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    response = page_form(client, "/golden/import").attach("file", DEEP.encode(), "cases.json").submit()
    assert response.status_code == 422
    assert "nested more than 32 levels deep" in response.get_data(as_text=True)
    assert count(app, GoldenCase) == 0


@pytest.mark.parametrize("signals", [DEEP, '{"a": "\\u0000"}'])
def test_over_deep_or_nul_signals_in_the_golden_editor_are_a_form_error(
    app, client, auth, make_golden_case, signals
):
    case_id = make_golden_case()
    auth.login_as("qa_lead")
    form = page_form(client, f"/golden/{case_id}/edit")
    form["signals"] = signals
    form["note"] = "Hostile signals."
    response = form.submit()
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(GoldenCase, case_id).current_answer.version == 1


# --- 4. bodies over the limit, with or without Content-Length ---------------------------------------

LIMIT = 64 * 1024


@pytest.fixture
def small_limit(app, monkeypatch):
    """MAX_CONTENT_LENGTH of 64 KB for this test, so an oversized body is quick to send."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", LIMIT)


def chunked(client, url, body: bytes, content_type: str, headers=None, terminated=True):
    """POST `body` with Transfer-Encoding: chunked and no Content-Length, as a server that de-chunks the
    body (gunicorn, Werkzeug's) hands it over: wsgi.input_terminated set."""
    return client.post(
        url,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": content_type, **(headers or {})},
        environ_base={"wsgi.input_terminated": True} if terminated else {},
    )


def big_json(size: int) -> bytes:
    return json.dumps({"name": "x" * size, "decisions": [], "audits": []}).encode()


@pytest.mark.parametrize("url", JSON_APIS)
def test_an_oversized_chunked_json_body_is_413(client, small_limit, lead_token, url):
    response = chunked(client, url, big_json(2 * LIMIT), "application/json", bearer(lead_token))
    assert response.status_code == 413
    assert response.is_json


def test_an_oversized_chunked_decision_batch_is_413_at_the_batch_limit(client, monkeypatch, lead_token):
    monkeypatch.setattr("app.qa.decisions.api.MAX_BODY", LIMIT)  # the batch limit is below the app's
    response = chunked(
        client, "/api/v1/decisions", big_json(2 * LIMIT), "application/json", bearer(lead_token)
    )
    assert response.status_code == 413


def test_a_chunked_body_within_the_limit_is_read(client, small_limit, lead_token):
    response = chunked(
        client, "/api/v1/decisions", b'{"decisions": []}', "application/json", bearer(lead_token)
    )
    assert response.status_code == 422  # read and checked: an empty batch, not "not a JSON object"
    assert "decisions" in response.get_data(as_text=True)


def test_an_oversized_chunked_form_is_413(client, small_limit, make_user):
    make_user("agent", username="ana")
    body = b"username=ana&password=" + b"x" * (2 * LIMIT)
    response = chunked(client, "/login", body, "application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_an_oversized_chunked_csv_upload_is_413_and_stores_nothing(app, client, auth, small_limit):
    auth.login_as("qa_lead")
    boundary = "----touchstone"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + b"decision_id\r\n"
        + b"D-1\r\n" * LIMIT
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = chunked(client, "/qa/import", body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert count(app, LiveDecision) == 0


def test_a_chunked_body_the_server_left_framed_is_411(client, lead_token):
    """Without wsgi.input_terminated the server did not de-chunk the body: it cannot be read safely, and
    Werkzeug would read it as empty ("not a JSON object")."""
    response = chunked(
        client,
        "/api/v1/calibration/sessions",
        b"{}",
        "application/json",
        bearer(lead_token),
        terminated=False,
    )
    assert response.status_code == 411
    assert response.get_json() == {"error": "Send the body with a Content-Length header."}


@pytest.fixture
def live_server(app):
    """The app behind Werkzeug's HTTP server on a free port, for requests sent over a real socket."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()


def _send_chunked(port: int, url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    pieces = (body[i : i + 16384] for i in range(0, len(body), 16384))
    try:
        connection.request("POST", url, body=pieces, headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("url", JSON_APIS)
def test_over_a_real_socket_an_oversized_chunked_body_is_413(live_server, small_limit, lead_token, url):
    headers = {**bearer(lead_token), "Content-Type": "application/json"}
    status, body = _send_chunked(live_server, url, big_json(4 * LIMIT), headers)
    assert status == 413, body
    status, _ = _send_chunked(live_server, url, b'{"decisions": [], "audits": []}', headers)
    assert status == 422  # within the limit: read whole and checked


# --- the pieces, directly ---------------------------------------------------------------------------


def test_the_sop_compare_still_works_with_plain_numbers(app, client, auth, make_case_type, make_user):
    case_type = make_case_type()
    author = make_user("qa_lead", username="author")
    with app.app_context():
        kyc = db.session.get(CaseType, case_type.id)
        for word in ("above 0.8", "above 0.85"):
            text = f"# KYC SOP\n\n## 3. Documents\nCovers: kyc.doc_tamper\n\n### 3.2 Tamper\nBlock {word}.\n"
            sop_services.save_sop(kyc, text, "Edit", db.session.get(User, author.id))
        db.session.commit()
    auth.login_as("agent")
    assert client.get("/sop/kyc_audit/compare?a=1&b=2").status_code == 200
    assert client.get("/sop/kyc_audit/compare?a=1&b=3").status_code == 404
