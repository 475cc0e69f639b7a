"""Validation of golden cases in the seed_cases/ JSON format. Pure: plain data in, plain data out.

The admin import, `flask seed golden` and the golden-case form all go through these rules, so a case
that loads one way loads every way.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from app.cases.sentences import count_sentences
from app.cases.vocabulary import (
    DECISIONS,
    LABELS,
    MAX_RATIONALE_SENTENCES,
    ROOT_CAUSES,
    CaseStatus,
    Difficulty,
    derive_label,
    is_key_user,
    root_cause_required,
)

FORMAT = "touchstone-golden/1"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,63}$")
SCENARIO_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.]{2,63}$")
SIGNAL_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SOP_REF_PATTERN = re.compile(r"^[A-Z0-9]{2,8}-\d{1,2}(\.\d{1,2})?$")
CASE_FIELDS = (
    "key",
    "case_type",
    "scenario",
    "difficulty",
    "status",
    "signals",
    "recommendation",
    "confidence",
    "reasoning",
    "priority",
    "opened_at",
    "answer",
)
# Every golden case serves one purpose: practice (answers shown), exam (answers never shown) or control
# (hidden gold mixed into live work). Files written before pools existed have no `pool`, and their cases
# were all dealt for practice, so an absent pool means practice.
POOLS = ("practice", "exam", "control")
DEFAULT_POOL = "practice"
KNOWN_FIELDS = (*CASE_FIELDS, "pool")
ANSWER_FIELDS = ("decision", "label", "root_cause", "rationale", "sop_ref")
MAX_SIGNALS = 40
MAX_REASONING_STEPS = 10
MAX_TEXT = 2000


def N_(message: str) -> str:
    """Mark a message for translation; views translate it when they show it."""
    return message


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one item; `message` is a translatable %-template over `params`."""

    index: int | None
    field: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return self.message % self.params if self.params else self.message


def _problem(name: str, message: str, **params: Any) -> FieldError:
    return FieldError(None, name, message, params)


def answer_problems(recommendation: str, priority: int, answer: dict[str, Any]) -> list[FieldError]:
    """Cross-field rules for a reference answer: label table, root cause, Key Users, rationale length."""
    problems: list[FieldError] = []
    decision, label = answer.get("decision"), answer.get("label")
    root_cause, rationale = answer.get("root_cause"), answer.get("rationale") or ""
    if decision not in DECISIONS:
        problems.append(_problem("decision", N_("Choose pass, block or escalate.")))
    if label not in LABELS:
        problems.append(_problem("label", N_("Choose TP, TN, FP or FN.")))
    expected = derive_label(recommendation, decision) if decision in DECISIONS else None
    if label in LABELS and expected and label != expected:
        problems.append(
            _problem(
                "label",
                N_("The recommendation and the decision make this label %(expected)s."),
                expected=expected,
            )
        )
    if label in LABELS and root_cause_required(label) and root_cause not in ROOT_CAUSES:
        problems.append(_problem("root_cause", N_("FP and FN need a root cause: A, B or C.")))
    if label in LABELS and not root_cause_required(label) and root_cause:
        problems.append(_problem("root_cause", N_("TP and TN have no root cause.")))
    if decision in DECISIONS and is_key_user(priority) and decision != "escalate":
        problems.append(
            _problem("decision", N_("Key User cases (priority 75 or more) are always escalated."))
        )
    sentences = count_sentences(rationale)
    if sentences == 0:
        problems.append(_problem("rationale", N_("Write a rationale.")))
    elif sentences > MAX_RATIONALE_SENTENCES:
        problems.append(_problem("rationale", N_("Keep the rationale to three sentences at most.")))
    if len(rationale) > MAX_TEXT:
        problems.append(_problem("rationale", N_("Keep the rationale under 2000 characters.")))
    return problems


def case_pool(item: dict) -> str:
    """The pool a validated case belongs to; a case without one is a practice case."""
    return item.get("pool", DEFAULT_POOL)


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO 8601 timestamp with a time zone, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _check_case(item: Any, case_types: set[str]) -> list[FieldError]:
    """Field problems of one case item, as (field, message) pairs."""
    if not isinstance(item, dict):
        return [_problem("", N_("Each case must be a JSON object."))]
    problems = [_problem(name, N_("Unknown field.")) for name in item if name not in KNOWN_FIELDS]
    problems += [
        _problem(name, N_("This field is required."))
        for name in CASE_FIELDS
        if name not in item and name != "status"
    ]
    get = item.get
    if "key" in item and not (isinstance(get("key"), str) and KEY_PATTERN.match(get("key"))):
        problems.append(_problem("key", N_("Use 3-64 lowercase letters, digits, '.', '_' or '-'.")))
    if "case_type" in item and not (isinstance(get("case_type"), str) and get("case_type") in case_types):
        problems.append(_problem("case_type", N_("Unknown case type.")))
    if "scenario" in item and not (
        isinstance(get("scenario"), str) and SCENARIO_PATTERN.match(get("scenario"))
    ):
        problems.append(_problem("scenario", N_("Use 3-64 lowercase letters, digits, '.' or '_'.")))
    if "difficulty" in item and get("difficulty") not in [d.value for d in Difficulty]:
        problems.append(_problem("difficulty", N_("Choose easy, medium or hard.")))
    if get("status", "active") not in [s.value for s in CaseStatus]:
        problems.append(_problem("status", N_("Choose active or retired.")))
    if "pool" in item and get("pool") not in POOLS:
        problems.append(_problem("pool", N_("Choose practice, exam or control.")))
    problems += _check_content(item)
    answer = get("answer")
    if "answer" in item and not isinstance(answer, dict):
        problems.append(_problem("answer", N_("The answer must be a JSON object.")))
    elif isinstance(answer, dict):
        problems += [_problem(f"answer.{n}", N_("Unknown field.")) for n in answer if n not in ANSWER_FIELDS]
        sop_ref = answer.get("sop_ref")
        if not (isinstance(sop_ref, str) and SOP_REF_PATTERN.match(sop_ref)):
            problems.append(_problem("answer.sop_ref", N_("Use an SOP section like KYC-3.2.")))
        recommendation = get("recommendation") if get("recommendation") in DECISIONS else "escalate"
        priority = get("priority") if _is_int(get("priority")) else 0
        rationale = answer.get("rationale")
        if rationale is not None and not isinstance(rationale, str):
            answer = {**answer, "rationale": ""}
        problems += [
            replace(p, field=f"answer.{p.field}") for p in answer_problems(recommendation, priority, answer)
        ]
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_content(item: dict) -> list[FieldError]:
    """What a reviewer sees: signals, the decision agent's output, priority and opened time."""
    problems: list[FieldError] = []
    signals = item.get("signals")
    if "signals" in item:
        if not isinstance(signals, dict) or not 1 <= len(signals) <= MAX_SIGNALS:
            problems.append(_problem("signals", N_("Give 1 to 40 signals as a JSON object.")))
        else:
            for name, value in signals.items():
                if not SIGNAL_KEY_PATTERN.match(name):
                    problems.append(_problem(f"signals.{name}", N_("Signal names are snake_case.")))
                elif value is not None and not isinstance(value, str | int | float | bool):
                    problems.append(
                        _problem(f"signals.{name}", N_("A signal is text, a number, true/false or null."))
                    )
    if "recommendation" in item and item["recommendation"] not in DECISIONS:
        problems.append(_problem("recommendation", N_("Choose pass, block or escalate.")))
    confidence = item.get("confidence")
    if "confidence" in item and not (
        isinstance(confidence, int | float) and not isinstance(confidence, bool) and 0 <= confidence <= 1
    ):
        problems.append(_problem("confidence", N_("Give a number from 0 to 1.")))
    reasoning = item.get("reasoning")
    if "reasoning" in item and not (
        isinstance(reasoning, list)
        and 1 <= len(reasoning) <= MAX_REASONING_STEPS
        and all(isinstance(step, str) and step.strip() and len(step) <= 500 for step in reasoning)
    ):
        problems.append(_problem("reasoning", N_("Give 1 to 10 non-empty reasoning steps.")))
    priority = item.get("priority")
    if "priority" in item and not (_is_int(priority) and 0 <= priority <= 100):
        problems.append(_problem("priority", N_("Give a whole number from 0 to 100.")))
    if "opened_at" in item and parse_timestamp(item.get("opened_at")) is None:
        problems.append(
            _problem("opened_at", N_("Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z."))
        )
    return problems


def validate_golden_payload(payload: Any, case_types: set[str]) -> tuple[list[dict], list[FieldError]]:
    """Check a whole golden file; return its cases and every problem found (empty when it may load)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("cases"), list):
        return [], [FieldError(None, "cases", N_('Expected an object with a "cases" list.'))]
    if payload.get("format", FORMAT) != FORMAT:
        return [], [FieldError(None, "format", N_("Expected format %(format)s."), {"format": FORMAT})]
    cases = payload["cases"]
    if not cases:
        return [], [FieldError(None, "cases", N_("The file has no cases."))]
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(cases):
        errors += [replace(p, index=index) for p in _check_case(item, case_types)]
        key = item.get("key") if isinstance(item, dict) else None
        if isinstance(key, str):
            if key in seen:
                errors.append(
                    FieldError(index, "key", N_("Duplicate of item %(other)s."), {"other": seen[key]})
                )
            seen.setdefault(key, index)
    return cases, errors
