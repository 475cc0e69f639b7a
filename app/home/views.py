"""The signed-in home page, shaped by role."""

from pathlib import Path

import plotly
from flask import Blueprint, redirect, render_template, send_file, url_for
from flask_login import current_user

from app.auth.access import public
from app.auth.roles import STAFF
from app.home import services
from app.qa.quality import suspensions

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == "agent":
        return redirect(url_for("onboarding.curriculum"))
    staff = current_user.role in STAFF
    return render_template(
        "home/index.html",
        case_types=services.case_type_overview(),
        roster=services.team_roster() if staff else [],
        pending_proposals=suspensions.pending_count() if staff else None,
    )


@bp.get("/healthz")
@public
def health():
    return {"status": "ok"}


PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@bp.get("/assets/plotly.min.js")
@public
def plotly_js():
    """plotly.js from the installed plotly package: no CDN, so the app works offline."""
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=31_536_000)
