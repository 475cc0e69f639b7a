"""Validation of live decisions as the API, the CSV upload and `flask qa import` send
them. Pure: plain data in, plain data out.

Every way in goes through `validate_decisions`, so an item that loads one way loads
every way. Messages are plain English %-templates marked with N_; the API sends `FieldError.text()`, the
upload page translates them.
"""

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.cases.golden_format import N_, FieldError, parse_timestamp
from app.cases.vocabulary import DECISIONS, LABELS, ROOT_CAUSES
from app.strict_parsing import parse_json

DECISION_FIELDS = (
    "decision_id",
    "agent",
    "case_type",
    "scenario",
    "case_ref",
    "decision",
    "agent_recommendation",
    "confidence",
    "priority",
    "opened_at",
    "decided_at",
    "label",
    "root_cause",
    "rationale",
    "signals",
)
OPTIONAL_FIELDS = frozenset({"scenario", "label", "root_cause", "rationale", "signals"})
REQUIRED_FIELDS = tuple(name for name in DECISION_FIELDS if name not in OPTIONAL_FIELDS)
MAX_BATCH = 10_000
MAX_ID = 64
MAX_RATIONALE = 10_000

_DECISION_SET = frozenset(DECISION_FIELDS)
_DECISIONS, _LABELS, _ROOT_CAUSES = frozenset(DECISIONS), frozenset(LABELS), frozenset(ROOT_CAUSES)
REQUIRED_HEAD = DECISION_FIELDS[:7]  # decision_id .. agent_recommendation (scenario is optional)
TAIL = DECISION_FIELDS[7:]
_TIME = N_("Use an ISO 8601 time with a time zone, like 2026-10-01T08:00:00Z.")
REQUIRED = N_("This field is required.")
CHOOSE_DECISION = N_("Choose pass, block or escalate.")
DUPLICATE_OF_ITEM = N_("Duplicate of item %(other)s.")
DUPLICATE_OF_ROW = N_("Duplicate of row %(other)s.")


@dataclass(frozen=True)
class Known:
    """What the database knows, as plain maps: normalised usernames and case type slugs to their ids."""

    agents: Mapping[str, int]
    case_types: Mapping[str, int]


@dataclass
class Checked:
    """A validated batch: rows ready to insert (only when `errors` is empty), and how many repeats of an
    earlier item were dropped (when repeats are allowed)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    repeats: int = 0


class JsonText(str):
    """The text of a JSON object that has been parsed and checked already (a CSV signals cell)."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def signals_text(signals: Any) -> str | None:
    """Signals as the JSON text to store, or None when they are not a JSON object (NaN and Infinity,
    which Python's json reads but databases refuse, included)."""
    if type(signals) is JsonText:
        return signals
    if not isinstance(signals, dict):
        return None
    try:
        return json.dumps(signals, allow_nan=False, ensure_ascii=False)
    except ValueError:
        return None


def username_key(raw: str) -> str:
    """The form usernames are unique in (the same rule as app.auth.models.normalise_username)."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def problem(name: str, message: str, **params: Any) -> FieldError:
    return FieldError(None, name, message, params)


def _identifier(value: Any) -> str | None:
    """A 1-64 character id, trimmed; None when it isn't one."""
    if isinstance(value, str):
        value = value.strip()
        if 0 < len(value) <= MAX_ID:
            return value
    return None


def _agent_id(value: Any, agents: Mapping[str, int]) -> int | None:
    if not isinstance(value, str):
        return None
    found = agents.get(value)
    return found if found is not None else agents.get(username_key(value))


def _utc(value: Any) -> datetime | None:
    parsed = parse_timestamp(value)
    if parsed is None or parsed.tzinfo is UTC:
        return parsed
    return parsed.astimezone(UTC)


def _choice(value: Any, allowed: frozenset[str]) -> bool:
    return type(value) is str and value in allowed


def check_decision_item(item: Any, known: Known) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """One decision's row (column names and plain values, the signals as JSON text) and its problems; the
    row is None when there are problems."""
    if not isinstance(item, dict):
        return None, [problem("", N_("Each decision must be a JSON object."))]
    problems = []
    if not _DECISION_SET.issuperset(item):
        problems += [problem(str(name), N_("Unknown field.")) for name in item if name not in _DECISION_SET]
    get = item.get
    raw_id, agent, case_type, scenario, raw_ref, decision, recommendation = map(get, REQUIRED_HEAD)
    confidence, priority, raw_opened, raw_decided, label, root_cause, rationale, signals = map(get, TAIL)
    for name, value in zip(
        REQUIRED_HEAD, (raw_id, agent, case_type, scenario, raw_ref, decision, recommendation), strict=True
    ):
        if value is None and name != "scenario":
            problems.append(problem(name, REQUIRED))
    decision_id, case_ref = _identifier(raw_id), _identifier(raw_ref)
    if decision_id is None and raw_id is not None:
        problems.append(problem("decision_id", N_("Use 1 to 64 characters.")))
    if case_ref is None and raw_ref is not None:
        problems.append(problem("case_ref", N_("Use 1 to 64 characters.")))
    agent_id = _agent_id(agent, known.agents)
    if agent_id is None and agent is not None:
        problems.append(problem("agent", N_("Unknown agent.")))
    case_type_id = known.case_types.get(case_type) if type(case_type) is str else None
    if case_type_id is None and case_type is not None:
        problems.append(problem("case_type", N_("Unknown case type.")))
    scenario = scenario or None
    if scenario is not None and not (type(scenario) is str and len(scenario) <= MAX_ID):
        problems.append(problem("scenario", N_("Use at most 64 characters, or leave it empty.")))
    if decision is not None and not _choice(decision, _DECISIONS):
        problems.append(problem("decision", CHOOSE_DECISION))
    if recommendation is not None and not _choice(recommendation, _DECISIONS):
        problems.append(problem("agent_recommendation", CHOOSE_DECISION))
    if confidence is None:
        problems.append(problem("confidence", REQUIRED))
    elif not (type(confidence) in (int, float) and 0 <= confidence <= 1):
        problems.append(problem("confidence", N_("Give a number from 0 to 1.")))
    if priority is None:
        problems.append(problem("priority", REQUIRED))
    elif not (type(priority) is int and 0 <= priority <= 100):
        problems.append(problem("priority", N_("Give a whole number from 0 to 100.")))
    opened_at, decided_at = _utc(raw_opened), _utc(raw_decided)
    for name, raw, parsed in (("opened_at", raw_opened, opened_at), ("decided_at", raw_decided, decided_at)):
        if raw is None:
            problems.append(problem(name, REQUIRED))
        elif parsed is None:
            problems.append(problem(name, _TIME))
    if opened_at and decided_at and decided_at < opened_at:
        problems.append(problem("decided_at", N_("decided_at must not be before opened_at.")))
    label, root_cause = label or None, root_cause or None
    if label is not None and not _choice(label, _LABELS):
        problems.append(problem("label", N_("Choose TP, TN, FP or FN, or leave it empty.")))
    if root_cause is not None and not _choice(root_cause, _ROOT_CAUSES):
        problems.append(problem("root_cause", N_("Choose A, B or C, or leave it empty.")))
    rationale = "" if rationale is None else rationale
    if not (type(rationale) is str and len(rationale) <= MAX_RATIONALE):
        problems.append(problem("rationale", N_("Give the rationale as text of at most 10000 characters.")))
    text = None if signals is None else signals_text(signals)
    if text is None and signals is not None:
        problems.append(problem("signals", N_("Give the signals as a JSON object, or leave them empty.")))
    if problems:
        return None, problems
    return {
        "decision_id": decision_id,
        "agent_id": agent_id,
        "case_type_id": case_type_id,
        "scenario": scenario,
        "case_ref": case_ref,
        "decision": decision,
        "agent_recommendation": recommendation,
        "confidence": float(confidence),
        "priority": priority,
        "opened_at": opened_at,
        "decided_at": decided_at,
        "label": label,
        "root_cause": root_cause,
        "rationale": rationale,
        "signals": text,
    }, []


def validate_decisions(
    numbered: Iterable[tuple[int, Any]],
    known: Known,
    *,
    allow_repeats: bool = False,
    duplicate_message: str = DUPLICATE_OF_ITEM,
) -> Checked:
    """Check numbered items (index or row number, item). An item may be a FieldError already, for a row
    that could not be read. A decision_id seen earlier in the batch is an error, or with `allow_repeats`
    a repeat that is dropped and counted (the first one wins)."""
    checked = Checked()
    seen: dict[str, int] = {}
    for number, item in numbered:
        if isinstance(item, FieldError):
            checked.errors.append(FieldError(number, item.field, item.message, item.params))
            continue
        row, problems = check_decision_item(item, known)
        if problems:
            checked.errors += [FieldError(number, p.field, p.message, p.params) for p in problems]
            continue
        first = seen.setdefault(row["decision_id"], number)
        if first == number:
            checked.rows.append(row)
        elif allow_repeats:
            checked.repeats += 1
        else:
            checked.errors.append(FieldError(number, "decision_id", duplicate_message, {"other": first}))
    return checked


# --- CSV ---------------------------------------------------------------------------------------------


def check_header(header: list[str]) -> list[FieldError]:
    """Problems with a CSV header row (reported as row 1): unknown, repeated or missing columns."""
    problems = [FieldError(1, name, N_("Unknown column.")) for name in header if name not in _DECISION_SET]
    problems += [
        FieldError(1, name, N_("This column appears twice."))
        for i, name in enumerate(header)
        if name in header[:i]
    ]
    problems += [
        FieldError(1, name, N_("This column is missing.")) for name in REQUIRED_FIELDS if name not in header
    ]
    return problems


def _number(text: str, kind: type) -> Any:
    try:
        return kind(text)
    except ValueError:
        return text  # left as text, so validation names the field


def item_from_csv(header: list[str], values: list[str]) -> dict[str, Any] | FieldError:
    """A CSV record as a decision item: empty cells are absent, numbers and the signals JSON parsed."""
    if len(values) != len(header):
        return problem(
            "", N_("Expected %(expected)s values, found %(found)s."), expected=len(header), found=len(values)
        )
    item = {name: value for name, value in zip(header, values, strict=False) if value}  # length checked
    if "confidence" in item:
        item["confidence"] = _number(item["confidence"], float)
    if "priority" in item:
        item["priority"] = _number(item["priority"], int)
    if "signals" in item:
        try:
            parsed = parse_json(item["signals"], parse_constant=_reject_constant)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            return problem("signals", N_("The signals column must hold a JSON object."))
        item["signals"] = JsonText(item["signals"])
    return item


def csv_records(
    header: list[str], rows: Iterable[list[str]]
) -> Iterator[tuple[int, dict[str, Any] | FieldError]]:
    """(row number, item) for each record after the header; row 1 is the header, so data starts at 2.
    Blank lines are skipped but still counted, as spreadsheets show them."""
    for number, values in enumerate(rows, start=2):
        if values:
            yield number, item_from_csv(header, values)


def template_csv(agent: str, case_type: str) -> str:
    """A header row and one example row: the upload's template."""
    example = {
        "decision_id": "D-2026-000001",
        "agent": agent,
        "case_type": case_type,
        "scenario": "kyc.doc_tamper",
        "case_ref": "CASE-1001",
        "decision": "block",
        "agent_recommendation": "pass",
        "confidence": "0.62",
        "priority": "30",
        "opened_at": "2026-10-01T08:00:00Z",
        "decided_at": "2026-10-01T09:10:00Z",
        "label": "FN",
        "root_cause": "A",
        "rationale": "Tamper score 0.91 shows an edited MRZ. The model under-weights tamper signals.",
        "signals": json.dumps({"document_type": "passport", "tamper_score": 0.91}),
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DECISION_FIELDS)
    writer.writerow([example[name] for name in DECISION_FIELDS])
    return out.getvalue()


def batch_problem(items: Any, name: str) -> FieldError | None:
    """The problem with a request's list as a whole: not a list, empty, or over MAX_BATCH items."""
    if not isinstance(items, list):
        return FieldError(None, name, N_('Expected an object with a "%(name)s" list.'), {"name": name})
    if not items:
        return FieldError(None, name, N_("The list is empty."))
    if len(items) > MAX_BATCH:
        return FieldError(None, name, N_("Send at most %(max)s items per request."), {"max": f"{MAX_BATCH}"})
    return None
