"""The domain's closed vocabularies and the label rule from DOMAIN.md. Pure: no flask, no sqlalchemy."""

from enum import StrEnum


class Decision(StrEnum):
    PASS = "pass"
    BLOCK = "block"
    ESCALATE = "escalate"


class Label(StrEnum):
    TP = "TP"
    TN = "TN"
    FP = "FP"
    FN = "FN"


class RootCause(StrEnum):
    A = "A"  # feature weight bias: retrain or fine-tune the model
    B = "B"  # threshold miscalibration: update decision rules, validated by an A/B test
    C = "C"  # SOP gap or logic error: update the version-tracked SOP


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class CaseStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


DECISIONS = tuple(d.value for d in Decision)
LABELS = tuple(label.value for label in Label)
ROOT_CAUSES = tuple(r.value for r in RootCause)
ERROR_LABELS = frozenset({"FP", "FN"})
KEY_USER_PRIORITY = 75
MAX_RATIONALE_SENTENCES = 3

_LABEL_TABLE = {
    ("block", "block"): "TP",
    ("block", "pass"): "FP",
    ("pass", "block"): "FN",
    ("pass", "pass"): "TN",
}


def derive_label(recommendation: str, correct_decision: str) -> str | None:
    """The label the table in DOMAIN.md implies, or None when either side is escalate (a judgement call)."""
    return _LABEL_TABLE.get((recommendation, correct_decision))


def is_key_user(priority: int, threshold: int = KEY_USER_PRIORITY) -> bool:
    """Key Users (priority at or above the threshold) must always be escalated."""
    return priority >= threshold


def root_cause_required(label: str) -> bool:
    """FP and FN need a root cause; TP and TN must not have one."""
    return label in ERROR_LABELS
