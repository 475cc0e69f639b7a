"""Automated QA: deterministic checks run on every live decision at ingest. Pure; thresholds configurable.

Each finding has a code and a severity. `high_confidence_override` is not an error: it raises the
decision's sampling weight.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.cases.sentences import count_sentences
from app.cases.vocabulary import KEY_USER_PRIORITY, MAX_RATIONALE_SENTENCES, derive_label

CRITICAL, MAJOR, MINOR, INFO = "critical", "major", "minor", "info"
SEVERITIES = (CRITICAL, MAJOR, MINOR, INFO)


@dataclass(frozen=True)
class Thresholds:
    key_user_priority: int = KEY_USER_PRIORITY
    sla: timedelta = timedelta(hours=4)
    max_sentences: int = MAX_RATIONALE_SENTENCES
    override_confidence: float = 0.8


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str


CODES = {
    "key_user_not_escalated": CRITICAL,
    "sla_breach": MAJOR,
    "rationale_missing": MAJOR,
    "rationale_too_long": MINOR,
    "label_inconsistent": MAJOR,
    "root_cause_missing": MAJOR,
    "root_cause_unexpected": MINOR,
    "high_confidence_override": INFO,
}


def check_decision(
    *,
    decision: str,
    recommendation: str,
    confidence: float,
    priority: int,
    opened_at: datetime,
    decided_at: datetime,
    label: str | None,
    root_cause: str | None,
    rationale: str,
    thresholds: Thresholds = Thresholds(),
) -> list[Finding]:
    """Every rule that a live decision breaks, in a fixed order."""
    codes = []
    if priority >= thresholds.key_user_priority and decision != "escalate":
        codes.append("key_user_not_escalated")
    if decided_at - opened_at >= thresholds.sla:  # under 4 h complies; 4 h or more is a breach
        codes.append("sla_breach")
    sentences = count_sentences(rationale or "")
    if sentences == 0 and (decision in ("block", "escalate") or label in ("FP", "FN")):
        codes.append("rationale_missing")
    if sentences > thresholds.max_sentences:
        codes.append("rationale_too_long")
    expected = derive_label(recommendation, decision)
    if label is not None and expected is not None and label != expected:
        codes.append("label_inconsistent")
    if label in ("FP", "FN") and not root_cause:
        codes.append("root_cause_missing")
    if label in ("TP", "TN") and root_cause:
        codes.append("root_cause_unexpected")
    if decision != recommendation and confidence >= thresholds.override_confidence:
        codes.append("high_confidence_override")
    return [Finding(code, CODES[code]) for code in codes]
