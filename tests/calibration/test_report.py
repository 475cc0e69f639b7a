"""The agreement report (pure): alpha against the krippendorff package, splits, participants, kappa."""

import random

import krippendorff
import numpy as np
import pytest

from app.calibration.report import DEFINITION_VERSION, Given, build_report
from app.cases.vocabulary import DECISIONS, LABELS, ROOT_CAUSES
from app.metrics.accuracy import assess_accuracy
from app.metrics.ratings import REASON_NO_DATA, REASON_NO_PAIRS, REASON_NO_VARIATION

# "none" is a root-cause category of its own (TP and TN answers have no root cause).
FIELDS = {"decision": DECISIONS, "label": LABELS, "root_cause": (*ROOT_CAUSES, "none")}


def random_session(seed: int, units: int = 14, raters: int = 5, missing: float = 0.2):
    """Cases (some with a reference) and answers as a participant would give them, some left blank."""
    rng = random.Random(seed)

    def given() -> Given:
        label = rng.choice(LABELS)
        return Given(rng.choice(DECISIONS), label, rng.choice(ROOT_CAUSES) if label in ("FP", "FN") else None)

    cases = [{"case_id": 100 + u, "reference": given() if u % 3 else None} for u in range(units)]
    answers = {(u, r): given() for u in range(units) for r in range(raters) if rng.random() >= missing}
    return cases, [f"rater{r}" for r in range(raters)], answers


def reliability(answers, units: int, raters: int, field: str, skip_rater: int | None = None) -> np.ndarray:
    """Raters x units, integer codes, NaN where not answered: the krippendorff package's layout."""
    codes = {value: code for code, value in enumerate(FIELDS[field])}
    data = np.full((raters, units), np.nan)
    for (unit, rater), answer in answers.items():
        value = getattr(answer, field)
        data[rater, unit] = codes["none" if value is None else value]
    return np.delete(data, skip_rater, axis=0) if skip_rater is not None else data


def reference_alpha(data: np.ndarray) -> float:
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


SEEDS = [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("field", ["decision", "label", "root_cause"])
def test_alpha_equals_the_krippendorff_package(seed, field):
    cases, people, answers = random_session(seed)
    block = build_report(cases, people, answers, seed=seed, n_resamples=200)["alpha"][field]
    expected = reference_alpha(reliability(answers, len(cases), len(people), field))
    assert block["value"] == pytest.approx(expected, abs=1e-9)
    assert block["reason"] is None
    low, high = block["ci95"]
    assert low <= block["value"] <= high
    assert -1 <= low < high <= 1
    data = reliability(answers, len(cases), len(people), field)
    assert block["pairable"] == int(((~np.isnan(data)).sum(axis=0) >= 2).sum())
    reading = "reliable" if expected >= 0.8 else "tentative" if expected >= 0.667 else "unreliable"
    assert block["reading"] == reading


def test_alpha_reading_for_a_session_that_mostly_agrees():
    cases = [{"case_id": u, "reference": None} for u in range(10)]
    decisions = ["pass", "block", "escalate", "pass", "block"] * 2
    answers = {(u, r): Given(decisions[u], "TN", None) for u in range(10) for r in range(3)}
    answers[(0, 2)] = Given("block", "TN", None)
    block = build_report(cases, ["a", "b", "c"], answers, seed=1, n_resamples=200)["alpha"]["decision"]
    assert block["value"] == pytest.approx(reference_alpha(reliability(answers, 10, 3, "decision")), abs=1e-9)
    assert block["value"] > 0.8 and block["reading"] == "reliable"


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_alpha_without_each_participant_equals_the_package_without_their_row(seed):
    cases, people, answers = random_session(seed)
    report = build_report(cases, people, answers, seed=seed, n_resamples=50)
    full = reference_alpha(reliability(answers, len(cases), len(people), "decision"))
    for rater, row in enumerate(report["participants"]):
        expected = reference_alpha(reliability(answers, len(cases), len(people), "decision", rater))
        assert row["participant"] == people[rater]
        assert row["alpha_without"] == pytest.approx(expected, abs=1e-9)
        assert row["alpha_change"] == pytest.approx(expected - full, abs=1e-9)


def test_the_same_seed_gives_the_same_interval():
    cases, people, answers = random_session(7)
    first = build_report(cases, people, answers, seed=11, n_resamples=300)["alpha"]
    again = build_report(cases, people, answers, seed=11, n_resamples=300)["alpha"]
    assert first == again


# --- degenerate sessions ----------------------------------------------------------------------------

CASES3 = [{"case_id": u, "reference": Given("block", "TP", None)} for u in range(3)]


@pytest.mark.parametrize(
    ("people", "answers", "reasons"),
    [
        pytest.param(
            ["a", "b", "c"],
            {(u, r): Given("block", "TP", None) for u in range(3) for r in range(3)},
            # Everyone said TP with no root cause: "none" is one shared category, so no variation.
            dict.fromkeys(("decision", "label", "root_cause"), REASON_NO_VARIATION),
            id="everyone-agrees-on-one-value",
        ),
        pytest.param(
            ["a", "b"],
            {(u, r): Given("pass", "FN", "B") for u in range(3) for r in range(2)},
            {
                "decision": REASON_NO_VARIATION,
                "label": REASON_NO_VARIATION,
                "root_cause": REASON_NO_VARIATION,
            },
            id="same-fn-everywhere",
        ),
        pytest.param(
            ["solo"],
            {
                (0, 0): Given("block", "TP", None),
                (1, 0): Given("pass", "FN", "A"),
                (2, 0): Given("escalate", "FP", "C"),
            },
            {"decision": REASON_NO_PAIRS, "label": REASON_NO_PAIRS, "root_cause": REASON_NO_PAIRS},
            id="one-participant",
        ),
        pytest.param(
            ["a", "b"],
            {(0, 0): Given("block", "TP", None), (1, 1): Given("pass", "TN", None)},
            {"decision": REASON_NO_PAIRS, "label": REASON_NO_PAIRS, "root_cause": REASON_NO_PAIRS},
            id="nobody-answered-the-same-case",
        ),
        pytest.param(
            ["a", "b"],
            {},
            {"decision": REASON_NO_DATA, "label": REASON_NO_DATA, "root_cause": REASON_NO_DATA},
            id="no-answers",
        ),
    ],
)
def test_degenerate_sessions_give_a_reason_not_an_error(people, answers, reasons):
    report = build_report(CASES3, people, answers, seed=3, n_resamples=100)
    for field, reason in reasons.items():
        block = report["alpha"][field]
        assert block["value"] is None
        assert block["ci95"] is None
        assert block["reading"] is None
        assert block["reason"] == reason
    assert report["size"] == {"cases": 3, "participants": len(people), "answers": len(answers)}
    assert [row["alpha_without"] for row in report["participants"]] == [None] * len(people)
    assert report["kappa"]["participants"] == people


def test_a_session_without_answers_has_empty_rows():
    report = build_report(CASES3, ["a", "b"], {}, seed=3, n_resamples=10)
    for row in report["cases"]:
        assert row["distribution"] == {"pass": 0, "block": 0, "escalate": 0}
        assert (row["answers"], row["majority"], row["split"], row["majority_correct"]) == (
            0,
            None,
            0.0,
            None,
        )
    for row in report["participants"]:
        assert (row["answered"], row["scored"], row["accuracy"], row["ci95"]) == (0, 0, None, None)
        assert row["majority_agreement"] is None


# --- root cause: "none" is a category ----------------------------------------------------------------

CASES4 = [{"case_id": u, "reference": None} for u in range(4)]
# Two participants. Cases 1 and 2 agree on an error and its cause; case 3 is "FP/A" against "TP/none";
# case 4 both say TN, so neither gives a root cause.
ROOT_CAUSE_ANSWERS = {
    (0, 0): Given("pass", "FP", "A"),
    (0, 1): Given("pass", "FP", "A"),
    (1, 0): Given("block", "FN", "B"),
    (1, 1): Given("block", "FN", "B"),
    (2, 0): Given("pass", "FP", "A"),
    (2, 1): Given("block", "TP", None),
    (3, 0): Given("pass", "TN", None),
    (3, 1): Given("pass", "TN", None),
}


def test_fp_a_against_tp_none_is_a_root_cause_disagreement():
    # By hand: values A,A B,B A,none none,none; n = 8 with n_A = 3, n_B = 2, n_none = 3. The only
    # off-diagonal coincidences are case 3's (A, none) and (none, A): 2. Expected off-diagonal pairs:
    # 8² - (3² + 2² + 3²) = 42. Nominal alpha = 1 - (n - 1) · 2 / 42 = 1 - 14/42 = 2/3.
    # Coding "none" as missing instead drops cases 3 and 4 and reads perfect agreement (1.0).
    report = build_report(CASES4, ["a", "b"], ROOT_CAUSE_ANSWERS, seed=4, n_resamples=100)
    block = report["alpha"]["root_cause"]
    assert block["value"] == pytest.approx(2 / 3, abs=1e-12)
    assert block["pairable"] == 4
    assert block["reading"] == "unreliable"
    assert report["definition"] == DEFINITION_VERSION == 2


def test_root_cause_alpha_equals_the_package_on_the_none_coded_matrix():
    # Rows are participants, columns cases; codes A=0, B=1, C=2, none=3; NaN only where not answered.
    coded = np.array([[0, 1, 0, 3, 2, np.nan], [0, 1, 3, 3, np.nan, 3]], dtype=float)
    answers = {
        (unit, rater): Given("block", "TP", None)
        if value == 3
        else Given("pass", "FP", ROOT_CAUSES[int(value)])
        for rater, row in enumerate(coded)
        for unit, value in enumerate(row)
        if not np.isnan(value)
    }
    cases = [{"case_id": u, "reference": None} for u in range(coded.shape[1])]
    block = build_report(cases, ["a", "b"], answers, seed=4, n_resamples=100)["alpha"]["root_cause"]
    assert block["value"] == pytest.approx(reference_alpha(coded), abs=1e-12)
    assert block["value"] == pytest.approx(2 / 3, abs=1e-12)  # the same counts as the case above


def test_a_case_not_answered_is_still_missing():
    answers = {key: value for key, value in ROOT_CAUSE_ANSWERS.items() if key != (3, 1)}
    block = build_report(CASES4, ["a", "b"], answers, seed=4, n_resamples=100)["alpha"]["root_cause"]
    # Case 4 drops out (one answer): n = 6 (A 3, B 2, none 1), off-diagonal 2, expected 36 - 14 = 22.
    assert block["pairable"] == 3
    assert block["value"] == pytest.approx(1 - 5 * 2 / 22, abs=1e-12)


# --- cases ------------------------------------------------------------------------------------------

# Three participants. Case 3 is live (no reference); case 5 nobody answered.
SPLIT_CASES = [
    {"case_id": 11, "reference": Given("block", "FN", "A")},
    {"case_id": 12, "reference": Given("pass", "TN", None)},
    {"case_id": "D-3", "reference": None},
    {"case_id": 14, "reference": Given("escalate", "FN", "C")},
    {"case_id": 15, "reference": Given("pass", "TN", None)},
]
SPLIT_DECISIONS = {
    0: ["block", "block", "pass"],  # 2-1, majority block, right
    1: ["block", "block", "block"],  # unanimous and wrong
    2: ["pass", None, "block"],  # 1-1 tie
    3: ["escalate", "pass", "block"],  # three-way tie
    4: [None, None, None],
}
SPLIT_ANSWERS = {
    (unit, rater): Given(decision, "TN" if decision == "pass" else "TP", None)
    for unit, decisions in SPLIT_DECISIONS.items()
    for rater, decision in enumerate(decisions)
    if decision is not None
}


def split_report() -> dict:
    return build_report(SPLIT_CASES, ["ana", "ben", "cai"], SPLIT_ANSWERS, seed=5, n_resamples=100)


@pytest.mark.parametrize(
    ("position", "case_id", "distribution", "majority", "split", "reference", "majority_correct"),
    [
        (1, 11, (1, 2, 0), "block", 1 / 3, "block", True),
        (2, 12, (0, 3, 0), "block", 0.0, "pass", False),
        (3, "D-3", (1, 1, 0), None, 0.5, None, None),
        (4, 14, (1, 1, 1), None, 2 / 3, "escalate", None),
        (5, 15, (0, 0, 0), None, 0.0, "pass", None),
    ],
)
def test_each_case_row(position, case_id, distribution, majority, split, reference, majority_correct):
    row = next(r for r in split_report()["cases"] if r["position"] == position)
    assert row["case_id"] == case_id
    assert row["distribution"] == dict(zip(("pass", "block", "escalate"), distribution, strict=True))
    assert row["answers"] == sum(distribution)
    assert row["majority"] == majority
    assert row["split"] == pytest.approx(split, abs=1e-6)
    assert row["reference"] == reference
    assert row["majority_correct"] is majority_correct


def test_most_disputed_cases_come_first():
    assert [row["position"] for row in split_report()["cases"]] == [4, 3, 1, 2, 5]


# --- participants -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rater", "answered", "scored", "correct", "with_majority"),
    [
        # ana: block(right) block(wrong) pass(live) escalate(right); majority cases 1 and 2: both with it.
        (0, 4, 3, 2, 1.0),
        # ben: block(right) block(wrong) pass(wrong) on cases 1, 2, 4: with the majority on 1 and 2.
        (1, 3, 3, 1, 1.0),
        # cai: pass(wrong) block(wrong) block(live) block(wrong): with the majority on case 2 only.
        (2, 4, 3, 0, 0.5),
    ],
)
def test_each_participant_row(rater, answered, scored, correct, with_majority):
    row = split_report()["participants"][rater]
    accuracy = assess_accuracy(correct, scored)
    assert row["participant"] == ["ana", "ben", "cai"][rater]
    assert (row["answered"], row["scored"], row["correct"]) == (answered, scored, correct)
    assert row["accuracy"] == pytest.approx(correct / scored)
    assert row["ci95"] == pytest.approx([accuracy.low, accuracy.high])
    assert row["ci95"][0] <= row["accuracy"] <= row["ci95"][1]
    assert row["majority_agreement"] == pytest.approx(with_majority)


def cohen(first: list, second: list) -> float:
    """Cohen's kappa on the cases both answered, from its definition."""
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    chance = sum((sum(a == c for a, _ in pairs) / n) * (sum(b == c for _, b in pairs) / n) for c in DECISIONS)
    return (observed - chance) / (1 - chance)


def test_kappa_matrix_is_symmetric_and_matches_cohen():
    cases, people, answers = random_session(2, units=20, raters=4, missing=0.1)
    kappa = build_report(cases, people, answers, seed=2, n_resamples=10)["kappa"]
    assert kappa["participants"] == people
    matrix = kappa["matrix"]
    assert len(matrix) == 4 and all(len(row) == 4 for row in matrix)
    columns = [[answers[(u, r)].decision if (u, r) in answers else None for u in range(20)] for r in range(4)]
    for i in range(4):
        for j in range(4):
            assert matrix[i][j] == matrix[j][i]
            if i != j:
                assert matrix[i][j] == pytest.approx(cohen(columns[i], columns[j]), abs=1e-9)
                shared = sum(
                    a is not None and b is not None for a, b in zip(columns[i], columns[j], strict=True)
                )
                assert kappa["shared"][i][j] == shared
