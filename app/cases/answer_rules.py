"""What makes a reviewer's answer well-formed (not whether it is right). Pure.

Used wherever someone answers a case: practice, exams, calibration, audits.
"""

from app.cases.golden_format import N_, FieldError
from app.cases.sentences import count_sentences
from app.cases.vocabulary import DECISIONS, LABELS, MAX_RATIONALE_SENTENCES, ROOT_CAUSES, root_cause_required

MAX_RATIONALE_CHARS = 1200


def rationale_required(decision: str | None, label: str | None) -> bool:
    """Block, escalate, FP and FN need a rationale an ML engineer can act on."""
    return decision in ("block", "escalate") or label in ("FP", "FN")


def answer_problems(
    decision: str | None, label: str | None, root_cause: str | None, rationale: str
) -> list[FieldError]:
    """Form errors in an answer: closed vocabularies, root cause for FP/FN only, rationale length."""
    problems: list[FieldError] = []
    if decision not in DECISIONS:
        problems.append(FieldError(None, "decision", N_("Choose pass, block or escalate.")))
    if label not in LABELS:
        problems.append(FieldError(None, "label", N_("Choose TP, TN, FP or FN.")))
    elif root_cause_required(label) and root_cause not in ROOT_CAUSES:
        problems.append(FieldError(None, "root_cause", N_("FP and FN need a root cause: A, B or C.")))
    elif not root_cause_required(label) and root_cause:
        problems.append(FieldError(None, "root_cause", N_("TP and TN have no root cause.")))
    text = (rationale or "").strip()
    sentences = count_sentences(text)
    if sentences > MAX_RATIONALE_SENTENCES:
        problems.append(FieldError(None, "rationale", N_("Keep the rationale to three sentences at most.")))
    elif sentences == 0 and rationale_required(decision, label):
        problems.append(FieldError(None, "rationale", N_("Block, escalate, FP and FN need a rationale.")))
    if len(text) > MAX_RATIONALE_CHARS:
        problems.append(FieldError(None, "rationale", N_("Keep the rationale under 1200 characters.")))
    return problems
