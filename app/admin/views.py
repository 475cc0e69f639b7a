"""Admin pages: users, teams, case types and API tokens."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin import services, settings
from app.admin.forms import (
    CaseTypeForm,
    PasswordResetForm,
    SettingsForm,
    TeamForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from app.auth import services as auth_services
from app.auth.access import roles_required
from app.auth.models import ApiToken, Team, User
from app.auth.roles import Role
from app.cases import services as case_services
from app.cases.models import CaseType
from app.errors import DomainError
from app.extensions import db
from app.forms import EmptyForm, apply_domain_error
from app.inputs import query_int

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
admin_only = roles_required(Role.ADMIN)
NO_TEAM = _l("No team")


def _status(form) -> int:
    return 422 if request.method == "POST" and form.errors or form.form_errors else 200


@bp.route("/users", methods=["GET", "POST"])
@admin_only
def users():
    form = UserCreateForm()
    form.team.choices = services.team_choices(NO_TEAM)
    if form.validate_on_submit():
        try:
            user = auth_services.create_user(
                form.username.data,
                form.password.data,
                form.role.data,
                form.display_name.data or "",
                services.team_or_none(form.team.data),
                form.locale.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    users = services.list_users(request.args.get("role"))
    page = db.paginate(users, page=query_int("page", 1, minimum=1), per_page=100, error_out=False)
    return render_template("admin/users.html", form=form, page=page), _status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    form.team.choices = services.team_choices(NO_TEAM)
    if request.method == "GET":
        form.team.data = user.team_id or 0
    if form.validate_on_submit():
        try:
            auth_services.update_user(
                user,
                display_name=form.display_name.data,
                role=form.role.data,
                team=services.team_or_none(form.team.data),
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template(
        "admin/user.html", user=user, form=form, password_form=PasswordResetForm(), active_form=EmptyForm()
    ), _status(form)


@bp.post("/users/<int:user_id>/password")
@admin_only
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_l("Enter a new password."))
        auth_services.reset_password(user, form.password.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Password reset. %(name)s's sessions have ended and their API tokens are revoked.",
                name=user.username,
            ),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/active")
@admin_only
def set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    activate = request.form.get("active") == "1"
    try:
        if not EmptyForm().validate_on_submit():
            raise DomainError(_l("The form expired. Try again."))
        auth_services.set_active(user, activate, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(
            _("Reactivated.") if activate else _("Deactivated: sessions ended and tokens revoked."), "success"
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/teams", methods=["GET", "POST"])
@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@admin_only
def teams(team_id: int | None = None):
    team = db.get_or_404(Team, team_id) if team_id else None
    form = TeamForm(obj=team if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            if team:
                auth_services.update_team(
                    team, form.name.data, form.vendor.data, form.site.data, current_user
                )
            else:
                auth_services.create_team(form.name.data, form.vendor.data, form.site.data, current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Team saved."), "success")
            return redirect(url_for("admin.teams"))
    return render_template("admin/teams.html", form=form, team=team, teams=services.list_teams()), _status(
        form
    )


@bp.route("/case-types", methods=["GET", "POST"])
@bp.route("/case-types/<int:case_type_id>", methods=["GET", "POST"])
@admin_only
def case_types(case_type_id: int | None = None):
    case_type = db.get_or_404(CaseType, case_type_id) if case_type_id else None
    form = CaseTypeForm(obj=case_type if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            case_services.save_case_type(
                case_type,
                form.slug.data,
                form.name.data,
                form.description.data or "",
                form.sop_prefix.data,
                current_user,
                rules=form.rules(),
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Case type saved."), "success")
            return redirect(url_for("admin.case_types"))
    return render_template(
        "admin/case_types.html", form=form, case_type=case_type, case_types=services.list_case_types()
    ), _status(form)


@bp.route("/settings", methods=["GET", "POST"])
@admin_only
def settings_page():
    form = SettingsForm()
    if request.method == "GET":
        form.automatic_suspension.data = settings.automatic_suspension()
    if form.validate_on_submit():
        settings.set_setting(
            settings.AUTOMATIC_SUSPENSION, bool(form.automatic_suspension.data), current_user
        )
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("admin.settings_page"))
    return render_template("admin/settings.html", form=form), _status(form)


@bp.route("/tokens", methods=["GET", "POST"])
@admin_only
def tokens():
    form = TokenForm()
    form.owner.choices = services.token_owner_choices()
    secret = None
    if form.validate_on_submit():
        try:
            owner = db.session.get(User, form.owner.data)
            _token, secret = auth_services.create_token(owner, form.name.data, form.scopes.data, current_user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()  # the secret is shown once, on this response, and never stored
    return render_template(
        "admin/tokens.html", form=form, tokens=services.list_tokens(), secret=secret, revoke_form=EmptyForm()
    ), _status(form)


@bp.post("/tokens/<int:token_id>/revoke")
@admin_only
def revoke_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if EmptyForm().validate_on_submit():
        auth_services.revoke_token(token, current_user)
        db.session.commit()
        flash(_("Token revoked."), "success")
    return redirect(url_for("admin.tokens"))
