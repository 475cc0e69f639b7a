"""Locale choice: the signed-in user's saved language, else the session's, else the browser's."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """The locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands: no user, session or browser to ask
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    best = request.accept_languages.best_match(["en", "zh-CN", "zh"], default="en")
    return "zh_Hans" if best.startswith("zh") else "en"
