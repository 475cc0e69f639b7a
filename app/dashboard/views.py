"""Quality dashboards: the leaderboard and vendor comparison, one agent's quality, the decision agent."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.auth.access import roles_required
from app.auth.models import User
from app.auth.roles import STAFF, Role
from app.cases.models import CaseType
from app.dashboard import pages, reports
from app.extensions import db

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")


def _render(template: str, errors: list[str], **values):
    return render_template(template, errors=errors, **pages.filter_choices(), args=request.args, **values), (
        422 if errors else 200
    )


@bp.get("")
@roles_required(*STAFF)
def overview():
    filters, errors = pages.filters_from_request(clock.now())
    rows = reports.leaderboard(filters, current_user, request.args.get("sort", "accuracy"))
    vendors = reports.vendor_comparison(filters) if current_user.role in ("manager", "admin") else []
    return _render("dashboard/overview.html", errors, rows=rows, vendors=vendors, filters=filters)


@bp.get("/agents/<int:agent_id>")
@roles_required(*STAFF)
def agent(agent_id: int):
    person = db.session.get(User, agent_id)
    if person is None or not reports.may_see(current_user, person):
        abort(404)
    return _agent_page(person)


@bp.get("/me")
@roles_required(Role.AGENT)
def me():
    return _agent_page(current_user)


def _agent_page(person: User):
    filters, errors = pages.filters_from_request(clock.now())
    quality = reports.agent_quality(person, filters)
    return _render("dashboard/agent.html", errors, q=quality, **pages.agent_charts(quality))


@bp.get("/decision-agent")
@roles_required(*STAFF)
def decision_agent():
    filters, errors = pages.filters_from_request(clock.now())
    quality = reports.decision_agent_quality(filters)
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    return _render(
        "dashboard/decision_agent.html",
        errors,
        quality=quality,
        names=names,
        figure=pages.decision_agent_charts(quality, names),
        targets=(reports.PRECISION_TARGET, reports.RECALL_TARGET),
    )
