"""Whether an agent's answer is well-formed (pure): the rules behind the practice and exam forms."""

import pytest

from app.cases.answer_rules import answer_problems
from app.cases.sentences import count_sentences


def fields(decision, label, root_cause, rationale) -> list[str]:
    return [p.field for p in answer_problems(decision, label, root_cause, rationale)]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (("block", "FN", "A", "Tamper score is high."), []),
        (("pass", "TN", None, ""), []),  # a clean pass needs no rationale
        (("pass", "TP", None, ""), []),
        (("escalate", "TN", None, "Key User."), []),
        ((None, "TN", None, ""), ["decision"]),
        (("allow", "TN", None, ""), ["decision"]),
        (("pass", None, None, ""), ["label"]),
        (("pass", "XX", None, ""), ["label"]),
        (("pass", "FP", None, "Wrongly flagged."), ["root_cause"]),
        (("pass", "FP", "D", "Wrongly flagged."), ["root_cause"]),
        (("block", "TP", "A", "Mixer exposure."), ["root_cause"]),
        (("pass", "TN", "C", ""), ["root_cause"]),
        (("block", "TP", None, ""), ["rationale"]),
        (("escalate", "TN", None, "   "), ["rationale"]),
        (("pass", "FP", "B", ""), ["rationale"]),
        ((None, None, None, ""), ["decision", "label"]),
    ],
)
def test_answer_problems_name_the_field(answer, expected):
    assert fields(*answer) == expected


@pytest.mark.parametrize(
    ("rationale", "sentences"),
    [
        ("One. Two. Three.", 3),
        ("One. Two. Three. Four.", 4),
        ("一。二！三？", 3),
        ("一。二！三？四。", 4),
        ("Tamper 0.91 is high. 面部不匹配。Escalate! Why?", 4),
        ("Score e.g. 0.91 vs. 0.5 is high. Block.", 2),
        ("See no. 5 in the SOP. The answer is no.", 2),
        ("No full stop at the end", 1),
        ("", 0),
    ],
)
def test_sentences_are_counted_in_english_and_chinese(rationale, sentences):
    assert count_sentences(rationale) == sentences
    too_long = "rationale" in fields("block", "TP", None, rationale)
    assert too_long is (sentences > 3 or sentences == 0)


def test_rationale_over_1200_characters_is_refused():
    assert fields("block", "TP", None, "x" * 1201 + ".") == ["rationale"]
    assert fields("block", "TP", None, "x" * 1199 + ".") == []
