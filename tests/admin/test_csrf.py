"""CSRF is on in every real config: forms need the token, the token-authenticated API needs none.

The session app turns CSRF off so other tests can post plainly; this module builds its own app with it on.
"""

import re

import pytest
from flask import g
from sqlalchemy import func, select

import config
from app import create_app
from app.auth.access import api_roles
from app.auth.models import User
from app.auth.roles import EVERYONE
from app.extensions import db
from tests.conftest import PASSWORD
from tests.forms import page_form

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
EXPIRED = "The form expired or was sent from elsewhere. Reload the page and try again."


@pytest.fixture(scope="module")
def csrf_app(app):
    settings = config.TestConfig()
    settings.WTF_CSRF_ENABLED = True
    settings.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    application = create_app(settings)

    @api_roles(*EVERYONE)
    def echo():
        return {"user": g.api_user.username}

    # A POST route on the API blueprint (the real API has only GETs so far), to show it needs no CSRF token.
    application.add_url_rule("/api/v1/test-echo", endpoint="api.test_echo", view_func=echo, methods=["POST"])
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(csrf_app):
    return csrf_app.test_client()


def form_token(browser, url: str) -> str:
    response = browser.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.get_data(as_text=True)).group(1)


def sign_in(browser, username: str) -> None:
    """Sign in through the login page's form, which carries its CSRF token."""
    form = page_form(browser, "/login").fill(username=username, password=PASSWORD)
    assert form["csrf_token"]  # the page renders the token
    assert form.submit().status_code == 302


def is_signed_out(browser) -> bool:
    response = browser.get("/")
    return response.status_code == 302 and response.location.startswith("/login")


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_sign_in_without_a_valid_token_is_refused(browser, make_user, token):
    make_user("agent", username="lena")
    data = {"username": "lena", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = browser.post("/login", data=data)  # forged: a cross-site post without the page's token
    assert response.status_code == 400 and EXPIRED in response.get_data(as_text=True)
    with browser.session_transaction() as session:
        assert "_user_id" not in session
    assert is_signed_out(browser)


def test_sign_in_with_the_forms_token_works(browser, make_user):
    make_user("agent", username="lena")
    sign_in(browser, "lena")
    assert not is_signed_out(browser)


def test_a_token_from_another_session_is_refused(csrf_app, browser, make_user):
    make_user("agent", username="lena")
    foreign = form_token(csrf_app.test_client(), "/login")
    form_token(browser, "/login")  # this browser has a session of its own
    # Forged: a token lifted from another session.
    response = browser.post("/login", data={"username": "lena", "password": PASSWORD, "csrf_token": foreign})
    assert response.status_code == 400


def test_admin_posts_need_the_token(app, browser, make_user):
    make_user("admin", username="boss")
    sign_in(browser, "boss")
    new_user = {"username": "alice", "role": "agent", "team": "0", "locale": "en", "password": PASSWORD}
    before = user_count(app)

    refused = browser.post("/admin/users", data=new_user)  # forged: a cross-site post, no token
    assert refused.status_code == 400 and EXPIRED in refused.get_data(as_text=True)
    assert user_count(app) == before

    accepted = page_form(browser, "/admin/users").fill(**new_user).submit()
    assert accepted.status_code == 302
    assert user_count(app) == before + 1


def test_sign_out_needs_the_token(browser, make_user):
    make_user("agent", username="lena")
    sign_in(browser, "lena")
    assert browser.post("/logout").status_code == 400  # forged: a cross-site sign-out, no token
    assert not is_signed_out(browser)  # a forged sign-out does nothing


def test_the_api_needs_no_csrf_token(csrf_app, make_user, make_token):
    secret = make_token(make_user("agent", username="lena"))
    client = csrf_app.test_client()
    response = client.post("/api/v1/test-echo", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.get_json() == {"user": "lena"}
    assert client.post("/api/v1/test-echo").status_code == 401  # the token is what protects it


def test_the_api_ignores_the_session_cookie(browser, make_user, make_token):
    user = make_user("admin", username="boss")
    sign_in(browser, "boss")
    assert browser.get("/admin/users").status_code == 200  # the cookie is good for pages
    for method in ("get", "post"):
        url = "/api/v1/me" if method == "get" else "/api/v1/test-echo"
        response = getattr(browser, method)(url)
        assert response.status_code == 401 and response.get_json() == {
            "error": "A valid bearer token is required."
        }
    secret = make_token(user)
    assert browser.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
