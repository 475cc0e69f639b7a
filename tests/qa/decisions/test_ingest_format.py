"""Validation of live decisions (ingest_format) and external audits (audit_format): pure, no fixtures."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from app.qa.audits.audit_format import validate_audits
from app.qa.decisions.ingest_format import (
    DECISION_FIELDS,
    DUPLICATE_OF_ROW,
    MAX_BATCH,
    Known,
    batch_problem,
    check_header,
    csv_records,
    item_from_csv,
    template_csv,
    username_key,
    validate_decisions,
)
from tests.qa.decisions.ingest_support import MISSING, decision

KNOWN = Known({"ana": 7, "ben": 8}, {"kyc_audit": 1, "reset_2fa": 2})


def problems(item) -> list[tuple[str, str]]:
    checked = validate_decisions([(0, item)], KNOWN)
    return [(e.field, e.text()) for e in checked.errors]


def test_a_clean_decision_becomes_a_row_of_column_values():
    checked = validate_decisions([(0, decision(opened_at="2026-11-17T10:00:00+02:00"))], KNOWN)
    assert checked.errors == []
    (row,) = checked.rows
    assert row["decision_id"] == "D-00001" and row["agent_id"] == 7 and row["case_type_id"] == 1
    assert row["opened_at"] == datetime(2026, 11, 17, 8, 0, tzinfo=UTC)  # normalised to UTC
    assert row["opened_at"].tzinfo is UTC
    assert row["confidence"] == 0.7 and isinstance(row["confidence"], float)
    assert json.loads(row["signals"]) == {"tamper_score": 0.1, "document_type": "passport"}  # as stored


def test_optional_fields_may_be_missing_or_empty():
    item = decision(scenario=MISSING, label=None, root_cause="", rationale=MISSING, signals=MISSING)
    (row,) = validate_decisions([(0, item)], KNOWN).rows
    assert (row["scenario"], row["label"], row["root_cause"], row["rationale"], row["signals"]) == (
        None,
        None,
        None,
        "",
        None,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("decision_id", "", "Use 1 to 64 characters."),
        ("decision_id", "x" * 65, "Use 1 to 64 characters."),
        ("decision_id", 17, "Use 1 to 64 characters."),
        ("agent", "nobody", "Unknown agent."),
        ("agent", 7, "Unknown agent."),
        ("case_type", "kyc", "Unknown case type."),
        ("scenario", "s" * 65, "Use at most 64 characters, or leave it empty."),
        ("case_ref", "   ", "Use 1 to 64 characters."),
        ("decision", "allow", "Choose pass, block or escalate."),
        ("decision", ["pass"], "Choose pass, block or escalate."),
        ("agent_recommendation", "PASS", "Choose pass, block or escalate."),
        ("confidence", 1.01, "Give a number from 0 to 1."),
        ("confidence", -0.1, "Give a number from 0 to 1."),
        ("confidence", "0.5", "Give a number from 0 to 1."),
        ("confidence", True, "Give a number from 0 to 1."),
        ("confidence", float("nan"), "Give a number from 0 to 1."),
        ("priority", 101, "Give a whole number from 0 to 100."),
        ("priority", -1, "Give a whole number from 0 to 100."),
        ("priority", 50.0, "Give a whole number from 0 to 100."),
        ("priority", True, "Give a whole number from 0 to 100."),
        (
            "opened_at",
            "2026-11-17T08:00:00",
            "Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z.",
        ),
        ("opened_at", "yesterday", "Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z."),
        ("decided_at", 1763370000, "Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z."),
        ("decided_at", "2026-11-17T07:59:59Z", "decided_at must not be before opened_at."),
        ("label", "XX", "Choose TP, TN, FP or FN, or leave it empty."),
        ("root_cause", "D", "Choose A, B or C, or leave it empty."),
        ("root_cause", "agent_error", "Choose A, B or C, or leave it empty."),
        ("rationale", 42, "Give the rationale as text of at most 10000 characters."),
        ("rationale", "x" * 10_001, "Give the rationale as text of at most 10000 characters."),
        ("signals", ["a"], "Give the signals as a JSON object, or leave them empty."),
        ("signals", "tamper", "Give the signals as a JSON object, or leave them empty."),
        ("signals", {"score": float("nan")}, "Give the signals as a JSON object, or leave them empty."),
    ],
)
def test_each_bad_field_is_named(field, value, message):
    assert problems(decision(**{field: value})) == [(field, message)]


@pytest.mark.parametrize(
    "field",
    [
        "decision_id",
        "agent",
        "case_type",
        "case_ref",
        "decision",
        "agent_recommendation",
        "confidence",
        "priority",
        "opened_at",
        "decided_at",
    ],
)
def test_required_fields(field):
    assert problems(decision(**{field: MISSING})) == [(field, "This field is required.")]
    assert problems(decision(**{field: None})) == [(field, "This field is required.")]


def test_unknown_fields_and_non_objects():
    assert problems(decision(colour="red")) == [("colour", "Unknown field.")]
    assert problems(["not", "an", "object"]) == [("", "Each decision must be a JSON object.")]


def test_agents_are_matched_in_normalised_form():
    (row,) = validate_decisions([(0, decision(agent=" ANA "))], KNOWN).rows
    assert row["agent_id"] == 7
    assert username_key("Ａｎａ ") == "ana"  # NFKC folds full-width letters, as app.auth does


def test_every_problem_of_every_item_is_reported_with_its_index():
    items = [decision(1), decision(2, priority=500, decision="allow"), decision(3, agent="zed")]
    checked = validate_decisions(enumerate(items), KNOWN)
    assert [(e.index, e.field) for e in checked.errors] == [(1, "decision"), (1, "priority"), (2, "agent")]


def test_a_decision_id_repeated_in_a_batch_is_an_error_or_a_dropped_repeat():
    items = [decision(1), decision(2), decision(1, priority=10)]
    checked = validate_decisions(enumerate(items), KNOWN)
    assert [(e.index, e.field, e.text()) for e in checked.errors] == [
        (2, "decision_id", "Duplicate of item 0.")
    ]
    lenient = validate_decisions(enumerate(items), KNOWN, allow_repeats=True)
    assert lenient.errors == [] and lenient.repeats == 1
    assert [r["priority"] for r in lenient.rows] == [30, 30]  # the first one wins


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (None, 'Expected an object with a "decisions" list.'),
        ({"a": 1}, 'Expected an object with a "decisions" list.'),
        ([], "The list is empty."),
        ([{}] * (MAX_BATCH + 1), "Send at most 10000 items per request."),
    ],
)
def test_batch_problems(items, message):
    assert batch_problem(items, "decisions").text() == message
    assert batch_problem([{}] * MAX_BATCH, "decisions") is None


# --- CSV ---------------------------------------------------------------------------------------------


def test_header_problems_are_on_row_one():
    header = ["decision_id", "agent", "agent", "colour", *DECISION_FIELDS[3:9]]
    found = {(e.index, e.field, e.text()) for e in check_header(header)}
    assert found == {
        (1, "agent", "This column appears twice."),
        (1, "colour", "Unknown column."),
        (1, "case_type", "This column is missing."),
        (1, "opened_at", "This column is missing."),
        (1, "decided_at", "This column is missing."),
    }
    assert check_header(list(DECISION_FIELDS)) == []
    assert check_header(list(DECISION_FIELDS[:11])) == []  # the optional columns may be left out


def test_csv_cells_are_typed_and_empty_cells_are_absent():
    header = list(DECISION_FIELDS)
    values = ["D-1", "ana", "kyc_audit", "", "C-1", "pass", "pass", "0.5", "30"]
    values += ["2026-11-17T08:00:00Z", "2026-11-17T09:00:00Z", "", "", "", '{"a": 1}']
    item = item_from_csv(header, values)
    assert item["confidence"] == 0.5 and item["priority"] == 30 and item["signals"] == '{"a": 1}'
    assert "scenario" not in item and "label" not in item
    assert validate_decisions([(2, item)], KNOWN).errors == []


def test_csv_cells_that_are_not_numbers_or_json_are_named():
    header = list(DECISION_FIELDS)
    cells = {
        name: str(value) for name, value in decision().items() if value is not None and name != "signals"
    }
    cells.update(confidence="high", priority="3.5")
    checked = validate_decisions([(5, item_from_csv(header, [cells.get(n, "") for n in header]))], KNOWN)
    assert [(e.index, e.field) for e in checked.errors] == [(5, "confidence"), (5, "priority")]
    not_json = item_from_csv(header, [cells.get(n, "") for n in header[:-1]] + ["{oops"])
    assert (not_json.field, not_json.text()) == ("signals", "The signals column must hold a JSON object.")
    for cell in ('{"score": NaN}', "[1, 2]", "3"):
        not_object = item_from_csv(header, [cells.get(n, "") for n in header[:-1]] + [cell])
        assert not_object.field == "signals", cell


def test_csv_rows_are_numbered_from_two_and_short_rows_are_errors():
    header = list(DECISION_FIELDS)
    records = list(csv_records(header, [["x"] * 15, [], ["too", "short"]]))
    assert [number for number, _ in records] == [2, 4]  # the blank line 3 is skipped but counted
    checked = validate_decisions(records, KNOWN, duplicate_message=DUPLICATE_OF_ROW)
    short = [e for e in checked.errors if e.index == 4]
    assert [e.text() for e in short] == ["Expected 15 values, found 2."]


def test_the_template_is_a_header_and_one_valid_example():
    rows = list(csv.reader(io.StringIO(template_csv("ana", "kyc_audit"))))
    assert rows[0] == list(DECISION_FIELDS) and len(rows) == 2
    checked = validate_decisions(csv_records(rows[0], rows[1:]), KNOWN)
    assert checked.errors == [] and json.loads(checked.rows[0]["signals"])["tamper_score"] == 0.91


# --- external audits ---------------------------------------------------------------------------------


def audit(**overrides) -> dict:
    return {
        "decision_id": "D-1",
        "verdict": "incorrect",
        "severity": "major",
        "root_cause": "agent_error",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"decision_id": "D-404"}, "decision_id", "Unknown decision."),
        ({"verdict": "wrong"}, "verdict", "Choose correct or incorrect."),
        ({"verdict": None}, "verdict", "This field is required."),
        ({"severity": None}, "severity", "An incorrect decision needs a severity."),
        ({"severity": "huge"}, "severity", "Choose critical, major or minor."),
        ({"corrected_decision": "allow"}, "corrected_decision", "Choose pass, block or escalate."),
        ({"corrected_label": "NN"}, "corrected_label", "Choose TP, TN, FP or FN, or leave it empty."),
        ({"root_cause": "Z"}, "root_cause", "Choose A, B, C or agent_error, or leave it empty."),
        ({"note": "n" * 4001}, "note", "Give the note as text of at most 4000 characters."),
        ({"extra": 1}, "extra", "Unknown field."),
    ],
)
def test_bad_audit_fields(overrides, field, message):
    checked = validate_audits([audit(**overrides)], {"D-1": 11})
    assert [(e.index, e.field, e.text()) for e in checked.errors] == [(0, field, message)]


def test_audits_become_rows_and_a_decision_may_appear_once_per_batch():
    checked = validate_audits([audit(), audit(verdict="correct", severity=None)], {"D-1": 11})
    assert [(e.index, e.text()) for e in checked.errors] == [(1, "Duplicate of item 0.")]
    clean = validate_audits([audit(note=" fine ", corrected_label="FP")], {"D-1": 11})
    assert clean.rows == [
        {
            "live_decision_id": 11,
            "verdict": "incorrect",
            "corrected_decision": None,
            "corrected_label": "FP",
            "severity": "major",
            "root_cause": "agent_error",
            "note": "fine",
        }
    ]
