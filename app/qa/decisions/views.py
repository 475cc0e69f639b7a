"""Uploading live decisions as CSV (QA leads and admins): the whole file is checked first, and nothing is
written until every row is clean."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.roles import LEADS
from app.errors import DomainError, ImportRejected
from app.extensions import db
from app.forms import apply_domain_error
from app.qa.decisions import ingest
from app.qa.decisions.forms import DecisionUploadForm

bp = Blueprint("qa_upload", __name__, url_prefix="/qa/import", template_folder="templates")
SHOWN_ERRORS = 500


@bp.route("", methods=["GET", "POST"])
@roles_required(*LEADS)
def upload():
    form = DecisionUploadForm()
    errors, status = [], 200
    if form.validate_on_submit():
        try:
            stored = ingest.ingest_csv_upload(form.file.data.read(), current_user)
        except ImportRejected as rejected:
            db.session.rollback()
            errors, status = rejected.errors, 422
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
            status = 422
        else:
            db.session.commit()
            message = ngettext(
                "%(num)s decision stored; %(duplicates)s already stored.",
                "%(num)s decisions stored; %(duplicates)s already stored.",
                stored.created,
                duplicates=stored.duplicates,
            )
            flash(message, "success")
            return redirect(url_for("qa_upload.upload"))
    elif request.method == "POST":
        status = 422
    shown = sorted(errors, key=lambda e: (e.index or 0, e.field))[:SHOWN_ERRORS]
    return render_template("qa/upload.html", form=form, errors=shown, error_count=len(errors)), status


@bp.get("/template.csv")
@roles_required(*LEADS)
def template():
    return Response(
        ingest.upload_template(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=live-decisions-template.csv"},
    )
