"""QA pages: the audit queue, sampling plans, disputes and misclassification batches (leads); an agent's
own audited decisions and disputes."""

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.auth.access import roles_required
from app.auth.models import Team, User
from app.auth.roles import LEADS, STAFF, Role
from app.cases.models import CaseType
from app.errors import DomainError, NotFound
from app.extensions import db
from app.forms import EmptyForm, apply_domain_error
from app.qa.audits import disputes, pages, queue
from app.qa.audits.forms import (
    BatchSessionForm,
    DisputeForm,
    PlanForm,
    ResolveDisputeForm,
    RunForm,
    VerdictForm,
)
from app.qa.audits.models import Audit, AuditDispute
from app.qa.decision_agent.batches import session_from_batch
from app.qa.quality import services as quality
from app.qa.sampling import plans
from app.qa.sampling.models import SamplingPlan

bp = Blueprint("qa", __name__, url_prefix="/qa", template_folder="templates")


@bp.get("")
@roles_required(*LEADS)
def home():
    return render_template("qa/home.html", **pages.home_page(), form=EmptyForm(), run_form=RunForm())


@bp.post("/claim")
@roles_required(*LEADS)
def claim():
    if not EmptyForm().validate_on_submit():
        abort(400)
    sample = queue.claim_next(current_user)
    db.session.commit()
    if sample is None:
        flash(_("The queue is empty."), "info")
        return redirect(url_for("qa.home"))
    return redirect(url_for("qa.audit", sample_id=sample.id))


@bp.route("/samples/<int:sample_id>", methods=["GET", "POST"])
@roles_required(*LEADS)
def audit(sample_id: int):
    try:
        sample = queue.own_claim(sample_id, current_user)
    except NotFound:
        abort(404)
    form = VerdictForm()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            queue.submit_audit(sample, current_user, form.values())
            quality.apply_certification_link(
                sample.decision.agent_id, sample.decision.case_type_id, current_user
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            status = 409 if error.status == 409 else 422  # someone else's audit was saved first
        else:
            db.session.commit()
            flash(_("Audit saved."), "success")
            return redirect(url_for("qa.home"))
    return render_template(
        "qa/audit.html", **pages.decision_page(sample.decision), sample=sample, form=form
    ), status


@bp.route("/audits/<int:audit_id>/edit", methods=["GET", "POST"])
@roles_required(*LEADS)
def edit_audit(audit_id: int):
    audit = db.get_or_404(Audit, audit_id)
    if current_user.role != Role.ADMIN and audit.auditor_id != current_user.id:
        abort(404)
    form = VerdictForm(obj=audit if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            queue.edit_audit(audit, current_user, form.values(), int(form.version.data or 0))
        except DomainError as error:
            db.session.rollback()
            if error.status == 409:
                abort(409)
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Audit updated."), "success")
            return redirect(url_for("qa.home"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "qa/audit.html", **pages.decision_page(audit.decision), audit=audit, form=form
    ), status


def _plan_form(plan: SamplingPlan | None) -> PlanForm:
    form = PlanForm(obj=plan if request.method == "GET" and plan else None)
    form.case_type.choices = [
        (t.slug, t.name) for t in db.session.scalars(select(CaseType).order_by(CaseType.name))
    ]
    form.team.choices = [(0, _("Every team"))] + [
        (t.id, f"{t.vendor} · {t.name}")
        for t in db.session.scalars(select(Team).order_by(Team.vendor, Team.name))
    ]
    if request.method == "GET" and plan:
        form.case_type.data, form.team.data = plan.case_type.slug, plan.team_id or 0
    elif request.method == "GET":
        form.process(data=pages.PLAN_DEFAULTS)
    return form


@bp.route("/plans/new", methods=["GET", "POST"])
@bp.route("/plans/<int:plan_id>", methods=["GET", "POST"])
@roles_required(*LEADS)
def plan(plan_id: int | None = None):
    existing = db.get_or_404(SamplingPlan, plan_id) if plan_id else None
    form = _plan_form(existing)
    if form.validate_on_submit():
        try:
            saved = plans.save_plan(existing, pages.plan_values(form), current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Plan saved (version %(v)s).", v=saved.version), "success")
            return redirect(url_for("qa.plan", plan_id=saved.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "qa/plan.html",
        form=form,
        plan=existing,
        **pages.plan_page(existing),
        run_form=RunForm(week=plans.current_week(clock.now())),
    ), status


@bp.post("/plans/<int:plan_id>/run")
@roles_required(*LEADS)
def run_plan(plan_id: int):
    sampling_plan = db.get_or_404(SamplingPlan, plan_id)
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("Give the week as YYYY-Www, like 2026-W47."), "error")
        return redirect(url_for("qa.plan", plan_id=plan_id))
    try:
        run, fresh = plans.run_plan(sampling_plan, form.week.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("qa.plan", plan_id=plan_id))
    db.session.commit()
    message = (
        _("%(n)s decisions sampled for %(week)s.", n=run.sampled, week=run.week)
        if fresh
        else _("%(week)s was already sampled with this plan; nothing was added.", week=run.week)
    )
    flash(message, "success" if fresh else "info")
    return redirect(url_for("qa.plan", plan_id=plan_id))


@bp.get("/disputes")
@roles_required(*STAFF)
def dispute_list():
    return render_template(
        "qa/disputes.html", disputes=disputes.open_disputes(), now=clock.now(), form=ResolveDisputeForm()
    )


@bp.post("/disputes/<int:dispute_id>")
@roles_required(*STAFF)
def resolve_dispute(dispute_id: int):
    dispute = db.get_or_404(AuditDispute, dispute_id)
    form = ResolveDisputeForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Choose an outcome and explain it."))
        disputes.resolve_dispute(dispute, form.outcome.data, form.note.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Dispute resolved."), "success")
    return redirect(url_for("qa.dispute_list"))


@bp.get("/mine")
@roles_required(Role.AGENT)
def mine():
    return render_template("qa/mine.html", **pages.mine_page(current_user), form=DisputeForm())


@bp.post("/mine/<int:audit_id>/dispute")
@roles_required(Role.AGENT)
def dispute(audit_id: int):
    audit = db.session.get(Audit, audit_id)
    form = DisputeForm()
    try:
        if audit is None:
            raise NotFound()
        if not form.validate_on_submit():
            raise DomainError(_("Say why the verdict is wrong."))
        disputes.open_dispute(audit, current_user, form.reason.data)
    except NotFound:
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Dispute sent. Another lead or a manager will decide."), "success")
    return redirect(url_for("qa.mine"))


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
