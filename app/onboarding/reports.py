"""Onboarding read models: an agent's curriculum, cohort progress, exposure and most-missed cases.

Every figure is one set-based query; nothing loops over items in Python.
"""

from datetime import datetime

from sqlalchemy import and_, case, distinct, func, select

from app import clock
from app.auth.models import Team, User
from app.cases.models import CaseType, GoldenCase
from app.extensions import db
from app.onboarding import curriculum
from app.onboarding.models import Attempt, AttemptItem, Certification, GoldDispute


def practice_totals(user_ids: list[int] | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """(user id, case type id) → (answered, decisions right) over practice."""
    query = (
        select(
            Attempt.user_id,
            Attempt.case_type_id,
            func.count(AttemptItem.id),
            func.sum(case((AttemptItem.decision_ok.is_(True), 1), else_=0)),
        )
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(Attempt.kind == "practice", AttemptItem.answered_at.is_not(None))
        .group_by(Attempt.user_id, Attempt.case_type_id)
    )
    if user_ids is not None:
        query = query.where(Attempt.user_id.in_(user_ids))
    return {(u, t): (n, int(right or 0)) for u, t, n, right in db.session.execute(query)}


def exam_totals(user_ids: list[int] | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """(user id, case type id) → (submitted exams, passed exams)."""
    query = (
        select(
            Attempt.user_id,
            Attempt.case_type_id,
            func.count(Attempt.id),
            func.sum(case((Attempt.passed.is_(True), 1), else_=0)),
        )
        .where(Attempt.kind == "exam", Attempt.status == "submitted")
        .group_by(Attempt.user_id, Attempt.case_type_id)
    )
    if user_ids is not None:
        query = query.where(Attempt.user_id.in_(user_ids))
    return {(u, t): (n, int(passed or 0)) for u, t, n, passed in db.session.execute(query)}


def certifications(user_ids: list[int] | None = None) -> dict[tuple[int, int], Certification]:
    query = select(Certification)
    if user_ids is not None:
        query = query.where(Certification.user_id.in_(user_ids))
    return {(c.user_id, c.case_type_id): c for c in db.session.scalars(query)}


def standing_of(cert: Certification | None, practice: tuple[int, int] | None, now: datetime) -> str:
    return curriculum.progress_status(
        curriculum.Standing(
            cert.certified_at if cert else None,
            cert.expires_at if cert else None,
            cert.suspended_at if cert else None,
            practice[0] if practice else 0,
        ),
        now,
    )


def cohort(team_id: int | None = None) -> dict:
    """Agents × case types: status, practice accuracy, exams taken, certified until; with the teams."""
    agents_query = select(User).where(User.role == "agent", User.active.is_(True)).order_by(User.username)
    if team_id:
        agents_query = agents_query.where(User.team_id == team_id)
    agents = list(db.session.scalars(agents_query))
    ids = [a.id for a in agents]
    types = list(
        db.session.scalars(select(CaseType).where(CaseType.active.is_(True)).order_by(CaseType.name))
    )
    practice, exams, certs = practice_totals(ids), exam_totals(ids), certifications(ids)
    now = clock.now()
    rows = []
    for agent in agents:
        cells = []
        for case_type in types:
            key = (agent.id, case_type.id)
            cert = certs.get(key)
            cells.append(
                {
                    "case_type": case_type,
                    "status": standing_of(cert, practice.get(key), now),
                    "practice": practice.get(key, (0, 0)),
                    "exams": exams.get(key, (0, 0)),
                    "expires_at": cert.expires_at if cert else None,
                }
            )
        rows.append({"agent": agent, "cells": cells})
    return {"case_types": types, "rows": rows}


def exposure(limit: int = 50, case_type_id: int | None = None) -> list[dict]:
    """Most-shown golden cases: times shown, distinct agents and distinct vendors."""
    query = (
        select(
            GoldenCase,
            func.count(AttemptItem.id).label("shown"),
            func.count(distinct(Attempt.user_id)).label("agents"),
            func.count(distinct(Team.vendor)).label("vendors"),
        )
        .join(AttemptItem, AttemptItem.golden_case_id == GoldenCase.id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .outerjoin(Team, Team.id == User.team_id)
        .group_by(GoldenCase.id)
        .order_by(func.count(AttemptItem.id).desc(), GoldenCase.id)
        .limit(limit)
    )
    if case_type_id:
        query = query.where(GoldenCase.case_type_id == case_type_id)
    return [{"case": c, "shown": s, "agents": a, "vendors": v} for c, s, a, v in db.session.execute(query)]


def most_missed(limit: int = 30) -> list[dict]:
    """Golden cases most often decided wrongly (graded answers only), with open disputes."""
    wrong = func.sum(case((AttemptItem.decision_ok.is_(False), 1), else_=0))
    open_disputes = (
        select(func.count(GoldDispute.id))
        .where(and_(GoldDispute.golden_case_id == GoldenCase.id, GoldDispute.status == "open"))
        .scalar_subquery()
    )
    query = (
        select(GoldenCase, func.count(AttemptItem.id), wrong, open_disputes)
        .join(AttemptItem, AttemptItem.golden_case_id == GoldenCase.id)
        .where(AttemptItem.decision_ok.is_not(None))
        .group_by(GoldenCase.id)
        .having(wrong > 0)
        .order_by(wrong.desc(), GoldenCase.id)
        .limit(limit)
    )
    return [
        {"case": c, "graded": n, "wrong": int(w), "rate": int(w) / n, "open_disputes": d}
        for c, n, w, d in db.session.execute(query)
    ]
