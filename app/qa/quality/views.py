"""Suspension proposals (on the shared `qa` blueprint): leads and managers confirm or dismiss them."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.roles import STAFF
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_domain_error
from app.qa.blueprints import bp
from app.qa.quality import pages, suspensions
from app.qa.quality.forms import ConfirmProposalForm, DismissProposalForm
from app.qa.quality.models import SuspensionProposal

templates = Blueprint("qa_quality", __name__, template_folder="templates")


@bp.get("/suspensions")
@roles_required(*STAFF)
def suspension_proposals():
    return render_template("qa/suspensions.html", **pages.proposals_page())


def _render(proposal, confirm_form=None, dismiss_form=None, status=200):
    return render_template(
        "qa/suspension.html",
        **pages.proposal_page(proposal),
        confirm_form=confirm_form or ConfirmProposalForm(formdata=None),
        dismiss_form=dismiss_form or DismissProposalForm(formdata=None),
    ), status


@bp.get("/suspensions/<int:proposal_id>")
@roles_required(*STAFF)
def suspension_proposal(proposal_id: int):
    return _render(db.get_or_404(SuspensionProposal, proposal_id))


@bp.post("/suspensions/<int:proposal_id>/confirm")
@roles_required(*STAFF)
def confirm_suspension(proposal_id: int):
    proposal = db.get_or_404(SuspensionProposal, proposal_id)
    form = ConfirmProposalForm()
    if not form.validate_on_submit():
        return _render(proposal, confirm_form=form, status=422)
    try:
        suspensions.confirm_proposal(proposal, current_user, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _render(proposal, confirm_form=form, status=409 if error.status == 409 else 422)
    db.session.commit()
    flash(_("Suspension confirmed; the agent sees it on their learning page."), "success")
    return redirect(url_for("qa.suspension_proposals"))


@bp.post("/suspensions/<int:proposal_id>/dismiss")
@roles_required(*STAFF)
def dismiss_suspension(proposal_id: int):
    proposal = db.get_or_404(SuspensionProposal, proposal_id)
    form = DismissProposalForm()
    if not form.validate_on_submit():
        return _render(proposal, dismiss_form=form, status=422)
    try:
        suspensions.dismiss_proposal(proposal, current_user, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _render(proposal, dismiss_form=form, status=409 if error.status == 409 else 422)
    db.session.commit()
    flash(_("Proposal dismissed."), "success")
    return redirect(url_for("qa.suspension_proposals"))
