"""Who may use which route. Every view declares it; a route without a declaration is refused (fail closed).

Session routes use Flask-Login. API routes authenticate by the Authorization header only, never by the
session cookie, and put the caller in `g.api_user`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, g, jsonify, request
from flask_login import current_user

from app.auth.roles import Role
from app.extensions import login_manager


@dataclass(frozen=True)
class Access:
    """A route's rule: the roles allowed (None means anyone), and for API routes the token scope."""

    roles: frozenset[str] | None
    api: bool = False
    scope: str = "api"


def _declare(access: Access) -> Callable:
    def decorate(view: Callable) -> Callable:
        view.access = access
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    return _declare(Access(None))(view)


def roles_required(*roles: Role | str) -> Callable:
    """Signed-in users with one of these roles."""
    return _declare(Access(frozenset(str(r) for r in roles)))


def api_roles(*roles: Role | str, scope: str = "api") -> Callable:
    """API callers whose token has the scope and whose owner has one of these roles."""
    return _declare(Access(frozenset(str(r) for r in roles), api=True, scope=scope))


def access_of(endpoint: str) -> Access | None:
    """The declared rule of an endpoint, or None when it declares none."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def api_error(status: int, message: str):
    """A JSON error answer for the API."""
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="touchstone"'
    return response


def _authenticate_api(access: Access):
    from app.auth.services import token_user  # services import models, which import extensions

    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    found = token_user(secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
    if found is None:
        return api_error(401, "A valid bearer token is required.")
    user, token = found
    if access.scope not in token.scope_set or (access.roles is not None and user.role not in access.roles):
        return api_error(403, "This token may not use this endpoint.")
    g.api_user, g.api_token = user, token
    return None


def enforce_access():
    """before_request: apply the matched route's declared rule."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    access = access_of(request.endpoint)
    if access is None:
        current_app.logger.error("route %s declares no access rule; refused", request.endpoint)
        abort(403)
    if access.api:
        return _authenticate_api(access)
    if access.roles is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in access.roles:
        abort(403)
    return None
