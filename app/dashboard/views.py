"""Quality dashboards: the leaderboard and vendor comparison, one agent's quality, exports, SOP coverage and
the onboarding funnel. The decision agent's pages join this blueprint from app/qa/decision_agent/views.py."""

from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    stream_with_context,
)
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.auth.access import roles_required
from app.auth.models import User
from app.auth.roles import STAFF, Role
from app.cases.models import CaseType
from app.dashboard import exports, pages, reports
from app.extensions import db

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")


def render_page(template: str, errors: list[str], **values):
    """A dashboard page with its filter choices, answered 422 when the filters had problems."""
    return render_template(template, errors=errors, **pages.filter_choices(), args=request.args, **values), (
        422 if errors else 200
    )


@bp.get("")
@roles_required(*STAFF)
def overview():
    filters, errors = pages.filters_from_request(clock.now())
    rows = reports.leaderboard(filters, current_user, request.args.get("sort", "accuracy"))
    vendors = reports.vendor_comparison(filters) if current_user.role in ("manager", "admin") else []
    return render_page("dashboard/overview.html", errors, rows=rows, vendors=vendors, filters=filters)


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
    return render_page("dashboard/agent.html", errors, q=quality, **pages.agent_charts(quality))


@bp.get("/export/<any(decisions, audits, scores):kind>.<any(csv, jsonl):fmt>")
@roles_required(*STAFF)
def export(kind: str, fmt: str):
    filters, errors = pages.filters_from_request(clock.now())
    if errors:
        abort(422, "; ".join(errors))
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    name = f"touchstone-{kind}.{fmt}"
    body = stream_with_context(exports.export(kind, fmt, filters, current_user))
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/coverage")
@roles_required(*STAFF)
def coverage():
    filters, errors = pages.filters_from_request(clock.now())
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    return render_page(
        "dashboard/coverage.html",
        errors,
        rows=reports.sop_coverage(filters),
        names=names,
        target=reports.COVERAGE_TARGET,
    )


@bp.get("/onboarding")
@roles_required(*STAFF)
def onboarding():
    return render_page("dashboard/onboarding.html", [], funnel=reports.onboarding_funnel())
