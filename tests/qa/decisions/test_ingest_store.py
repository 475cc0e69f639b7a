"""The bulk write path: automated findings stored with each decision, duplicates skipped, exact counts."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from app.audit.models import AuditEvent
from app.qa.decisions import ingest
from app.qa.decisions.ingest_format import validate_decisions
from app.qa.decisions.models import LiveDecision, LiveFinding
from tests.qa.decisions.ingest_support import decision

CRAFTED = [
    ({"priority": 80}, ["key_user_not_escalated"]),
    ({"priority": 80, "decision": "escalate", "label": None}, []),
    ({"decided_at": "2026-11-17T12:00:01Z"}, ["sla_breach"]),
    ({"decided_at": "2026-11-17T12:00:00Z"}, ["sla_breach"]),  # exactly 4 h is a breach: under 4 h complies
    (
        {"decision": "block", "agent_recommendation": "block", "label": "TP", "rationale": ""},
        ["rationale_missing"],
    ),
    ({"decision": "pass", "label": "TN", "rationale": ""}, []),
    ({"rationale": "One. Two. Three. Four."}, ["rationale_too_long"]),
    ({"rationale": "第一。第二。第三。第四。"}, ["rationale_too_long"]),
    ({"rationale": "One. Two. Three."}, []),
    ({"label": "TP"}, ["label_inconsistent"]),
    ({"agent_recommendation": "escalate", "label": "FP", "root_cause": "B"}, []),  # a judgement call
    ({"decision": "block", "label": "FN", "root_cause": None}, ["root_cause_missing"]),
    ({"label": "TN", "root_cause": "A"}, ["root_cause_unexpected"]),
    (
        {"agent_recommendation": "block", "confidence": 0.8, "label": "FP", "root_cause": "B"},
        ["high_confidence_override"],
    ),
    ({"agent_recommendation": "block", "confidence": 0.79, "label": "FP", "root_cause": "B"}, []),
    (
        {
            "priority": 90,
            "decision": "block",
            "confidence": 0.95,
            "label": "FN",
            "rationale": "",
            "decided_at": "2026-11-17T13:00:00Z",
        },
        [
            "key_user_not_escalated",
            "sla_breach",
            "rationale_missing",
            "root_cause_missing",
            "high_confidence_override",
        ],
    ),
]
SEVERITY = {
    "key_user_not_escalated": "critical",
    "sla_breach": "major",
    "rationale_missing": "major",
    "rationale_too_long": "minor",
    "label_inconsistent": "major",
    "root_cause_missing": "major",
    "root_cause_unexpected": "minor",
    "high_confidence_override": "info",
}


@pytest.fixture
def known(db, make_user, make_case_type):
    make_user("agent", username="ana")
    make_case_type()
    return ingest.known_people_and_types()


def rows(known, *items):
    checked = validate_decisions(enumerate(items), known)
    assert checked.errors == []
    return checked.rows


def findings_of(db, decision_id: str) -> list[tuple[str, str]]:
    return db.session.execute(
        select(LiveFinding.code, LiveFinding.severity)
        .join(LiveDecision, LiveDecision.id == LiveFinding.live_decision_id)
        .where(LiveDecision.decision_id == decision_id)
        .order_by(LiveFinding.id)
    ).all()


def test_every_rule_stores_its_code_and_severity(db, known):
    items = [decision(n, **overrides) for n, (overrides, _codes) in enumerate(CRAFTED)]
    assert ingest.store_decisions(rows(known, *items)) == ingest.Stored(len(CRAFTED), 0)
    for n, (_overrides, codes) in enumerate(CRAFTED):
        assert findings_of(db, f"D-{n:05d}") == [(code, SEVERITY[code]) for code in codes], CRAFTED[n]
        stored = db.session.scalar(select(LiveDecision).where(LiveDecision.decision_id == f"D-{n:05d}"))
        assert stored.has_critical == ("key_user_not_escalated" in codes)
        assert stored.high_confidence_override == ("high_confidence_override" in codes)


def test_stored_values_read_back_as_given(db, known):
    ingest.store_decisions(rows(known, decision(1, opened_at="2026-11-17T10:00:00.250+02:00")))
    db.session.commit()
    stored = db.session.scalar(select(LiveDecision))
    assert stored.opened_at == datetime(2026, 11, 17, 8, 0, 0, 250_000, tzinfo=UTC)
    assert stored.decided_at == datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    assert stored.signals == {"tamper_score": 0.1, "document_type": "passport"}
    assert (stored.agent.username, stored.case_type.slug, stored.rationale) == (
        "ana",
        "kyc_audit",
        "Signals match the SOP. Nothing unusual.",
    )
    # Range queries compare the stored text on SQLite: a bound equal to the stored time must match it.
    assert db.session.scalar(select(LiveDecision.id).where(LiveDecision.opened_at >= stored.opened_at))
    assert db.session.scalar(select(LiveDecision.id).where(LiveDecision.opened_at <= stored.opened_at))


def test_decisions_already_stored_are_duplicates_and_keep_their_findings(db, known):
    first = ingest.store_decisions(rows(known, decision(1, priority=80), decision(2)))
    # The repeat of D-00001 breaks the Key User rule too: its finding must not be attached a second time.
    again = ingest.store_decisions(
        rows(known, decision(1, priority=90), decision(2), decision(3, label="TP"))
    )
    assert (first, again) == (ingest.Stored(2, 0), ingest.Stored(1, 2))
    assert findings_of(db, "D-00001") == [("key_user_not_escalated", "critical")]  # not replaced, not doubled
    assert findings_of(db, "D-00003") == [("label_inconsistent", "major")]
    assert db.session.scalar(select(LiveDecision.priority).where(LiveDecision.decision_id == "D-00001")) == 80


def test_ingest_records_one_audit_event_per_batch(db, known):
    stored = ingest.ingest_decisions(rows(known, decision(1), decision(2)), None, "api", repeats=1)
    assert stored == ingest.Stored(2, 1)
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "qa.ingest"))
    assert event.detail == {"source": "api", "created": 2, "duplicates": 1}


def test_thresholds_come_from_the_config(db, known, app, monkeypatch):
    monkeypatch.setitem(app.config, "KEY_USER_PRIORITY", 90)
    ingest.store_decisions(rows(known, decision(1, priority=80), decision(2, priority=95)))
    assert findings_of(db, "D-00001") == []
    assert findings_of(db, "D-00002") == [("key_user_not_escalated", "critical")]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 17, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 17, 8, 0, 0, 250_000, tzinfo=UTC),
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    ],
)
def test_the_raw_sqlite_path_writes_times_as_sqlalchemy_does(moment):
    """Pure: the bulk path formats times itself on SQLite; they must equal what the ORM would store."""
    dialect = sqlite.dialect()
    as_orm = LiveDecision.__table__.c.opened_at.type.dialect_impl(dialect).bind_processor(dialect)(moment)
    assert ingest._sqlite_time(moment) == as_orm
