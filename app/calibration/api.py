"""Calibration over the JSON API (token-authenticated; the same role rules as the pages)."""

from datetime import datetime

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from app.auth.access import api_error, api_roles
from app.auth.models import User, normalise_username
from app.auth.roles import EVERYONE, LEADS
from app.calibration import pages, services
from app.calibration.models import CalibrationSession
from app.cases.golden_format import parse_timestamp
from app.cases.models import CaseType
from app.errors import DomainError, ImportRejected
from app.extensions import db
from app.inputs import is_id

bp = Blueprint("calibration_api", __name__, url_prefix="/api/v1/calibration")


def json_body() -> tuple[dict | None, object]:
    """The request's JSON object, or an error answer (415 for another content type, 400 for bad JSON)."""
    if not request.is_json:
        return None, api_error(415, "Send JSON with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None, api_error(400, "The body must be a JSON object.")
    return body, None


def errors_answer(errors: list[dict], status: int = 422):
    response = jsonify({"errors": errors})
    response.status_code = status
    return response


def _session_or_404(session_id: int) -> CalibrationSession | None:
    session = db.session.get(CalibrationSession, session_id)
    if session is None or (g.api_user.role == "agent" and not services.is_participant(session, g.api_user)):
        return None
    return session


@bp.post("/sessions")
@api_roles(*LEADS)
def create_session():
    body, error = json_body()
    if error:
        return error
    problems = []
    case_type = db.session.scalar(select(CaseType).where(CaseType.slug == str(body.get("case_type", ""))))
    if case_type is None:
        problems.append({"field": "case_type", "message": "Unknown case type."})
    case_ids = body.get("case_ids")
    if not isinstance(case_ids, list) or not all(is_id(i) for i in case_ids):
        problems.append({"field": "case_ids", "message": "Give a list of golden case ids."})
    names = body.get("participants")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append({"field": "participants", "message": "Give a list of usernames."})
        names = []
    wanted = {normalise_username(n) for n in names}
    people = list(db.session.scalars(select(User).where(User.username.in_(wanted)))) if wanted else []
    unknown = sorted(wanted - {p.username for p in people})
    if unknown:
        problems.append({"field": "participants", "message": f"Unknown users: {', '.join(unknown)}."})
    deadline = parse_timestamp(body.get("deadline"))
    if deadline is None:
        problems.append({"field": "deadline", "message": "Use an ISO 8601 time with a time zone."})
    if problems:
        return errors_answer(problems)
    try:
        session = services.create_session(
            str(body.get("name", "")), case_type, deadline, people, case_ids, g.api_user
        )
    except DomainError as failure:
        db.session.rollback()
        # The service's refusals are invalid fields, like the checks above: 422 as well.
        return errors_answer([{"field": failure.field or "", "message": str(failure.message)}])
    db.session.commit()
    return jsonify({"id": session.id}), 201


@bp.post("/sessions/<int:session_id>/answers")
@api_roles(*EVERYONE)
def answer(session_id: int):
    session = _session_or_404(session_id)
    if session is None or not services.is_participant(session, g.api_user):
        return api_error(404, "No such session among yours.")
    body, error = json_body()
    if error:
        return error
    try:
        case = services.case_by_ref(session, body.get("case_id"))
        saved = services.save_answer(session, case, g.api_user, body)
    except ImportRejected as rejected:
        db.session.rollback()
        return errors_answer([{"field": e.field, "message": e.text()} for e in rejected.errors])
    except DomainError as failure:
        db.session.rollback()
        return api_error(failure.status, str(failure.message))
    db.session.commit()
    return jsonify({"case_id": body.get("case_id"), "saved_at": _iso(saved.answered_at)})


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@bp.post("/sessions/<int:session_id>/close")
@api_roles(*LEADS)
def close(session_id: int):
    session = db.session.get(CalibrationSession, session_id)
    if session is None:
        return api_error(404, "No such session.")
    try:
        services.close_session(session, g.api_user)
    except DomainError as failure:
        db.session.rollback()
        return api_error(failure.status, str(failure.message))
    db.session.commit()
    return jsonify({"id": session.id, "status": session.status, "alpha": session.report["alpha"]})


@bp.get("/sessions/<int:session_id>/report")
@api_roles(*EVERYONE)
def report(session_id: int):
    session = _session_or_404(session_id)
    if session is None:
        return api_error(404, "No such session among yours.")
    if not pages.may_read_report(session, g.api_user):
        if services.is_participant(session, g.api_user) and session.status == "open":
            return api_error(409, "The session is open: its report comes when the lead closes it.")
        return api_error(404, "No report for this session yet.")
    db.session.commit()
    return jsonify(session.report)
