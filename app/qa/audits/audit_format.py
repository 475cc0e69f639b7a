"""Validation of external audits (a vendor's own QA verdicts on live decisions) as POST /api/v1/audits
sends them. Pure: plain data in, plain data out."""

from collections.abc import Mapping
from typing import Any

from app.cases.golden_format import N_, FieldError
from app.cases.vocabulary import DECISIONS, LABELS
from app.qa.decisions.ingest_format import CHOOSE_DECISION, DUPLICATE_OF_ITEM, REQUIRED, Checked, problem

AUDIT_FIELDS = (
    "decision_id",
    "verdict",
    "corrected_decision",
    "corrected_label",
    "severity",
    "root_cause",
    "note",
)
VERDICTS = ("correct", "incorrect")
AUDIT_SEVERITIES = ("critical", "major", "minor")
AUDIT_ROOT_CAUSES = ("A", "B", "C", "agent_error")
MAX_NOTE = 4000
_AUDIT_SET = frozenset(AUDIT_FIELDS)


def check_audit_item(
    item: Any, decisions: Mapping[str, int]
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """One external audit's values (live_decision_id and the verdict fields) and its problems."""
    if not isinstance(item, dict):
        return None, [problem("", N_("Each audit must be a JSON object."))]
    problems = [problem(str(name), N_("Unknown field.")) for name in item.keys() - _AUDIT_SET]
    get = item.get
    problems += [problem(name, REQUIRED) for name in ("decision_id", "verdict") if get(name) is None]
    decision_id = get("decision_id")
    live_id = decisions.get(decision_id) if isinstance(decision_id, str) else None
    if live_id is None and decision_id is not None:
        problems.append(problem("decision_id", N_("Unknown decision.")))
    verdict, severity = get("verdict"), get("severity") or None
    if verdict is not None and verdict not in VERDICTS:
        problems.append(problem("verdict", N_("Choose correct or incorrect.")))
    if severity is not None and severity not in AUDIT_SEVERITIES:
        problems.append(problem("severity", N_("Choose critical, major or minor.")))
    elif severity is None and verdict == "incorrect":
        problems.append(problem("severity", N_("An incorrect decision needs a severity.")))
    corrected_decision, corrected_label = get("corrected_decision") or None, get("corrected_label") or None
    if corrected_decision is not None and corrected_decision not in DECISIONS:
        problems.append(problem("corrected_decision", CHOOSE_DECISION))
    if corrected_label is not None and corrected_label not in LABELS:
        problems.append(problem("corrected_label", N_("Choose TP, TN, FP or FN, or leave it empty.")))
    root_cause = get("root_cause") or None
    if root_cause is not None and root_cause not in AUDIT_ROOT_CAUSES:
        problems.append(problem("root_cause", N_("Choose A, B, C or agent_error, or leave it empty.")))
    note = get("note")
    note = "" if note is None else note
    if not (isinstance(note, str) and len(note) <= MAX_NOTE):
        problems.append(problem("note", N_("Give the note as text of at most 4000 characters.")))
    if problems:
        return None, problems
    return {
        "live_decision_id": live_id,
        "verdict": verdict,
        "corrected_decision": corrected_decision,
        "corrected_label": corrected_label,
        "severity": severity,
        "root_cause": root_cause,
        "note": note.strip(),
    }, []


def validate_audits(items: list[Any], decisions: Mapping[str, int]) -> Checked:
    """Check a batch of external audits; one decision may appear once per batch."""
    checked = Checked()
    seen: dict[int, int] = {}
    for index, item in enumerate(items):
        values, problems = check_audit_item(item, decisions)
        if problems:
            checked.errors += [FieldError(index, p.field, p.message, p.params) for p in problems]
            continue
        first = seen.setdefault(values["live_decision_id"], index)
        if first == index:
            checked.rows.append(values)
        else:
            checked.errors.append(FieldError(index, "decision_id", DUPLICATE_OF_ITEM, {"other": first}))
    return checked
