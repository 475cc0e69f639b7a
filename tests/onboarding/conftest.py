"""Onboarding fixtures: a golden set with known reference answers, a settable clock, answer helpers."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from tests.conftest import golden_item

# Reference answers by kind: (recommendation, decision, label, root cause, priority).
KINDS = {
    "fn": ("pass", "block", "FN", "A", 30),
    "tp": ("block", "block", "TP", None, 40),
    "tn": ("pass", "pass", "TN", None, 20),
    "fp": ("block", "pass", "FP", "B", 50),
    "key": ("pass", "escalate", "FN", "C", 90),  # a Key User: priority >= 75, always escalate
}
# A well-formed answer that gets the decision wrong, per reference decision.
WRONG = {
    "block": {"decision": "pass", "label": "TN", "root_cause": None, "rationale": "Looks clean to me."},
    "pass": {"decision": "block", "label": "TP", "root_cause": None, "rationale": "Too risky to allow."},
    "escalate": {"decision": "pass", "label": "TN", "root_cause": None, "rationale": "Nothing stands out."},
}


class Clock:
    """A settable clock for config["CLOCK"]."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(app, monkeypatch):
    """The app's clock, frozen at a known time until a test moves it."""
    frozen = Clock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setitem(app.config, "CLOCK", frozen)
    return frozen


def set_rules(app, slug="kyc_audit", **rules) -> None:
    """Change a case type's certification rules (exam_size, pass_mark, cooldown_hours, ...)."""
    from app.cases.models import CaseType

    with app.app_context():
        case_type = _db.session.scalar(select(CaseType).where(CaseType.slug == slug))
        for name, value in rules.items():
            setattr(case_type, name, value)
        _db.session.commit()


@pytest.fixture
def golden_set(app, make_case_type):
    """Import cases spread over scenarios, each with a unique marker in its reference rationale.

    Returns one dict per case: id, key, kind, scenario, priority, marker, sop_ref and its reference
    `answer`. Rules (exam_size, pass_mark, ...) are set on the case type; exam_size defaults to all.
    """
    counter = iter(range(1, 100_000))

    def make(kinds=("fn", "tp", "tn", "fp"), scenarios=2, case_type="kyc_audit", **rules) -> list[dict]:
        from app.cases import services
        from app.cases.models import CaseType, GoldenCase

        rules.setdefault("exam_size", len(kinds))
        items, described = [], []
        for index, kind in enumerate(kinds):
            recommendation, decision, label, root_cause, priority = KINDS[kind]
            marker = f"MARKER-{uuid.uuid4().hex}"
            number = next(counter)
            key = f"{case_type}-{number}"
            answer = {
                "decision": decision,
                "label": label,
                "root_cause": root_cause,
                "rationale": f"{marker} explains why. The SOP section applies.",
                "sop_ref": f"QZ{number:04d}-3.2",  # distinctive, so a leak of the reference shows
            }
            if root_cause is None:
                answer.pop("root_cause")
            scenario = f"{case_type.split('_')[0]}.scenario_{index % scenarios}"
            items.append(
                golden_item(
                    key=key,
                    case_type=case_type,
                    scenario=scenario,
                    recommendation=recommendation,
                    priority=priority,
                    answer=answer,
                )
            )
            described.append(
                {
                    "key": key,
                    "kind": kind,
                    "scenario": scenario,
                    "priority": priority,
                    "marker": marker,
                    "sop_ref": answer["sop_ref"],
                    "answer": {**answer, "root_cause": root_cause},
                }
            )
        with app.app_context():
            if not _db.session.scalar(select(CaseType).where(CaseType.slug == case_type)):
                make_case_type(slug=case_type, name=case_type.replace("_", " ").title())
            services.import_golden_cases({"cases": items}, None)
            case_type_row = _db.session.scalar(select(CaseType).where(CaseType.slug == case_type))
            for name, value in rules.items():
                setattr(case_type_row, name, value)
            _db.session.commit()
            ids = dict(_db.session.execute(select(GoldenCase.key, GoldenCase.id)).all())
        for case in described:
            case["id"] = ids[case["key"]]
        return described

    return make


def right(case: dict) -> dict:
    """The reference answer as an agent would give it."""
    answer = case["answer"]
    return {
        "decision": answer["decision"],
        "label": answer["label"],
        "root_cause": answer["root_cause"],
        "rationale": "Agent rationale. It cites the SOP.",
    }


def wrong(case: dict) -> dict:
    """A well-formed answer with the wrong decision."""
    return dict(WRONG[case["answer"]["decision"]])


def form(answer: dict) -> dict:
    """An answer as the HTML form posts it."""
    return {**answer, "root_cause": answer.get("root_cause") or ""}


def field_errors(page: str) -> dict[str, list[str]]:
    """The answer form's error messages by the field they are shown next to."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r'<fieldset class="choices ([\w-]+)[^"]*">(.*?)</fieldset>', page, re.S):
        found[name] = [unescape(m) for m in re.findall(r'<p class="error">(.*?)</p>', body)]
    rationale = re.search(r'<label for="rationale">(.*?)<p class="draft-note', page, re.S)
    found["rationale"] = [unescape(m) for m in re.findall(r'<p class="error">(.*?)</p>', rationale.group(1))]
    return {name: messages for name, messages in found.items() if messages}
