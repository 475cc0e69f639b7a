"""The golden-case library pages: filters, export, the case editor, retire/restore and the JSON import."""

import io
import json

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.extensions import db
from tests.conftest import golden_item
from tests.forms import page_form


def typed_case(**overrides) -> dict:
    """What a lead types into the case editor for golden_item(), with overrides."""
    item = golden_item()
    answer = item["answer"]
    fields = {
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
    fields.update(overrides)
    return fields


def create(client, **overrides):
    """Open the new-case page, type golden_item() with overrides, and save."""
    return page_form(client, "/golden/new").fill(**typed_case(**overrides)).submit()


def edit(client, case_id: int, **changes):
    """Open the case editor (filled with the stored case), change some fields, and save."""
    return page_form(client, f"/golden/{case_id}/edit").fill(**changes).submit()


def set_status(client, case_id: int, status: str):
    """Press Retire or Restore on the case page (whichever it offers)."""
    return page_form(client, f"/golden/{case_id}", action=f"/golden/{case_id}/status").submit(
        f"status={status}"
    )


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


# --- creating a case ---


def test_create_a_case(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    response = create(client)
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
        ({"priority": ""}, "priority", "This field is required."),  # what a browser sends for "lots"
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
    response = create(client, **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{escape(message)}' in page
    assert counts(app) == (0, 0)


def test_create_refuses_a_priority_that_is_not_a_number(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    data = dict(page_form(client, "/golden/new").fill(**typed_case()).pairs())
    # Crafted: the number input lets no browser send "lots"; the server must still refuse it.
    response = client.post("/golden/new", data={**data, "priority": "lots"})
    assert response.status_code == 422
    assert error_next_to("priority", "Not a valid integer value.") in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


def test_create_refuses_a_key_in_use(app, client, auth, make_golden_case):
    make_golden_case()
    auth.login_as("qa_lead")
    response = create(client, scenario="kyc.other")
    assert response.status_code == 422
    assert error_next_to("key", "A golden case with this key already exists.") in response.get_data(
        as_text=True
    )
    assert counts(app) == (1, 1)


def test_create_refuses_a_case_type_renamed_while_the_page_was_open(app, client, auth, make_case_type):
    make_case_type()
    fraud = make_case_type(slug="fraud_ring", name="Fraud ring", sop_prefix="FR")
    auth.login_as("qa_lead")
    form = page_form(client, "/golden/new").fill(**typed_case(case_type="fraud_ring"))
    with app.app_context():  # an admin renames the case type before the lead saves
        db.session.get(CaseType, fraud.id).slug = "fraud_rings"
        db.session.commit()
    response = form.submit()
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
    response = edit(client, case_id, difficulty="hard", confidence="0.40")
    assert response.status_code == 302
    assert len(versions(app, case_id)) == 1
    with app.app_context():
        case = db.session.get(GoldenCase, case_id)
        assert (case.difficulty, case.confidence) == ("hard", 0.4)


def test_an_untouched_rationale_on_two_lines_makes_no_new_version(app, client, auth, make_golden_case):
    # The browser sends the textarea's line breaks as CR LF; the stored answer has LF.
    two_lines = "Tamper score 0.91 shows an edited MRZ.\nThe model under-weights tamper signals."
    case_id = make_golden_case(answer={**golden_item()["answer"], "rationale": two_lines})
    auth.login_as("qa_lead")
    assert edit(client, case_id, difficulty="hard").status_code == 302
    assert versions(app, case_id) == [(1, two_lines)]


def test_an_untouched_confidence_keeps_its_precision(app, client, auth, make_golden_case):
    case_id = make_golden_case(confidence=0.625)  # imports take any number from 0 to 1
    auth.login_as("qa_lead")
    assert edit(client, case_id, rationale="Tamper score 0.91 shows an edited MRZ.").status_code == 302
    with app.app_context():
        assert db.session.get(GoldenCase, case_id).confidence == 0.625


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
    response = edit(client, case_id, **overrides)
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

    response = set_status(client, case_id, "retired")
    assert response.status_code == 302 and status() == ("retired", True)
    page = client.get(f"/golden/{case_id}").get_data(as_text=True)
    assert "Case retired." in page and 'value="active"' in page  # now offers Restore
    set_status(client, case_id, "active")
    assert status() == ("active", False)
    # Tampered: a status the page never offers (here "deleted") is refused and changes nothing.
    client.post(f"/golden/{case_id}/status", data={"status": "deleted"})
    assert status() == ("active", False)
    assert "Nothing changed: choose retire or restore." in client.get(f"/golden/{case_id}").get_data(
        as_text=True
    )


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
    # Crafted: no page links to a case that does not exist, so the posts are sent by hand.
    response = client.open(url, method=method, data={"status": "retired"})
    assert response.status_code == 404 and "There is nothing here." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_only_leads_reach_the_library(app, client, auth, make_golden_case, role):
    case_id = make_golden_case()
    auth.login_as(role)
    assert client.get("/golden").status_code == 403
    # Forged: the pages holding these forms refuse this role, so the posts are crafted by hand.
    assert client.post(f"/golden/{case_id}/status", data={"status": "retired"}).status_code == 403
    upload = {"file": (io.BytesIO(json.dumps({"cases": [golden_item("kyc_audit-7")]}).encode()), "g.json")}
    assert client.post("/golden/import", data=upload, content_type="multipart/form-data").status_code == 403
    with app.app_context():
        assert db.session.get(GoldenCase, case_id).status == "active"
    assert counts(app) == (1, 1)
