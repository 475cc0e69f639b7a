"""Security headers, caching, error pages that leak nothing, upload limits, config per environment."""

import ast
import stat
from datetime import timedelta
from pathlib import Path

import pytest

import config
from app import create_app
from app.auth.access import public
from tests.forms import page_form

CSP_REQUIRED = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
]


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


# --- headers on every response ---


@pytest.mark.parametrize(
    "role,method,path,status",
    [
        (None, "GET", "/login", 200),
        (None, "POST", "/login", 200),
        (None, "GET", "/", 302),
        (None, "GET", "/healthz", 200),
        (None, "GET", "/golden", 302),
        (None, "GET", "/static/css/app.css", 200),
        (None, "GET", "/no-such-page", 404),
        (None, "GET", "/api/v1/me", 401),
        ("manager", "GET", "/", 200),
        ("agent", "GET", "/admin/users", 403),
        ("qa_lead", "GET", "/golden", 200),
        ("qa_lead", "GET", "/golden/999999", 404),
        ("admin", "GET", "/admin/tokens", 200),
        ("admin", "POST", "/admin/users", 422),
        ("admin", "GET", "/api/v1/me", 200),
    ],
)
def test_security_headers_on_every_response(client, auth, make_token, role, method, path, status):
    headers = {}
    if role:
        user = auth.login_as(role)
        if path.startswith("/api/"):
            headers = bearer(make_token(user))
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == status
    policy = directives(response)
    for directive in CSP_REQUIRED:
        assert policy[directive.split()[0]] == directive
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in (
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    )
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/golden", "/admin/users", "/admin/tokens", "/golden/999999"])
def test_signed_in_pages_are_not_cached(client, auth, path):
    auth.login_as("admin")
    assert "no-store" in client.get(path).headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path,with_token", [("/api/v1/me", True), ("/api/v1/me", False), ("/api/v1/nope", False)]
)
def test_api_answers_are_not_cached(client, make_user, make_token, path, with_token):
    headers = bearer(make_token(make_user("agent"))) if with_token else {}
    assert "no-store" in client.get(path, headers=headers).headers.get("Cache-Control", "")


# --- error pages ---

LEAKS = ["Traceback", "werkzeug", "sqlalchemy", 'File "', "NotFound", "site-packages"]


@pytest.mark.parametrize(
    "role,path", [(None, "/no-such-page"), ("qa_lead", "/golden/999999"), ("qa_lead", "/golden/999999/edit")]
)
def test_404_page_leaks_nothing(client, auth, role, path):
    if role:
        auth.login_as(role)
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "There is nothing here." in page
    assert not [leak for leak in LEAKS if leak in page]


@pytest.mark.parametrize(
    "path,body",
    [
        ("/api/v1/nope", {"error": "There is nothing here."}),
        ("/api/v1/cases/999999", {"error": "No such case."}),
    ],
)
def test_api_404_is_json(client, make_user, make_token, path, body):
    response = client.get(path, headers=bearer(make_token(make_user("qa_lead"))))
    assert response.status_code == 404 and response.get_json() == body


@pytest.fixture(scope="module")
def failing_app(app):
    """An app whose routes raise, with exceptions handled the way production handles them."""
    settings = config.TestConfig()
    settings.PROPAGATE_EXCEPTIONS = False
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    application = create_app(settings)

    @public
    def boom():
        raise RuntimeError("secret-marker")

    application.add_url_rule("/boom", "boom", boom)
    application.add_url_rule("/api/v1/boom", "api_boom", boom)
    yield application
    from app.extensions import db

    with application.app_context():
        db.engine.dispose()


def test_500_page_leaks_nothing(failing_app):
    response = failing_app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side." in page
    assert "secret-marker" not in page and "RuntimeError" not in page
    assert not [leak for leak in LEAKS if leak in page]
    assert directives(response)["frame-ancestors"] == "frame-ancestors 'none'"


def test_api_500_is_json_and_leaks_nothing(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json() == {
        "error": "Something went wrong on our side. Nothing you entered was saved partially."
    }
    assert b"secret-marker" not in response.data


# --- upload limit ---


def test_uploads_over_the_limit_get_413(app, client, auth):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 32 * 1024 * 1024
    auth.login_as("qa_lead")
    form = page_form(client, "/golden/import").attach("file", b"x" * (limit + 1), "huge.json")
    response = form.submit()
    assert response.status_code == 413
    assert "That upload is too large." in response.get_data(as_text=True)


# --- configuration per environment ---


CONFIG_VARIABLES = (
    "TOUCHSTONE_ENV",
    "DATABASE_URL",
    "SECRET_KEY",
    "TRUSTED_HOSTS",
    "TRUSTED_PROXIES",
    "REDIS_URL",
    "RATELIMIT_STORAGE_URI",
    "WEB_CONCURRENCY",
    "REMEMBER_COOKIE_DURATION",
)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No configuration in the environment, and an instance folder of our own."""
    for name in CONFIG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    return monkeypatch


def test_development_is_the_default(clean_env, tmp_path):
    application = create_app()
    assert application.config["DEBUG"] is True and not application.config.get("TESTING")
    assert application.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'touchstone.db'}"
    assert application.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert application.instance_path == str(tmp_path)


def test_touchstone_env_picks_the_config(clean_env):
    clean_env.setenv("TOUCHSTONE_ENV", "testing")
    application = create_app()
    assert application.config["TESTING"] is True and application.config["WTF_CSRF_ENABLED"] is False


def test_an_unknown_environment_is_refused(clean_env):
    clean_env.setenv("TOUCHSTONE_ENV", "staging")
    with pytest.raises(RuntimeError, match="TOUCHSTONE_ENV"):
        create_app()


def test_the_dev_secret_key_is_generated_once_and_private(clean_env, tmp_path):
    first = config.DevConfig().SECRET_KEY
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(bytes.fromhex(first)) == 32
    assert first == config.DevConfig().SECRET_KEY  # kept across restarts, so sessions survive


def test_development_uses_the_secret_key_from_the_environment_and_writes_none(clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    assert config.DevConfig().SECRET_KEY == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


STRONG_KEY = "k" * 32


@pytest.mark.parametrize(
    "secret_key,database_url,problem",
    [
        (None, "postgresql://u@db/touchstone", "SECRET_KEY"),
        ("", "postgresql://u@db/touchstone", "SECRET_KEY"),
        ("k" * 31, "postgresql://u@db/touchstone", "SECRET_KEY"),
        (STRONG_KEY, None, "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(clean_env, secret_key, database_url, problem):
    clean_env.setenv("TOUCHSTONE_ENV", "production")
    if secret_key is not None:
        clean_env.setenv("SECRET_KEY", secret_key)
    if database_url is not None:
        clean_env.setenv("DATABASE_URL", database_url)
    with pytest.raises(RuntimeError, match=problem):
        create_app()


@pytest.mark.parametrize("secret_key", [STRONG_KEY, "密" * 11])  # 32 and 33 bytes
def test_production_starts_with_a_strong_key_and_a_database(clean_env, secret_key):
    clean_env.setenv("TOUCHSTONE_ENV", "production")
    clean_env.setenv("SECRET_KEY", secret_key)
    clean_env.setenv("DATABASE_URL", "postgres://touchstone:pw@db:5432/touchstone")
    clean_env.setenv("RATELIMIT_STORAGE_URI", "memory://")
    application = create_app()
    assert application.config["SECRET_KEY"] == secret_key
    assert (
        application.config["SQLALCHEMY_DATABASE_URI"]
        == "postgresql+psycopg://touchstone:pw@db:5432/touchstone"
    )
    assert application.config["DEBUG"] is False
    assert (
        application.config["SESSION_COOKIE_SECURE"] is True and application.config["WTF_CSRF_ENABLED"] is True
    )


def production_env(env, **variables):
    """A production environment with its secrets, plus `variables`."""
    env.setenv("TOUCHSTONE_ENV", "production")
    env.setenv("SECRET_KEY", STRONG_KEY)
    env.setenv("DATABASE_URL", "postgresql://u@db/touchstone")
    for name, value in variables.items():
        env.setenv(name, value)


@pytest.mark.parametrize(
    "variables,problem",
    [
        ({}, "REDIS_URL must be set in production: sign-in limits kept in each gunicorn worker's memory"),
        (
            {"RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": "4"},
            "WEB_CONCURRENCY asks for 4 workers",
        ),
    ],
)
def test_production_refuses_limits_each_worker_keeps_to_itself(clean_env, variables, problem):
    production_env(clean_env, **variables)
    with pytest.raises(RuntimeError, match=problem):
        create_app()


@pytest.mark.parametrize(
    "variables,storage",
    [
        ({"REDIS_URL": "redis://cache:6379/0"}, "redis://cache:6379/0"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "memory://"),  # declared: one worker
        ({"RATELIMIT_STORAGE_URI": "memory://", "WEB_CONCURRENCY": "1"}, "memory://"),
    ],
)
def test_production_takes_shared_limits_or_a_declared_single_worker(clean_env, variables, storage):
    production_env(clean_env, **variables)
    # The settings only: create_app would bind the one limiter extension to that Redis for later tests.
    used = config.ProdConfig().RATELIMIT_STORAGE_URI
    assert used == storage


def test_tests_never_count_in_a_developers_redis(clean_env):
    clean_env.setenv("REDIS_URL", "redis://cache:6379/0")
    assert config.TestConfig().RATELIMIT_STORAGE_URI == "memory://"
    assert config.DevConfig().RATELIMIT_STORAGE_URI == "redis://cache:6379/0"


@pytest.mark.parametrize(
    "given,used",
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////var/lib/touchstone.db", "sqlite:////var/lib/touchstone.db"),
    ],
)
def test_database_url_and_secret_key_are_honoured_in_development(clean_env, tmp_path, given, used):
    clean_env.setenv("DATABASE_URL", given)
    clean_env.setenv("SECRET_KEY", "from-the-environment")
    application = create_app()
    assert application.config["SQLALCHEMY_DATABASE_URI"] == used
    assert application.config["SECRET_KEY"] == "from-the-environment"


@pytest.mark.parametrize("given,days", [(None, 14), ("7", 7), (" 14 ", 14), ("1", 1)])
def test_the_remember_me_lifetime_is_set_in_days(clean_env, given, days):
    if given is not None:
        clean_env.setenv("REMEMBER_COOKIE_DURATION", given)
    assert create_app().config["REMEMBER_COOKIE_DURATION"] == timedelta(days=days)


@pytest.mark.parametrize("given", ["15", "365", "0", "-3", "two weeks", "1.5"])
def test_a_remember_me_lifetime_over_fourteen_days_is_refused(clean_env, given):
    clean_env.setenv("REMEMBER_COOKIE_DURATION", given)
    with pytest.raises(RuntimeError, match="REMEMBER_COOKIE_DURATION must be a whole number of days"):
        create_app()


def _secret_key_defaults(tree: ast.Module) -> list[str]:
    """Every string literal config.py could fall back to as a secret key, outside TestConfig."""
    found = []
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef) and node.name != "TestConfig"):
        for node in ast.walk(cls):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {getattr(t, "id", None) or getattr(t, "attr", None) for t in targets}
                if "SECRET_KEY" in names and isinstance(node.value, ast.Constant):
                    found.append(repr(node.value.value))
            is_lookup = (
                isinstance(node, ast.Call) and len(node.args) > 1 and isinstance(node.args[0], ast.Constant)
            )
            if is_lookup and node.args[0].value == "SECRET_KEY":
                default = node.args[1]
                if not (isinstance(default, ast.Constant) and default.value == ""):
                    found.append(ast.unparse(default))
    return found


def test_no_default_secret_key_in_the_source():
    tree = ast.parse(Path(config.__file__).read_text())
    assert _secret_key_defaults(tree) == []
    for cls in (config.Config, config.DevConfig, config.ProdConfig):
        assert "SECRET_KEY" not in vars(cls), cls.__name__


def test_the_source_check_would_catch_a_default():
    planted = ast.parse('class ProdConfig:\n    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-key")\n')
    assert _secret_key_defaults(planted) == ["'dev-key'"]
    planted = ast.parse('class DevConfig:\n    SECRET_KEY = "changeme"\n')
    assert _secret_key_defaults(planted) == ["'changeme'"]


# --- HTTPS pinning ---


def test_production_tells_browsers_to_use_https_only(clean_env):
    clean_env.setenv("TOUCHSTONE_ENV", "production")
    clean_env.setenv("SECRET_KEY", STRONG_KEY)
    clean_env.setenv("DATABASE_URL", "postgresql://u@db/touchstone")
    clean_env.setenv("RATELIMIT_STORAGE_URI", "memory://")
    response = create_app().test_client().get("/login")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_never_pins_https(clean_env):
    response = create_app().test_client().get("/login")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response.headers
