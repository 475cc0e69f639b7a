"""The QA lead's side of onboarding: cohort progress, one agent's record, disputes, exposure."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.auth.access import roles_required
from app.auth.models import Team, User
from app.auth.roles import LEADS, STAFF
from app.cases import services as case_services
from app.cases.forms import GoldenCaseForm
from app.cases.models import GoldenCase
from app.errors import DomainError, ImportRejected
from app.extensions import db
from app.forms import EmptyForm
from app.inputs import query_int
from app.onboarding import disputes, pages, reports, services
from app.onboarding.forms import ResolveForm, SuspendForm
from app.onboarding.models import Certification, GoldDispute
from app.qa.quality import suspensions

bp = Blueprint("coaching", __name__, url_prefix="/onboarding", template_folder="templates")
REST_DAYS = 30


@bp.get("")
@roles_required(*STAFF)
def cohort():
    team_id = query_int("team")
    teams = list(db.session.scalars(select(Team).order_by(Team.vendor, Team.name)))
    return render_template("onboarding/cohort.html", **reports.cohort(team_id), teams=teams, team_id=team_id)


@bp.get("/agents/<int:user_id>")
@roles_required(*STAFF)
def agent(user_id: int):
    person = db.get_or_404(User, user_id)
    if person.role != "agent":
        abort(404)
    return render_template(
        "onboarding/agent.html",
        **pages.agent_record(person),
        form=EmptyForm(),
        suspend_form=SuspendForm(),
        now=clock.now(),
    )


@bp.post("/certifications/<int:cert_id>/<action>")
@roles_required(*LEADS)
def certification_action(cert_id: int, action: str):
    cert = db.get_or_404(Certification, cert_id)
    if action not in ("lift", "reset", "suspend") or not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if action == "lift":
            services.lift_suspension(cert, current_user)
            suspensions.note_lead_lift(cert, current_user)
        elif action == "reset":
            services.reset_attempts(cert, current_user)
        else:
            form = SuspendForm()
            if not form.validate_on_submit():
                raise DomainError(_("Give a reason for the suspension."))
            services.suspend_certification(cert.user_id, cert.case_type_id, form.reason.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Done."), "success")
    return redirect(url_for("coaching.agent", user_id=cert.user_id))


@bp.get("/disputes")
@roles_required(*LEADS)
def dispute_list():
    open_disputes = list(
        db.session.scalars(
            select(GoldDispute).where(GoldDispute.status == "open").order_by(GoldDispute.created_at)
        )
    )
    return render_template(
        "onboarding/disputes.html", disputes=open_disputes, missed=reports.most_missed(), now=clock.now()
    )


@bp.route("/disputes/<int:dispute_id>", methods=["GET", "POST"])
@roles_required(*LEADS)
def resolve(dispute_id: int):
    dispute = db.get_or_404(GoldDispute, dispute_id)
    form, answer_form = ResolveForm(), GoldenCaseForm()
    case = dispute.golden_case
    if request.method == "GET":
        answer_form.fill(case)
    if form.validate_on_submit():
        try:
            if request.form.get("outcome") == "amend":
                rescored = disputes.amend(
                    dispute, answer_form.to_item()["answer"], form.note.data, current_user
                )
                flash(_("Answer amended; %(n)s exam attempts re-scored.", n=rescored), "success")
            else:
                disputes.uphold(dispute, form.note.data, current_user)
                flash(_("Reference answer upheld."), "success")
        except ImportRejected as rejected:
            db.session.rollback()
            answer_form.show_errors(rejected.errors)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("coaching.dispute_list"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "onboarding/resolve.html", dispute=dispute, case=case, form=form, answer_form=answer_form
    ), status


@bp.get("/exposure")
@roles_required(*LEADS)
def exposure():
    return render_template(
        "onboarding/exposure.html", rows=reports.exposure(), form=EmptyForm(), now=clock.now()
    )


@bp.post("/exposure/<int:case_id>/rest")
@roles_required(*LEADS)
def rest_case(case_id: int):
    case = db.get_or_404(GoldenCase, case_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    case_services.rest_case(case, clock.now() + timedelta(days=REST_DAYS), current_user)
    db.session.commit()
    flash(_("Rotated out of exams for %(n)s days.", n=REST_DAYS), "success")
    return redirect(url_for("coaching.exposure"))
