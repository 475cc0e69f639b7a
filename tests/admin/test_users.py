"""Admin user management: create, change role, reset password, deactivate, and what each does to sessions.

Every request goes through the admin pages' own forms (tests/forms.py); `send_forged` sends a form with a
value no browser could pick, as a hand-made request would.
"""

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.extensions import db
from tests.auth.browser import sign_in, sign_out
from tests.conftest import PASSWORD
from tests.forms import page_form

NEW_PASSWORD = "a-brand-new-passphrase"


def new_user_form(client, **fields):
    """The users page's create form, with a username and password typed in."""
    form = page_form(client, "/admin/users")
    form.fill(**{"username": "alice", "password": PASSWORD, **fields})
    return form


def send_forged(client, form, **values):
    """Send the form with values changed behind the browser's back (only fields the page renders)."""
    unknown = set(values) - form.names()
    assert not unknown, f"the page renders no {sorted(unknown)}"
    data = dict(form.pairs())
    data.update(values)
    return client.post(form.action, data=data)


def profile_form(client, user_id: int):
    return page_form(client, f"/admin/users/{user_id}", action=f"/admin/users/{user_id}")


def reset_form(client, user_id: int):
    return page_form(client, f"/admin/users/{user_id}", action=f"/admin/users/{user_id}/password")


def access_form(client, user_id: int):
    return page_form(client, f"/admin/users/{user_id}", action=f"/admin/users/{user_id}/active")


def user_row(app, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        return user


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def signed_in_as(app, username: str, password: str = PASSWORD):
    """Another browser, signed in as this user."""
    browser = app.test_client()
    response = sign_in(browser, username, password)
    assert response.status_code == 302, response.data
    assert not is_signed_out(browser)
    return browser


def is_signed_out(browser) -> bool:
    """Whether this browser is sent to the sign-in page (home sends signed-in agents elsewhere)."""
    response = browser.get("/")
    return response.status_code == 302 and response.location.startswith("/login")


# --- creating users ---


@pytest.mark.parametrize("typed", [" Ａlice ", "ALICE", "alice", "Alice\t"])
def test_usernames_are_stored_in_normalised_form(app, client, auth, typed):
    auth.login_as("admin")
    response = new_user_form(client, username=typed, display_name="Alice Wong").submit()
    assert response.status_code == 302
    user = user_row(app, "alice")
    assert user is not None and (user.role, user.display_name) == ("agent", "Alice Wong")
    assert sign_out(client).status_code == 302
    assert auth.login("alice").status_code == 302  # the new user can sign in


def test_create_user_with_team_and_language(app, client, auth, make_team):
    team = make_team(name="Manila KYC")
    auth.login_as("admin")
    form = new_user_form(client, role="qa_lead", team=team.id, locale="zh_Hans")
    assert form.submit().status_code == 302
    user = user_row(app, "alice")
    assert (user.role, user.team_id, user.locale, user.display_name) == (
        "qa_lead",
        team.id,
        "zh_Hans",
        "alice",
    )
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id))) == (
            "user.create"
        )


@pytest.mark.parametrize("typed", ["alice", " ALICE ", "Ａｌｉｃｅ"])
def test_a_username_taken_in_normalised_form_is_refused(app, client, auth, make_user, typed):
    make_user("agent", username="alice")
    auth.login_as("admin")
    before = user_count(app)
    response = new_user_form(client, username=typed).submit()
    assert response.status_code == 422
    assert '<p class="error" id="username-error">That username is taken.</p>' in response.get_data(
        as_text=True
    )
    assert user_count(app) == before


def _refused_next_to(response, field: str, message: str) -> bool:
    return f'<p class="error" id="{field}-error">{escape(message)}</p>' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed,field,message",
    [
        ({"password": "short-pw"}, "password", "Use at least 10 characters."),
        ({"password": ""}, "password", "This field is required."),
        ({"username": "   "}, "username", "This field is required."),
    ],
)
def test_bad_new_users_are_refused_next_to_the_field(app, client, auth, typed, field, message):
    auth.login_as("admin")
    before = user_count(app)
    response = new_user_form(client, **typed).submit()
    assert response.status_code == 422
    assert _refused_next_to(response, field, message)
    assert user_count(app) == before
    assert user_row(app, "alice") is None


@pytest.mark.parametrize(
    "forged,field,message",
    [
        ({"role": "superuser"}, "role", "Not a valid choice."),
        ({"username": "x" * 65}, "username", "Field cannot be longer than 64 characters."),  # maxlength=64
        ({"locale": "fr"}, "locale", "Not a valid choice."),
        ({"team": "999"}, "team", "Not a valid choice."),
    ],
)
def test_values_no_browser_offers_are_refused_next_to_the_field(app, client, auth, forged, field, message):
    auth.login_as("admin")
    before = user_count(app)
    response = send_forged(client, new_user_form(client), **forged)
    assert response.status_code == 422
    assert _refused_next_to(response, field, message)
    assert user_count(app) == before
    assert user_row(app, "alice") is None


@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager"])
def test_only_admins_manage_users(app, client, auth, make_user, role):
    """The forms an admin is shown, sent by someone else: every one is refused."""
    target = make_user("agent", username="target")
    admin_browser = signed_in_as(app, make_user("admin").username)
    forms = [
        new_user_form(admin_browser),
        access_form(admin_browser, target.id),
        reset_form(admin_browser, target.id).fill(password=NEW_PASSWORD),
        profile_form(admin_browser, target.id).fill(role="admin"),
    ]
    auth.login_as(role)
    for form in forms:
        assert client.post(form.action, data=dict(form.pairs())).status_code == 403, form.action
    assert user_row(app, "alice") is None
    assert user_row(app, "target").active is True
    assert user_row(app, "target").role == "agent"


# --- editing: a new role ends the user's sessions ---


def test_changing_the_role_ends_that_users_sessions(app, client, auth, make_user):
    target = make_user("agent", username="omar")
    browser = signed_in_as(app, "omar")
    admin = auth.login_as("admin")
    response = profile_form(client, target.id).fill(display_name="Omar Q", role="qa_lead").submit()
    assert response.status_code == 302
    assert (user_row(app, "omar").role, user_row(app, "omar").display_name) == ("qa_lead", "Omar Q")
    assert is_signed_out(browser)
    assert browser.get("/golden").status_code == 302  # not let in with the old cookie
    assert client.get("/admin/users").status_code == 200  # the admin's own session is untouched
    assert admin.id


def test_editing_without_a_role_change_keeps_the_session(app, client, auth, make_user, make_team):
    target = make_user("agent", username="omar")
    team = make_team()
    browser = signed_in_as(app, "omar")
    auth.login_as("admin")
    assert (
        profile_form(client, target.id).fill(display_name="Omar Q", team=team.id).submit().status_code == 302
    )
    assert user_row(app, "omar").team_id == team.id
    assert not is_signed_out(browser)


def test_admins_cannot_change_their_own_role(app, client, auth):
    admin = auth.login_as("admin")
    response = profile_form(client, admin.id).fill(display_name="Me", role="agent").submit()
    assert response.status_code == 422
    assert "You cannot change your own role." in response.get_data(as_text=True)
    assert user_row(app, admin.username).role == "admin"


@pytest.mark.parametrize("action", ["", "/password", "/active"])
def test_missing_users_are_404(client, auth, make_user, action):
    """A user's forms, sent after that user's page is gone (or for an id that never existed)."""
    target = make_user("agent")
    auth.login_as("admin")
    form = page_form(client, f"/admin/users/{target.id}", action=f"/admin/users/{target.id}{action}")
    form.action = f"/admin/users/999999{action}"
    assert form.submit().status_code == 404


# --- resetting a password ---


def test_reset_password(app, client, auth, make_user):
    make_user("agent", username="omar")
    target = user_row(app, "omar")
    browser = signed_in_as(app, "omar")
    auth.login_as("admin")
    response = reset_form(client, target.id).fill(password=NEW_PASSWORD).submit()
    assert response.status_code == 302
    assert "Password reset. omar&#39;s sessions have ended" in client.get(response.location).get_data(
        as_text=True
    )
    assert is_signed_out(browser)
    other = app.test_client()
    assert sign_in(other, "omar", PASSWORD).status_code == 401
    assert sign_in(other, "omar", NEW_PASSWORD).status_code == 302


def test_a_password_reset_revokes_the_users_api_tokens(app, client, auth, make_user, make_token):
    target = make_user("qa_lead", username="omar")
    secret = make_token(target)
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    auth.login_as("admin")
    response = reset_form(client, target.id).fill(password=NEW_PASSWORD).submit()
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert "omar&#39;s sessions have ended and their API tokens are revoked." in client.get(
        response.location
    ).get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.reset_password"))
        assert event.detail == {"tokens_revoked": 1}


@pytest.mark.parametrize(
    "password,message", [("short", "Use at least 10 characters."), ("", "Enter a new password.")]
)
def test_a_bad_new_password_changes_nothing(app, client, auth, make_user, password, message):
    make_user("agent", username="omar")
    target = user_row(app, "omar")
    browser = signed_in_as(app, "omar")
    auth.login_as("admin")
    response = reset_form(client, target.id).fill(password=password).submit()
    assert message in client.get(response.location).get_data(as_text=True)
    assert user_row(app, "omar").password_hash == target.password_hash
    assert not is_signed_out(browser)


# --- deactivating ---


def test_deactivation_ends_sessions_revokes_tokens_and_blocks_sign_in(
    app, client, auth, make_user, make_token
):
    make_user("qa_lead", username="omar")
    target = user_row(app, "omar")
    secret = make_token(target, scopes=("api",))
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    browser = signed_in_as(app, "omar")
    auth.login_as("admin")

    response = access_form(client, target.id).submit("active=0")
    assert response.status_code == 302
    assert "Deactivated: sessions ended and tokens revoked." in client.get(response.location).get_data(
        as_text=True
    )
    assert user_row(app, "omar").active is False
    assert is_signed_out(browser)
    assert browser.get("/golden").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == target.id)) is not None
    assert sign_in(app.test_client(), "omar").status_code == 401


def test_reactivation_lets_them_sign_in_but_keeps_tokens_revoked(app, client, auth, make_user, make_token):
    make_user("agent", username="omar", active=True)
    target = user_row(app, "omar")
    secret = make_token(target)
    auth.login_as("admin")
    assert access_form(client, target.id).submit("active=0").status_code == 302
    assert access_form(client, target.id).submit("active=1").status_code == 302
    assert user_row(app, "omar").active is True
    signed_in_as(app, "omar")
    assert (
        app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_admins_cannot_deactivate_themselves(app, client, auth):
    admin = auth.login_as("admin")
    response = access_form(client, admin.id).submit("active=0")
    assert response.status_code == 302
    assert "You cannot deactivate yourself." in client.get(response.location).get_data(as_text=True)
    assert user_row(app, admin.username).active is True
    assert client.get("/admin/users").status_code == 200


def test_users_list_filters_by_role(client, auth, make_user):
    make_user("agent", username="agent-ann")
    make_user("manager", username="manager-max")
    auth.login_as("admin")
    page = client.get("/admin/users?role=manager").get_data(as_text=True)
    assert ">manager-max</a>" in page and ">agent-ann</a>" not in page
