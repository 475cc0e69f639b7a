"""The golden set in seed_cases/: big enough, varied, valid against its schema, and loadable."""

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from app.cases.cli import load_seed_golden
from app.cases.golden_format import validate_golden_payload
from app.cases.models import GoldenCase, ReferenceAnswer
from app.sop.models import SopVersion
from app.sop.parsing import parse_sections, sop_ref_number

SEED = Path(__file__).resolve().parents[2] / "seed_cases"
TYPES = [t["slug"] for t in json.loads((SEED / "case_types.json").read_text())["case_types"]]


def _cases() -> list[dict]:
    return [case for slug in TYPES for case in json.loads((SEED / f"{slug}.json").read_text())["cases"]]


def test_the_five_case_types_from_the_domain():
    assert set(TYPES) == {"kyc_audit", "ato_investigation", "reset_2fa", "poa_review", "withdrawal_anomaly"}


def test_at_least_200_cases_and_40_per_type_over_several_scenarios():
    cases = _cases()
    assert len(cases) >= 200
    per_type = Counter(c["case_type"] for c in cases)
    assert all(per_type[slug] >= 40 for slug in TYPES), per_type
    for slug in TYPES:
        scenarios = Counter(c["scenario"] for c in cases if c["case_type"] == slug)
        assert len(scenarios) >= 5 and min(scenarios.values()) >= 3, (slug, scenarios)


@pytest.mark.parametrize("slug", TYPES)
def test_each_file_matches_the_json_schema_and_the_import_rules(slug):
    payload = json.loads((SEED / f"{slug}.json").read_text())
    schema = json.loads((SEED / "golden-case.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(payload)
    _cases_, errors = validate_golden_payload(payload, set(TYPES))
    assert errors == []


def test_the_mix_a_reviewer_would_expect():
    cases = _cases()
    key_users = [c for c in cases if c["priority"] >= 75]
    assert 0.12 <= len(key_users) / len(cases) <= 0.18
    assert all(c["answer"]["decision"] == "escalate" for c in key_users)
    assert all(c["confidence"] < 0.85 for c in cases)  # below the auto-decision threshold
    wrong = sum(c["answer"]["label"] in ("FP", "FN") for c in cases)
    assert 0.25 <= wrong / len(cases) <= 0.5  # the decision agent is sometimes wrong
    for slug in TYPES:
        pairs = {(c["answer"]["label"], c["answer"]["root_cause"]) for c in cases if c["case_type"] == slug}
        assert {(label, cause) for label in ("FP", "FN") for cause in "ABC"} <= pairs, slug


@pytest.mark.parametrize("slug", TYPES)
def test_every_sop_reference_names_a_real_section(slug):
    sections = {s.number for s in parse_sections((SEED / "sops" / f"{slug}.md").read_text())}
    refs = {sop_ref_number(c["answer"]["sop_ref"]) for c in _cases() if c["case_type"] == slug}
    assert refs <= sections, refs - sections


def test_all_of_it_loads_through_the_validated_import_once(db):
    totals = load_seed_golden(SEED)
    db.session.commit()
    assert totals["created"] == len(_cases()) and totals["sops"] == len(TYPES)
    assert db.session.scalar(select(func.count(GoldenCase.id))) == len(_cases())
    linked = db.session.scalar(
        select(func.count(ReferenceAnswer.id)).where(ReferenceAnswer.sop_version_id.is_not(None))
    )
    assert linked == len(_cases())  # every answer points at the SOP version it relied on
    again = load_seed_golden(SEED)
    db.session.commit()
    assert again["created"] == 0 and again["skipped"] == len(_cases()) and again["sops"] == 0
    assert db.session.scalar(select(func.count(SopVersion.id))) == len(TYPES)
