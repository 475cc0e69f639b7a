"""Every CSV path reads strictly (app.strict_parsing.csv_rows): a quoted field that never closes, a stray
character after a closing quote, or a NUL is refused with the line it is on, and nothing is stored, in
the upload page and in `flask qa import`; over-deep or NUL signals are refused like any bad signals."""

import io

import pytest

from app.qa.decisions.models import LiveDecision
from app.strict_parsing import CSVRejected, csv_rows
from tests.forms import page_form
from tests.qa.decisions.ingest_support import count, csv_bytes, decision

# The last field of the last row (its signals) opens a quote that never closes. A lenient reader takes
# the field up to the end of the file: valid signals, so it stored the row.
UNTERMINATED = csv_bytes([decision(1), decision(2)]).rstrip(b"\r\n").removesuffix(b'"')
AFTER_QUOTE = csv_bytes([decision(1)]).replace(b"CASE-1", b'"CASE-1"x')
WITH_NUL = csv_bytes([decision(1, case_ref="CASE\x001")])
HOSTILE = {
    "unterminated quote": (UNTERMINATED, "a quoted field is never closed"),
    "text after a closing quote": (AFTER_QUOTE, "expected after"),
    "NUL character": (WITH_NUL, "holds a NUL character"),
}


@pytest.fixture
def people(make_user, make_case_type):
    make_case_type()
    make_user("agent", username="ana")


@pytest.mark.parametrize(
    "text, line",
    [('a,"b', 1), ('a,b\r\nc,"d\r\ne,f\r\n', 3), ('a,"b"c\r\n', 1), ("a\r\nb\x00\r\n", 2)],
)
def test_the_reader_names_the_line_where_the_csv_breaks(text, line):
    with pytest.raises(CSVRejected) as refused:
        list(csv_rows(io.StringIO(text, newline="")))
    assert refused.value.params["line"] == line


def test_the_reader_reads_well_formed_csv_as_the_csv_module_does():
    text = 'a,"b, with comma","line\r\nbreak",""\r\n\r\nc,"say ""hi""",,\r\n'
    assert list(csv_rows(io.StringIO(text, newline=""))) == [
        ["a", "b, with comma", "line\r\nbreak", ""],
        [],
        ["c", 'say "hi"', "", ""],
    ]


@pytest.mark.parametrize("case", HOSTILE)
def test_the_upload_refuses_broken_csv_and_stores_nothing(app, client, auth, people, case):
    data, message = HOSTILE[case]
    auth.login_as("qa_lead")
    response = page_form(client, "/qa/import").attach("file", data, "decisions.csv").submit()
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, LiveDecision) == 0


@pytest.mark.parametrize("case", HOSTILE)
def test_flask_qa_import_refuses_broken_csv_and_stores_nothing(app, runner, tmp_path, people, case):
    data, message = HOSTILE[case]
    path = tmp_path / "decisions.csv"
    path.write_bytes(data)
    result = runner.invoke(args=["qa", "import", str(path)])
    assert result.exit_code != 0
    assert message in result.output
    assert count(app, LiveDecision) == 0


@pytest.mark.parametrize("signals", ["[" * 50_000 + "]" * 50_000, '{"a": "\\u0000"}', '{"a": "\\ud800"}'])
def test_hostile_signals_in_a_csv_row_are_a_row_error_not_a_crash(app, client, auth, people, signals):
    auth.login_as("qa_lead")
    data = csv_bytes([decision(1)]).replace(
        b'"{""tamper_score"": 0.1, ""document_type"": ""passport""}"', b"S"
    )
    data = data.replace(b",S", b',"' + signals.replace('"', '""').encode() + b'"')
    response = page_form(client, "/qa/import").attach("file", data, "decisions.csv").submit()
    assert response.status_code == 422
    assert "signals" in response.get_data(as_text=True)
    assert count(app, LiveDecision) == 0


def test_an_over_deep_jsonl_line_is_named_by_line(app, runner, tmp_path, people):
    path = tmp_path / "decisions.jsonl"
    path.write_text('{"decision_id": "D-1"}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = runner.invoke(args=["qa", "import", str(path)])
    assert result.exit_code != 0 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "line 2" in result.output.lower()
    assert count(app, LiveDecision) == 0
