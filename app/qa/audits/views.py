"""Audit pages (on the shared `qa` blueprint): the audit queue and audits, disputes (leads); an agent's
own audited decisions and disputes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.auth.access import roles_required
from app.auth.roles import LEADS, STAFF, Role
from app.errors import DomainError, NotFound
from app.extensions import db
from app.forms import EmptyForm, apply_domain_error
from app.qa.audits import disputes, pages, queue
from app.qa.audits.forms import DisputeForm, ResolveDisputeForm, VerdictForm
from app.qa.audits.models import Audit, AuditDispute
from app.qa.blueprints import bp
from app.qa.quality import suspensions
from app.qa.sampling.forms import RunForm

templates = Blueprint("qa_audits", __name__, template_folder="templates")


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
            suspensions.review_standing(sample.decision.agent_id, sample.decision.case_type_id, current_user)
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
            suspensions.review_standing(
                audit.decision.agent_id, audit.decision.case_type_id, current_user, cause="edited"
            )
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
