"""Admin API tokens: the secret is shown once and only its hash is kept; revoking stops it at once."""

import hashlib
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.auth.models import ApiToken, User
from app.extensions import db
from tests.forms import page_form

SECRET = re.compile(r"data-token>(tst_[A-Za-z0-9_-]+)</p>")


def token_rows(app) -> list[dict]:
    with app.app_context():
        return [
            {column.name: getattr(token, column.name) for column in ApiToken.__table__.columns}
            for token in db.session.scalars(select(ApiToken).order_by(ApiToken.id))
        ]


def call_me(app, secret: str):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})


def token_form(client):
    """The New token form of the tokens page."""
    return page_form(client, "/admin/tokens", having="scopes")


def create(client, owner, name="ci export", scopes=("api",)):
    """Open the tokens page, pick the owner, name the token, tick the scopes, and create it."""
    return token_form(client).fill(owner=str(owner.id), name=name, scopes=list(scopes)).submit()


def test_the_secret_is_shown_once_and_works(app, client, auth, make_user):
    owner = make_user("qa_lead", username="lena")
    auth.login_as("admin")
    response = create(client, owner, scopes=("api", "ingest"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Copy this token now. It will not be shown again." in page
    secret = SECRET.search(page).group(1)

    me = call_me(app, secret)
    assert me.status_code == 200
    assert me.get_json() == {
        "username": "lena",
        "display_name": owner.display_name,
        "role": "qa_lead",
        "team": None,
        "scopes": ["api", "ingest"],
    }
    later = client.get("/admin/tokens").get_data(as_text=True)
    assert secret not in later and "data-token" not in later
    assert f"<code>{secret[:12]}…</code>" in later  # recognisable by its start


def test_only_a_hash_of_the_secret_is_stored(app, client, auth, make_user):
    owner = make_user("agent")
    auth.login_as("admin")
    secret = SECRET.search(create(client, owner).get_data(as_text=True)).group(1)
    [row] = token_rows(app)
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in row.values())
    assert (row["user_id"], row["name"], row["scopes"], row["revoked_at"]) == (
        owner.id,
        "ci export",
        "api",
        None,
    )


def test_using_a_token_stamps_its_last_use(app, client, auth, make_user):
    owner = make_user("agent")
    auth.login_as("admin")
    secret = SECRET.search(create(client, owner).get_data(as_text=True)).group(1)
    assert token_rows(app)[0]["last_used_at"] is None
    call_me(app, secret)
    assert token_rows(app)[0]["last_used_at"] is not None


def test_revoking_stops_the_token_at_once(app, client, auth, make_user):
    owner = make_user("qa_lead")
    auth.login_as("admin")
    secret = SECRET.search(create(client, owner).get_data(as_text=True)).group(1)
    kept = SECRET.search(create(client, owner, name="other").get_data(as_text=True)).group(1)
    assert call_me(app, secret).status_code == 200
    token_id = next(row["id"] for row in token_rows(app) if row["name"] == "ci export")

    response = page_form(client, "/admin/tokens", action=f"/admin/tokens/{token_id}/revoke").submit()
    assert response.status_code == 302
    refused = call_me(app, secret)
    assert refused.status_code == 401 and refused.get_json() == {"error": "A valid bearer token is required."}
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert call_me(app, kept).status_code == 200  # only that token
    assert "Revoked" in client.get("/admin/tokens").get_data(as_text=True)


@pytest.mark.parametrize(
    "scopes,message",
    [
        (["root"], "'root' is not a valid choice for this field."),
        (["api", "admin"], "'admin' is not a valid choice for this field."),
        ([], "Choose at least one scope."),
    ],
)
def test_bad_scopes_are_refused(app, client, auth, make_user, scopes, message):
    owner = make_user("agent")
    auth.login_as("admin")
    if scopes:  # Tampered: scopes the page offers no box for, as an attacker would post them.
        data = {"owner": str(owner.id), "name": "ci export", "scopes": scopes}
        response = client.post("/admin/tokens", data=data)
    else:
        response = create(client, owner, scopes=scopes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="scopes-error">{escape(message)}</p>' in page
    assert "data-token" not in page
    assert token_rows(app) == []


@pytest.mark.parametrize("name", ["", "   "])
def test_a_token_needs_a_name(app, client, auth, make_user, name):
    owner = make_user("agent")
    auth.login_as("admin")
    response = create(client, owner, name=name)
    assert response.status_code == 422 and 'id="name-error"' in response.get_data(as_text=True)
    assert token_rows(app) == []


def test_deactivated_users_cannot_get_tokens(app, client, auth, make_user):
    owner = make_user("agent")
    auth.login_as("admin")
    form = token_form(client).fill(owner=str(owner.id), name="ci export")
    with app.app_context():  # the owner is deactivated while the page is open
        db.session.get(User, owner.id).active = False
        db.session.commit()
    assert str(owner.id) not in token_form(client).options("owner")  # a fresh page no longer offers them
    response = form.submit()
    assert response.status_code == 422
    assert '<p class="error" id="owner-error">Not a valid choice.</p>' in response.get_data(as_text=True)
    assert token_rows(app) == []


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer tst_not-a-real-token", "Basic dXNlcjpwYXNz", "tst_x"]
)
def test_the_api_refuses_missing_or_wrong_tokens(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.is_json


@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager"])
def test_only_admins_issue_tokens(app, client, auth, role):
    user = auth.login_as(role)
    # Forged: the page refuses this role, so the post is crafted by hand.
    data = {"owner": str(user.id), "name": "ci export", "scopes": ["api"]}
    assert client.post("/admin/tokens", data=data).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
