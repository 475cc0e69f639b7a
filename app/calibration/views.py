"""Calibration sessions: leads create and close them, participants label blind, everyone learns."""

import csv
import io
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import roles_required
from app.auth.models import User
from app.auth.roles import EVERYONE, LEADS, STAFF
from app.calibration import pages, queries, services
from app.calibration.forms import NoteForm, PromoteForm, SessionForm
from app.calibration.models import CalibrationSession
from app.cases.forms import GoldenCaseForm
from app.cases.models import CaseType
from app.errors import DomainError, ImportRejected
from app.exports import csv_safe
from app.extensions import db
from app.forms import EmptyForm, apply_domain_error
from app.onboarding.forms import AnswerForm

bp = Blueprint("calibration", __name__, url_prefix="/calibration", template_folder="templates")


@bp.get("")
@roles_required(*EVERYONE)
def index():
    return render_template("calibration/index.html", sessions=queries.sessions_for(current_user))


def _session_form() -> SessionForm:
    form = SessionForm()
    form.case_type.choices = [
        (t.slug, t.name) for t in db.session.scalars(select(CaseType).order_by(CaseType.name))
    ]
    people = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.role.in_(services.PARTICIPANT_ROLES))
        .order_by(User.role, User.username)
    )
    form.participants.choices = [(u.id, f"{u.display_name} ({u.username})") for u in people]
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*LEADS)
def create():
    form = _session_form()
    if form.validate_on_submit():
        try:
            session = pages.create_session_from(form, current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Session created with %(n)s cases.", n=len(session.cases)), "success")
            return redirect(url_for("calibration.detail", session_id=session.id))
    return render_template("calibration/new.html", form=form), 422 if request.method == "POST" else 200


@bp.get("/<int:session_id>")
@roles_required(*EVERYONE)
def detail(session_id: int):
    session = pages.session_for(session_id, current_user)
    return render_template(
        "calibration/detail.html", **pages.overview(session, current_user), form=EmptyForm()
    )


@bp.route("/<int:session_id>/cases/<int:position>", methods=["GET", "POST"])
@roles_required(*EVERYONE)
def label(session_id: int, position: int):
    session = pages.session_for(session_id, current_user)
    case = pages.participant_case(session, position, current_user)
    mine = services.own_answers(session, current_user).get(case.id)
    form = AnswerForm(obj=mine if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_answer(session, case, current_user, form.answer())
        except ImportRejected as rejected:
            db.session.rollback()
            form.show_errors(rejected.errors)
        except DomainError as error:
            db.session.rollback()
            abort(error.status)
        else:
            db.session.commit()
            return redirect(pages.next_label_url(session, case, current_user))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "calibration/label.html", **pages.label_page(session, case, current_user), form=form
    ), status


@bp.post("/<int:session_id>/<any(close, reopen):action>")
@roles_required(*LEADS)
def close_or_reopen(session_id: int, action: str):
    session = db.get_or_404(CalibrationSession, session_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        (services.close_session if action == "close" else services.reopen_session)(session, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("calibration.detail", session_id=session.id))
    db.session.commit()
    flash(
        _("Session closed; the report is ready.") if action == "close" else _("Session reopened."), "success"
    )
    target = "calibration.report" if action == "close" else "calibration.detail"
    return redirect(url_for(target, session_id=session.id))


@bp.get("/<int:session_id>/report")
@roles_required(*EVERYONE)
def report(session_id: int):
    session = pages.session_for(session_id, current_user)
    if not pages.may_read_report(session, current_user):
        abort(404)
    return render_template("calibration/report.html", **pages.report_page(session))


@bp.get("/<int:session_id>/report.json")
@roles_required(*EVERYONE)
def report_json(session_id: int):
    session = pages.session_for(session_id, current_user)
    if not pages.may_read_report(session, current_user):
        abort(404)
    body = json.dumps(
        {"session": {"id": session.id, "name": session.name}, **session.report}, ensure_ascii=False
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="calibration-{session.id}-report.json"'},
    )


@bp.get("/<int:session_id>/reliability.csv")
@roles_required(*EVERYONE)
def reliability_csv(session_id: int):
    session = pages.session_for(session_id, current_user)
    if not pages.may_read_report(session, current_user):
        abort(404)
    header, rows = queries.reliability_rows(session)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(v) for v in header])
    writer.writerows([[csv_safe(v) for v in row] for row in rows])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="calibration-{session.id}-reliability.csv"'},
    )


@bp.route("/<int:session_id>/cases/<int:position>/settle", methods=["GET", "POST"])
@roles_required(*LEADS)
def settle(session_id: int, position: int):
    session = db.get_or_404(CalibrationSession, session_id)
    case = pages.case_at(session, position)
    if session.status != "closed":
        # The page lists every participant's answer; leads may be participants, so not while blind.
        flash(_("Close the session before settling its cases."), "error")
        return redirect(url_for("calibration.detail", session_id=session.id))
    form, note_form, promote_form = GoldenCaseForm(), NoteForm(), PromoteForm()
    if request.method == "GET":
        pages.fill_final(form, case)
        note_form.note.data = case.note
    elif not EmptyForm().validate_on_submit():
        abort(400)
    else:
        try:
            pages.apply_settle_action(
                request.form.get("action"),
                case,
                form,
                note_form,
                promote_form,
                current_user,
                amend=request.form.get("amend") == "1",
            )
        except ImportRejected as rejected:
            db.session.rollback()
            if request.form.get("action") == "promote":
                pages.show_promotion_errors(promote_form, rejected.errors)
            else:
                form.show_errors(rejected.errors)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("calibration.settle", session_id=session.id, position=position))
    pages.fill_promotion(promote_form, case)
    values = pages.settle_page(session, case)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "calibration/settle.html", **values, form=form, note_form=note_form, promote_form=promote_form
    ), status


@bp.get("/trend")
@roles_required(*STAFF)
def trend():
    return render_template("calibration/trend.html", **pages.trend_page())
