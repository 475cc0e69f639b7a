"""The agreement report of a closed calibration session. Pure: plain data in, a JSON-ready dict out.

Built on the measurement core: Krippendorff's alpha with a bootstrap interval per field, each
participant's accuracy (Wilson interval) and influence on alpha, per-case splits, pairwise kappa.

Root cause is coded with "none" as a category of its own: TP and TN answers carry no root cause, and
that is an answer, not a blank. So "FP/A" against "TP/none" is a disagreement. Only a case a
participant did not answer at all is missing.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.cases.vocabulary import DECISIONS, LABELS, ROOT_CAUSES
from app.metrics.accuracy import assess_accuracy
from app.metrics.agreement import bootstrap_alpha, krippendorff_alpha
from app.metrics.agreement_report import agreement_report

NO_ROOT_CAUSE = "none"
FIELDS = {"decision": DECISIONS, "label": LABELS, "root_cause": (*ROOT_CAUSES, NO_ROOT_CAUSE)}
N_RESAMPLES = 1000
# Stored on every report. 1 (reports stored before the key existed): an answer without a root cause was
# left out of the root-cause alpha as missing. 2: it is coded as the category "none".
DEFINITION_VERSION = 2


@dataclass(frozen=True)
class Given:
    decision: str
    label: str
    root_cause: str | None


def coded(given: Given, field: str) -> str:
    """The category one answer puts a case in for `field`: an answer without a root cause says "none"."""
    value = getattr(given, field)
    return NO_ROOT_CAUSE if field == "root_cause" and value is None else value


def _table(answers: dict[tuple[int, int], Given], units: int, raters: int, field: str) -> list[list]:
    """Units x raters; None only where the participant gave no answer to that case."""
    table: list[list] = [[None] * raters for _ in range(units)]
    for (unit, rater), given in answers.items():
        table[unit][rater] = coded(given, field)
    return table


def _alpha_block(alpha, interval) -> dict:
    return {
        "value": alpha.value,
        "ci95": [interval.low, interval.high]
        if alpha.value is not None and interval.low is not None
        else None,
        "pairable": alpha.units,
        "reading": alpha.reading,
        "reason": alpha.reason,
    }


def build_report(
    cases: Sequence[dict],
    participants: Sequence[str],
    answers: dict[tuple[int, int], Given],
    seed: int,
    n_resamples: int = N_RESAMPLES,
) -> dict:
    """The whole report. `cases` are dicts with `case_id` and `reference` (a Given or None); `answers`
    maps (case index, participant index) to what that participant answered."""
    units, raters = len(cases), len(participants)
    decision_table = _table(answers, units, raters, "decision")
    decision = agreement_report(
        decision_table, seed=seed, categories=DECISIONS, n_resamples=n_resamples, disputed_limit=None
    )
    alpha = {"decision": _alpha_block(decision.alpha, decision.interval)}
    for field in ("label", "root_cause"):
        table = _table(answers, units, raters, field)
        result = krippendorff_alpha(table, categories=FIELDS[field])
        interval = bootstrap_alpha(table, seed=seed, categories=FIELDS[field], n_resamples=n_resamples)
        alpha[field] = _alpha_block(result, interval)
    case_rows = _case_rows(cases, decision_table)
    return {
        "alpha": alpha,
        "participants": _participant_rows(cases, participants, decision_table, case_rows, decision.influence),
        "cases": sorted(case_rows, key=lambda row: (-row["split"], row["position"])),
        "kappa": {
            "participants": list(participants),
            "matrix": decision.kappa.values,
            "shared": decision.kappa.shared,
        },
        "size": {"cases": units, "participants": raters, "answers": len(answers)},
        "definition": DEFINITION_VERSION,
    }


def _case_rows(cases: Sequence[dict], decision_table: list[list]) -> list[dict]:
    rows = []
    for index, (case, decisions) in enumerate(zip(cases, decision_table, strict=True)):
        given = [d for d in decisions if d is not None]
        counts = Counter(given)
        majority, top = counts.most_common(1)[0] if counts else (None, 0)
        tied = sum(1 for n in counts.values() if n == top) > 1
        reference = case.get("reference")
        rows.append(
            {
                "position": index + 1,
                "case_id": case["case_id"],
                "distribution": {d: counts.get(d, 0) for d in DECISIONS},
                "answers": len(given),
                "majority": None if tied else majority,
                "split": round(1 - top / len(given), 6) if given else 0.0,
                "reference": reference.decision if reference else None,
                "majority_correct": (majority == reference.decision)
                if reference and given and not tied
                else None,
            }
        )
    return rows


def _participant_rows(cases, participants, decision_table, case_rows, influence) -> list[dict]:
    rows = []
    by_position = {row["position"]: row for row in case_rows}
    for rater, name in enumerate(participants):
        scored = correct = answered = with_majority = majority_cases = 0
        for index, case in enumerate(cases):
            given = decision_table[index][rater]
            if given is None:
                continue
            answered += 1
            reference = case.get("reference")
            if reference is not None:
                scored += 1
                correct += given == reference.decision
            majority = by_position[index + 1]["majority"]
            if majority is not None:
                majority_cases += 1
                with_majority += given == majority
        accuracy = assess_accuracy(correct, scored)
        rows.append(
            {
                "participant": name,
                "answered": answered,
                "scored": scored,
                "correct": correct,
                "accuracy": accuracy.estimate,
                "ci95": [accuracy.low, accuracy.high] if scored else None,
                "majority_agreement": with_majority / majority_cases if majority_cases else None,
                "alpha_without": influence[rater].alpha_without,
                "alpha_change": influence[rater].change,
            }
        )
    return rows
