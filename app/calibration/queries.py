"""Calibration read queries: session lists and progress, one case's answers, the raw reliability data,
the alpha trend, and picking golden cases for a new session."""

import random

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.calibration.models import CalibrationSession, SessionAnswer, SessionCase, SessionParticipant
from app.cases.models import CaseType, GoldenCase
from app.errors import DomainError
from app.extensions import db


def alpha_trend() -> list[dict]:
    """Decision alpha of every closed session, oldest first, with its case type."""
    rows = db.session.execute(
        select(
            CalibrationSession.id,
            CalibrationSession.name,
            CalibrationSession.closed_at,
            CaseType.name,
            CalibrationSession.alpha_decision,
            CalibrationSession.alpha_low,
            CalibrationSession.alpha_high,
        )
        .join(CaseType)
        .where(CalibrationSession.status == "closed")
        .order_by(CalibrationSession.closed_at)
    )
    return [
        {
            "session_id": sid,
            "session": name,
            "closed_at": closed,
            "case_type": type_name,
            "alpha": alpha,
            "ci95": [low, high] if low is not None else None,
        }
        for sid, name, closed, type_name, alpha, low, high in rows
    ]


def pick_golden_cases(
    case_type: CaseType, keys: list[str], scenario: str, count: int | None, rng: random.Random | None = None
) -> list[int]:
    """Golden case ids for a new session: the keys given, or `count` drawn at random (all when no count)
    from the active cases of the type, optionally of one scenario."""
    if keys:
        found = dict(
            db.session.execute(
                select(GoldenCase.key, GoldenCase.id).where(
                    GoldenCase.key.in_(keys), GoldenCase.case_type_id == case_type.id
                )
            ).all()
        )
        missing = [k for k in keys if k not in found]
        if missing:
            raise DomainError(
                _l("Unknown %(type)s keys: %(keys)s", type=case_type.name, keys=", ".join(missing[:20])),
                "case_keys",
            )
        return [found[k] for k in keys]
    query = select(GoldenCase.id).where(
        GoldenCase.case_type_id == case_type.id, GoldenCase.status == "active"
    )
    if scenario:
        query = query.where(GoldenCase.scenario == scenario)
    pool = sorted(db.session.scalars(query))
    if not pool:
        raise DomainError(_l("No active golden cases match."), "scenario")
    return sorted((rng or random.Random()).sample(pool, min(count or len(pool), len(pool))))


def participant_progress(session: CalibrationSession) -> list[dict]:
    """Each participant with how many cases they answered (never what they answered)."""
    answered = dict(
        db.session.execute(
            select(SessionAnswer.user_id, func.count(SessionAnswer.id))
            .join(SessionCase)
            .where(SessionCase.session_id == session.id)
            .group_by(SessionAnswer.user_id)
        ).all()
    )
    people = db.session.scalars(
        select(User)
        .join(SessionParticipant, SessionParticipant.user_id == User.id)
        .where(SessionParticipant.session_id == session.id)
        .order_by(User.username)
    )
    return [{"user": person, "answered": answered.get(person.id, 0)} for person in people]


def case_answers(case: SessionCase) -> list[tuple[User, SessionAnswer]]:
    """Every participant's answer to one case, for the lead's settling page after close."""
    return list(
        db.session.execute(
            select(User, SessionAnswer)
            .join(SessionAnswer, SessionAnswer.user_id == User.id)
            .where(SessionAnswer.session_case_id == case.id)
            .order_by(User.username)
        ).all()
    )


def sessions_for(user: User) -> list[CalibrationSession]:
    """Sessions a user may list: all of them for staff, their own for agents."""
    query = select(CalibrationSession).order_by(CalibrationSession.created_at.desc())
    if user.role == "agent":
        query = query.join(SessionParticipant).where(SessionParticipant.user_id == user.id)
    return list(db.session.scalars(query))


def reliability_rows(session: CalibrationSession) -> tuple[list[str], list[list[str]]]:
    """The raw reliability data: one row per case, one column per participant (their decision)."""
    people = participant_progress(session)
    names = [p["user"].username for p in people]
    column = {p["user"].id: i for i, p in enumerate(people)}
    cases = list(
        db.session.scalars(
            select(SessionCase).where(SessionCase.session_id == session.id).order_by(SessionCase.position)
        )
    )
    grid = {case.id: [""] * len(names) for case in cases}
    for answer in db.session.scalars(
        select(SessionAnswer).join(SessionCase).where(SessionCase.session_id == session.id)
    ):
        if answer.user_id in column:
            grid[answer.session_case_id][column[answer.user_id]] = answer.decision
    rows = [[str(case.position), str(case.golden_case_id or case.live_ref), *grid[case.id]] for case in cases]
    return ["position", "case", *names], rows
