"""The optional `pool` field of a golden case: practice, exam or control; absent means practice. Pure."""

import json
from pathlib import Path

import jsonschema
import pytest

from app.cases.golden_format import DEFAULT_POOL, case_pool, validate_golden_payload
from tests.conftest import golden_item

CASE_TYPES = {"kyc_audit"}
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "seed_cases" / "golden-case.schema.json").read_text("utf-8")
)


def errors_for(item) -> list[tuple[str, str]]:
    _cases, errors = validate_golden_payload({"cases": [item]}, CASE_TYPES)
    return [(error.field, error.text()) for error in errors]


@pytest.mark.parametrize("pool", ["practice", "exam", "control"])
def test_each_pool_is_accepted(pool):
    item = golden_item(pool=pool)
    assert errors_for(item) == []
    assert case_pool(item) == pool


def test_a_case_without_a_pool_is_a_practice_case():
    item = golden_item()
    assert "pool" not in item and errors_for(item) == []
    assert case_pool(item) == DEFAULT_POOL == "practice"


@pytest.mark.parametrize("value", ["weekly", "Exam", "", None, 2])
def test_an_unknown_pool_is_refused_with_the_choices(value):
    assert errors_for(golden_item(pool=value)) == [("pool", "Choose practice, exam or control.")]


def test_the_json_schema_knows_the_pool_field_and_its_values():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    signals = {
        "document_type": "passport",
        "doc_tamper_score": 0.91,
        "name_match_score": 0.97,
        "face_match_score": 0.9,
        "account_age_days": 3,
    }

    def valid(**overrides) -> bool:
        item = golden_item(signals=signals, **overrides)
        return validator.is_valid({"format": "touchstone-golden/1", "cases": [item]})

    assert valid() and valid(pool="exam") and valid(pool="control")
    assert not valid(pool="weekly")
