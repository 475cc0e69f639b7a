"""Configuration: one class per environment, chosen by TOUCHSTONE_ENV when create_app() gets none."""

import os
import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _instance_secret_key() -> str:
    """Return the dev secret key kept in the instance folder, generating it (mode 0600) the first time."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; agents keep forms open for hours
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = {"en": "English", "zh_Hans": "简体中文"}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A remembered browser stays signed in this long at most (Flask-Login's default is a year).
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    HSTS_MAX_AGE: int | None = None  # seconds; production pins HTTPS, development never does
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    RATELIMIT_STORAGE_URI = "memory://"  # per process; production refuses it unless told it runs one worker
    RATELIMIT_HEADERS_ENABLED = True
    # Proxy addresses or networks whose X-Forwarded-For is believed (app.security.TrustedProxies); none by
    # default, so the client is whoever connects.
    TRUSTED_PROXIES: tuple[str, ...] = ()
    LOGIN_LIMIT_PER_IP = "30 per 5 minutes"
    LOGIN_LIMIT_PER_USERNAME = "10 per 5 minutes"
    # argon2id, the argon2-cffi defaults (RFC 9106 low-memory profile)
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    AUTO_DECISION_THRESHOLD = 0.85
    BENCHMARK_ACCURACY = 0.98
    KEY_USER_PRIORITY = 75
    TRUSTED_HOSTS = None
    # On SQLite, writing requests take the write lock at BEGIN (app.database.begin_immediate_for_writes).
    # Off only to measure what it prevents (bench/bench_sqlite_load.py); no effect on PostgreSQL.
    SQLITE_BEGIN_IMMEDIATE = True

    def __init__(self) -> None:
        if os.environ.get("DATABASE_URL"):
            self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(os.environ["DATABASE_URL"])
        if os.environ.get("SECRET_KEY"):
            self.SECRET_KEY = os.environ["SECRET_KEY"]
        if os.environ.get("REMEMBER_COOKIE_DURATION"):
            self.REMEMBER_COOKIE_DURATION = _remember_duration(os.environ["REMEMBER_COOKIE_DURATION"])
        storage = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
        if storage:
            self.RATELIMIT_STORAGE_URI = storage
        self.TRUSTED_PROXIES = _trusted_proxies(os.environ.get("TRUSTED_PROXIES", ""))
        if os.environ.get("SQLITE_BEGIN_IMMEDIATE"):
            self.SQLITE_BEGIN_IMMEDIATE = os.environ["SQLITE_BEGIN_IMMEDIATE"].lower() not in OFF


def _trusted_proxies(listed: str) -> tuple[str, ...]:
    """TRUSTED_PROXIES: comma-separated IP addresses or networks (10.0.0.5, 10.1.0.0/16, ::1)."""
    proxies = tuple(item.strip() for item in listed.split(",") if item.strip())
    for proxy in proxies:
        try:
            ip_network(proxy, strict=False)
        except ValueError:
            raise RuntimeError(
                f"TRUSTED_PROXIES lists {proxy!r}, which is not an IP address or network"
            ) from None
    return proxies


MAX_REMEMBER_DAYS = 14
OFF = ("0", "false", "no", "off")


def _remember_duration(days: str) -> timedelta:
    """REMEMBER_COOKIE_DURATION, given in whole days from 1 to 14."""
    value = days.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_REMEMBER_DAYS:
        raise RuntimeError(
            f"REMEMBER_COOKIE_DURATION must be a whole number of days from 1 to {MAX_REMEMBER_DAYS}, "
            f"not {days!r}"
        )
    return timedelta(days=int(value))


def _normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class DevConfig(Config):
    """Local development: an SQLite file, and a key generated into the instance folder unless SECRET_KEY
    is set (then nothing is written)."""

    DEBUG = True

    def __init__(self) -> None:
        INSTANCE_DIR.mkdir(exist_ok=True)
        self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'touchstone.db'}"
        if not os.environ.get("SECRET_KEY"):
            self.SECRET_KEY = _instance_secret_key()
        super().__init__()


class TestConfig(Config):
    """The test suite: a database given by the fixtures, cheap password hashing."""

    TESTING = True
    SECRET_KEY = "test-" + secrets.token_hex(16)
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1

    def __init__(self) -> None:
        super().__init__()
        self.RATELIMIT_STORAGE_URI = "memory://"  # never a developer's Redis: every test starts from zero
        if os.environ.get("TOUCHSTONE_TEST_DATABASE_URL"):
            self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(os.environ["TOUCHSTONE_TEST_DATABASE_URL"])


class ProdConfig(Config):
    """Production: refuses to start without a strong SECRET_KEY, a DATABASE_URL, and rate limits shared by
    every worker (REDIS_URL, or RATELIMIT_STORAGE_URI=memory:// for a single worker)."""

    DEBUG = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # Production is only ever served over TLS (the cookies are Secure), so browsers are told to refuse
    # plain HTTP for a year, subdomains included. Browsers ignore the header on an http:// answer.
    HSTS_MAX_AGE = 365 * 24 * 3600

    def __init__(self) -> None:
        super().__init__()
        key = os.environ.get("SECRET_KEY", "")
        if len(key.encode()) < 32:
            raise RuntimeError("SECRET_KEY must be set to at least 32 random bytes in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        hosts = os.environ.get("TRUSTED_HOSTS", "localhost,127.0.0.1")
        self.TRUSTED_HOSTS = [h.strip() for h in hosts.split(",") if h.strip()] or None
        _require_shared_limits()


def _require_shared_limits() -> None:
    """Sign-in limits must be shared by every worker, or each worker allows the full count of guesses."""
    explicit = os.environ.get("RATELIMIT_STORAGE_URI", "")
    if not explicit and not os.environ.get("REDIS_URL"):
        raise RuntimeError(
            "REDIS_URL must be set in production: sign-in limits kept in each gunicorn worker's memory "
            "multiply the guesses allowed by the number of workers. A single-worker deployment may set "
            "RATELIMIT_STORAGE_URI=memory:// instead."
        )
    workers = os.environ.get("WEB_CONCURRENCY", "1").strip()
    if explicit.startswith("memory://") and workers != "1":
        raise RuntimeError(
            f"RATELIMIT_STORAGE_URI=memory:// keeps sign-in limits per process, but WEB_CONCURRENCY asks "
            f"for {workers} workers: set REDIS_URL instead"
        )


CONFIGS = {"development": DevConfig, "production": ProdConfig, "testing": TestConfig}


def config_from_env() -> Config:
    """Instantiate the config named by TOUCHSTONE_ENV (development by default)."""
    name = os.environ.get("TOUCHSTONE_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"TOUCHSTONE_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]()
