"""The decision agent's pages. Misclassification batches join the shared `qa` blueprint (/qa/batches);
its quality, FP/FN feedback routing, threshold evidence and retraining export join the dashboards'
blueprint (/dashboard/...), keeping their URLs, endpoint names and the dashboards' filters."""

from datetime import UTC

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
from app.auth.roles import LEADS, STAFF
from app.cases.models import CaseType
from app.dashboard import exports, queries
from app.dashboard import pages as dashboard_pages
from app.dashboard.views import bp as dashboard
from app.dashboard.views import render_page
from app.errors import DomainError
from app.extensions import db
from app.forms import EmptyForm
from app.inputs import query_int
from app.qa.blueprints import bp
from app.qa.decision_agent import feedback
from app.qa.decision_agent import pages as pages
from app.qa.decision_agent import reports as reports
from app.qa.decision_agent.batches import session_from_batch
from app.qa.decision_agent.forms import BatchSessionForm

templates = Blueprint("qa_decision_agent", __name__, template_folder="templates")

MAX_PATTERN_K = 1000  # a pattern "recurs" from k decisions; more than this is never useful


@bp.route("/batches", methods=["GET", "POST"])
@roles_required(*LEADS)
def batches():
    form = BatchSessionForm()
    form.participants.choices = pages.participant_choices()
    if form.validate_on_submit():
        try:
            people = list(db.session.scalars(select(User).where(User.id.in_(form.participants.data or []))))
            session = session_from_batch(
                form.case_type_id.data,
                form.scenario.data or None,
                form.root_cause.data or None,
                form.name.data,
                form.deadline.data.replace(tzinfo=UTC),
                people,
                current_user,
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            return redirect(url_for("calibration.detail", session_id=session.id))
    elif form.is_submitted():
        # The page holds one form per batch, with the same field names, so errors are flashed, not shown
        # by a field.
        for error in dict.fromkeys(e for errors in form.errors.values() for e in errors):
            flash(str(error), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("qa/batches.html", **pages.batches_page(), form=form), status


@dashboard.get("/decision-agent")
@roles_required(*STAFF)
def decision_agent():
    filters, errors = dashboard_pages.filters_from_request(clock.now())
    quality = reports.decision_agent_quality(filters)
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    return render_page(
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


@dashboard.route("/feedback", methods=["GET", "POST"])
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
    filters, errors = dashboard_pages.filters_from_request(clock.now())
    minimum = query_int("k", default=5, minimum=1, maximum=MAX_PATTERN_K)
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    slugs = dict(db.session.execute(select(CaseType.id, CaseType.slug)).all())
    rows = feedback.patterns(filters, minimum)
    return render_page(
        "dashboard/feedback.html",
        errors,
        rows=rows,
        names=names,
        slugs=slugs,
        k=minimum,
        form=EmptyForm(),
        figure=pages.pareto_chart(rows, names),
    )


@dashboard.get("/feedback/<int:case_type_id>/retraining.jsonl")
@roles_required(*STAFF)
def retraining_batch(case_type_id: int):
    filters, _errors = dashboard_pages.filters_from_request(clock.now())
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


@dashboard.get("/feedback/<int:case_type_id>/threshold")
@roles_required(*STAFF)
def threshold_review(case_type_id: int):
    filters, errors = dashboard_pages.filters_from_request(clock.now())
    scenario, root_cause = request.args.get("scenario") or None, request.args.get("root_cause") or None
    counts = feedback.pattern_histogram(case_type_id, scenario, root_cause, filters)
    threshold = current_app.config["AUTO_DECISION_THRESHOLD"]
    return render_page(
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
