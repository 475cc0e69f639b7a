"""Misclassification batches: grouped by case type, scenario and root cause, and turned into calibration
sessions of live cases."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEvent
from app.auth.models import User
from app.calibration.models import CalibrationSession, SessionCase
from app.cases.models import CaseType
from app.errors import DomainError
from app.qa.decision_agent import batches as misclassification
from app.qa.decisions.models import LiveDecision
from tests.qa.conftest import kyc_id


@pytest.fixture
def misclassified(db, make_user, make_live_decisions, make_live_audit):
    """Live decisions whose label or audit says the decision agent was wrong, and some where it was right."""
    agent, lead, second = make_user("agent"), make_user("qa_lead"), make_user("qa_lead")
    fn = make_live_decisions(
        agent,
        3,
        decision="block",
        label="FN",
        root_cause="A",
        rationale="Tampered MRZ.",
        signals=lambda i: {"tamper_score": 0.9 + i / 100},
        priority=lambda i: 40 + i,
    )
    fp = make_live_decisions(
        agent,
        2,
        decision="pass",
        agent_recommendation="block",
        label="FP",
        root_cause="B",
        rationale="Clean.",
    )
    audited_fn = make_live_decisions(agent, 1)  # labelled TN, the audit says FN with root cause C
    make_live_audit(audited_fn[0], lead, "incorrect", corrected_label="FN", root_cause="C")
    audited_tn = make_live_decisions(agent, 1, decision="block", label="FN", root_cause="A", rationale="x.")
    make_live_audit(audited_tn[0], lead, "incorrect", corrected_label="TN")  # the audit clears the model
    blind = make_live_decisions(agent, 1)
    make_live_audit(blind[0], lead, "correct")
    make_live_audit(blind[0], second, "incorrect", corrected_label="FN", is_second_review=True)
    make_live_decisions(agent, 4)  # TN, nothing wrong
    other = make_live_decisions(
        agent,
        1,
        case_type="reset_2fa",
        scenario=None,
        agent_recommendation="block",
        label="FP",
        root_cause="B",
    )
    return {"fn": fn, "fp": fp, "audited_fn": audited_fn, "other": other, "lead": lead, "agent": agent}


def test_misclassification_batches_group_by_type_scenario_and_root_cause(db, misclassified):
    names = dict(db.session.execute(select(CaseType.id, CaseType.slug)).all())
    batches = [
        (names[b["case_type_id"]], b["scenario"], b["root_cause"], b["count"])
        for b in misclassification.misclassification_batches()
    ]
    assert batches[:2] == [("kyc_audit", "kyc.doc_tamper", "A", 3), ("kyc_audit", "kyc.doc_tamper", "B", 2)]
    assert sorted(batches[2:]) == [("kyc_audit", "kyc.doc_tamper", "C", 1), ("reset_2fa", None, "B", 1)]


@pytest.mark.parametrize(
    "case_type, scenario, root_cause, expected",
    [
        ("kyc_audit", "kyc.doc_tamper", "A", "fn"),
        ("kyc_audit", "kyc.doc_tamper", "B", "fp"),
        ("kyc_audit", "kyc.doc_tamper", "C", "audited_fn"),
        ("reset_2fa", None, "B", "other"),
    ],
)
def test_a_batch_holds_its_decisions_newest_first(
    db, misclassified, case_type, scenario, root_cause, expected
):
    type_id = db.session.scalar(select(CaseType.id).where(CaseType.slug == case_type))
    found = [d.id for d in misclassification.batch_decisions(type_id, scenario, root_cause)]
    assert found == sorted(misclassified[expected], reverse=True)


def test_a_batch_becomes_a_calibration_session_of_live_cases(db, qa_clock, misclassified, make_user):
    lead = db.session.get(User, misclassified["lead"].id)
    people = [db.session.get(User, make_user(role).id) for role in ("agent", "agent", "qa_lead")]
    session = misclassification.session_from_batch(
        kyc_id(db), "kyc.doc_tamper", "A", "Tamper misses", qa_clock.now + timedelta(days=3), people, lead
    )
    db.session.commit()
    db.session.execute(update(LiveDecision).values(signals={"changed": True}, priority=1))  # later edits
    db.session.commit()

    stored = db.session.get(CalibrationSession, session.id)
    assert (stored.name, stored.case_type_id, len(stored.participants)) == ("Tamper misses", kyc_id(db), 3)
    cases = db.session.scalars(
        select(SessionCase).where(SessionCase.session_id == session.id).order_by(SessionCase.position)
    ).all()
    decisions = {d.decision_id: d for d in db.session.scalars(select(LiveDecision))}
    fn_refs = [
        d.decision_id for d in sorted(decisions.values(), key=lambda d: -d.id) if d.id in misclassified["fn"]
    ]
    assert [c.live_ref for c in cases] == fn_refs
    assert {c.source for c in cases} == {"live"} and all(c.golden_case_id is None for c in cases)
    first = decisions[fn_refs[0]]
    assert cases[0].content == {
        "scenario": "kyc.doc_tamper",
        "signals": {"tamper_score": 0.92},
        "recommendation": "pass",
        "confidence": 0.9,
        "reasoning": [],
        "priority": 42,
        "opened_at": first.opened_at.isoformat().replace("+00:00", "Z"),
    }
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "calibration.create"))


def test_a_batch_session_needs_participants_and_a_future_deadline(db, qa_clock, misclassified, make_user):
    lead = db.session.get(User, misclassified["lead"].id)
    agent = db.session.get(User, make_user("agent").id)
    with pytest.raises(DomainError) as refused:
        misclassification.session_from_batch(
            kyc_id(db), "kyc.doc_tamper", "A", "S", qa_clock.now + timedelta(days=1), [], lead
        )
    assert refused.value.field == "participants"
    with pytest.raises(DomainError) as refused:
        misclassification.session_from_batch(
            kyc_id(db), "kyc.doc_tamper", "A", "S", qa_clock.now, [agent], lead
        )
    assert refused.value.field == "deadline"
