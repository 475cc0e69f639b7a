"""The golden-case library pages: filters, export, the case editor, retire/restore and the JSON import."""

import io
import json

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.cases.models import GoldenCase, ReferenceAnswer
from app.extensions import db
from tests.conftest import golden_item
from tests.forms import page_form


def form_data(**overrides) -> dict:
    """The case editor's fields for golden_item(), with overrides."""
    item = golden_item()
    answer = item["answer"]
    data = {
        "key": item["key"],
        "case_type": item["case_type"],
        "scenario": item["scenario"],
        "difficulty": item["difficulty"],
        "signals": json.dumps(item["signals"]),
        "recommendation": item["recommendation"],
        "confidence": str(item["confidence"]),
        "reasoning": "\n".join(item["reasoning"]),
        "priority": str(item["priority"]),
        "opened_at": item["opened_at"],
        "decision": answer["decision"],
        "label": answer["label"],
        "root_cause": answer["root_cause"],
        "rationale": answer["rationale"],
        "sop_ref": answer["sop_ref"],
    }
    data.update(overrides)
    return data


def error_next_to(field: str, message: str) -> str:
    return f'<p class="error" id="{field}-error">{escape(message)}</p>'


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(GoldenCase)),
            db.session.scalar(select(func.count()).select_from(ReferenceAnswer)),
        )


def versions(app, case_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(ReferenceAnswer.version, ReferenceAnswer.rationale)
            .where(ReferenceAnswer.golden_case_id == case_id)
            .order_by(ReferenceAnswer.version)
        )
        return [tuple(row) for row in rows]


def upload(client, content: bytes, name="golden.json"):
    return client.post(
        "/golden/import", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


@pytest.fixture
def library(make_golden_case):
    """Three cases over two case types, one retired."""
    return {
        "kyc_audit-1": make_golden_case(key="kyc_audit-1"),
        "kyc_audit-2": make_golden_case(key="kyc_audit-2", scenario="kyc.name_mismatch", status="retired"),
        "ato_investigation-1": make_golden_case(
            key="ato_investigation-1",
            case_type="ato_investigation",
            scenario="ato.new_device",
            answer={
                **golden_item()["answer"],
                "rationale": "Impossible travel from a new device.",
                "sop_ref": "ATO-1",
            },
        ),
    }


# --- the library list and export ---


@pytest.mark.parametrize(
    "query,shown",
    [
        ("", {"kyc_audit-1", "kyc_audit-2", "ato_investigation-1"}),
        ("?case_type=kyc_audit", {"kyc_audit-1", "kyc_audit-2"}),
        ("?case_type=ato_investigation", {"ato_investigation-1"}),
        ("?scenario=kyc.name_mismatch", {"kyc_audit-2"}),
        ("?status=retired", {"kyc_audit-2"}),
        ("?status=active", {"kyc_audit-1", "ato_investigation-1"}),
        ("?q=impossible+travel", {"ato_investigation-1"}),  # rationale text, any case
        ("?q=NAME_MISMATCH", {"kyc_audit-2"}),
        ("?q=kyc_audit-1", {"kyc_audit-1"}),
        ("?case_type=kyc_audit&status=active", {"kyc_audit-1"}),
        ("?q=nothing-matches-this", set()),
    ],
)
def test_library_filters(client, auth, library, query, shown):
    auth.login_as("qa_lead")
    page = client.get(f"/golden{query}").get_data(as_text=True)
    for key, case_id in library.items():
        assert (f'href="/golden/{case_id}">{key}</a>' in page) == (key in shown), key
    if not shown:
        assert "No golden cases match these filters." in page


@pytest.mark.parametrize(
    "query,keys",
    [
        ("", ["ato_investigation-1", "kyc_audit-1", "kyc_audit-2"]),
        ("?case_type=kyc_audit&status=retired", ["kyc_audit-2"]),
        ("?q=travel", ["ato_investigation-1"]),
    ],
)
def test_export_downloads_the_filtered_library(client, auth, library, query, keys):
    auth.login_as("qa_lead")
    response = client.get(f"/golden/export{query}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="golden-cases.json"'
    body = json.loads(response.data)
    assert body["format"] == "touchstone-golden/1"
    assert [item["key"] for item in body["cases"]] == keys
    assert all(item["answer"]["sop_ref"] for item in body["cases"])


def test_export_can_be_imported_again(app, client, auth, library):
    auth.login_as("admin")
    exported = client.get("/golden/export?case_type=kyc_audit").data
    with app.app_context():
        for case in db.session.scalars(select(GoldenCase)):
            db.session.delete(case)
        db.session.commit()
    assert upload(client, exported).status_code == 302
    assert counts(app) == (2, 2)
    assert json.loads(client.get("/golden/export").data) == json.loads(exported)


# --- creating a case ---


def test_create_a_case(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    response = client.post("/golden/new", data=form_data())
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(GoldenCase).where(GoldenCase.key == "kyc_audit-900"))
        assert response.location == f"/golden/{case.id}"
        assert (case.signals, case.priority, case.current_answer.label) == (
            golden_item()["signals"],
            30,
            "FN",
        )
    assert "Golden case kyc_audit-900 created." in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"key": "Bad Key"}, "key", "Use 3-64 lowercase letters, digits, '.', '_' or '-'."),
        ({"scenario": "Doc Tamper"}, "scenario", "Use 3-64 lowercase letters, digits, '.' or '_'."),
        ({"signals": "{not json"}, "signals", "Give 1 to 40 signals as a JSON object."),
        ({"signals": "[1, 2]"}, "signals", "Give 1 to 40 signals as a JSON object."),
        ({"confidence": "1.5"}, "confidence", "Number must be between 0 and 1."),
        ({"priority": "101"}, "priority", "Number must be between 0 and 100."),
        ({"priority": "lots"}, "priority", "Not a valid integer value."),
        ({"opened_at": "2026-10-01T08:00:00"}, "opened_at", "Use an ISO 8601 time with a time zone"),
        (
            {"label": "TP", "root_cause": ""},
            "label",
            "The recommendation and the decision make this label FN.",
        ),
        ({"root_cause": ""}, "root_cause", "FP and FN need a root cause: A, B or C."),
        ({"priority": "80"}, "decision", "Key User cases (priority 75 or more) are always escalated."),
        (
            {"rationale": "One. Two. Three. Four."},
            "rationale",
            "Keep the rationale to three sentences at most.",
        ),
        ({"rationale": "一。二。三。四。"}, "rationale", "Keep the rationale to three sentences at most."),
        ({"sop_ref": "kyc 3"}, "sop_ref", "Use an SOP section like KYC-3.2."),
        ({"reasoning": "  \n "}, "reasoning", "Give 1 to 10 non-empty reasoning steps."),
    ],
)
def test_create_refuses_bad_input_next_to_the_field(
    app, client, auth, make_case_type, overrides, field, message
):
    make_case_type()
    auth.login_as("qa_lead")
    response = client.post("/golden/new", data=form_data(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{escape(message)}' in page
    assert counts(app) == (0, 0)


def test_create_refuses_a_key_in_use(app, client, auth, make_golden_case):
    make_golden_case()
    auth.login_as("qa_lead")
    response = client.post("/golden/new", data=form_data(scenario="kyc.other"))
    assert response.status_code == 422
    assert error_next_to("key", "A golden case with this key already exists.") in response.get_data(
        as_text=True
    )
    assert counts(app) == (1, 1)


def test_create_refuses_an_unknown_case_type(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    response = client.post("/golden/new", data=form_data(case_type="fraud_ring"))
    assert response.status_code == 422 and "case_type-error" in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


# --- editing: a changed answer is a new version ---


def test_editing_the_answer_adds_a_version_shown_in_the_history(app, client, auth, make_golden_case):
    case_id = make_golden_case()
    auth.login_as("qa_lead")
    form = page_form(client, f"/golden/{case_id}/edit")
    assert "edited MRZ" in form["rationale"]  # the current answer is filled in
    new_rationale = "Tamper score 0.91 means an edited MRZ. Block and retrain on tamper signals."
    response = form.fill(rationale=new_rationale, note="clearer wording").submit()
    assert response.status_code == 302 and response.location == f"/golden/{case_id}"
    assert versions(app, case_id) == [(1, golden_item()["answer"]["rationale"]), (2, new_rationale)]
    page = client.get(response.location).get_data(as_text=True)
    assert "Saved. The answer is at version 2." in page
    assert "Answer history" in page and "<td>v1</td>" in page and "<td>v2</td>" in page
    assert "clearer wording" in page
    with app.app_context():
        assert db.session.get(GoldenCase, case_id).key == "kyc_audit-900"  # the key is fixed


def test_editing_only_the_content_keeps_the_answer_version(app, client, auth, make_golden_case):
    case_id = make_golden_case()
    auth.login_as("qa_lead")
    response = client.post(f"/golden/{case_id}/edit", data=form_data(difficulty="hard", confidence="0.40"))
    assert response.status_code == 302
    assert len(versions(app, case_id)) == 1
    with app.app_context():
        case = db.session.get(GoldenCase, case_id)
        assert (case.difficulty, case.confidence) == ("hard", 0.4)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"label": "TN", "root_cause": "", "rationale": "Changed. Two."},
            "label",
            "The recommendation and the decision make this label FN.",
        ),
        (
            {"rationale": "One. Two. Three. Four."},
            "rationale",
            "Keep the rationale to three sentences at most.",
        ),
        ({"priority": "90", "difficulty": "hard"}, "decision", "Key User cases (priority 75 or more)"),
        ({}, None, "Nothing changed."),
    ],
)
def test_a_bad_edit_changes_nothing(app, client, auth, make_golden_case, overrides, field, message):
    case_id = make_golden_case()
    auth.login_as("qa_lead")
    response = client.post(f"/golden/{case_id}/edit", data=form_data(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    if field:
        assert f'<p class="error" id="{field}-error">{escape(message)}' in page
    else:
        assert message in page
    assert versions(app, case_id) == [(1, golden_item()["answer"]["rationale"])]
    with app.app_context():
        case = db.session.get(GoldenCase, case_id)
        assert (case.priority, case.difficulty) == (30, "medium")


# --- retire and restore ---


def test_retire_then_restore(app, client, auth, make_golden_case):
    case_id = make_golden_case()
    auth.login_as("qa_lead")

    def status():
        with app.app_context():
            case = db.session.get(GoldenCase, case_id)
            return case.status, case.retired_at is not None

    response = client.post(f"/golden/{case_id}/status", data={"status": "retired"})
    assert response.status_code == 302 and status() == ("retired", True)
    page = client.get(f"/golden/{case_id}").get_data(as_text=True)
    assert "Case retired." in page and 'value="active"' in page  # now offers Restore
    client.post(f"/golden/{case_id}/status", data={"status": "active"})
    assert status() == ("active", False)
    client.post(f"/golden/{case_id}/status", data={"status": "deleted"})
    assert status() == ("active", False)
    assert "Nothing changed: choose retire or restore." in client.get(f"/golden/{case_id}").get_data(
        as_text=True
    )


# --- the JSON import page ---


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00{", '{"cases": []}'.encode("utf-16"), b""],
    ids=["not-json", "not-utf8", "utf16", "empty"],
)
def test_import_refuses_files_that_are_not_utf8_json(app, client, auth, make_case_type, content):
    make_case_type()
    auth.login_as("qa_lead")
    response = upload(client, content)
    assert response.status_code == 422
    assert error_next_to("file", "The file is not valid UTF-8 JSON.") in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_import_without_a_file(client, auth):
    auth.login_as("qa_lead")
    response = client.post("/golden/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)


def test_import_lists_every_problem_by_item_and_field_and_writes_nothing(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    items = [
        golden_item("kyc_audit-1"),
        golden_item("kyc_audit-2", priority=-1),
        golden_item("kyc_audit-3", answer={**golden_item()["answer"], "sop_ref": "nope"}),
    ]
    response = upload(client, json.dumps({"cases": items}).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 problems; nothing was imported." in page
    assert '<td class="num">1</td><td><code>priority</code></td>' in page
    assert '<td class="num">2</td><td><code>answer.sop_ref</code></td>' in page
    assert "Use an SOP section like KYC-3.2." in page
    assert counts(app) == (0, 0)


def test_import_refuses_keys_already_in_the_library(app, client, auth, make_golden_case):
    make_golden_case(key="kyc_audit-1")
    auth.login_as("qa_lead")
    payload = {"cases": [golden_item("kyc_audit-2"), golden_item("kyc_audit-1")]}
    response = upload(client, json.dumps(payload).encode())
    assert response.status_code == 422
    assert "A golden case with this key already exists." in response.get_data(as_text=True)
    assert counts(app) == (1, 1)


def test_a_good_file_imports(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    payload = {
        "format": "touchstone-golden/1",
        "cases": [golden_item("kyc_audit-1"), golden_item("kyc_audit-2")],
    }
    response = upload(
        client, "\ufeff".encode() + json.dumps(payload, ensure_ascii=False).encode()
    )  # with a BOM
    assert response.status_code == 302 and response.location == "/golden"
    assert counts(app) == (2, 2)
    assert "Imported 2 golden cases." in client.get("/golden").get_data(as_text=True)


# --- missing cases and who may come in ---


@pytest.mark.parametrize(
    "method,url",
    [
        ("GET", "/golden/999999"),
        ("GET", "/golden/999999/edit"),
        ("POST", "/golden/999999/edit"),
        ("POST", "/golden/999999/status"),
    ],
)
def test_a_missing_case_is_404(client, auth, method, url):
    auth.login_as("qa_lead")
    response = client.open(url, method=method, data={"status": "retired"})
    assert response.status_code == 404 and "There is nothing here." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_only_leads_reach_the_library(app, client, auth, make_golden_case, role):
    case_id = make_golden_case()
    auth.login_as(role)
    assert client.get("/golden").status_code == 403
    assert client.post(f"/golden/{case_id}/status", data={"status": "retired"}).status_code == 403
    assert upload(client, json.dumps({"cases": [golden_item("kyc_audit-7")]}).encode()).status_code == 403
    with app.app_context():
        assert db.session.get(GoldenCase, case_id).status == "active"
    assert counts(app) == (1, 1)


def test_import_names_the_first_item_a_duplicate_key_repeats(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    items = [golden_item("kyc_audit-1"), golden_item("kyc_audit-1")]
    response = upload(client, json.dumps({"cases": items}).encode())
    assert response.status_code == 422
    assert "Duplicate of item 0." in response.get_data(as_text=True)
    assert counts(app) == (0, 0)
