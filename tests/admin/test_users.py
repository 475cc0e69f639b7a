"""Admin user management: create, change role, reset password, deactivate, and what each does to sessions."""

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase"


def new_user(**overrides) -> dict:
    data = {
        "username": "alice",
        "display_name": "",
        "role": "agent",
        "team": "0",
        "locale": "en",
        "password": PASSWORD,
    }
    data.update(overrides)
    return data


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
    response = browser.post("/login", data={"username": username, "password": password})
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
    response = client.post("/admin/users", data=new_user(username=typed, display_name="Alice Wong"))
    assert response.status_code == 302
    user = user_row(app, "alice")
    assert user is not None and (user.role, user.display_name) == ("agent", "Alice Wong")
    assert client.post("/logout").status_code == 302
    assert auth.login("alice").status_code == 302  # the new user can sign in


def test_create_user_with_team_and_language(app, client, auth, make_team):
    team = make_team(name="Manila KYC")
    auth.login_as("admin")
    data = new_user(role="qa_lead", team=str(team.id), locale="zh_Hans")
    assert client.post("/admin/users", data=data).status_code == 302
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
    response = client.post("/admin/users", data=new_user(username=typed))
    assert response.status_code == 422
    assert '<p class="error" id="username-error">That username is taken.</p>' in response.get_data(
        as_text=True
    )
    assert user_count(app) == before


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"password": "short-pw"}, "password", "Use at least 10 characters."),
        ({"password": ""}, "password", "This field is required."),
        ({"role": "superuser"}, "role", "Not a valid choice."),
        ({"username": "   "}, "username", "This field is required."),
        ({"username": "x" * 65}, "username", "Field cannot be longer than 64 characters."),
        ({"locale": "fr"}, "locale", "Not a valid choice."),
        ({"team": "999"}, "team", "Not a valid choice."),
    ],
)
def test_bad_new_users_are_refused_next_to_the_field(app, client, auth, overrides, field, message):
    auth.login_as("admin")
    before = user_count(app)
    response = client.post("/admin/users", data=new_user(**overrides))
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{escape(message)}</p>' in response.get_data(as_text=True)
    assert user_count(app) == before
    assert user_row(app, "alice") is None


@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager"])
def test_only_admins_manage_users(app, client, auth, make_user, role):
    target = make_user("agent", username="target")
    auth.login_as(role)
    assert client.post("/admin/users", data=new_user()).status_code == 403
    assert client.post(f"/admin/users/{target.id}/active", data={"active": "0"}).status_code == 403
    assert (
        client.post(f"/admin/users/{target.id}/password", data={"password": NEW_PASSWORD}).status_code == 403
    )
    assert user_row(app, "alice") is None
    assert user_row(app, "target").active is True


# --- editing: a new role ends the user's sessions ---


def test_changing_the_role_ends_that_users_sessions(app, client, auth, make_user):
    target = make_user("agent", username="omar")
    browser = signed_in_as(app, "omar")
    admin = auth.login_as("admin")
    response = client.post(
        f"/admin/users/{target.id}", data={"display_name": "Omar Q", "role": "qa_lead", "team": "0"}
    )
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
    data = {"display_name": "Omar Q", "role": "agent", "team": str(team.id)}
    assert client.post(f"/admin/users/{target.id}", data=data).status_code == 302
    assert user_row(app, "omar").team_id == team.id
    assert not is_signed_out(browser)


def test_admins_cannot_change_their_own_role(app, client, auth):
    admin = auth.login_as("admin")
    response = client.post(
        f"/admin/users/{admin.id}", data={"display_name": "Me", "role": "agent", "team": "0"}
    )
    assert response.status_code == 422
    assert "You cannot change your own role." in response.get_data(as_text=True)
    assert user_row(app, admin.username).role == "admin"


@pytest.mark.parametrize(
    "url", ["/admin/users/999999", "/admin/users/999999/password", "/admin/users/999999/active"]
)
def test_missing_users_are_404(client, auth, url):
    auth.login_as("admin")
    assert client.post(url, data={"password": NEW_PASSWORD, "active": "0"}).status_code == 404


# --- resetting a password ---


def test_reset_password(app, client, auth, make_user):
    make_user("agent", username="omar")
    target = user_row(app, "omar")
    browser = signed_in_as(app, "omar")
    auth.login_as("admin")
    response = client.post(f"/admin/users/{target.id}/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Password reset. omar&#39;s sessions have ended." in client.get(response.location).get_data(
        as_text=True
    )
    assert is_signed_out(browser)
    other = app.test_client()
    assert other.post("/login", data={"username": "omar", "password": PASSWORD}).status_code == 401
    assert other.post("/login", data={"username": "omar", "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "password,message", [("short", "Use at least 10 characters."), ("", "Enter a new password.")]
)
def test_a_bad_new_password_changes_nothing(app, client, auth, make_user, password, message):
    make_user("agent", username="omar")
    target = user_row(app, "omar")
    browser = signed_in_as(app, "omar")
    auth.login_as("admin")
    response = client.post(f"/admin/users/{target.id}/password", data={"password": password})
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

    response = client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
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
    assert (
        app.test_client().post("/login", data={"username": "omar", "password": PASSWORD}).status_code == 401
    )


def test_reactivation_lets_them_sign_in_but_keeps_tokens_revoked(app, client, auth, make_user, make_token):
    make_user("agent", username="omar", active=True)
    target = user_row(app, "omar")
    secret = make_token(target)
    auth.login_as("admin")
    client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    assert client.post(f"/admin/users/{target.id}/active", data={"active": "1"}).status_code == 302
    assert user_row(app, "omar").active is True
    signed_in_as(app, "omar")
    assert (
        app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_admins_cannot_deactivate_themselves(app, client, auth):
    admin = auth.login_as("admin")
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
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
