"""Confusion matrix and per-class scores for decisions and labels."""

import pytest

from app.metrics.classification import (
    DASH,
    classification_report,
    confusion_matrix,
    fmt_percent,
    fmt_ratio,
    risk_scores,
)

# scikit-learn's documented precision_recall_fscore_support example (sklearn.metrics docstring).
SK_TRUE = ["cat", "dog", "pig", "cat", "dog", "pig"]
SK_PRED = ["cat", "pig", "dog", "cat", "cat", "dog"]
SK_LABELS = ["cat", "dog", "pig"]


@pytest.mark.parametrize("average", ["macro", "weighted"])
def test_sklearn_documented_example(average):
    # sklearn: macro and weighted both give (0.22..., 0.33..., 0.26...) here (equal supports).
    report = classification_report(SK_TRUE, SK_PRED, SK_LABELS)
    scores = getattr(report, average)
    assert scores.precision == pytest.approx(2 / 9, abs=1e-12)
    assert scores.recall == pytest.approx(1 / 3, abs=1e-12)
    assert scores.f1 == pytest.approx(4 / 15, abs=1e-12)


def test_sklearn_example_per_class_and_accuracy():
    report = classification_report(SK_TRUE, SK_PRED, SK_LABELS)
    cat, dog, pig = report.per_class
    assert (cat.precision, cat.recall, cat.f1, cat.support) == (pytest.approx(2 / 3), 1.0, 0.8, 2)
    assert (dog.precision, dog.recall, dog.f1) == (0.0, 0.0, 0.0)
    assert (pig.precision, pig.recall, pig.f1) == (0.0, 0.0, 0.0)
    assert report.accuracy == pytest.approx(1 / 3)  # equals sklearn's micro average here
    assert report.n == 6


def test_matrix_rows_are_reference_columns_are_given_in_label_order():
    reference = ["block", "block", "pass", "escalate"]
    given = ["pass", "block", "pass", "block"]
    assert confusion_matrix(reference, given, ["pass", "block", "escalate"]) == [
        [1, 0, 0],
        [1, 1, 0],
        [0, 1, 0],
    ]
    assert confusion_matrix(reference, given, ["escalate", "block", "pass"]) == [
        [0, 1, 0],
        [0, 1, 1],
        [0, 0, 1],
    ]


def test_undefined_scores_are_none_and_left_out_of_averages():
    # escalate: never in the reference, never given -> all undefined.
    # block: in the reference, never given -> precision undefined, recall 0, F1 0.
    report = classification_report(
        ["pass", "pass", "block"], ["pass", "pass", "pass"], ["pass", "block", "escalate"]
    )
    passed, blocked, escalated = report.per_class
    assert (blocked.precision, blocked.recall, blocked.f1) == (None, 0.0, 0.0)
    assert (escalated.precision, escalated.recall, escalated.f1, escalated.support) == (
        None,
        None,
        None,
        0,
    )
    assert passed.precision == pytest.approx(2 / 3)
    # Macro over defined values: precision only from "pass"; F1 over pass (0.8) and block (0).
    assert report.macro.precision == pytest.approx(2 / 3)
    assert report.macro.recall == pytest.approx(0.5)
    assert report.macro.f1 == pytest.approx(0.4)
    # Weighted by support over the same defined classes: recall (2 * 1 + 1 * 0) / 3.
    assert report.weighted.recall == pytest.approx(2 / 3)
    assert report.weighted.precision == pytest.approx(2 / 3)


def test_empty_input_has_no_scores():
    report = classification_report([], [], ["pass", "block"])
    assert report.n == 0
    assert report.accuracy is None
    assert (report.macro.precision, report.macro.recall, report.macro.f1) == (None, None, None)


@pytest.mark.parametrize(
    ("reference", "given"),
    [(["pass"], ["pass", "block"]), (["pass"], ["allow"]), (["Pass"], ["pass"])],
)
def test_bad_input_is_rejected(reference, given):
    with pytest.raises(ValueError):
        confusion_matrix(reference, given, ["pass", "block", "escalate"])


def test_risk_scores_from_labels():
    scores = risk_scores(["TP"] * 95 + ["FP"] * 5 + ["FN"] * 1 + ["TN"] * 50)
    assert scores.precision == pytest.approx(0.95)
    assert scores.recall == pytest.approx(95 / 96)
    assert scores.f1 == pytest.approx(190 / 196)
    assert scores.support == 96


def test_risk_scores_undefined_without_flags_and_rejects_unknown_labels():
    scores = risk_scores(["TN", "TN"])
    assert (scores.precision, scores.recall, scores.f1) == (None, None, None)
    with pytest.raises(ValueError):
        risk_scores(["TP", "tp"])


@pytest.mark.parametrize(
    ("value", "ratio_text", "percent_text"),
    [(None, DASH, DASH), (0.98123, "0.981", "98.1%"), (0.0, "0.000", "0.0%"), (1.0, "1.000", "100.0%")],
)
def test_formatters(value, ratio_text, percent_text):
    assert fmt_ratio(value) == ratio_text
    assert fmt_percent(value) == percent_text


def test_undefined_is_an_em_dash():
    assert fmt_ratio(None) == "\u2014"
