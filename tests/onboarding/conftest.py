"""Onboarding fixtures: a golden set with known reference answers, a settable clock, answer helpers."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from tests.conftest import golden_item
from tests.forms import page_form

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
    """An answer as the HTML form posts it, for the few posts crafted by hand (forged or tampered)."""
    return {**answer, "root_cause": answer.get("root_cause") or ""}


def choose(form, answer: dict):
    """Tick the answer's decision, label and root cause and type its rationale, as an agent does; a
    decision or label the answer leaves out stays as the page shows it."""
    for name in ("decision", "label"):
        if answer.get(name):
            form[name] = answer[name]
    form["root_cause"] = answer.get("root_cause") or ""
    form["rationale"] = answer.get("rationale") or ""
    return form


def answer_page(client, url: str):
    """The answer form of a practice or exam page."""
    return page_form(client, url, having="decision")


def deal_form(client, slug: str = "kyc_audit"):
    """The practice page's "Deal a case" button (opening the page deals nothing)."""
    return page_form(client, f"/learn/{slug}/practice", action=f"/learn/{slug}/practice")


def deal_practice(client, slug: str = "kyc_audit"):
    return deal_form(client, slug).submit()


def practice_page(app, client, slug: str = "kyc_audit"):
    """Deal a case and open it: its answer form, the practice item it answers and that item's golden case."""
    from app.onboarding.models import AttemptItem

    deal_practice(client, slug)
    answer_form = answer_page(client, f"/learn/{slug}/practice")
    item_id = int(answer_form.action.rsplit("/", 1)[1])
    with app.app_context():
        return answer_form, item_id, _db.session.get(AttemptItem, item_id).golden_case_id


def answer_exam_item(client, attempt_id: int, position: int, answer: dict):
    """Open an exam case's page, answer it, and press Save and next."""
    return choose(answer_page(client, f"/learn/exams/{attempt_id}/{position}"), answer).submit()


def start_exam_form(client, slug: str = "kyc_audit"):
    """The curriculum's button that takes (or resumes) the exam."""
    return page_form(client, "/learn", action=f"/learn/{slug}/exam")


def submit_exam_form(client, attempt_id: int):
    """The Submit the exam button on the exam's overview page."""
    return page_form(client, f"/learn/exams/{attempt_id}", action=f"/learn/exams/{attempt_id}/submit")


def contest_form(client, result_url: str, item_id: int):
    """The Contest this reference answer form of one case on a feedback or exam review page."""
    return page_form(client, result_url, action=f"/learn/items/{item_id}/contest")


def field_errors(page: str) -> dict[str, list[str]]:
    """The answer form's error messages by the field they are shown next to."""
    found: dict[str, list[str]] = {}
    for name, body in re.findall(r'<fieldset class="choices ([\w-]+)[^"]*">(.*?)</fieldset>', page, re.S):
        found[name] = [unescape(m) for m in re.findall(r'<p class="error">(.*?)</p>', body)]
    rationale = re.search(r'<label for="rationale">(.*?)<p class="draft-note', page, re.S)
    found["rationale"] = [unescape(m) for m in re.findall(r'<p class="error">(.*?)</p>', rationale.group(1))]
    return {name: messages for name, messages in found.items() if messages}
