"""Locale choice (the signed-in user's saved language, else the session's, else the browser's) and the
templates' translation callables."""

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_translations
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


def _translations():
    """This request's catalog, looked up once: Flask-Babel's lookup costs more than the translation, and a
    50-case exam review translates over a thousand strings."""
    if not has_request_context():
        return get_translations()
    if "translations" not in g:
        g.translations = get_translations()
    return g.translations


def install_template_gettext(app: Flask) -> None:
    """Templates translate through the per-request catalog (replacing Flask-Babel's per-call lookup)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: _translations().ugettext(text),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: _translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(
            context, singular, plural, n
        ),
    )
