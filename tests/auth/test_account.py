"""A user's own password: the page every role reaches from the chrome, and what a change ends."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.roles import ROLES
from app.extensions import db
from tests.auth.browser import sign_in
from tests.conftest import PASSWORD
from tests.forms import page_form

PAGE = "/account/password"
NEW_PASSWORD = "a-brand-new-passphrase"


def password_hash(app, username: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.username == username))


def is_signed_in(browser) -> bool:
    return browser.get(PAGE).status_code == 200


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    form = page_form(client, PAGE)
    form.fill(current_password=current, new_password=new, confirm=new if confirm is None else confirm)
    return form.submit()


def api_status(app, secret: str) -> int:
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_the_page_from_the_chrome(client, auth, role):
    auth.login_as(role)
    landing = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert f'href="{PAGE}"' in landing
    page = client.get(PAGE)
    assert page.status_code == 200 and "Change password" in page.get_data(as_text=True)


def test_a_change_ends_other_sessions_and_tokens_but_keeps_this_browser(app, client, auth, make_token):
    user = auth.login_as("agent")
    elsewhere = app.test_client()
    sign_in(elsewhere, user.username, remember=True)
    secret = make_token(user)
    assert is_signed_in(elsewhere) and api_status(app, secret) == 200

    response = change(client)
    assert response.status_code == 302
    assert "Password changed. You are signed out everywhere else" in client.get(response.location).get_data(
        as_text=True
    )
    assert is_signed_in(client)
    assert not is_signed_in(elsewhere)  # its session and its remember-me cookie are both dead
    assert api_status(app, secret) == 401
    assert sign_in(app.test_client(), user.username, PASSWORD).status_code == 401
    assert sign_in(app.test_client(), user.username, NEW_PASSWORD).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.change_password"))
        assert (event.actor_id, event.object_id, event.detail) == (
            user.id,
            str(user.id),
            {"tokens_revoked": 1},
        )


def test_a_remembered_browser_stays_remembered_after_its_own_change(app, client, make_user):
    user = make_user("qa_lead")
    sign_in(client, user.username, remember=True)
    assert change(client).status_code == 302
    remembered = app.test_client()  # the browser after a restart: only the remember-me cookie is left
    remembered.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert is_signed_in(remembered)


@pytest.mark.parametrize(
    "current,new,confirm,field,message",
    [
        (
            "not-my-password-1",
            NEW_PASSWORD,
            NEW_PASSWORD,
            "current_password",
            "That is not your current password.",
        ),
        ("", NEW_PASSWORD, NEW_PASSWORD, "current_password", "This field is required."),
        (PASSWORD, "short-pw", "short-pw", "new_password", "Use at least 10 characters."),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "confirm", "The two new passwords differ."),
    ],
)
def test_a_refused_change_changes_nothing(
    app, client, auth, make_token, current, new, confirm, field, message
):
    user = auth.login_as("manager")
    elsewhere = app.test_client()
    sign_in(elsewhere, user.username)
    secret = make_token(user)
    before = password_hash(app, user.username)
    response = change(client, current, new, confirm)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{escape(message)}</p>' in response.get_data(as_text=True)
    assert password_hash(app, user.username) == before
    assert is_signed_in(client) and is_signed_in(elsewhere) and api_status(app, secret) == 200


def test_guessing_the_current_password_is_throttled(app, client, auth):
    user = auth.login_as("agent")
    limit = int(app.config["LOGIN_LIMIT_PER_USERNAME"].split()[0])
    for attempt in range(limit):
        assert change(client, current=f"guess-number-{attempt}").status_code == 422
    assert change(client).status_code == 429  # even the right one, until the window passes
    assert password_hash(app, user.username) == user.password_hash


def test_strangers_are_sent_to_sign_in(client):
    response = client.post(PAGE, data={"current_password": PASSWORD})
    assert response.status_code == 302 and response.location.startswith("/login")
