"""Automated QA on one live decision: every rule on crafted input, with its severity. Pure."""

from datetime import UTC, datetime, timedelta

import pytest

from app.qa.decisions.rules import CODES, Finding, Thresholds, check_decision

OPENED = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


def clean(**overrides) -> dict:
    """A decision that breaks no rule: the reviewer agreed with a confident pass, TN, one sentence."""
    decision = {
        "decision": "pass",
        "recommendation": "pass",
        "confidence": 0.9,
        "priority": 30,
        "opened_at": OPENED,
        "decided_at": OPENED + timedelta(hours=1),
        "label": "TN",
        "root_cause": None,
        "rationale": "Signals are clean.",
    }
    decision.update(overrides)
    return decision


def codes(**overrides) -> list[str]:
    return [f.code for f in check_decision(**clean(**overrides))]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"rationale": ""},  # a pass labelled TN needs no rationale
        {"decision": "block", "recommendation": "block", "label": "TP", "rationale": "Tamper score 0.91."},
        {"decision": "escalate", "priority": 90, "confidence": 0.6, "label": None, "rationale": "Key User."},
        {"decision": "escalate", "confidence": 0.5, "label": "FN", "root_cause": "C", "rationale": "x"},
        {"decided_at": OPENED + timedelta(hours=3, minutes=59, seconds=59)},  # just under the SLA
        {"priority": 74},
        {"decision": "block", "recommendation": "pass", "confidence": 0.79, "label": "FN", "root_cause": "A"},
        {"rationale": "一。二。三。"},
        {"rationale": "Sanctions hit on file no. 5 e.g. the OFAC list. Name matches. Blocked."},
    ],
)
def test_a_clean_decision_has_no_findings(overrides):
    assert check_decision(**clean(**overrides)) == []


@pytest.mark.parametrize(
    "overrides, code, severity",
    [
        ({"priority": 80}, "key_user_not_escalated", "critical"),
        ({"priority": 75}, "key_user_not_escalated", "critical"),
        (
            {"priority": 99, "decision": "block", "recommendation": "block", "label": "TP", "rationale": "x"},
            "key_user_not_escalated",
            "critical",
        ),
        ({"decided_at": OPENED + timedelta(hours=4)}, "sla_breach", "major"),  # 4 h or more is a breach
        ({"decided_at": OPENED + timedelta(hours=4, minutes=1)}, "sla_breach", "major"),
        ({"decided_at": OPENED + timedelta(days=2)}, "sla_breach", "major"),
        (
            {"decision": "block", "recommendation": "block", "label": "TP", "rationale": ""},
            "rationale_missing",
            "major",
        ),
        (
            {"decision": "escalate", "confidence": 0.5, "label": None, "rationale": "  "},
            "rationale_missing",
            "major",
        ),
        (
            {"decision": "pass", "recommendation": "block", "confidence": 0.7, "label": "FP"}
            | {"root_cause": "B", "rationale": ""},
            "rationale_missing",
            "major",
        ),
        ({"rationale": "One. Two. Three. Four."}, "rationale_too_long", "minor"),
        ({"rationale": "风险很高。设备是新的。地址是新的。金额异常。"}, "rationale_too_long", "minor"),
        ({"rationale": "设备是新的！地址是新的？金额异常。还有一件事"}, "rationale_too_long", "minor"),
        (
            {"rationale": "Device is new. 地址是新的。金额异常。Velocity is high."},
            "rationale_too_long",
            "minor",
        ),
        ({"label": "FN", "root_cause": "A"}, "label_inconsistent", "major"),
        (
            {"decision": "block", "recommendation": "block", "label": "TN", "rationale": "Tampered."},
            "label_inconsistent",
            "major",
        ),
        (
            {"decision": "pass", "recommendation": "block", "confidence": 0.7, "label": "FP"},
            "root_cause_missing",
            "major",
        ),
        ({"root_cause": "A"}, "root_cause_unexpected", "minor"),
        (
            {"decision": "block", "recommendation": "pass", "confidence": 0.8, "label": "FN"}
            | {"root_cause": "A"},
            "high_confidence_override",
            "info",
        ),
        (
            {"decision": "escalate", "recommendation": "block", "confidence": 0.97, "label": None},
            "high_confidence_override",
            "info",
        ),
    ],
)
def test_each_rule_finds_its_code_with_its_severity(overrides, code, severity):
    findings = check_decision(**clean(**overrides))
    assert findings == [Finding(code, severity)]
    assert CODES[code] == severity


def test_several_findings_come_in_a_fixed_order():
    findings = check_decision(
        **clean(
            priority=90,
            decided_at=OPENED + timedelta(hours=5),
            decision="block",
            recommendation="pass",
            confidence=0.95,
            label="TP",
            root_cause="A",
            rationale="",
        )
    )
    assert [(f.code, f.severity) for f in findings] == [
        ("key_user_not_escalated", "critical"),
        ("sla_breach", "major"),
        ("rationale_missing", "major"),
        ("label_inconsistent", "major"),
        ("root_cause_unexpected", "minor"),
        ("high_confidence_override", "info"),
    ]


@pytest.mark.parametrize(
    "overrides, thresholds, expected",
    [
        ({"priority": 80}, Thresholds(key_user_priority=90), []),
        ({"priority": 60}, Thresholds(key_user_priority=50), ["key_user_not_escalated"]),
        ({"decided_at": OPENED + timedelta(hours=2)}, Thresholds(sla=timedelta(hours=1)), ["sla_breach"]),
        ({"decided_at": OPENED + timedelta(hours=6)}, Thresholds(sla=timedelta(hours=8)), []),
        ({"rationale": "One. Two."}, Thresholds(max_sentences=1), ["rationale_too_long"]),
        ({"rationale": "一。二。三。四。五。"}, Thresholds(max_sentences=5), []),
        (
            {"decision": "block", "recommendation": "pass", "confidence": 0.85, "label": "FN"}
            | {"root_cause": "A"},
            Thresholds(override_confidence=0.9),
            [],
        ),
        (
            {"decision": "block", "recommendation": "pass", "confidence": 0.55, "label": "FN"}
            | {"root_cause": "A"},
            Thresholds(override_confidence=0.5),
            ["high_confidence_override"],
        ),
    ],
)
def test_thresholds_are_configurable(overrides, thresholds, expected):
    found = [f.code for f in check_decision(**clean(**overrides), thresholds=thresholds)]
    assert found == expected
