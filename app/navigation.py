"""The navigation bar, derived from the routes' own access rules so it never offers a forbidden page."""

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.access import access_of

# (key, endpoint, label): the order they appear in. Later issues add their pages here.
NAV = (
    ("home", "home.index", _l("Home")),
    ("learn", "onboarding.curriculum", _l("My learning")),
    ("sop", "sop.index", _l("SOPs")),
    ("cohort", "coaching.cohort", _l("Onboarding")),
    ("calibration", "calibration.index", _l("Calibration")),
    ("qa", "qa.home", _l("QA")),
    ("dashboard", "dashboard.overview", _l("Dashboards")),
    ("my_quality", "dashboard.me", _l("My quality")),
    ("my_audits", "qa.mine", _l("My audits")),
    ("golden", "cases.library", _l("Golden cases")),
    ("users", "admin.users", _l("Users")),
    ("teams", "admin.teams", _l("Teams")),
    ("case_types", "admin.case_types", _l("Case types")),
    ("tokens", "admin.tokens", _l("API tokens")),
)

ROLE_NAMES = {
    "agent": _l("Agent"),
    "qa_lead": _l("QA lead"),
    "manager": _l("Manager"),
    "admin": _l("Admin"),
}


def nav_items() -> list[dict]:
    """The pages the signed-in user's role may open, marking the current section."""
    if not current_user.is_authenticated:
        return []
    current_prefix = (request.endpoint or "").split(".")[0]
    items = []
    for key, endpoint, label in NAV:
        access = access_of(endpoint)
        if access is None or (access.roles is not None and current_user.role not in access.roles):
            continue
        active = request.endpoint == endpoint or (
            current_prefix == endpoint.split(".")[0] and endpoint.split(".")[0] not in ("home", "admin")
        )
        items.append({"key": key, "url": url_for(endpoint), "label": label, "active": active})
    return items


def register(app: Flask) -> None:
    @app.context_processor
    def inject_navigation() -> dict:
        return {
            "nav_items": nav_items(),
            "role_names": ROLE_NAMES,
            "current_locale": str(get_locale() or "en"),
        }
