"""Grading answers against reference answers (pure)."""

import pytest

from app.onboarding.grading import Answer, exam_score, grade_attempt, grade_item

FN = Answer("block", "FN", "A")
TP = Answer("block", "TP", None)
TN = Answer("pass", "TN", None)
FP = Answer("pass", "FP", "B")
KEY = Answer("escalate", "FN", "C")
UNANSWERED = Answer(None, None, None)


@pytest.mark.parametrize(
    ("given", "reference", "expected"),
    [
        (FN, FN, (True, True, True)),
        (Answer("block", "FN", "B"), FN, (True, True, False)),  # right decision, wrong root cause
        (Answer("block", "TP", None), FN, (True, False, False)),
        (Answer("pass", "TN", None), FN, (False, False, False)),
        (FP, FP, (True, True, True)),
        # Root cause is scored only where the reference is FP or FN.
        (TP, TP, (True, True, None)),
        (Answer("block", "FP", "A"), TP, (True, False, None)),
        (TN, TN, (True, True, None)),
        (Answer("escalate", "TN", None), TN, (False, True, None)),
    ],
)
def test_grade_item_marks_each_field(given, reference, expected):
    grade = grade_item(given, reference, priority=30)
    assert (grade.decision_ok, grade.label_ok, grade.root_cause_ok) == expected


@pytest.mark.parametrize(
    ("given", "reference", "cost"),
    [
        (FN, FN, 0.0),
        (TN, FN, 10.0),  # passed what had to be blocked
        (TP, TN, 1.0),  # blocked a good user
        (Answer("escalate", "TN", None), TN, 0.5),
        (TN, KEY, 20.0),  # a Key User not escalated
    ],
)
def test_grade_item_cost_of_the_decision(given, reference, cost):
    assert grade_item(given, reference, priority=30).cost == cost


@pytest.mark.parametrize(("reference", "worst"), [(FN, 10.0), (TN, 1.0), (KEY, 20.0)])
def test_unanswered_is_wrong_everywhere_and_costs_the_worst(reference, worst):
    grade = grade_item(UNANSWERED, reference, priority=30)
    assert (grade.decision_ok, grade.label_ok) == (False, False)
    assert grade.root_cause_ok is (False if reference.label in ("FP", "FN") else None)
    assert grade.cost == worst


@pytest.mark.parametrize(
    ("given", "priority", "missed"),
    [
        (TN, 75, True),
        (Answer("block", "TP", None), 100, True),
        (UNANSWERED, 80, True),
        (KEY, 75, False),
        (TN, 74, False),
    ],
)
def test_key_user_missed_unless_escalated(given, priority, missed):
    assert grade_item(given, KEY, priority).key_user_missed is missed


def _attempt(right: int, wrong: int) -> list[tuple[Answer, Answer, int]]:
    return [(FN, FN, 30)] * right + [(TN, FN, 30)] * wrong


@pytest.mark.parametrize(
    ("right", "wrong", "passed"),
    [
        (50, 0, True),
        (49, 1, True),  # exactly 98%: the pass mark is "at least"
        (48, 2, False),
        (98, 2, True),
        (97, 3, False),
        (0, 1, False),
    ],
)
def test_pass_mark_boundary(right, wrong, passed):
    grade = grade_attempt(_attempt(right, wrong), pass_mark=0.98)
    assert grade.decision_correct == right
    assert grade.passed is passed


def test_a_missed_key_user_fails_even_at_full_decision_accuracy():
    # The pure grader is given a Key User whose reference is block: every decision matches, yet the
    # Key User was not escalated, and that alone fails the exam.
    items = [*_attempt(49, 0), (TP, TP, 90)]
    grade = grade_attempt(items, pass_mark=0.98)
    assert grade.decision_accuracy == 1.0
    assert grade.key_user_missed == 1
    assert grade.passed is False


def test_a_missed_key_user_fails_at_the_pass_mark():
    items = [*_attempt(49, 0), (TN, KEY, 80)]
    grade = grade_attempt(items, pass_mark=0.98)
    assert grade.decision_accuracy == pytest.approx(0.98)
    assert (grade.key_user_missed, grade.passed) == (1, False)
    assert grade_attempt([*_attempt(49, 0), (KEY, KEY, 80)], pass_mark=0.98).passed is True


def test_grade_attempt_scores():
    items = [
        (FN, FN, 30),  # all right
        (Answer("block", "FN", "C"), FN, 30),  # wrong root cause
        (TN, FP, 30),  # right decision, wrong label, no root cause given
        (TP, TP, 30),  # right, root cause not scored
        (UNANSWERED, TN, 30),  # unanswered: wrong, costs the worst (1)
        (TN, FN, 30),  # passed a block: costs 10
    ]
    grade = grade_attempt(items, pass_mark=0.5)
    assert grade.n == 6
    assert (grade.decision_correct, grade.label_correct) == (4, 3)
    assert (grade.root_cause_correct, grade.root_cause_total) == (1, 4)
    assert grade.decision_accuracy == pytest.approx(4 / 6)
    assert grade.label_accuracy == pytest.approx(3 / 6)
    assert grade.root_cause_accuracy == pytest.approx(1 / 4)
    assert grade.cost_total == 11.0
    # Worst possible: block 10 + block 10 + pass 1 + block 10 + pass 1 + block 10.
    assert grade.cost_normalised == pytest.approx(11 / 42)
    assert grade.passed is True


def test_an_empty_attempt_does_not_pass():
    grade = grade_attempt([], pass_mark=0.98)
    assert grade.passed is False
    assert (grade.decision_accuracy, grade.label_accuracy, grade.root_cause_accuracy) == (None, None, None)
    assert grade.cost_normalised is None


# --- the exam score, its Wilson interval and the pass rule ------------------------------------------


@pytest.mark.parametrize(
    ("correct", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score, no correction).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # Exam sizes: by hand from Wilson's formula with z = 1.959964, e.g. 49/50: centre 0.94575,
        # half-width 0.05071.
        (49, 50, 0.8950, 0.9965),
        (50, 50, 0.9287, 1.0000),
    ],
)
def test_exam_score_interval_is_wilsons(correct, n, low, high):
    score = exam_score(correct, n, pass_mark=0.98, key_user_missed=0)
    assert score.score == pytest.approx(correct / n)
    assert (score.low, score.high) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))
    assert score.confidence == 0.95


@pytest.mark.parametrize(
    ("correct", "n", "missed", "meets", "passed"),
    [
        (49, 50, 0, True, True),  # exactly at the pass mark of 98%
        (49, 50, 1, True, False),  # any missed Key User fails, whatever the percentage
        (48, 50, 0, False, False),
        (50, 50, 0, True, True),
        (0, 0, 0, False, False),  # an empty exam passes nothing
    ],
)
def test_exam_score_states_each_part_of_the_pass_rule(correct, n, missed, meets, passed):
    score = exam_score(correct, n, pass_mark=0.98, key_user_missed=missed)
    assert (score.meets_mark, score.key_user_missed, score.passed) == (meets, missed, passed)


def test_an_empty_exam_has_no_score_or_interval():
    score = exam_score(0, 0, pass_mark=0.98, key_user_missed=0)
    assert (score.score, score.low, score.high) == (None, None, None)


def test_exam_score_and_grade_attempt_apply_one_pass_rule():
    items = [(FN, FN, 30)] * 49 + [(TN, FN, 30)]
    grade = grade_attempt(items, pass_mark=0.98)
    score = exam_score(grade.decision_correct, grade.n, 0.98, grade.key_user_missed)
    assert grade.passed is score.passed is True
