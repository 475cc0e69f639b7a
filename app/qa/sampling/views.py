"""Sampling pages (on the shared `qa` blueprint): editing a plan and running it over a week."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.auth.access import roles_required
from app.auth.models import Team
from app.auth.roles import LEADS
from app.cases.models import CaseType
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_domain_error
from app.qa.blueprints import bp
from app.qa.sampling import pages, plans
from app.qa.sampling.forms import PlanForm, RunForm
from app.qa.sampling.models import SamplingPlan

templates = Blueprint("qa_sampling", __name__, template_folder="templates")


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
