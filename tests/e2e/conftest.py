"""Browser journeys: the real app on a local port, driven by Playwright in Debian's Chromium.

In CI a missing Chromium or Playwright fails the run; elsewhere the journeys skip and say why.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestConfig

CHROMIUM = os.environ.get("TOUCHSTONE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _browser_problem() -> str | None:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make install-dev)"
    return None


def pytest_collection_modifyitems(config, items):
    journeys = [item for item in items if "e2e" in str(item.fspath)]
    problem = _browser_problem() if journeys else None
    if problem is None:
        return
    if IN_CI:
        pytest.exit(f"{problem}. The browser journeys are mandatory in CI.", returncode=1)
    for item in journeys:
        item.add_marker(pytest.mark.skip(reason=f"{problem} (set CI=true to make this fail)"))


class E2EConfig(TestConfig):
    WTF_CSRF_ENABLED = True  # the browser goes through the real forms


def build_live_app(folder: Path, with_activity: bool = False):
    """A migrated SQLite database with the golden set and the demo organisation (and its activity)."""
    config = E2EConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'e2e.db'}"
    application = create_app(config)
    with application.app_context():
        from flask_migrate import upgrade

        from app.cases.cli import load_seed_golden, seed_dir
        from app.demo.activity_services import seed_demo_activity
        from app.demo.services import seed_demo_people

        upgrade()
        load_seed_golden(seed_dir())
        seed_demo_people()
        if with_activity:
            seed_demo_activity()
        db.session.commit()
    return application


def serve(application):
    """Serve the app on a free local port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    return build_live_app(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="session")
def base_url(live_app):
    yield from serve(live_app)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url, request):
    """A fresh browser context per journey; a screenshot of where it ended is saved under artifacts/."""
    context = browser.new_context(base_url=base_url, locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Error statuses are shown on purpose (403, 422); script errors and CSP violations never are.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"the browser reported errors (CSP violations included): {errors}"


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def shot(page, name: str) -> None:
    """Save a named screenshot of the current page."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
