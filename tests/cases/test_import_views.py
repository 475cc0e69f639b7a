"""The golden-case JSON import page, used as a lead uses it: choose a file on the page and press Import."""

import json

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.cases.models import GoldenCase, ReferenceAnswer
from app.extensions import db
from tests.conftest import golden_item
from tests.forms import page_form


def upload(client, content: bytes | None, name="golden.json"):
    """Open the import page, choose a file (or none) and press Import."""
    form = page_form(client, "/golden/import")
    if content is not None:
        form.attach("file", content, name)
    return form.submit()


def error_next_to(field: str, message: str) -> str:
    return f'<p class="error" id="{field}-error">{escape(message)}</p>'


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(GoldenCase)),
            db.session.scalar(select(func.count()).select_from(ReferenceAnswer)),
        )


def test_export_can_be_imported_again(app, client, auth, make_golden_case):
    make_golden_case(key="kyc_audit-1")
    make_golden_case(key="kyc_audit-2", scenario="kyc.name_mismatch", status="retired")
    make_golden_case(key="ato_investigation-1", case_type="ato_investigation", scenario="ato.new_device")
    auth.login_as("admin")
    exported = client.get("/golden/export?case_type=kyc_audit").data
    with app.app_context():
        for case in db.session.scalars(select(GoldenCase)):
            db.session.delete(case)
        db.session.commit()
    assert upload(client, exported).status_code == 302
    assert counts(app) == (2, 2)
    assert json.loads(client.get("/golden/export").data) == json.loads(exported)


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


def test_import_without_a_file(app, client, auth):
    auth.login_as("qa_lead")
    response = upload(client, None)
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)
    assert counts(app) == (0, 0)


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
    with_bom = "\ufeff".encode() + json.dumps(payload, ensure_ascii=False).encode()
    response = upload(client, with_bom)
    assert response.status_code == 302 and response.location == "/golden"
    assert counts(app) == (2, 2)
    assert "Imported 2 golden cases." in client.get("/golden").get_data(as_text=True)


def test_import_names_the_first_item_a_duplicate_key_repeats(app, client, auth, make_case_type):
    make_case_type()
    auth.login_as("qa_lead")
    items = [golden_item("kyc_audit-1"), golden_item("kyc_audit-1")]
    response = upload(client, json.dumps({"cases": items}).encode())
    assert response.status_code == 422
    assert "Duplicate of item 0." in response.get_data(as_text=True)
    assert counts(app) == (0, 0)
