"""The golden set in seed_cases/: big enough to rotate, split into pools, varied, valid, and loadable."""

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from app.cases.cli import load_seed_golden
from app.cases.golden_format import case_pool, validate_golden_payload
from app.cases.models import GoldenCase, ReferenceAnswer
from app.cases.vocabulary import derive_label
from app.extensions import db as _db
from app.sop.models import SopVersion
from app.sop.parsing import covered_scenarios, parse_sections, sop_ref_number

SEED = Path(__file__).resolve().parents[2] / "seed_cases"
TYPES = [t["slug"] for t in json.loads((SEED / "case_types.json").read_text())["case_types"]]
POOL_SIZES = {"practice": 40, "exam": 60, "control": 20}


def _cases(slug: str | None = None) -> list[dict]:
    slugs = [slug] if slug else TYPES
    return [case for s in slugs for case in json.loads((SEED / f"{s}.json").read_text())["cases"]]


def _sop_sections(slug: str):
    return parse_sections((SEED / "sops" / f"{slug}.md").read_text())


def test_the_five_case_types_from_the_domain():
    assert set(TYPES) == {"kyc_audit", "ato_investigation", "reset_2fa", "poa_review", "withdrawal_anomaly"}


@pytest.mark.parametrize("slug", TYPES)
def test_each_file_matches_the_json_schema_and_the_import_rules(slug):
    payload = json.loads((SEED / f"{slug}.json").read_text())
    schema = json.loads((SEED / "golden-case.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(payload)
    _cases_, errors = validate_golden_payload(payload, set(TYPES))
    assert errors == []


@pytest.mark.parametrize("slug", TYPES)
def test_120_cases_per_type_in_pools_of_40_practice_60_exam_20_control(slug):
    cases = _cases(slug)
    assert len(cases) >= 120
    assert all("pool" in case for case in cases)  # every seed case says what it is for
    assert Counter(case_pool(case) for case in cases) == POOL_SIZES


@pytest.mark.parametrize("slug", TYPES)
def test_every_scenario_is_in_the_practice_and_exam_pools_in_proportion(slug):
    cases = _cases(slug)
    scenarios = Counter(case["scenario"] for case in cases)
    assert covered_scenarios(_sop_sections(slug)) <= set(scenarios)
    for pool, size in POOL_SIZES.items():
        in_pool = Counter(case["scenario"] for case in cases if case_pool(case) == pool)
        for scenario, count in scenarios.items():
            share = count * size / len(cases)  # what a perfectly even split would give
            assert abs(in_pool[scenario] - share) <= 1, (pool, scenario, in_pool[scenario], share)
            if pool != "control":
                assert in_pool[scenario] >= 2, (pool, scenario)


@pytest.mark.parametrize("slug", TYPES)
def test_each_exam_pool_tests_every_label_and_key_users(slug):
    exam = [case for case in _cases(slug) if case_pool(case) == "exam"]
    assert {case["answer"]["label"] for case in exam} == {"TP", "TN", "FP", "FN"}
    assert {case["answer"]["root_cause"] for case in exam} >= {"A", "B", "C"}
    assert sum(case["priority"] >= 75 for case in exam) >= 6
    assert sum(case["answer"]["decision"] == "escalate" and case["priority"] < 75 for case in exam) >= 1
    assert {case["difficulty"] for case in exam} == {"easy", "medium", "hard"}


def test_no_two_cases_share_signals_reasoning_or_a_rationale():
    cases = _cases()
    for name, part in (
        ("signals", lambda c: json.dumps(c["signals"], sort_keys=True)),
        ("reasoning", lambda c: json.dumps(c["reasoning"])),
        ("rationale", lambda c: c["answer"]["rationale"].strip().lower()),
    ):
        repeated = [text for text, n in Counter(part(c) for c in cases).items() if n > 1]
        assert repeated == [], (name, repeated[:3])
    assert len({c["key"] for c in cases}) == len(cases)


@pytest.mark.parametrize("slug", TYPES)
def test_every_sop_reference_names_a_real_section(slug):
    sections = {s.number for s in _sop_sections(slug)}
    refs = {sop_ref_number(c["answer"]["sop_ref"]) for c in _cases(slug)}
    assert refs <= sections, refs - sections


@pytest.mark.parametrize("slug", TYPES)
def test_answers_follow_the_label_table_root_causes_and_key_user_rule(slug):
    for case in _cases(slug):
        answer = case["answer"]
        derived = derive_label(case["recommendation"], answer["decision"])
        assert derived in (None, answer["label"]), case["key"]
        assert (answer["root_cause"] in ("A", "B", "C")) == (answer["label"] in ("FP", "FN")), case["key"]
        if case["priority"] >= 75:
            assert answer["decision"] == "escalate" and "Key User" in answer["rationale"], case["key"]
            assert answer["sop_ref"].endswith("-1.2"), case["key"]  # the SOP's Key User subsection
        else:
            assert "Key User" not in answer["rationale"], case["key"]
        assert 0 <= case["confidence"] < 0.85 and round(case["confidence"], 2) == case["confidence"]
        assert 5 <= len(case["signals"]) <= 12 and 2 <= len(case["reasoning"]) <= 5, case["key"]


def test_the_mix_a_reviewer_would_expect():
    cases = _cases()
    key_users = [c for c in cases if c["priority"] >= 75]
    assert 0.12 <= len(key_users) / len(cases) <= 0.18
    wrong = sum(c["answer"]["label"] in ("FP", "FN") for c in cases)
    assert 0.25 <= wrong / len(cases) <= 0.5  # the decision agent is sometimes wrong
    for slug in TYPES:
        pairs = {(c["answer"]["label"], c["answer"]["root_cause"]) for c in _cases(slug)}
        assert {(label, cause) for label in ("FP", "FN") for cause in "ABC"} <= pairs, slug


def test_all_of_it_loads_through_the_validated_import_once(db):
    totals = load_seed_golden(SEED)
    db.session.commit()
    assert totals["created"] == len(_cases()) and totals["sops"] == len(TYPES)
    linked = db.session.scalar(
        select(func.count(ReferenceAnswer.id)).where(ReferenceAnswer.sop_version_id.is_not(None))
    )
    assert linked == len(_cases())  # every answer points at the SOP version it relied on
    again = load_seed_golden(SEED)
    db.session.commit()
    assert again["created"] == 0 and again["skipped"] == len(_cases()) and again["sops"] == 0
    assert db.session.scalar(select(func.count(SopVersion.id))) == len(TYPES)


def _count(app, model) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model))


def test_flask_seed_golden_fills_an_empty_database_and_a_second_run_adds_nothing(app, runner):
    assert _count(app, GoldenCase) == 0
    first = runner.invoke(args=["seed", "golden"])
    assert first.exit_code == 0, first.output
    assert f"Golden set: {len(_cases())} cases loaded, 0 already present" in first.output
    assert _count(app, GoldenCase) == len(_cases()) >= 600
    assert _count(app, ReferenceAnswer) == len(_cases())
    again = runner.invoke(args=["seed", "golden"])
    assert again.exit_code == 0, again.output
    assert f"0 cases loaded, {len(_cases())} already present; 0 case types and 0 SOPs" in again.output
    assert _count(app, GoldenCase) == len(_cases())
