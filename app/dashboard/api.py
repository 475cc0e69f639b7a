"""Quality over the JSON API: an agent's audited accuracy, and the same per vendor."""

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from app.auth.access import api_error, api_roles
from app.auth.models import User, normalise_username
from app.auth.roles import EVERYONE, STAFF
from app.cases.models import CaseType
from app.dashboard import reports
from app.dashboard.queries import Filters
from app.extensions import db

bp = Blueprint("dashboard_api", __name__, url_prefix="/api/v1")


def _filters() -> tuple[Filters | None, object]:
    """Filters from ?case_type=&since=YYYY-MM-DD&until=YYYY-MM-DD, or a 422 answer."""
    values: dict = {}
    for name in ("since", "until"):
        raw = request.args.get(name)
        if raw:
            try:
                day = datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
            except ValueError:
                return None, api_error(422, f"{name} must be a date like 2026-11-24.")
            values[name] = day + timedelta(days=1) if name == "until" else day
    if "since" in values and "until" in values and values["since"] >= values["until"]:
        # The pages refuse this too; silently answering "nothing audited" would read as a real figure.
        return None, api_error(422, "until must not be before since.")
    slug = request.args.get("case_type")
    if slug:
        values["case_type_id"] = db.session.scalar(select(CaseType.id).where(CaseType.slug == slug))
        if values["case_type_id"] is None:
            return None, api_error(422, "Unknown case_type.")
    return Filters(**values), None


def _quality(name: str, result: dict) -> dict:
    """The design-based accuracy as the API states it (see reports.design_dict)."""
    return {
        "audited": result["n"],
        "correct": result["correct"],
        "accuracy": result["estimate"],
        "ci95": [result["low"], result["high"]] if result["low"] is not None else None,
        "benchmark": reports.BENCHMARK,
        "status": result["status"],
        "certain_strata": result["certain"],
        "unplanned_audits": result["unplanned"],
        "estimator": (
            "plain share, Wilson interval (no audit drawn by a plan)"
            if result["represented"] is None
            else "design-based (1/inclusion probability)"
            + (", interval clustered by agent" if result["clustered"] else "")
        ),
        "name": name,
    }


@bp.get("/agents/<username>/quality")
@api_roles(*EVERYONE)
def agent_quality(username: str):
    filters, error = _filters()
    if error:
        return error
    agent = db.session.scalar(select(User).where(User.username == normalise_username(username)))
    if agent is None or not reports.may_see(g.api_user, agent):
        return api_error(404, "No such agent among those you may see.")
    scoped = Filters(**{**filters.__dict__, "agent_id": agent.id})
    body = _quality(agent.username, reports.design_dict(reports.queries.audit_cells(scoped)))
    body["agent"] = body.pop("name")
    db.session.commit()
    return jsonify(body)


@bp.get("/vendors/quality")
@api_roles(*STAFF)
def vendors_quality():
    filters, error = _filters()
    if error:
        return error
    visible = None
    if g.api_user.role == "qa_lead":
        visible = {g.api_user.team.vendor} if g.api_user.team else set()
    rows = [
        {**_quality(row["vendor"], row), "vendor": row["vendor"]}
        for row in reports.vendor_comparison(filters)
        if visible is None or row["vendor"] in visible
    ]
    for row in rows:
        row.pop("name")
    db.session.commit()
    return jsonify({"vendors": rows})
