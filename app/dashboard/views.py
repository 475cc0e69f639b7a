"""Quality dashboards: the leaderboard and vendor comparison, one agent's quality, the decision agent."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.auth.access import roles_required
from app.auth.models import User
from app.auth.roles import STAFF, Role
from app.cases.models import CaseType
from app.dashboard import exports, feedback, pages, queries, reports
from app.errors import DomainError
from app.extensions import db
from app.forms import EmptyForm
from app.inputs import query_int

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")
MAX_PATTERN_K = 1000  # a pattern "recurs" from k decisions; more than this is never useful


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
        histogram=pages.error_histogram_chart(
            queries.error_confidence_histogram(filters), current_app.config["AUTO_DECISION_THRESHOLD"]
        ),
    )


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
    return _render(
        "dashboard/coverage.html",
        errors,
        rows=reports.sop_coverage(filters),
        names=names,
        target=reports.COVERAGE_TARGET,
    )


@bp.get("/onboarding")
@roles_required(*STAFF)
def onboarding():
    return _render("dashboard/onboarding.html", [], funnel=reports.onboarding_funnel())


@bp.route("/feedback", methods=["GET", "POST"])
@roles_required(*STAFF)
def feedback_routing():
    if request.method == "POST":
        if current_user.role not in ("qa_lead", "admin") or not EmptyForm().validate_on_submit():
            abort(403 if current_user.role not in ("qa_lead", "admin") else 400)
        try:
            feedback.set_state(request.form.get("key", ""), request.form.get("state", ""), current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Pattern updated."), "success")
        return redirect(url_for("dashboard.feedback_routing", **request.args))
    filters, errors = pages.filters_from_request(clock.now())
    minimum = query_int("k", default=5, minimum=1, maximum=MAX_PATTERN_K)
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    slugs = dict(db.session.execute(select(CaseType.id, CaseType.slug)).all())
    rows = feedback.patterns(filters, minimum)
    return _render(
        "dashboard/feedback.html",
        errors,
        rows=rows,
        names=names,
        slugs=slugs,
        k=minimum,
        form=EmptyForm(),
        figure=pages.pareto_chart(rows, names),
    )


@bp.get("/feedback/<int:case_type_id>/retraining.jsonl")
@roles_required(*STAFF)
def retraining_batch(case_type_id: int):
    filters, _errors = pages.filters_from_request(clock.now())
    query = feedback.pattern_decisions(
        case_type_id,
        request.args.get("scenario") or None,
        request.args.get("root_cause") or None,
        exports.restricted(filters, current_user),
    )
    body = stream_with_context(exports.decision_lines(query))
    return Response(
        body,
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="retraining-batch.jsonl"'},
    )


@bp.get("/feedback/<int:case_type_id>/threshold")
@roles_required(*STAFF)
def threshold_review(case_type_id: int):
    filters, errors = pages.filters_from_request(clock.now())
    scenario, root_cause = request.args.get("scenario") or None, request.args.get("root_cause") or None
    counts = feedback.pattern_histogram(case_type_id, scenario, root_cause, filters)
    threshold = current_app.config["AUTO_DECISION_THRESHOLD"]
    return _render(
        "dashboard/threshold.html",
        errors,
        case_type=db.get_or_404(CaseType, case_type_id),
        scenario=scenario,
        root_cause=root_cause,
        count=sum(counts),
        bins=counts,
        evidence=feedback.threshold_evidence(counts, threshold),
        figure=pages.histogram_chart(counts, threshold),
    )
