"""Sign in, sign out, changing one's own password, and the language switch."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services, throttle
from app.auth.access import public, roles_required
from app.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from app.auth.roles import EVERYONE
from app.errors import DomainError
from app.extensions import client_ip, db, limiter
from app.forms import apply_domain_error

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form can't be used to bounce users elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"],
    key_func=client_ip,
    methods=["POST"],
    deduct_when=throttle.failed_sign_in,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"],
    key_func=throttle.username_key,
    methods=["POST"],
    deduct_when=throttle.failed_sign_in,
)
def login():
    """Sign in; throttled as app/auth/throttle.py describes."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Unknown username or wrong password."))
            return render_template("auth/login.html", form=form), 401
        locale = session.get("locale")
        session.clear()  # a fresh session at sign-in: nothing from before survives (no fixation)
        login_user(user, remember=form.remember.data)
        throttle.forget_failures()
        if locale and locale != user.locale:
            services.set_locale(user, locale)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required(*EVERYONE)
def logout():
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


def _refused(response) -> bool:
    return response.status_code == 422


def _account_key() -> str:
    # Limits are checked before the access rule, so a stranger's POST gets here too (and is then refused).
    return f"password-change:{current_user.id if current_user.is_authenticated else 'anonymous'}"


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*EVERYONE)
@limiter.limit(
    # Guessing the current password here (from a browser left signed in) is throttled like sign-in.
    lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_refused,
)
def change_password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()  # the row itself: the audit event names its table
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            # The change rotated the user's session id; this browser alone is signed in again with the new
            # one, and keeps its remember-me cookie if it had one.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(
                _("Password changed. You are signed out everywhere else, and your API tokens are revoked."),
                "success",
            )
            return redirect(url_for("auth.change_password"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
