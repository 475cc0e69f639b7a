"""Calibration sessions: create, answer blind, close with a stored report, settle and promote.

Services flush and raise domain errors; views and API handlers commit.
"""

import json
import random
from datetime import datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.calibration.models import CalibrationSession, SessionAnswer, SessionCase, SessionParticipant
from app.calibration.report import Given, build_report
from app.cases import services as case_services
from app.cases.answer_rules import answer_problems
from app.cases.golden_format import FORMAT
from app.cases.golden_format import answer_problems as reference_problems
from app.cases.models import CaseType, GoldenCase
from app.cases.services import case_to_item
from app.display import DECISION_NAMES
from app.errors import Conflict, DomainError, ImportRejected, NotFound
from app.extensions import db
from app.inputs import is_id
from app.onboarding.disputes import rescore_case
from app.sop import services as sop_services
from app.sql import upsert

MAX_CASES = 1000
PARTICIPANT_ROLES = ("agent", "qa_lead")
CONTENT_FIELDS = ("scenario", "signals", "recommendation", "confidence", "reasoning", "priority", "opened_at")
MAX_STEP = 500  # the golden format's longest reasoning step


def create_session(
    name: str,
    case_type: CaseType,
    deadline: datetime,
    participants: list[User],
    golden_case_ids: list[int],
    actor: User,
    live_cases: list[dict] = (),
) -> CalibrationSession:
    """Create a session over golden cases (and live ones, given as content snapshots with a `live_ref`)."""
    if not (name or "").strip():
        raise DomainError(_l("Name the session."), "name")
    if deadline is None or deadline <= clock.now():
        raise DomainError(_l("The deadline must be in the future."), "deadline")
    people = {p.id: p for p in participants}
    if not people:
        raise DomainError(_l("Choose at least one participant."), "participants")
    if any(p.role not in PARTICIPANT_ROLES or not p.active for p in people.values()):
        raise DomainError(_l("Participants are active agents and QA leads."), "participants")
    ids = list(dict.fromkeys(golden_case_ids))
    cases = list(db.session.scalars(select(GoldenCase).where(GoldenCase.id.in_(ids)))) if ids else []
    by_id = {c.id: c for c in cases}
    wrong = [
        i
        for i in ids
        if i not in by_id or by_id[i].case_type_id != case_type.id or by_id[i].status != "active"
    ]
    if wrong:
        raise DomainError(
            _l(
                "These cases are not active %(type)s cases: %(ids)s",
                type=case_type.name,
                ids=", ".join(map(str, wrong[:20])),
            ),
            "cases",
        )
    if not ids and not live_cases:
        raise DomainError(_l("Choose at least one case."), "cases")
    if len(ids) + len(live_cases) > MAX_CASES:
        raise DomainError(_l("A session holds at most %(n)s cases.", n=MAX_CASES), "cases")
    session = CalibrationSession(
        name=name.strip()[:120],
        case_type_id=case_type.id,
        deadline=deadline,
        created_by_id=actor.id,
        seed=random.SystemRandom().randrange(2**31),
        created_at=clock.now(),
    )
    session.cases = [
        SessionCase(position=i + 1, source="golden", golden_case_id=c, content=_snapshot(by_id[c]))
        for i, c in enumerate(ids)
    ] + [
        SessionCase(
            position=len(ids) + i + 1, source="live", live_ref=item["live_ref"], content=item["content"]
        )
        for i, item in enumerate(live_cases)
    ]
    session.participants = [SessionParticipant(user_id=uid) for uid in people]
    db.session.add(session)
    db.session.flush()
    record_event(
        actor, "calibration.create", session, {"cases": len(session.cases), "participants": len(people)}
    )
    return session


def _snapshot(case: GoldenCase) -> dict:
    item = case_to_item(case)
    return {name: item[name] for name in CONTENT_FIELDS}


def is_participant(session: CalibrationSession, user: User) -> bool:
    return (
        db.session.scalar(
            select(SessionParticipant.id).where(
                SessionParticipant.session_id == session.id, SessionParticipant.user_id == user.id
            )
        )
        is not None
    )


def case_by_ref(session: CalibrationSession, case_ref) -> SessionCase:
    """A session's case by its golden case id, or by its live decision id for live cases."""
    query = select(SessionCase).where(SessionCase.session_id == session.id)
    if isinstance(case_ref, int) and not isinstance(case_ref, bool):
        if not is_id(case_ref):  # no golden case has it, and the database could not compare it
            raise NotFound(_l("That case is not in this session."))
        query = query.where(SessionCase.golden_case_id == case_ref)
    else:
        query = query.where(SessionCase.live_ref == str(case_ref))
    found = db.session.scalar(query)
    if found is None:
        raise NotFound(_l("That case is not in this session."))
    return found


def save_answer(session: CalibrationSession, case: SessionCase, user: User, answer: dict) -> SessionAnswer:
    """Save (or change) a participant's blind answer while the session is open; concurrent saves of the
    same answer each store theirs in turn, the last one kept."""
    if not is_participant(session, user):
        raise NotFound()
    if session.status != "open":
        raise Conflict(_l("This session is closed; answers can't change."))
    problems = answer_problems(
        answer.get("decision"),
        answer.get("label"),
        answer.get("root_cause") or None,
        answer.get("rationale") or "",
    )
    if problems:
        raise ImportRejected(problems)
    values = {
        "decision": answer["decision"],
        "label": answer["label"],
        "root_cause": answer.get("root_cause") or None,
        "rationale": (answer.get("rationale") or "").strip(),
        "answered_at": clock.now(),
    }
    # One statement, not a read then an insert: a participant saving from two tabs at once (or resending)
    # would otherwise have both requests find no answer and the second insert fail on the unique key.
    key = {"session_case_id": case.id, "user_id": user.id}
    db.session.execute(
        upsert(SessionAnswer.__table__)
        .values(**key, **values)
        .on_conflict_do_update(index_elements=list(key), set_=values)
    )
    return db.session.scalars(
        select(SessionAnswer).filter_by(**key).execution_options(populate_existing=True)
    ).one()


def own_answers(session: CalibrationSession, user: User) -> dict[int, SessionAnswer]:
    """Session case id → this participant's answer (never anyone else's)."""
    rows = db.session.scalars(
        select(SessionAnswer)
        .join(SessionCase)
        .where(SessionCase.session_id == session.id, SessionAnswer.user_id == user.id)
    )
    return {row.session_case_id: row for row in rows}


def close_session(session: CalibrationSession, actor: User) -> CalibrationSession:
    """Close the session (once: a second close is 409) and compute and store its report."""
    closed = db.session.execute(
        update(CalibrationSession)
        .where(CalibrationSession.id == session.id, CalibrationSession.status == "open")
        .values(status="closed", closed_at=clock.now())
    )
    if closed.rowcount != 1:
        raise Conflict(_l("This session is already closed."))
    db.session.refresh(session)
    store_report(session)
    record_event(
        actor, "calibration.close", session, {"alpha_decision": session.report["alpha"]["decision"]["value"]}
    )
    return session


def reopen_session(session: CalibrationSession, actor: User) -> None:
    """Reopen for more answers; the report is recomputed when it closes again."""
    if session.status != "closed":
        raise Conflict(_l("This session is open."))
    session.status, session.closed_at = "open", None
    record_event(actor, "calibration.reopen", session)


def store_report(session: CalibrationSession) -> None:
    """Compute the agreement report from every answer and store it on the session."""
    cases = list(
        db.session.scalars(
            select(SessionCase)
            .where(SessionCase.session_id == session.id)
            .order_by(SessionCase.position)
            .options(selectinload(SessionCase.golden_case).selectinload(GoldenCase.answers))
        )
    )
    participants = list(
        db.session.execute(
            select(User.id, User.username)
            .join(SessionParticipant, SessionParticipant.user_id == User.id)
            .where(SessionParticipant.session_id == session.id)
            .order_by(User.username)
        )
    )
    column = {user_id: index for index, (user_id, _name) in enumerate(participants)}
    row = {case.id: index for index, case in enumerate(cases)}
    rows = db.session.execute(
        select(
            SessionAnswer.session_case_id,
            SessionAnswer.user_id,
            SessionAnswer.decision,
            SessionAnswer.label,
            SessionAnswer.root_cause,
        )
        .join(SessionCase)
        .where(SessionCase.session_id == session.id)
    )  # plain rows, not ORM objects: a big session has tens of thousands of answers
    answers = {
        (row[case_id], column[user_id]): Given(decision, label, root_cause)
        for case_id, user_id, decision, label, root_cause in rows
        if user_id in column
    }
    units = [
        {"case_id": case.golden_case_id or case.live_ref, "reference": _reference(case)} for case in cases
    ]
    session.report = build_report(units, [name for _id, name in participants], answers, seed=session.seed)
    session.report_computed_at = clock.now()
    decision = session.report["alpha"]["decision"]
    session.alpha_decision = decision["value"]
    session.alpha_low, session.alpha_high = decision["ci95"] or (None, None)


def _reference(case: SessionCase) -> Given | None:
    if case.final_decision:
        return Given(case.final_decision, case.final_label, case.final_root_cause)
    if case.golden_case is not None:
        answer = case.golden_case.current_answer
        return Given(answer.decision, answer.label, answer.root_cause)
    return None


def save_note(case: SessionCase, note: str, actor: User) -> None:
    """The discussion note of a case."""
    case.note = (note or "").strip()[:4000]
    record_event(actor, "calibration.note", case)


def settle_case(case: SessionCase, answer: dict, note: str, actor: User, amend_golden: bool) -> None:
    """Set the final answer of a case after discussion. For a golden case it may amend the reference
    (a new version, re-scoring every answer to it); root cause C lands in the SOP gap list; the stored
    report is recomputed."""
    session = case.session
    if session.status != "closed":
        raise Conflict(_l("Close the session before settling its cases."))
    problems = reference_problems(case.content["recommendation"], case.content["priority"], answer)
    if problems:
        raise ImportRejected(problems)
    already_gap = case.final_root_cause == "C"  # settled as C before: its gap is already listed
    case.final_decision, case.final_label = answer["decision"], answer["label"]
    case.final_root_cause = answer.get("root_cause") or None
    case.final_rationale, case.final_sop_ref = answer["rationale"].strip(), answer["sop_ref"]
    case.settled_by_id, case.settled_at = actor.id, clock.now()
    if note:
        case.note = note.strip()[:4000]
    if amend_golden and case.golden_case is not None and _differs(case.golden_case.current_answer, answer):
        new = case_services.amend_answer(
            case.golden_case, answer, actor, f"calibration session #{session.id}"
        )
        rescore_case(case.golden_case.id, new.id, actor)
    if case.final_root_cause == "C" and not already_gap:
        sop_services.propose_gap(
            session.case_type,
            draft=case.final_rationale,
            actor=actor,
            scenario=case.content.get("scenario"),
            reason=case.note or _l("SOP gap found in calibration session %(name)s.", name=session.name),
            golden_case_id=case.golden_case_id,
        )
    db.session.flush()
    store_report(session)
    record_event(
        actor, "calibration.settle", case, {"decision": case.final_decision, "amended": amend_golden}
    )


def _differs(reference, answer: dict) -> bool:
    """Whether a settled answer changes the golden reference (an unchanged one needs no new version)."""
    fields = ("decision", "label", "root_cause", "rationale", "sop_ref")
    return any((getattr(reference, f) or None) != ((answer.get(f) or "").strip() or None) for f in fields)


def promotion_reasoning(case: SessionCase) -> list[str]:
    """The reasoning chain a promotion starts from: the snapshot's, or for a live decision (ingest carries no
    reasoning text) a draft restating what the decision agent output: its recommendation and confidence,
    and the signals it read. Automated QA findings stay out: they judge the reviewer, not the agent, and in
    a golden case's reasoning they would give the answer away."""
    content = case.content
    if content.get("reasoning"):
        return list(content["reasoning"])
    steps = [
        gettext(
            "Recommendation: %(decision)s (confidence %(confidence)s).",
            decision=DECISION_NAMES.get(content["recommendation"], content["recommendation"]),
            confidence=f"{content['confidence']:.2f}",
        )
    ]
    signals = content.get("signals") or {}
    if signals:
        # By name: PostgreSQL's JSONB does not keep the order the signals were ingested in.
        read = ", ".join(f"{name} {_signal_text(signals[name])}" for name in sorted(signals))
        step = gettext("Signals read: %(signals)s.", signals=read)
        steps.append(step if len(step) <= MAX_STEP else step[: MAX_STEP - 1] + "…")
    return steps


def _signal_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def promote_case(
    case: SessionCase,
    key: str,
    difficulty: str,
    actor: User,
    *,
    scenario: str | None = None,
    reasoning: list[str] | None = None,
) -> GoldenCase:
    """Make a settled live case a new golden case, through the validated import. `scenario` and `reasoning`
    are what the lead settled on; without them, the snapshot's scenario and promotion_reasoning()."""
    if case.source != "live":
        raise DomainError(_l("Only live cases can be promoted; golden cases are already in the set."))
    if case.final_decision is None:
        raise DomainError(_l("Settle the case before promoting it."))
    if case.promoted_case_id:
        raise Conflict(_l("This case was already promoted."))
    content = case.content
    item = {
        "key": key,
        "case_type": case.session.case_type.slug,
        "difficulty": difficulty,
        "status": "active",
        **{name: content[name] for name in CONTENT_FIELDS},
        "scenario": content["scenario"] if scenario is None else scenario,
        "reasoning": promotion_reasoning(case) if reasoning is None else reasoning,
        "answer": {
            "decision": case.final_decision,
            "label": case.final_label,
            "root_cause": case.final_root_cause,
            "rationale": case.final_rationale,
            "sop_ref": case.final_sop_ref,
        },
    }
    case_services.import_golden_cases({"format": FORMAT, "cases": [item]}, actor)
    golden = db.session.scalar(select(GoldenCase).where(GoldenCase.key == key))
    case.promoted_case_id = golden.id
    record_event(actor, "calibration.promote", case, {"golden_case_id": golden.id, "live_ref": case.live_ref})
    return golden
