"""The JSON API, v1. Token-authenticated by the Authorization header; roles as in the UI."""

from flask import Blueprint, g, jsonify, request
from sqlalchemy.orm import selectinload

from app.api.openapi import SPEC
from app.auth.access import api_error, api_roles
from app.auth.roles import EVERYONE, LEADS
from app.cases import services as case_services
from app.cases.models import GoldenCase
from app.extensions import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
CASE_LIST_LIMIT = 1000


@bp.get("/me")
@api_roles(*EVERYONE)
def me():
    user = g.api_user
    db.session.commit()  # the token's last-used stamp
    return jsonify(
        {
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "team": user.team.name if user.team else None,
            "scopes": sorted(g.api_token.scope_set),
        }
    )


def _case_json(case: GoldenCase, with_answer: bool) -> dict:
    item = case_services.case_to_item(case)
    item.pop("answer")
    body = {"id": case.id, **item}
    if with_answer:
        answer = case.current_answer
        body["answer"] = {
            "version": answer.version,
            "decision": answer.decision,
            "label": answer.label,
            "root_cause": answer.root_cause,
            "rationale": answer.rationale,
            "sop_ref": answer.sop_ref,
        }
    return body


@bp.get("/cases")
@api_roles(*LEADS)
def cases():
    filters = {name: request.args.get(name, "").strip() for name in ("case_type", "scenario", "status")}
    if filters["case_type"] and filters["case_type"] not in case_services.case_type_slugs():
        return api_error(422, "Unknown case_type.")
    if filters["status"] and filters["status"] not in ("active", "retired"):
        return api_error(422, "status must be active or retired.")
    query = case_services.filtered_cases(filters).options(
        selectinload(GoldenCase.answers), selectinload(GoldenCase.case_type)
    )
    found = db.session.scalars(query.limit(CASE_LIST_LIMIT)).all()
    db.session.commit()
    return jsonify({"cases": [_case_json(c, with_answer=False) for c in found]})


@bp.get("/cases/<int:case_id>")
@api_roles(*LEADS)
def case_detail(case_id: int):
    case = db.session.get(GoldenCase, case_id)
    if case is None:
        return api_error(404, "No such case.")
    db.session.commit()
    return jsonify(_case_json(case, with_answer=True))


@bp.get("/openapi.json")
@api_roles(*EVERYONE)
def openapi():
    db.session.commit()
    return jsonify(SPEC)
