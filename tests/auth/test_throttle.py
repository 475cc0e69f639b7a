"""Sign-in throttling (policy in app/auth/throttle.py): what is counted, against whom, and for how long."""

import os
import secrets
from types import SimpleNamespace

import limits.storage.memory
import pytest

import config
from app import create_app
from app.extensions import db, limiter
from app.security import TrustedProxies
from tests.auth.browser import sign_in, sign_out

WRONG = "wrong-password-1"
PROXY = "10.0.0.1"
REDIS_URL = os.environ.get("TOUCHSTONE_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def per_username(app) -> int:
    return int(app.config["LOGIN_LIMIT_PER_USERNAME"].split()[0])


def per_address(app) -> int:
    return int(app.config["LOGIN_LIMIT_PER_IP"].split()[0])


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def via_proxy(forwarded_for: str) -> dict:
    """A request that reached the app through the proxy at PROXY, which reports this X-Forwarded-For."""
    return {"environ_base": {"REMOTE_ADDR": PROXY}, "headers": {"X-Forwarded-For": forwarded_for}}


@pytest.fixture
def limiter_clock(monkeypatch):
    """The in-memory limiter's clock, moved forward by hand: `limiter_clock.advance(seconds)`."""
    now = [limits.storage.memory.time.time()]
    clock = SimpleNamespace(time=lambda: now[0], advance=lambda seconds: now.__setitem__(0, now[0] + seconds))
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    return clock


def settings_like(app, **overrides) -> config.TestConfig:
    """The test settings on the session's database, changed by `overrides`."""
    settings = config.TestConfig()
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    for name, value in overrides.items():
        setattr(settings, name, value)
    return settings


@pytest.fixture(scope="module")
def proxied_app(app):
    """The app deployed behind one TLS proxy, named in TRUSTED_PROXIES."""
    application = create_app(settings_like(app, TRUSTED_PROXIES=(PROXY,)))
    yield application
    with application.app_context():
        db.engine.dispose()


# --- what counts ---


def test_failed_sign_ins_are_throttled_per_username(app, client, make_user):
    make_user("agent", username="lena")
    for _ in range(per_username(app)):
        assert sign_in(client, "lena", WRONG).status_code == 401
    assert sign_in(client, "lena").status_code == 429
    # another username from the same address is not blocked by lena's limit
    make_user("agent", username="omar")
    assert sign_in(client, "omar").status_code == 302


def test_failed_sign_ins_are_throttled_per_address(app, client, make_user):
    make_user("agent", username="lena")
    for attempt in range(per_address(app)):
        assert sign_in(client, f"guess{attempt}", WRONG).status_code == 401
    assert sign_in(client, "lena").status_code == 429
    assert sign_in(client, "lena", **from_address("10.0.0.9")).status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_throttle(app, client, make_user):
    make_user("agent", username="lena")
    for _ in range(per_username(app) + 2):
        assert sign_in(client, "lena").status_code == 302
        sign_out(client)


@pytest.mark.parametrize("blocked_by", ["username", "address"])
def test_refused_attempts_do_not_extend_the_block(app, client, make_user, limiter_clock, blocked_by):
    """A blocked user who keeps trying is let in five minutes after the last wrong password."""
    make_user("agent", username="lena")
    limit = per_username(app) if blocked_by == "username" else per_address(app)
    for attempt in range(limit):
        name = "lena" if blocked_by == "username" else f"guess{attempt}"
        assert sign_in(client, name, WRONG).status_code == 401
    limiter_clock.advance(200)
    for _ in range(limit):
        assert sign_in(client, "lena").status_code == 429  # the limit answering: these must not count
    limiter_clock.advance(101)
    assert sign_in(client, "lena").status_code == 302


def test_a_successful_sign_in_clears_that_addresss_failures_for_the_username(app, client, make_user):
    make_user("agent", username="lena")
    for _ in range(per_username(app) - 1):
        assert sign_in(client, "lena", WRONG).status_code == 401
    assert sign_in(client, "lena").status_code == 302
    sign_out(client)
    for _ in range(per_username(app) - 1):
        assert sign_in(client, "lena", WRONG).status_code == 401  # a fresh allowance of typos


# --- against whom ---


def test_spraying_one_username_from_many_addresses_cannot_lock_its_owner_out(app, client, make_user):
    make_user("agent", username="lena")
    for bot in range(1, 6):
        for _ in range(per_username(app)):
            sign_in(client, "lena", WRONG, **from_address(f"198.51.100.{bot}"))
        assert sign_in(client, "lena", **from_address(f"198.51.100.{bot}")).status_code == 429
    assert sign_in(app.test_client(), "lena", **from_address("203.0.113.20")).status_code == 302


def test_behind_the_trusted_proxy_one_client_cannot_lock_out_the_others(proxied_app, app, make_user):
    make_user("agent", username="lena")
    attacker, user = proxied_app.test_client(), proxied_app.test_client()
    for attempt in range(per_address(app)):
        assert sign_in(attacker, f"random{attempt}", WRONG, **via_proxy("203.0.113.5")).status_code == 401
    assert sign_in(attacker, "lena", **via_proxy("203.0.113.5")).status_code == 429
    assert sign_in(user, "lena", **via_proxy("198.51.100.7")).status_code == 302


def test_a_client_behind_the_proxy_cannot_pick_its_address(proxied_app, app, make_user):
    """The proxy appends the address it saw; whatever the client wrote to the left of it is ignored."""
    make_user("agent", username="lena")
    attacker = proxied_app.test_client()
    for attempt in range(per_address(app)):
        forged = f"192.0.2.{attempt}, 203.0.113.5"
        assert sign_in(attacker, f"random{attempt}", WRONG, **via_proxy(forged)).status_code == 401
    assert sign_in(attacker, "lena", **via_proxy("192.0.2.200, 203.0.113.5")).status_code == 429


@pytest.mark.parametrize("which", ["configured", "default"])
def test_a_direct_client_cannot_pick_its_address_with_x_forwarded_for(proxied_app, app, make_user, which):
    make_user("agent", username="lena")
    browser = (proxied_app if which == "configured" else app).test_client()

    def direct(forged: str) -> dict:
        return {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}, "headers": {"X-Forwarded-For": forged}}

    for attempt in range(per_address(app)):
        assert sign_in(browser, f"random{attempt}", WRONG, **direct(f"192.0.2.{attempt}")).status_code == 401
    assert sign_in(browser, "lena", **direct("192.0.2.200")).status_code == 429


# --- the proxy middleware itself ---


def _seen_by_app(proxies, peer: str, headers: dict) -> tuple[str, str]:
    seen = {}

    def echo(environ, start_response):
        seen.update(address=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
        start_response("204 No Content", [])
        return []

    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http"}
    environ.update({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()})
    TrustedProxies(echo, proxies)(environ, lambda *args: None)
    return seen["address"], seen["scheme"]


XFF, PROTO = "X-Forwarded-For", "X-Forwarded-Proto"


@pytest.mark.parametrize(
    "proxies,peer,headers,address,scheme",
    [
        # from a trusted proxy: the address it reports, and its scheme
        (["10.0.0.1"], "10.0.0.1", {XFF: "203.0.113.5", PROTO: "https"}, "203.0.113.5", "https"),
        # the client's own X-Forwarded-For entries sit left of what the proxy appended
        (["10.0.0.1"], "10.0.0.1", {XFF: "1.2.3.4, 203.0.113.5"}, "203.0.113.5", "http"),
        # a chain of trusted proxies (a network given as CIDR) is walked from the right
        (["10.0.0.0/8"], "10.0.0.1", {XFF: "1.2.3.4, 203.0.113.5, 10.2.3.4"}, "203.0.113.5", "http"),
        (["10.0.0.1", "2001:db8::/32"], "2001:db8::7", {XFF: "2001:db8:ffff::1"}, "2001:db8:ffff::1", "http"),
        # a proxy's own request (a health check) keeps the proxy's address
        (["10.0.0.1"], "10.0.0.1", {}, "10.0.0.1", "http"),
        # an entry that is not an address (with a port, or "unknown") is not believed
        (["10.0.0.1"], "10.0.0.1", {XFF: "203.0.113.5:4711"}, "10.0.0.1", "http"),
        (["10.0.0.1"], "10.0.0.1", {XFF: "unknown"}, "10.0.0.1", "http"),
        # the nearest proxy's scheme wins; anything but http or https is ignored
        (["10.0.0.1"], "10.0.0.1", {XFF: "203.0.113.5", PROTO: "http, https"}, "203.0.113.5", "https"),
        (["10.0.0.1"], "10.0.0.1", {XFF: "203.0.113.5", PROTO: "gopher"}, "203.0.113.5", "http"),
        # from anyone else, the headers change nothing
        (["10.0.0.1"], "203.0.113.9", {XFF: "10.0.0.1", PROTO: "https"}, "203.0.113.9", "http"),
        (["10.0.0.1"], "10.0.0.2", {XFF: "198.51.100.1", PROTO: "https"}, "10.0.0.2", "http"),
    ],
)
def test_only_trusted_proxies_are_believed(proxies, peer, headers, address, scheme):
    assert _seen_by_app(proxies, peer, headers) == (address, scheme)


def test_no_proxy_is_trusted_by_default(app, monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert config.TestConfig().TRUSTED_PROXIES == ()
    assert not isinstance(app.wsgi_app, TrustedProxies)


def test_trusted_proxies_are_listed_by_address_or_network(app, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", " 10.0.0.5, 10.1.0.0/16 ,::1")
    settings = settings_like(app)
    assert settings.TRUSTED_PROXIES == ("10.0.0.5", "10.1.0.0/16", "::1")
    application = create_app(settings)
    assert isinstance(application.wsgi_app, TrustedProxies)
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("listed", ["proxy.internal", "10.0.0.300", "1", "10.0.0.1, nginx"])
def test_a_trusted_proxy_that_is_not_an_address_is_refused(monkeypatch, listed):
    monkeypatch.setenv("TRUSTED_PROXIES", listed)
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES lists"):
        config.TestConfig()


# --- shared by every worker ---


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {error} (set CI=true to make this fail)")
    return client


@pytest.fixture
def worker_apps(app):
    """Start app instances ("workers") whose limits live in the real Redis, under a key prefix of this test's
    own; afterwards their keys are deleted and the session's app gets its in-memory limits back."""
    redis_client = _redis_or_skip()
    prefix = f"touchstone-test-{secrets.token_hex(6)}"
    started = []

    def start():
        settings = settings_like(
            app, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_STORAGE_OPTIONS={"key_prefix": prefix}
        )
        started.append(create_app(settings))
        return started[-1]

    yield start
    for key in redis_client.scan_iter(match=f"{prefix}:*"):
        redis_client.delete(key)
    limiter.init_app(app)  # the limiter extension is one object: bind it back to in-memory storage
    for application in started:
        with application.app_context():
            db.engine.dispose()
    assert not list(redis_client.scan_iter(match=f"{prefix}:*"))


def test_workers_share_the_sign_in_limit_through_redis(app, make_user, worker_apps):
    make_user("agent", username="lena")
    first = worker_apps()
    half = per_username(app) // 2
    for _ in range(half):
        assert sign_in(first.test_client(), "lena", WRONG).status_code == 401
    # Another worker: an app started afresh, with a storage client of its own. Only Redis carries the count.
    second = worker_apps()
    browser = second.test_client()
    for _ in range(per_username(app) - half):
        assert sign_in(browser, "lena", WRONG).status_code == 401
    assert sign_in(browser, "lena").status_code == 429
