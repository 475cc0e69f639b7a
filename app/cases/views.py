"""The golden-case library: list, view, create, edit, retire, import and export."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import roles_required
from app.auth.roles import LEADS
from app.cases import editing, pages, services
from app.cases.editing import StaleEdit
from app.cases.forms import GoldenCaseEditForm, GoldenCaseForm, ImportForm, LibraryFilterForm
from app.cases.models import CaseType, GoldenCase
from app.errors import DomainError, ImportRejected
from app.extensions import db
from app.forms import EmptyForm, apply_domain_error
from app.inputs import JSONRejected, parse_json, query_int, rejection_text

bp = Blueprint("cases", __name__, url_prefix="/golden", template_folder="templates")
PER_PAGE = 50


def _case_type_choices() -> list[tuple[str, str]]:
    return [(t.slug, t.name) for t in db.session.scalars(select(CaseType).order_by(CaseType.name))]


def _library_filters() -> tuple[LibraryFilterForm, dict[str, str]]:
    form = LibraryFilterForm(request.args)
    scenarios = services.scenarios_by_type()
    form.case_type.choices = [("", _("All case types")), *_case_type_choices()]
    shown = (
        scenarios.get(form.case_type.data, [])
        if form.case_type.data
        else sorted({s for v in scenarios.values() for s in v})
    )
    form.scenario.choices = [("", _("All scenarios")), *[(s, s) for s in shown]]
    filters = {
        name: (request.args.get(name) or "").strip() for name in ("case_type", "scenario", "status", "q")
    }
    return form, {k: v for k, v in filters.items() if v}


@bp.get("")
@roles_required(*LEADS)
def library():
    form, filters = _library_filters()
    cases = services.filtered_cases(filters)
    page = db.paginate(cases, page=query_int("page", 1, minimum=1), per_page=PER_PAGE, error_out=False)
    return render_template("cases/library.html", form=form, page=page, filters=filters)


@bp.get("/export")
@roles_required(*LEADS)
def export():
    _form, filters = _library_filters()
    body = json.dumps(services.export_golden_cases(filters), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="golden-cases.json"'},
    )


@bp.get("/<int:case_id>")
@roles_required(*LEADS)
def detail(case_id: int):
    case = db.get_or_404(GoldenCase, case_id)
    return render_template("cases/detail.html", case=case, status_form=EmptyForm())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*LEADS)
def create():
    form = GoldenCaseForm()
    form.case_type.choices = _case_type_choices()
    if form.validate_on_submit():
        try:
            case = services.create_case(form.to_item(), current_user)
        except ImportRejected as rejected:
            form.show_errors(rejected.errors)
        else:
            db.session.commit()
            flash(_("Golden case %(key)s created.", key=case.key), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/edit.html", form=form, case=None), 422 if request.method == "POST" else 200


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*LEADS)
def edit(case_id: int):
    case = db.get_or_404(GoldenCase, case_id)
    form, conflict, status = GoldenCaseEditForm(), None, 422 if request.method == "POST" else 200
    if request.method == "GET":
        form.fill(case)
    if form.validate_on_submit():
        if form.seen_version() is None:
            abort(400)
        try:
            item = form.item_for(case.key, case.case_type.slug)
            editing.save_case_edit(case, item, form.note.data or "", current_user, form.seen_version())
        except ImportRejected as rejected:
            db.session.rollback()
            form.show_errors(rejected.errors)
        except StaleEdit as stale:
            db.session.rollback()
            conflict, status = pages.conflict(form, stale), 409
            # What the lead typed stays; the page now carries the version they have seen the changes of.
            form.lock_version.data = str(stale.lock_version)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved. The answer is at version %(v)s.", v=case.current_answer.version), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/edit.html", form=form, case=case, conflict=conflict), status


@bp.post("/<int:case_id>/status")
@roles_required(*LEADS)
def set_status(case_id: int):
    case = db.get_or_404(GoldenCase, case_id)
    form = EmptyForm()
    status = request.form.get("status", "")
    if form.validate_on_submit() and status in ("active", "retired"):
        services.set_status(case, status, current_user)
        db.session.commit()
        flash(_("Case retired.") if status == "retired" else _("Case restored."), "success")
    else:
        flash(_("Nothing changed: choose retire or restore."), "error")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*LEADS)
def import_cases():
    form = ImportForm()
    errors, status = [], 200
    if form.validate_on_submit():
        try:
            payload = parse_json(form.file.data.read().decode("utf-8-sig"))
            result = services.import_golden_cases(payload, current_user)
        except ImportRejected as rejected:
            errors, status = rejected.errors, 422
            db.session.rollback()
        except JSONRejected as rejected:
            shown = _("The file is not valid UTF-8 JSON.") if rejected.malformed else rejection_text(rejected)
            form.file.errors, status = [shown], 422
        except ValueError:  # not UTF-8
            form.file.errors, status = [_("The file is not valid UTF-8 JSON.")], 422
        else:
            db.session.commit()
            flash(_("Imported %(n)s golden cases.", n=result["created"]), "success")
            return redirect(url_for("cases.library"))
    elif request.method == "POST":
        status = 422
    return render_template("cases/import.html", form=form, errors=errors), status
