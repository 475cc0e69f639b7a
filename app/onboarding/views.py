"""The agent's side of onboarding: curriculum, practice with feedback, exams, results, contesting."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import roles_required
from app.auth.roles import Role
from app.cases.models import CaseType
from app.errors import Conflict, DomainError, ImportRejected, NotFound
from app.extensions import db
from app.forms import EmptyForm
from app.onboarding import disputes, pages, services
from app.onboarding.forms import AnswerForm, ContestForm
from app.onboarding.models import AttemptItem
from app.qa.quality import pages as quality_pages

bp = Blueprint("onboarding", __name__, url_prefix="/learn", template_folder="templates")
agents_only = roles_required(Role.AGENT)


def _case_type(slug: str) -> CaseType:
    case_type = db.session.scalar(select(CaseType).where(CaseType.slug == slug, CaseType.active.is_(True)))
    if case_type is None:
        abort(404)
    return case_type


def _own_item(item_id: int) -> AttemptItem:
    item = db.session.get(AttemptItem, item_id)
    if item is None or item.attempt.user_id != current_user.id:
        abort(404)
    return item


@bp.get("")
@agents_only
def curriculum():
    return render_template(
        "onboarding/curriculum.html",
        rows=pages.curriculum_rows(current_user),
        notices=quality_pages.agent_notices(current_user),
        form=EmptyForm(),
    )


@bp.get("/<slug>/practice")
@agents_only
def practice(slug: str):
    """The case dealt and not yet answered; with none, a button deals one (a GET changes nothing)."""
    case_type = _case_type(slug)
    item = services.pending_practice_item(current_user, case_type)
    if item is None:
        return render_template("onboarding/practice_start.html", case_type=case_type, form=EmptyForm())
    return render_template("onboarding/practice.html", **pages.practice_page(item), form=AnswerForm())


@bp.post("/<slug>/practice")
@agents_only
def deal_practice(slug: str):
    case_type = _case_type(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    item = services.next_practice_item(current_user, case_type)
    db.session.commit()
    if item is None:
        flash(_("There are no active practice cases for this case type yet."), "info")
        return redirect(url_for("onboarding.curriculum"))
    return redirect(url_for("onboarding.practice", slug=slug))


@bp.post("/practice/<int:item_id>")
@agents_only
def answer_practice(item_id: int):
    item = _own_item(item_id)
    if item.attempt.kind != "practice":
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        return render_template("onboarding/practice.html", **pages.practice_page(item), form=form), 422
    try:
        services.answer_practice(item, form.answer())
    except ImportRejected as rejected:
        db.session.rollback()
        form.show_errors(rejected.errors)
        return render_template("onboarding/practice.html", **pages.practice_page(item), form=form), 422
    except Conflict:
        db.session.rollback()
        abort(409)
    db.session.commit()
    return redirect(url_for("onboarding.practice_feedback", item_id=item.id, saved=item.id))


@bp.get("/practice/<int:item_id>")
@agents_only
def practice_feedback(item_id: int):
    item = _own_item(item_id)
    if item.attempt.kind != "practice":  # an exam item's reference waits for the exam review
        abort(404)
    if item.golden_case_id in services.sealed_cases(current_user.id, item.attempt.case_type_id):
        abort(409)
    if item.answered_at is None:  # no reference answer before the agent has answered
        return redirect(url_for("onboarding.practice", slug=item.attempt.case_type.slug))
    return render_template(
        "onboarding/feedback.html",
        **pages.feedback_page(item),
        contest_form=ContestForm(),
        next_form=EmptyForm(),
    )


@bp.post("/<slug>/exam")
@agents_only
def start_exam(slug: str):
    case_type = _case_type(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_exam(current_user, case_type)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("onboarding.curriculum"))
    db.session.commit()
    return redirect(
        url_for("onboarding.exam_item", attempt_id=attempt.id, position=pages.first_unanswered(attempt))
    )


@bp.route("/exams/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
@agents_only
def exam_item(attempt_id: int, position: int):
    attempt, item = pages.own_exam_item(attempt_id, position, current_user)
    if attempt.status != "open":
        if request.method == "POST":
            abort(409)
        return redirect(url_for("onboarding.exam_result", attempt_id=attempt.id))
    form = AnswerForm(obj=item if request.method == "GET" and item.decision else None)
    if form.validate_on_submit():
        try:
            services.save_exam_answer(item, form.answer())
        except ImportRejected as rejected:
            db.session.rollback()
            form.show_errors(rejected.errors)
        else:
            db.session.commit()
            return redirect(pages.after_exam_answer(attempt, item))
    status = 422 if request.method == "POST" else 200
    return render_template("onboarding/exam_item.html", **pages.exam_page(attempt, item), form=form), status


@bp.get("/exams/<int:attempt_id>")
@agents_only
def exam_result(attempt_id: int):
    try:
        attempt = services.get_own_attempt(attempt_id, current_user)
    except NotFound:
        abort(404)
    if attempt.kind != "exam":
        abort(404)
    current = services.open_attempt(current_user.id, attempt.case_type_id, "exam")
    if attempt.status == "submitted" and current is not None:
        # A new exam may reuse this one's cases, so its review (with the reference answers) waits.
        flash(_("Reviews of earlier exams open again once you submit the exam in progress."), "info")
        return redirect(
            url_for("onboarding.exam_item", attempt_id=current.id, position=pages.first_unanswered(current))
        )
    template = (
        "onboarding/exam_review.html" if attempt.status == "submitted" else "onboarding/exam_submit.html"
    )
    return render_template(
        template, **pages.exam_overview(attempt), form=EmptyForm(), contest_form=ContestForm()
    )


@bp.post("/exams/<int:attempt_id>/submit")
@agents_only
def submit_exam(attempt_id: int):
    try:
        attempt = services.get_own_attempt(attempt_id, current_user)
    except NotFound:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.submit_exam(attempt, current_user)
    except Conflict:
        db.session.rollback()
        abort(409)
    db.session.commit()
    return redirect(url_for("onboarding.exam_result", attempt_id=attempt.id))


@bp.post("/items/<int:item_id>/contest")
@agents_only
def contest(item_id: int):
    item = _own_item(item_id)
    form = ContestForm()
    back = pages.result_url(item)
    if not form.validate_on_submit():
        flash(_("Say why the reference answer is wrong."), "error")
        return redirect(back)
    try:
        disputes.contest(item, form.reason.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Thanks. A QA lead will review the reference answer."), "success")
    return redirect(back)
