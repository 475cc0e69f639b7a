"""Calibration sessions through the services (no HTTP)."""

import random
from datetime import timedelta

import krippendorff
import numpy as np
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.calibration import queries, services
from app.calibration.models import CalibrationSession, SessionAnswer, SessionCase, SessionParticipant
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.errors import Conflict, DomainError, ImportRejected, NotFound
from app.metrics.ratings import REASON_NO_VARIATION
from app.sop.models import SopGap
from tests.calibration.conftest import ANSWERS, live_content
from tests.conftest import utcnow


def kyc(db) -> CaseType:
    return db.session.scalar(select(CaseType).where(CaseType.slug == "kyc_audit"))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(db, action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def user(db, made) -> User:
    return db.session.get(User, made.id)


@pytest.fixture
def lead(db, make_user):
    return user(db, make_user("qa_lead"))


@pytest.fixture
def agents(db, make_user):
    return [user(db, make_user("agent", username=name)) for name in ("ana", "ben", "cai")]


def new_session(db, lead, people, case_ids, live=(), name="Week 45") -> CalibrationSession:
    session = services.create_session(
        name, kyc(db), utcnow() + timedelta(days=2), people, case_ids, lead, live_cases=list(live)
    )
    db.session.commit()
    return session


def at(session: CalibrationSession, position: int) -> SessionCase:
    return next(c for c in session.cases if c.position == position)


def answer_all(db, session, people, decisions: list[list[str]]) -> None:
    """decisions[position - 1][participant] is that participant's decision (None: no answer)."""
    for index, row in enumerate(decisions):
        for person, decision in zip(people, row, strict=True):
            if decision:
                services.save_answer(session, at(session, index + 1), person, ANSWERS[decision])
    db.session.commit()


def package_alpha(decisions: list[list[str | None]]) -> float:
    codes = {"pass": 0, "block": 1, "escalate": 2, None: np.nan}
    data = np.array([[codes[d] for d in row] for row in decisions], dtype=float).T
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


# --- create -----------------------------------------------------------------------------------------


def test_create_session_snapshots_cases_without_reference_answers(db, make_cases, lead, agents):
    cases = make_cases(("fn", "tp", "key"))
    ids = [cases[2]["id"], cases[0]["id"], cases[1]["id"], cases[0]["id"]]  # a repeated id counts once
    live = [{"live_ref": "D-1", "content": live_content()}]
    session = new_session(db, lead, [*agents, agents[0]], ids, live)
    assert session.status == "open" and session.report is None
    assert [(c.position, c.source, c.golden_case_id, c.live_ref) for c in session.cases] == [
        (1, "golden", cases[2]["id"], None),
        (2, "golden", cases[0]["id"], None),
        (3, "golden", cases[1]["id"], None),
        (4, "live", None, "D-1"),
    ]
    assert sorted(p.user_id for p in session.participants) == sorted(a.id for a in agents)
    first = at(session, 1).content
    assert set(first) == set(services.CONTENT_FIELDS)
    assert first["priority"] == 90 and first["recommendation"] == "pass"
    for case in cases:
        assert case["marker"] not in repr([c.content for c in session.cases])
    assert at(session, 4).content == live_content()
    assert events(db, "calibration.create") == 1


REFUSED_SESSIONS = [
    ({"name": "   "}, "name"),
    ({"deadline": -timedelta(minutes=1)}, "deadline"),
    ({"people": []}, "participants"),
    ({"people": ["manager"]}, "participants"),
    ({"people": ["admin"]}, "participants"),
    ({"people": ["inactive"]}, "participants"),
    ({"cases": "other_type"}, "cases"),
    ({"cases": "retired"}, "cases"),
    ({"cases": "unknown"}, "cases"),
    ({"cases": "none"}, "cases"),
    ({"cases": "too_many"}, "cases"),
]


def test_create_session_refuses_and_writes_nothing(db, make_cases, make_user, lead, agents, monkeypatch):
    active = [c["id"] for c in make_cases(("fn", "tp", "tn"))]
    extra = {
        "other_type": [*active, make_cases(("tp",), case_type="reset_2fa")[0]["id"]],
        "retired": [*active, make_cases(("tp",), status="retired")[0]["id"]],
        "unknown": [*active, 999_999],
        "none": [],
        "too_many": active,
    }
    people = {
        kind: user(db, make_user("agent" if kind == "inactive" else kind, active=kind != "inactive"))
        for kind in ("manager", "admin", "inactive")
    }
    for change, field in REFUSED_SESSIONS:
        deadline = utcnow() + change.get("deadline", timedelta(days=2))
        chosen = [people[kind] for kind in change["people"]] if "people" in change else [agents[0]]
        with monkeypatch.context() as patch:
            if change.get("cases") == "too_many":
                patch.setattr(services, "MAX_CASES", 2)
            with pytest.raises(DomainError) as raised:
                name = change.get("name", "Week 45")
                services.create_session(
                    name, kyc(db), deadline, chosen, extra.get(change.get("cases"), active), lead
                )
        assert raised.value.field == field, change
        db.session.rollback()
    for model in (CalibrationSession, SessionCase, SessionParticipant):
        assert count(db, model) == 0
    assert events(db, "calibration.create") == 0


# --- picking golden cases ---------------------------------------------------------------------------


def test_pick_by_keys_keeps_their_order(db, make_cases):
    cases = make_cases(("fn", "tp", "tn", "fp"))
    keys = [cases[3]["key"], cases[0]["key"]]
    assert queries.pick_golden_cases(kyc(db), keys, "", None) == [cases[3]["id"], cases[0]["id"]]


def test_pick_by_unknown_or_foreign_key_names_them(db, make_cases):
    cases = make_cases(("fn", "tp"))
    foreign = make_cases(("tn",), case_type="reset_2fa")[0]
    with pytest.raises(DomainError) as raised:
        queries.pick_golden_cases(kyc(db), [cases[0]["key"], "kyc_audit-nope", foreign["key"]], "", None)
    assert raised.value.field == "case_keys"
    assert "kyc_audit-nope" in str(raised.value.message) and foreign["key"] in str(raised.value.message)
    assert cases[0]["key"] not in str(raised.value.message)


def test_pick_by_scenario_and_count(db, make_cases):
    cases = make_cases(("fn", "tp", "tn", "fp", "fn", "tp"))
    retired = make_cases(("tn",), status="retired", scenario="kyc.scenario_0")[0]
    draws = [("kyc.scenario_0", 2, 2), ("kyc.scenario_0", 10, 3), ("", None, 6), ("kyc.scenario_1", None, 3)]
    for scenario, wanted, expected in draws:
        picked = queries.pick_golden_cases(kyc(db), [], scenario, wanted, random.Random(4))
        assert len(picked) == expected == len(set(picked)), scenario
        allowed = {c["id"] for c in cases if not scenario or c["scenario"] == scenario}
        assert set(picked) <= allowed and retired["id"] not in picked


def test_pick_with_no_match_is_an_error(db, make_cases):
    make_cases(("fn",))
    with pytest.raises(DomainError) as raised:
        queries.pick_golden_cases(kyc(db), [], "kyc.nothing_here", 3)
    assert raised.value.field == "scenario"


# --- answers ----------------------------------------------------------------------------------------


def test_save_answer_upserts(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [c["id"] for c in make_cases(("fn", "tp"))])
    services.save_answer(session, at(session, 1), agents[0], ANSWERS["pass"])
    services.save_answer(
        session, at(session, 1), agents[0], {**ANSWERS["block"], "rationale": "  Changed.  "}
    )
    db.session.commit()
    (row,) = db.session.scalars(select(SessionAnswer))
    assert (row.decision, row.label, row.root_cause, row.rationale) == ("block", "FN", "A", "Changed.")
    assert services.own_answers(session, agents[0]) == {at(session, 1).id: row}
    assert services.own_answers(session, agents[1]) == {}


def test_save_answer_from_a_non_participant_is_not_found(db, make_cases, make_user, lead, agents):
    session = new_session(db, lead, agents[:2], [make_cases(("fn",))[0]["id"]])
    for outsider in (agents[2], lead):
        with pytest.raises(NotFound):
            services.save_answer(session, at(session, 1), outsider, ANSWERS["pass"])
    assert count(db, SessionAnswer) == 0


def test_save_answer_after_close_is_a_conflict(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [make_cases(("fn",))[0]["id"]])
    services.save_answer(session, at(session, 1), agents[0], ANSWERS["pass"])
    services.close_session(session, lead)
    db.session.commit()
    with pytest.raises(Conflict):
        services.save_answer(session, at(session, 1), agents[0], ANSWERS["block"])
    db.session.rollback()
    assert [a.decision for a in db.session.scalars(select(SessionAnswer))] == ["pass"]


MALFORMED = [
    ({"label": "TN", "rationale": ""}, ["decision"]),
    ({"decision": "allow", "label": "TN"}, ["decision"]),
    ({"decision": "pass", "label": "XX"}, ["label"]),
    ({"decision": "pass", "label": "FP", "rationale": "Fine."}, ["root_cause"]),
    ({"decision": "pass", "label": "TN", "root_cause": "A"}, ["root_cause"]),
    ({"decision": "block", "label": "TP", "rationale": "   "}, ["rationale"]),
    ({"decision": "pass", "label": "TN", "rationale": "One. Two. Three. Four."}, ["rationale"]),
]


def test_save_answer_rejects_malformed_answers(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [make_cases(("fn",))[0]["id"]])
    for given, fields in MALFORMED:
        with pytest.raises(ImportRejected) as raised:
            services.save_answer(session, at(session, 1), agents[0], given)
        assert [e.field for e in raised.value.errors] == fields, given
        db.session.rollback()
    assert count(db, SessionAnswer) == 0


# --- close and reopen -------------------------------------------------------------------------------

DECISIONS = [
    ["block", "block", "pass"],
    ["block", "block", "block"],
    ["pass", "pass", "escalate"],
    ["pass", "pass", "pass"],
]


def test_close_stores_the_report_and_its_alpha_once(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [c["id"] for c in make_cases(("fn", "tp", "tn", "fp"))])
    answer_all(db, session, agents, DECISIONS)
    services.close_session(session, lead)
    db.session.commit()
    db.session.expire_all()
    session = db.session.get(CalibrationSession, session.id)
    report = session.report
    assert session.status == "closed" and session.closed_at is not None
    expected = package_alpha(DECISIONS)
    assert report["alpha"]["decision"]["value"] == pytest.approx(expected, abs=1e-9)
    assert session.alpha_decision == pytest.approx(expected, abs=1e-9)
    assert [session.alpha_low, session.alpha_high] == report["alpha"]["decision"]["ci95"]
    assert report["kappa"]["participants"] == ["ana", "ben", "cai"]
    assert report["size"] == {"cases": 4, "participants": 3, "answers": 12}
    computed_at = session.report_computed_at
    with pytest.raises(Conflict):
        services.close_session(session, lead)
    db.session.rollback()
    assert db.session.get(CalibrationSession, session.id).report_computed_at == computed_at
    assert events(db, "calibration.close") == 1


def test_reopen_then_close_recomputes_with_the_new_answers(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [c["id"] for c in make_cases(("fn", "tp", "tn", "fp"))])
    answer_all(db, session, agents, DECISIONS)
    with pytest.raises(Conflict):  # only a closed session reopens
        services.reopen_session(session, lead)
    services.close_session(session, lead)
    db.session.commit()
    before = session.alpha_decision
    services.reopen_session(session, lead)
    db.session.commit()
    assert session.status == "open"
    services.save_answer(session, at(session, 1), agents[2], ANSWERS["block"])  # now everyone agrees on 1
    db.session.commit()
    services.close_session(session, lead)
    db.session.commit()
    changed = [row[:] for row in DECISIONS]
    changed[0][2] = "block"
    assert session.alpha_decision == pytest.approx(package_alpha(changed), abs=1e-9)
    assert session.alpha_decision > before
    assert session.report["alpha"]["decision"]["value"] == session.alpha_decision


def test_close_with_unanimous_answers_stores_a_reason(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [c["id"] for c in make_cases(("fn", "tp"))])
    answer_all(db, session, agents, [["block"] * 3, ["block"] * 3])
    services.close_session(session, lead)
    db.session.commit()
    assert session.alpha_decision is None and session.alpha_low is None and session.alpha_high is None
    assert session.report["alpha"]["decision"]["reason"] == REASON_NO_VARIATION


# --- settle -----------------------------------------------------------------------------------------

SETTLED_FN = {
    "decision": "block",
    "label": "FN",
    "root_cause": "A",
    "rationale": "Settled after discussion. Tamper weighted too low.",
    "sop_ref": "KYC-3.4",
}


def closed_session(
    db, make_cases, lead, agents, kinds=("fn", "tp", "tn", "key"), live=()
) -> CalibrationSession:
    cases = make_cases(kinds)
    session = new_session(db, lead, agents, [c["id"] for c in cases], live)
    answer_all(db, session, agents, [["pass", "pass", "block"]] * (len(kinds) + len(live)))
    services.close_session(session, lead)
    db.session.commit()
    return session


def test_settle_needs_a_closed_session(db, make_cases, lead, agents):
    session = new_session(db, lead, agents, [make_cases(("fn",))[0]["id"]])
    with pytest.raises(Conflict):
        services.settle_case(at(session, 1), SETTLED_FN, "", lead, amend_golden=False)
    db.session.rollback()
    assert at(session, 1).final_decision is None


REFUSED_SETTLEMENTS = [
    # Case 4 is a Key User (priority 90): only escalate will do.
    (4, {**SETTLED_FN}, "decision"),
    # Case 1: the agent recommended pass; block makes it FN, not TP.
    (1, {**SETTLED_FN, "label": "TP", "root_cause": None}, "label"),
    (1, {**SETTLED_FN, "root_cause": None}, "root_cause"),
    (
        3,
        {"decision": "pass", "label": "TN", "root_cause": "B", "rationale": "Clean.", "sop_ref": "K"},
        "root_cause",
    ),
    (1, {**SETTLED_FN, "rationale": ""}, "rationale"),
]


def test_settle_checks_the_reference_rules(db, make_cases, lead, agents):
    session = closed_session(db, make_cases, lead, agents)
    report = session.report
    for position, answer, field in REFUSED_SETTLEMENTS:
        with pytest.raises(ImportRejected) as raised:
            services.settle_case(at(session, position), answer, "note", lead, amend_golden=True)
        assert field in [e.field.removeprefix("answer.") for e in raised.value.errors], answer
        db.session.rollback()
        assert at(session, position).final_decision is None
    assert count(db, ReferenceAnswer) == 4 and count(db, SopGap) == 0
    assert db.session.get(CalibrationSession, session.id).report == report


def versions(db, golden_case_id: int) -> list[ReferenceAnswer]:
    return list(
        db.session.scalars(
            select(ReferenceAnswer)
            .where(ReferenceAnswer.golden_case_id == golden_case_id)
            .order_by(ReferenceAnswer.version)
        )
    )


def test_settle_without_amending_leaves_the_golden_answer(db, make_cases, lead, agents):
    session = closed_session(db, make_cases, lead, agents)
    case = at(session, 1)
    services.settle_case(case, SETTLED_FN, "We agreed on block.", lead, amend_golden=False)
    db.session.commit()
    assert (case.final_decision, case.final_label, case.final_root_cause) == ("block", "FN", "A")
    assert (
        case.final_sop_ref == "KYC-3.4"
        and case.settled_by_id == lead.id
        and case.note == "We agreed on block."
    )
    assert [v.version for v in versions(db, case.golden_case_id)] == [1]


def test_settle_with_amend_makes_a_new_reference_version(db, make_cases, lead, agents):
    session = closed_session(db, make_cases, lead, agents)
    case = at(session, 1)
    services.settle_case(case, SETTLED_FN, "", lead, amend_golden=True)
    db.session.commit()
    first, second = versions(db, case.golden_case_id)
    assert (first.version, second.version) == (1, 2)
    assert second.rationale == SETTLED_FN["rationale"] and second.sop_ref == "KYC-3.4"
    db.session.expire_all()
    assert db.session.get(GoldenCase, case.golden_case_id).current_answer.version == 2


def test_settling_root_cause_c_opens_an_sop_gap(db, make_cases, lead, agents):
    session = closed_session(db, make_cases, lead, agents)
    services.settle_case(at(session, 1), SETTLED_FN, "Root cause A: no gap.", lead, False)
    db.session.commit()
    assert count(db, SopGap) == 0
    case = at(session, 3)  # recommended pass; settled as block, so FN, and C
    services.settle_case(case, {**SETTLED_FN, "root_cause": "C"}, "The SOP misses edited MRZs.", lead, False)
    db.session.commit()
    (gap,) = db.session.scalars(select(SopGap))
    assert gap.status == "open" and gap.golden_case_id == case.golden_case_id
    assert gap.scenario == case.content["scenario"] and gap.case_type_id == session.case_type_id
    assert gap.draft == SETTLED_FN["rationale"] and gap.reason == "The SOP misses edited MRZs."


def test_settling_a_gap_again_lists_it_once(db, make_cases, lead, agents):
    session = closed_session(db, make_cases, lead, agents)
    case = at(session, 1)
    gap_answer = {**SETTLED_FN, "root_cause": "C"}
    services.settle_case(case, gap_answer, "", lead, amend_golden=False)
    services.settle_case(
        case, {**gap_answer, "rationale": "Typo fixed. Same gap."}, "", lead, amend_golden=False
    )
    db.session.commit()
    (gap,) = db.session.scalars(select(SopGap))
    assert "Week 45" in gap.reason  # no note: the reason names the session
    assert case.final_rationale == "Typo fixed. Same gap."


def test_settling_recomputes_the_stored_report(db, make_cases, lead, agents):
    session = closed_session(db, make_cases, lead, agents)
    # Case 3 (tn): reference pass, majority pass. Settled as block, the majority is now wrong.
    row = next(r for r in session.report["cases"] if r["position"] == 3)
    assert (row["reference"], row["majority_correct"]) == ("pass", True)
    scored = {p["participant"]: p["correct"] for p in session.report["participants"]}
    blocked = {"decision": "block", "label": "FN", "root_cause": "A", "rationale": "Edited.", "sop_ref": "K"}
    computed_at = session.report_computed_at
    services.settle_case(at(session, 3), blocked, "", lead, amend_golden=False)
    db.session.commit()
    db.session.expire_all()
    session = db.session.get(CalibrationSession, session.id)
    row = next(r for r in session.report["cases"] if r["position"] == 3)
    assert (row["reference"], row["majority_correct"]) == ("block", False)
    after = {p["participant"]: p["correct"] for p in session.report["participants"]}
    assert after == {"ana": scored["ana"] - 1, "ben": scored["ben"] - 1, "cai": scored["cai"] + 1}
    assert session.report_computed_at >= computed_at


# --- promote ----------------------------------------------------------------------------------------

SETTLED_LIVE = {
    "decision": "block",
    "label": "FN",
    "root_cause": "B",
    "rationale": "Name match 0.41 is far below the bar. The threshold let it pass.",
    "sop_ref": "KYC-2.1",
}


def test_promote_a_settled_live_case_into_the_golden_set(db, make_cases, lead, agents):
    live = [{"live_ref": "D-1", "content": live_content()}]
    session = closed_session(db, make_cases, lead, agents, kinds=("fn",), live=live)
    case = at(session, 2)
    services.settle_case(case, SETTLED_LIVE, "", lead, amend_golden=True)  # nothing to amend: it's live
    golden = services.promote_case(case, "kyc_audit-777", "hard", lead)
    db.session.commit()
    db.session.expire_all()
    golden = db.session.scalar(select(GoldenCase).where(GoldenCase.key == "kyc_audit-777"))
    assert at(db.session.get(CalibrationSession, session.id), 2).promoted_case_id == golden.id
    assert (golden.scenario, golden.difficulty, golden.status, golden.priority) == (
        "kyc.live_mismatch",
        "hard",
        "active",
        35,
    )
    assert golden.signals == live_content()["signals"] and golden.recommendation == "pass"
    answer = golden.current_answer
    assert (answer.version, answer.decision, answer.label, answer.root_cause) == (1, "block", "FN", "B")
    assert answer.rationale == SETTLED_LIVE["rationale"] and answer.sop_ref == "KYC-2.1"
    assert events(db, "calibration.promote") == 1


@pytest.mark.parametrize("problem", ["golden", "unsettled", "promoted", "duplicate-key"])
def test_promote_refuses(db, make_cases, lead, agents, problem):
    live = [{"live_ref": "D-1", "content": live_content()}]
    session = closed_session(db, make_cases, lead, agents, kinds=("fn",), live=live)
    case, key = at(session, 2), "kyc_audit-777"
    if problem == "golden":
        case = at(session, 1)
        services.settle_case(case, SETTLED_FN, "", lead, amend_golden=False)
    elif problem != "unsettled":
        services.settle_case(case, SETTLED_LIVE, "", lead, amend_golden=False)
    if problem == "promoted":
        services.promote_case(case, "kyc_audit-776", "easy", lead)
    if problem == "duplicate-key":
        key = session.cases[0].golden_case.key
    db.session.commit()
    golden_before = count(db, GoldenCase)
    error = {
        "golden": DomainError,
        "unsettled": DomainError,
        "promoted": Conflict,
        "duplicate-key": ImportRejected,
    }
    with pytest.raises(error[problem]):
        services.promote_case(case, key, "easy", lead)
    db.session.rollback()
    assert count(db, GoldenCase) == golden_before


# --- trend ------------------------------------------------------------------------------------------


def test_alpha_trend_lists_closed_sessions_oldest_first(db, make_cases, lead, agents, app, monkeypatch):
    cases = [c["id"] for c in make_cases(("fn", "tp", "tn", "fp"))]
    now = utcnow()
    first, second, still_open = (new_session(db, lead, agents, cases, name=n) for n in ("A", "B", "C"))
    answer_all(db, first, agents, DECISIONS)
    answer_all(db, second, agents, [["block", "block", "pass"]] * 4)
    for session, when in ((second, now + timedelta(hours=1)), (first, now + timedelta(hours=2))):
        monkeypatch.setitem(app.config, "CLOCK", lambda when=when: when)
        services.close_session(session, lead)
        db.session.commit()
    trend = queries.alpha_trend()
    assert [p["session"] for p in trend] == ["B", "A"]
    assert [p["session_id"] for p in trend] == [second.id, first.id]
    assert {p["case_type"] for p in trend} == {"Kyc Audit"}
    assert trend[1]["alpha"] == pytest.approx(package_alpha(DECISIONS), abs=1e-9)
    assert trend[1]["ci95"] == [first.alpha_low, first.alpha_high]
    assert still_open.id not in [p["session_id"] for p in trend]
