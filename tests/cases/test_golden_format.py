"""Golden-case rules (format, label table, root cause, Key Users, rationale), sentence counting. Pure."""

import copy

import pytest

from app.cases.golden_format import (
    CASE_FIELDS,
    FORMAT,
    answer_problems,
    parse_timestamp,
    validate_golden_payload,
)
from app.cases.sentences import count_sentences
from app.cases.vocabulary import derive_label, is_key_user, root_cause_required
from tests.conftest import golden_item

CASE_TYPES = {"kyc_audit", "ato_investigation"}
LABEL_TABLE = {
    ("block", "block"): "TP",
    ("block", "pass"): "FP",
    ("pass", "block"): "FN",
    ("pass", "pass"): "TN",
}


def problems(item) -> dict[str, list[str]]:
    """field -> messages for a file holding this one item."""
    _cases, errors = validate_golden_payload({"cases": [item]}, CASE_TYPES)
    found: dict[str, list[str]] = {}
    for error in errors:
        assert error.index == 0
        found.setdefault(error.field, []).append(error.text())
    return found


def with_answer(**answer) -> dict:
    item = golden_item()
    item["answer"] = {**item["answer"], **answer}
    return item


def consistent_answer(recommendation: str, decision: str, label: str) -> dict:
    """An item whose root cause fits the label, so only the label table can complain."""
    return golden_item(
        recommendation=recommendation,
        answer={
            "decision": decision,
            "label": label,
            "root_cause": "A" if label in ("FP", "FN") else None,
            "rationale": "The signals say so.",
            "sop_ref": "KYC-3.2",
        },
    )


def test_the_reference_item_is_valid():
    cases, errors = validate_golden_payload({"format": FORMAT, "cases": [golden_item()]}, CASE_TYPES)
    assert errors == [] and cases[0]["key"] == "kyc_audit-900"


# --- required, unknown and enumerated fields ---


@pytest.mark.parametrize("name", [name for name in CASE_FIELDS if name != "status"])
def test_each_field_is_required(name):
    item = golden_item()
    del item[name]
    assert "This field is required." in problems(item)[name]


def test_status_is_optional():
    item = golden_item()
    del item["status"]
    assert problems(item) == {}


@pytest.mark.parametrize(
    "item,field",
    [
        (golden_item(notes="hello"), "notes"),
        (with_answer(comment="extra"), "answer.comment"),
    ],
)
def test_unknown_fields_are_named(item, field):
    assert problems(item)[field] == ["Unknown field."]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("case_type", "fraud_ring", "Unknown case type."),
        ("case_type", ["kyc_audit"], "Unknown case type."),
        ("difficulty", "extreme", "Choose easy, medium or hard."),
        ("status", "archived", "Choose active or retired."),
        ("recommendation", "approve", "Choose pass, block or escalate."),
        ("key", "Has Spaces", "Use 3-64 lowercase letters, digits, '.', '_' or '-'."),
        ("key", "ab", "Use 3-64 lowercase letters, digits, '.', '_' or '-'."),
        ("scenario", "kyc-doc", "Use 3-64 lowercase letters, digits, '.' or '_'."),
        ("signals", {}, "Give 1 to 40 signals as a JSON object."),
        ("signals", ["tamper"], "Give 1 to 40 signals as a JSON object."),
        ("signals", {f"s{i}": i for i in range(41)}, "Give 1 to 40 signals as a JSON object."),
        ("reasoning", [], "Give 1 to 10 non-empty reasoning steps."),
        ("reasoning", ["  "], "Give 1 to 10 non-empty reasoning steps."),
        ("reasoning", "one step", "Give 1 to 10 non-empty reasoning steps."),
        ("reasoning", ["step"] * 11, "Give 1 to 10 non-empty reasoning steps."),
        ("answer", "block", "The answer must be a JSON object."),
    ],
)
def test_field_values_outside_their_vocabulary(field, value, message):
    assert message in problems(golden_item(**{field: value}))[field]


@pytest.mark.parametrize(
    "signals,field",
    [({"Tamper Score": 0.9}, "signals.Tamper Score"), ({"tamper": {"score": 0.9}}, "signals.tamper")],
)
def test_signal_names_and_values(signals, field):
    assert field in problems(golden_item(signals=signals))


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("decision", "allow", "Choose pass, block or escalate."),
        ("label", "XX", "Choose TP, TN, FP or FN."),
    ],
)
def test_answer_values_outside_their_vocabulary(field, value, message):
    assert message in problems(with_answer(**{field: value}))[f"answer.{field}"]


@pytest.mark.parametrize("confidence", [0, 1, 0.5, 0.999])
def test_confidence_in_range(confidence):
    assert "confidence" not in problems(golden_item(confidence=confidence))


@pytest.mark.parametrize("confidence", [-0.01, 1.01, "0.5", True, None, float("nan")])
def test_confidence_out_of_range(confidence):
    assert problems(golden_item(confidence=confidence))["confidence"] == ["Give a number from 0 to 1."]


@pytest.mark.parametrize("priority", [0, 74, 100])
def test_priority_in_range(priority):
    item = golden_item(priority=priority)
    if priority >= 75:
        item["answer"] = {**item["answer"], "decision": "escalate"}
    assert problems(item) == {}


@pytest.mark.parametrize("priority", [-1, 101, 50.0, 50.5, "50", True, False, None])
def test_priority_must_be_a_whole_number_0_to_100(priority):
    assert problems(golden_item(priority=priority))["priority"] == ["Give a whole number from 0 to 100."]


@pytest.mark.parametrize("opened_at", ["2026-10-01T08:00:00Z", "2026-10-01T16:00:00+08:00"])
def test_opened_at_with_a_time_zone(opened_at):
    assert "opened_at" not in problems(golden_item(opened_at=opened_at))


@pytest.mark.parametrize("opened_at", ["2026-10-01T08:00:00", "2026-10-01", "yesterday", 1759305600, None])
def test_opened_at_needs_a_time_zone(opened_at):
    assert "opened_at" in problems(golden_item(opened_at=opened_at))
    assert parse_timestamp(opened_at) is None


def test_parse_timestamp_keeps_the_instant():
    assert parse_timestamp("2026-10-01T16:00:00+08:00") == parse_timestamp("2026-10-01T08:00:00Z")


# --- the label table, root causes, Key Users ---


@pytest.mark.parametrize(
    "recommendation,decision,label",
    [
        (rec, dec, label)
        for (rec, dec), expected in LABEL_TABLE.items()
        for label in ("TP", "TN", "FP", "FN")
        if label != expected
    ],
)
def test_a_label_contradicting_the_table_is_refused(recommendation, decision, label):
    expected = LABEL_TABLE[(recommendation, decision)]
    found = problems(consistent_answer(recommendation, decision, label))
    assert found == {"answer.label": [f"The recommendation and the decision make this label {expected}."]}


@pytest.mark.parametrize("pair,label", LABEL_TABLE.items())
def test_the_label_the_table_gives_is_accepted(pair, label):
    assert problems(consistent_answer(*pair, label)) == {}
    assert derive_label(*pair) == label


@pytest.mark.parametrize(
    "recommendation,decision",
    [
        ("escalate", "pass"),
        ("escalate", "block"),
        ("escalate", "escalate"),
        ("pass", "escalate"),
        ("block", "escalate"),
    ],
)
@pytest.mark.parametrize("label", ["TP", "TN", "FP", "FN"])
def test_with_escalate_on_either_side_any_label_is_a_judgement(recommendation, decision, label):
    assert derive_label(recommendation, decision) is None
    assert problems(consistent_answer(recommendation, decision, label)) == {}


@pytest.mark.parametrize("label", ["FP", "FN"])
@pytest.mark.parametrize("root_cause", [None, "", "D"])
def test_fp_and_fn_need_a_root_cause(label, root_cause):
    item = consistent_answer("escalate", "escalate", label)
    item["answer"]["root_cause"] = root_cause
    assert problems(item)["answer.root_cause"] == ["FP and FN need a root cause: A, B or C."]


@pytest.mark.parametrize("label", ["TP", "TN"])
@pytest.mark.parametrize("root_cause", ["A", "B", "C"])
def test_tp_and_tn_have_no_root_cause(label, root_cause):
    item = consistent_answer("escalate", "escalate", label)
    item["answer"]["root_cause"] = root_cause
    assert problems(item)["answer.root_cause"] == ["TP and TN have no root cause."]


@pytest.mark.parametrize("label,expected", [("FP", True), ("FN", True), ("TP", False), ("TN", False)])
def test_root_cause_required(label, expected):
    assert root_cause_required(label) is expected


@pytest.mark.parametrize("priority", [75, 90, 100])
@pytest.mark.parametrize("decision", ["pass", "block"])
def test_key_users_must_be_escalated(priority, decision):
    item = consistent_answer("escalate", decision, "TN")
    item["priority"] = priority
    assert problems(item)["answer.decision"] == ["Key User cases (priority 75 or more) are always escalated."]


@pytest.mark.parametrize(
    "priority,decision", [(75, "escalate"), (100, "escalate"), (74, "block"), (0, "pass")]
)
def test_escalated_key_users_and_ordinary_users_pass(priority, decision):
    item = consistent_answer("escalate", decision, "TN")
    item["priority"] = priority
    assert problems(item) == {}


@pytest.mark.parametrize("priority,expected", [(74, False), (75, True), (100, True), (0, False)])
def test_key_user_threshold(priority, expected):
    assert is_key_user(priority) is expected


# --- rationale and SOP reference ---


@pytest.mark.parametrize(
    "rationale,message",
    [
        ("", "Write a rationale."),
        ("   ", "Write a rationale."),
        (None, "Write a rationale."),
        (42, "Write a rationale."),
        ("One. Two. Three. Four.", "Keep the rationale to three sentences at most."),
        ("一。二。三。四。", "Keep the rationale to three sentences at most."),
        ("分数高！为什么？因为篡改。还有第四句", "Keep the rationale to three sentences at most."),
        ("Tamper is high. 名字匹配。Block it! Why?", "Keep the rationale to three sentences at most."),
        ("x" * 2001 + ".", "Keep the rationale under 2000 characters."),
    ],
)
def test_rationale_rules(rationale, message):
    assert message in problems(with_answer(rationale=rationale))["answer.rationale"]


@pytest.mark.parametrize(
    "rationale",
    [
        "One sentence.",
        "One. Two. Three.",
        "篡改分数高。名字匹配。应当拦截。",
        "分数高！为什么？因为篡改",
        "No stop at all",
    ],
)
def test_rationale_of_one_to_three_sentences(rationale):
    assert "answer.rationale" not in problems(with_answer(rationale=rationale))


@pytest.mark.parametrize("sop_ref", ["KYC-3.2", "ATO-1", "POA2-12.10", "WD-7"])
def test_sop_ref_accepted(sop_ref):
    assert problems(with_answer(sop_ref=sop_ref)) == {}


@pytest.mark.parametrize(
    "sop_ref", ["kyc-3.2", "KYC3.2", "KYC-3.", "KYC-123", "K-1", "TOOLONGPR-1", "KYC-3.2.1", "", None, 3.2]
)
def test_sop_ref_pattern(sop_ref):
    assert problems(with_answer(sop_ref=sop_ref))["answer.sop_ref"] == ["Use an SOP section like KYC-3.2."]


def test_answer_problems_works_on_plain_answers():
    answer = {"decision": "pass", "label": "TN", "root_cause": None, "rationale": "Fine.", "sop_ref": "KYC-1"}
    assert answer_problems("pass", 10, answer) == []
    found = answer_problems("block", 80, answer)
    assert {(p.field, p.text()) for p in found} == {
        ("label", "The recommendation and the decision make this label FP."),
        ("decision", "Key User cases (priority 75 or more) are always escalated."),
    }


# --- the file as a whole ---


def test_duplicate_keys_in_one_file_point_at_the_first():
    items = [golden_item("kyc_audit-1"), golden_item("kyc_audit-2"), golden_item("kyc_audit-1")]
    _cases, errors = validate_golden_payload({"cases": items}, CASE_TYPES)
    assert [(e.index, e.field, e.text()) for e in errors] == [(2, "key", "Duplicate of item 0.")]


def test_errors_carry_the_item_index():
    items = [golden_item("kyc_audit-1"), golden_item("kyc_audit-2", priority=-5), golden_item("kyc_audit-3")]
    _cases, errors = validate_golden_payload({"cases": items}, CASE_TYPES)
    assert [(e.index, e.field) for e in errors] == [(1, "priority")]


@pytest.mark.parametrize(
    "payload,field,message",
    [
        ([golden_item()], "cases", 'Expected an object with a "cases" list.'),
        ("cases", "cases", 'Expected an object with a "cases" list.'),
        (None, "cases", 'Expected an object with a "cases" list.'),
        ({"items": [golden_item()]}, "cases", 'Expected an object with a "cases" list.'),
        ({"cases": golden_item()}, "cases", 'Expected an object with a "cases" list.'),
        ({"cases": []}, "cases", "The file has no cases."),
        ({"format": "touchstone-golden/2", "cases": [golden_item()]}, "format", f"Expected format {FORMAT}."),
    ],
)
def test_top_level_shape(payload, field, message):
    cases, errors = validate_golden_payload(copy.deepcopy(payload), CASE_TYPES)
    assert cases == []
    assert [(e.index, e.field, e.text()) for e in errors] == [(None, field, message)]


@pytest.mark.parametrize("item", ["a string", 7, None, ["list"]])
def test_an_item_that_is_not_an_object(item):
    _cases, errors = validate_golden_payload({"cases": [golden_item(), item]}, CASE_TYPES)
    assert [(e.index, e.field, e.text()) for e in errors] == [(1, "", "Each case must be a JSON object.")]


# --- counting sentences ---


@pytest.mark.parametrize(
    "text,count",
    [
        ("", 0),
        ("   ", 0),
        (None, 0),
        ("One.", 1),
        ("No full stop", 1),
        ("One. Two.", 2),
        ("One.Two.", 1),  # no space after the stop: not a sentence end in English
        ("The tamper score of 0.91 is high. Block it.", 2),
        ("Is it new? Yes! Block.", 3),
        ("Wait... then block.", 2),
        ("Signals, e.g. device and IP, agree. Block.", 2),
        ("It looked clean, i.e. no hits. Pass.", 2),
        ("Amount vs. average is 40x. Block.", 2),
        ("Approx. 3 times the average. Block.", 2),
        ("Account no. 5 is linked. Block.", 2),
        ("Is the address new? The answer is no. Pass it.", 3),
        ("Trailing text after one. and more", 2),
    ],
)
def test_english_sentences(text, count):
    assert count_sentences(text) == count


@pytest.mark.parametrize(
    "text,count",
    [
        ("篡改分数很高。", 1),
        ("篡改分数很高。应当拦截。", 2),
        ("篡改分数很高！为什么？因为证件被修改。", 3),
        ("篡改分数很高。应当拦截", 2),
        ("分数0.91很高。应当拦截。", 2),
        ("真的吗？！是的。", 2),
        ("Tamper 分数很高。Block it.", 2),
        ("一。二。三。四。", 4),
    ],
)
def test_chinese_sentences(text, count):
    assert count_sentences(text) == count
