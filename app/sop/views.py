"""The SOP library: read any version, compare versions, edit (leads), flag and decide gaps."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import roles_required
from app.auth.roles import EVERYONE, LEADS
from app.cases.models import CaseType
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_domain_error
from app.inputs import query_int, to_int
from app.sop import services
from app.sop.forms import GapDecisionForm, GapForm, SopEditForm
from app.sop.models import SopGap
from app.sop.parsing import compare_versions
from app.sop.rendering import render_sop

bp = Blueprint("sop", __name__, url_prefix="/sop", template_folder="templates")


def _case_type(slug: str) -> CaseType:
    case_type = db.session.scalar(select(CaseType).where(CaseType.slug == slug))
    if case_type is None:
        abort(404)
    return case_type


@bp.get("")
@roles_required(*EVERYONE)
def index():
    types = list(db.session.scalars(select(CaseType).order_by(CaseType.name)))
    current = {t.id: services.current_version(t.id) for t in types}
    return render_template("sop/index.html", case_types=types, current=current)


@bp.get("/<slug>")
@bp.get("/<slug>/v/<int:version>")
@roles_required(*EVERYONE)
def view(slug: str, version: int | None = None):
    case_type = _case_type(slug)
    shown = services.get_version(case_type.id, version) if version else services.current_version(case_type.id)
    if shown is None:
        abort(404)
    return render_template(
        "sop/view.html",
        case_type=case_type,
        sop=shown,
        html=render_sop(shown.body),
        versions=services.list_versions(case_type.id),
    )


@bp.get("/<slug>/compare")
@roles_required(*EVERYONE)
def compare(slug: str):
    case_type = _case_type(slug)
    old = services.get_version(case_type.id, query_int("a", default=0))
    new = services.get_version(case_type.id, query_int("b", default=0))
    if old is None or new is None:
        abort(404)
    return render_template(
        "sop/compare.html", case_type=case_type, old=old, new=new, rows=compare_versions(old.body, new.body)
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@roles_required(*LEADS)
def edit(slug: str):
    case_type = _case_type(slug)
    current = services.current_version(case_type.id)
    form = SopEditForm(body=current.body if current else "")
    if form.validate_on_submit():
        try:
            version = services.save_sop(case_type, form.body.data, form.note.data, current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved as version %(v)s.", v=version.version), "success")
            return redirect(url_for("sop.view", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template("sop/edit.html", case_type=case_type, form=form, current=current), status


@bp.route("/<slug>/gaps/new", methods=["GET", "POST"])
@roles_required(*EVERYONE)
def flag_gap(slug: str):
    case_type = _case_type(slug)
    form = GapForm(scenario=request.args.get("scenario", ""), golden_case_id=request.args.get("case", ""))
    if form.validate_on_submit():
        try:
            services.propose_gap(
                case_type,
                form.draft.data,
                form.reason.data,
                current_user,
                scenario=form.scenario.data,
                section_number=form.section_number.data,
                golden_case_id=to_int(form.golden_case_id.data, minimum=1),
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Thanks: the SOP gap was flagged for a lead to review."), "success")
            return redirect(url_for("sop.view", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template("sop/gap_new.html", case_type=case_type, form=form), status


@bp.get("/gaps")
@roles_required(*LEADS)
def gaps():
    status = request.args.get("status", "open")
    listed = services.list_gaps(status if status in ("open", "accepted", "rejected") else None)
    return render_template("sop/gaps.html", gaps=listed, status=status, form=GapDecisionForm())


@bp.post("/gaps/<int:gap_id>/decide")
@roles_required(*LEADS)
def decide_gap(gap_id: int):
    gap = db.get_or_404(SopGap, gap_id)
    form = GapDecisionForm()
    accept = request.form.get("decision") == "accept"
    if not form.validate_on_submit() or request.form.get("decision") not in ("accept", "reject"):
        abort(400)
    try:
        services.decide_gap(gap, accept, form.note.data or "", current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("sop.gaps"))
    db.session.commit()
    flash(_("Accepted: the SOP has a new version.") if accept else _("Rejected."), "success")
    return redirect(url_for("sop.gaps"))
