"""Classification scores for decisions (pass / block / escalate) and labels (TP / TN / FP / FN).

Confusion matrix rows are the reference (the golden or audited answer), columns what was given, in an
explicit label order. Per-class precision, recall and F1 follow scikit-learn's definitions, with
F1 = 2 TP / (2 TP + FP + FN) as in scikit-learn >= 1.3.

Undefined is None, never 0 and never an exception: precision is undefined for a class never given,
recall for a class absent from the reference, F1 only when the class is absent from both. scikit-learn
instead scores 0/0 as 0 (``zero_division="warn"``) and keeps it in the averages; here the macro
average is the mean over the classes where the value is defined, and the weighted average weights
those same classes by support. A class nobody used then neither helps nor hurts the average. With no
undefined values both agree with scikit-learn exactly.
"""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

DECISIONS = ("pass", "block", "escalate")
LABELS = ("TP", "TN", "FP", "FN")
DASH = "\u2014"  # shown for an undefined ratio


@dataclass(frozen=True)
class ClassScores:
    """Precision, recall, F1 and support (reference count) for one class."""

    label: Hashable
    precision: float | None
    recall: float | None
    f1: float | None
    support: int


@dataclass(frozen=True)
class Averages:
    """Averaged precision, recall and F1 (None if no class has a defined value)."""

    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class ClassificationReport:
    """Confusion matrix (rows reference, columns given), per-class scores, accuracy and averages."""

    labels: tuple[Hashable, ...]
    matrix: list[list[int]]
    per_class: list[ClassScores]
    n: int
    accuracy: float | None
    macro: Averages
    weighted: Averages


def confusion_matrix(
    reference: Sequence[Hashable], given: Sequence[Hashable], labels: Sequence[Hashable]
) -> list[list[int]]:
    """Counts of (reference, given) pairs; rows follow `labels` for reference, columns for given."""
    if len(reference) != len(given):
        raise ValueError("reference and given must have one entry per case")
    index = {label: position for position, label in enumerate(labels)}
    if len(index) != len(labels):
        raise ValueError("labels must be distinct")
    matrix = [[0] * len(labels) for _ in labels]
    for truth, answer in zip(reference, given, strict=True):
        # A label outside the list is a data error (a typo would otherwise vanish from every score).
        if truth not in index or answer not in index:
            raise ValueError(f"label not in labels: {truth!r} / {answer!r}")
        matrix[index[truth]][index[answer]] += 1
    return matrix


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


def class_scores(matrix: Sequence[Sequence[int]], labels: Sequence[Hashable]) -> list[ClassScores]:
    """Per-class precision, recall, F1 and support from a confusion matrix."""
    scores = []
    for position, label in enumerate(labels):
        true_positive = matrix[position][position]
        support = sum(matrix[position])
        given = sum(row[position] for row in matrix)
        false_positive, false_negative = given - true_positive, support - true_positive
        scores.append(
            ClassScores(
                label=label,
                precision=ratio(true_positive, given),
                recall=ratio(true_positive, support),
                f1=ratio(2 * true_positive, 2 * true_positive + false_positive + false_negative),
                support=support,
            )
        )
    return scores


def macro_average(scores: Sequence[ClassScores]) -> Averages:
    """Unweighted mean of each score over the classes where it is defined."""
    return Averages(
        precision=_mean([s.precision for s in scores], [1] * len(scores)),
        recall=_mean([s.recall for s in scores], [1] * len(scores)),
        f1=_mean([s.f1 for s in scores], [1] * len(scores)),
    )


def weighted_average(scores: Sequence[ClassScores]) -> Averages:
    """Support-weighted mean of each score over the classes where it is defined."""
    weights = [s.support for s in scores]
    return Averages(
        precision=_mean([s.precision for s in scores], weights),
        recall=_mean([s.recall for s in scores], weights),
        f1=_mean([s.f1 for s in scores], weights),
    )


def classification_report(
    reference: Sequence[Hashable], given: Sequence[Hashable], labels: Sequence[Hashable]
) -> ClassificationReport:
    """Confusion matrix, per-class scores, accuracy, and macro and weighted averages."""
    matrix = confusion_matrix(reference, given, labels)
    scores = class_scores(matrix, labels)
    n = sum(map(sum, matrix))
    correct = sum(matrix[i][i] for i in range(len(labels)))
    return ClassificationReport(
        labels=tuple(labels),
        matrix=matrix,
        per_class=scores,
        n=n,
        accuracy=ratio(correct, n),
        macro=macro_average(scores),
        weighted=weighted_average(scores),
    )


def risk_scores(labels: Sequence[str]) -> ClassScores:
    """The decision agent's precision, recall and F1 on "risk" (block) from TP / TN / FP / FN labels."""
    counts = Counter(labels)
    unknown = set(counts) - set(LABELS)
    if unknown:
        raise ValueError(f"labels must be TP, TN, FP or FN, not {sorted(map(str, unknown))}")
    true_positive, false_positive, false_negative = counts["TP"], counts["FP"], counts["FN"]
    return ClassScores(
        label="risk",
        precision=ratio(true_positive, true_positive + false_positive),
        recall=ratio(true_positive, true_positive + false_negative),
        f1=ratio(2 * true_positive, 2 * true_positive + false_positive + false_negative),
        support=true_positive + false_negative,
    )


def fmt_ratio(value: float | None, digits: int = 3) -> str:
    """A ratio for display ('0.981'); an em dash for undefined."""
    return DASH if value is None else f"{value:.{digits}f}"


def fmt_percent(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage for display ('98.1%'); an em dash for undefined."""
    return DASH if value is None else f"{100 * value:.{digits}f}%"


def _mean(values: Sequence[float | None], weights: Sequence[float]) -> float | None:
    """Weighted mean of the defined values; None if none is defined or all weights are 0."""
    pairs = [(value, weight) for value, weight in zip(values, weights, strict=True) if value is not None]
    total = sum(weight for _, weight in pairs)
    return sum(value * weight for value, weight in pairs) / total if total else None
