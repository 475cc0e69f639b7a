"""The CSV upload page for QA leads and admins: errors by row and column with nothing written, then a
clean upload; the template download."""

import csv
import io

import pytest

from app.qa.decisions.ingest_format import DECISION_FIELDS
from app.qa.decisions.models import LiveDecision, LiveFinding
from tests.forms import page_form
from tests.qa.decisions.ingest_support import count, csv_bytes, decision

URL = "/qa/import"


def upload(client, data: bytes, name="decisions.csv"):
    """Choose the file on the upload page and press "Check and import"."""
    return page_form(client, URL).attach("file", data, name).submit()


@pytest.fixture
def lead(auth, make_user, make_case_type):
    make_case_type()
    make_user("agent", username="ana")
    return auth.login_as("qa_lead")


def error_rows(html: str) -> list[tuple[str, str]]:
    """(row, column) of each line of the error table."""
    body = html.split('<table class="import-errors">', 1)[1].split("</table>", 1)[0]
    cells = [row.split("</td>")[:2] for row in body.split('<tr><td class="num">')[1:]]
    return [(r[0].strip(), r[1].split("<code>")[1].split("</code>")[0]) for r in cells]


def test_a_file_with_errors_lists_them_by_row_and_column_and_writes_nothing(app, client, lead):
    items = [decision(1), decision(2, agent="nobody", priority=101), decision(3), decision(1)]
    response = upload(client, csv_bytes(items))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_rows(html) == [("3", "agent"), ("3", "priority"), ("5", "decision_id")]
    assert "Unknown agent." in html and "Duplicate of row 2." in html
    assert "the header as row 1" in html
    assert count(app, LiveDecision) == 0


def test_a_clean_file_is_stored_with_its_findings(app, client, lead):
    items = [decision(1), decision(2, priority=80), decision(3, label=None, signals=None)]
    response = upload(client, csv_bytes(items, bom=True))
    assert response.status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert "3 decisions stored; 0 already stored." in page
    assert count(app, LiveDecision) == 3 and count(app, LiveFinding) == 1
    again = upload(client, csv_bytes([decision(3), decision(4)]))
    assert again.status_code == 302
    assert "1 decision stored; 1 already stored." in client.get(URL).get_data(as_text=True)


def test_fix_the_file_and_upload_it_again(app, client, lead):
    assert upload(client, csv_bytes([decision(1, opened_at="2026-11-17 08:00")])).status_code == 422
    assert count(app, LiveDecision) == 0
    assert upload(client, csv_bytes([decision(1)])).status_code == 302
    assert count(app, LiveDecision) == 1


def test_header_problems_are_row_one(app, client, lead):
    header = [name for name in DECISION_FIELDS if name != "case_ref"] + ["colour"]
    response = upload(client, csv_bytes([decision(1)], header=header))
    assert response.status_code == 422
    assert sorted(error_rows(response.get_data(as_text=True))) == [("1", "case_ref"), ("1", "colour")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("decision_id,agent\n".encode("utf-16"), "not UTF-8"),
        (b"", "The file is empty."),
        (",".join(DECISION_FIELDS).encode(), "no decisions"),
        (b"\n\n", "The file is empty."),
    ],
)
def test_unreadable_files_are_form_errors(app, client, lead, data, message):
    response = upload(client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, LiveDecision) == 0


def test_a_post_without_a_file_is_a_form_error(app, client, lead):
    response = page_form(client, URL).submit()  # no file chosen
    assert response.status_code == 422
    assert "Choose a CSV file." in response.get_data(as_text=True)


def test_the_template_downloads_and_uploads_cleanly(app, client, lead):
    response = client.get(f"{URL}/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == list(DECISION_FIELDS) and len(rows) == 2
    assert rows[1][1] == "ana"  # a real agent, so the example row loads as it is
    assert upload(client, response.data).status_code == 302
    assert count(app, LiveDecision) == 1


def test_the_page_offers_the_template(client, lead):
    html = client.get(URL).get_data(as_text=True)
    assert 'href="/qa/import/template.csv"' in html and 'type="file"' in html


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_other_roles_may_not_upload(app, client, auth, make_case_type, role):
    make_case_type()
    auth.login_as(role)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/template.csv").status_code == 403
    # Forged: the page is refused to these roles, so no browser of theirs has the form.
    files = {"file": (io.BytesIO(csv_bytes([decision(1)])), "decisions.csv")}
    assert client.post(URL, data=files, content_type="multipart/form-data").status_code == 403
    assert count(app, LiveDecision) == 0


def test_admins_may_upload(app, client, auth, make_user, make_case_type):
    make_case_type()
    make_user("agent", username="ana")
    auth.login_as("admin")
    assert upload(client, csv_bytes([decision(1)])).status_code == 302
    assert count(app, LiveDecision) == 1
