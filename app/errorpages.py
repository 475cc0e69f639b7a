"""Error pages that leak nothing: HTML for pages, JSON for the API."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You do not have access to this page."),
        404: _("There is nothing here."),
        405: _("That method is not allowed here."),
        409: _("That clashes with a change made meanwhile. Reload and try again."),
        413: _("That upload is too large."),
        415: _("That content type is not supported."),
        422: _("The request was understood but is not valid."),
        429: _("Too many attempts. Wait a few minutes and try again."),
        500: _("Something went wrong on our side. Nothing you entered was saved partially."),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str | None = None):
    """The error page (or JSON body) for a status code."""
    text = message or _messages().get(status, _("Something went wrong."))
    if _wants_json():
        return jsonify({"error": text}), status
    return render_template("error.html", status=status, message=text), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if (error.code or 500) >= 500:
            # Unhandled exceptions arrive here as InternalServerError; nothing half-done may commit.
            db.session.rollback()
        return render_error(error.code or 500)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, _("The form expired or was sent from elsewhere. Reload the page and try again.")
        )
