"""Touchstone: create_app and the small register_* helpers it is made of."""

from flask import Flask

from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: object | None = None) -> Flask:
    """Build the app from a config object, or from TOUCHSTONE_ENV when none is given."""
    from config import config_from_env

    app = Flask(__name__, instance_path=str(_instance_path()))
    app.config.from_object(config if config is not None else config_from_env())
    register_extensions(app)
    register_inputs(app)
    register_blueprints(app)
    register_hooks(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def _instance_path():
    from config import INSTANCE_DIR

    return INSTANCE_DIR


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  every model registered with the metadata
    from app.auth import session  # noqa: F401  the user loader
    from app.database import begin_immediate_for_writes
    from app.i18n import install_template_gettext, select_locale

    db.init_app(app)
    if app.config.get("SQLITE_BEGIN_IMMEDIATE", True):
        with app.app_context():
            for engine in db.engines.values():
                begin_immediate_for_writes(engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    limiter.init_app(app)


def register_inputs(app: Flask) -> None:
    """The input layer (app.inputs), before the blueprints: their `<int:...>` rules use its converter."""
    from app.inputs import register

    register(app)


def register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.api.views import bp as api_bp
    from app.auth.views import bp as auth_bp
    from app.calibration.api import bp as calibration_api_bp
    from app.calibration.views import bp as calibration_bp
    from app.cases.views import bp as cases_bp
    from app.dashboard.api import bp as dashboard_api_bp
    from app.dashboard.views import bp as dashboard_bp
    from app.home.views import bp as home_bp
    from app.onboarding.lead_views import bp as coaching_bp
    from app.onboarding.views import bp as onboarding_bp
    from app.qa.audits.api import bp as qa_audits_api_bp
    from app.qa.audits.views import templates as qa_audits_templates
    from app.qa.blueprints import bp as qa_bp
    from app.qa.decision_agent.views import templates as qa_decision_agent_templates
    from app.qa.decisions.api import bp as qa_api_bp
    from app.qa.decisions.views import bp as qa_upload_bp
    from app.qa.quality.views import templates as qa_quality_templates
    from app.qa.sampling.views import templates as qa_sampling_templates
    from app.sop.views import bp as sop_bp

    pages = (
        auth_bp,
        home_bp,
        admin_bp,
        cases_bp,
        sop_bp,
        onboarding_bp,
        coaching_bp,
        calibration_bp,
        qa_bp,
        qa_audits_templates,
        qa_quality_templates,
        qa_sampling_templates,
        qa_decision_agent_templates,
        qa_upload_bp,
        dashboard_bp,
    )
    apis = (api_bp, calibration_api_bp, dashboard_api_bp, qa_api_bp, qa_audits_api_bp)
    for blueprint in apis:
        csrf.exempt(blueprint)  # the API authenticates by header, so there is no cookie to forge
    for blueprint in (*pages, *apis):
        app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    from app import display, navigation
    from app.auth.access import enforce_access
    from app.security import TrustedProxies, set_security_headers

    if app.config.get("TRUSTED_PROXIES"):
        # Sign-in limits key on request.remote_addr: behind the proxies named in TRUSTED_PROXIES it is the
        # client the proxy reports, and from anyone else exactly the connecting peer.
        app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["TRUSTED_PROXIES"])
    app.before_request(enforce_access)
    app.after_request(set_security_headers)
    navigation.register(app)
    display.register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.errorpages import register

    register(app)


def register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
