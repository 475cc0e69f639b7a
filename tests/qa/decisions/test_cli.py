"""`flask qa import FILE.csv|FILE.jsonl`: streamed, batched, one transaction, all or nothing."""

import json

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db as _db
from app.qa.decisions.models import LiveDecision, LiveFinding
from tests.qa.decisions.ingest_support import count, csv_bytes, decision


@pytest.fixture
def people(make_user, make_case_type):
    make_case_type()
    make_user("agent", username="ana")


def write_csv(tmp_path, items, name="decisions.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(items))
    return path


def write_jsonl(tmp_path, items, name="decisions.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(item) for item in items) + "\n", encoding="utf-8")
    return path


def test_a_csv_file_is_imported_in_batches(app, runner, tmp_path, people):
    items = [decision(n, priority=80 if n % 10 == 0 else 30) for n in range(250)]
    result = runner.invoke(args=["qa", "import", str(write_csv(tmp_path, items)), "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert "Decisions: 250 created, 0 duplicates skipped." in result.output
    assert count(app, LiveDecision) == 250 and count(app, LiveFinding) == 25
    with app.app_context():
        (event,) = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "qa.ingest"))
        assert event.detail == {"source": "cli", "file": "decisions.csv", "created": 250, "duplicates": 0}


def test_a_jsonl_file_is_imported_and_duplicates_are_skipped(app, runner, tmp_path, people):
    runner.invoke(
        args=["qa", "import", str(write_jsonl(tmp_path, [decision(1), decision(2)], "first.jsonl"))]
    )
    items = [decision(2), decision(3), {}, decision(3)]
    path = write_jsonl(tmp_path, [i for i in items if i])
    path.write_text(path.read_text() + "\n", encoding="utf-8")  # a blank line is skipped
    result = runner.invoke(args=["qa", "import", str(path)])
    assert result.exit_code == 0, result.output
    # D-00002 was stored before; the second D-00003 repeats the first one in the file.
    assert "Decisions: 1 created, 2 duplicates skipped." in result.output
    assert count(app, LiveDecision) == 3


def test_an_invalid_row_aborts_with_its_number_and_writes_nothing(app, runner, tmp_path, people):
    items = [decision(n) for n in range(150)]
    items[130] = decision(130, agent="nobody")
    result = runner.invoke(args=["qa", "import", str(write_csv(tmp_path, items)), "--batch-size", "100"])
    assert result.exit_code != 0
    assert "nothing imported" in result.output
    assert "row 132, agent: Unknown agent." in result.output  # the header is row 1
    assert count(app, LiveDecision) == 0  # the first batch was rolled back too


def test_an_invalid_jsonl_line_is_named_by_line(app, runner, tmp_path, people):
    path = write_jsonl(tmp_path, [decision(1), decision(2, confidence=3)])
    path.write_text(path.read_text() + "{oops\n", encoding="utf-8")
    result = runner.invoke(args=["qa", "import", str(path)])
    assert result.exit_code != 0
    assert "line 2, confidence: Give a number from 0 to 1." in result.output
    assert "line 3, row: This line is not valid JSON." in result.output
    assert count(app, LiveDecision) == 0


def test_a_bad_header_or_encoding_or_format_aborts(app, runner, tmp_path, people):
    bad_header = tmp_path / "header.csv"
    bad_header.write_text("decision_id,agent\nD-1,ana\n", encoding="utf-8")
    result = runner.invoke(args=["qa", "import", str(bad_header)])
    assert result.exit_code != 0 and "row 1, case_type: This column is missing." in result.output
    latin = tmp_path / "latin.jsonl"
    text = json.dumps(decision(1, rationale="café"), ensure_ascii=False)
    latin.write_bytes(text.encode("latin-1"))
    result = runner.invoke(args=["qa", "import", str(latin)])
    assert result.exit_code != 0 and "not UTF-8" in result.output
    other = tmp_path / "decisions.xlsx"
    other.write_bytes(b"PK")
    assert runner.invoke(args=["qa", "import", str(other)]).exit_code != 0
    assert count(app, LiveDecision) == 0
