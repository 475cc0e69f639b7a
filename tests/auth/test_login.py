"""Signing in and out: one message for every failure, fresh sessions, sessions that really end."""

import re
from collections import Counter
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.auth.browser import choose_language, sign_in, sign_out
from tests.conftest import PASSWORD, utcnow
from tests.forms import page_form

FAILED = b"Unknown username or wrong password."


def test_sign_in_then_home(client, make_user):
    user = make_user("qa_lead", username="lena")
    response = sign_in(client, "lena")
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/")
    assert page.status_code == 200 and user.display_name.encode() in page.data


@pytest.mark.parametrize("typed", [" LENA ", "Ｌｅｎａ", "lena"])
def test_usernames_match_in_normalised_form(client, make_user, typed):
    make_user("agent", username="lena")
    assert sign_in(client, typed).status_code == 302


@pytest.mark.parametrize(
    "username,password", [("lena", "wrong-password-123"), ("nobody", PASSWORD), ("lena", "")]
)
def test_every_failure_says_the_same_thing(client, make_user, username, password):
    make_user("agent", username="lena")
    response = sign_in(client, username, password)
    assert response.status_code in (200, 401)
    assert "/login" in client.get("/").location  # still signed out
    if password:
        assert FAILED in response.data and response.status_code == 401


def test_an_unknown_username_costs_the_same_work_as_a_wrong_password(client, make_user, monkeypatch):
    """Refusing an unknown name must not be measurably faster or slower than refusing a wrong password:
    both verify one argon2 hash, and neither computes one."""
    make_user("agent", username="lena")
    calls = Counter()
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counting_hash(self, *args, **kwargs):
        calls["hash"] += 1
        return real_hash(self, *args, **kwargs)

    def counting_verify(self, *args, **kwargs):
        calls["verify"] += 1
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    sign_in(client, "nobody", "wrong-password-1")  # the first refusal in a process may prepare its dummy

    def work_for(username: str) -> dict:
        calls.clear()
        for _ in range(3):
            assert sign_in(client, username, "wrong-password-1").status_code == 401
        return dict(calls)

    assert work_for("nobody") == work_for("lena") == {"verify": 3}


def test_deactivated_users_cannot_sign_in(client, make_user):
    make_user("agent", username="gone", active=False)
    response = sign_in(client, "gone")
    assert response.status_code == 401 and FAILED in response.data


def test_sign_in_starts_a_fresh_session(client, make_user):
    make_user("agent", username="lena")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    sign_in(client, "lena")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")


def test_next_only_goes_to_this_site(client, make_user):
    make_user("agent", username="lena")
    response = sign_in(client, "lena", page="/login?next=https://evil.example/x")
    assert response.location == "/"
    sign_out(client)
    response = sign_in(client, "lena", page="/login?next=/golden")
    assert response.location == "/golden"


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client, make_user):
    make_user("agent", username="lena")
    sign_in(client, "lena", remember=True)
    stolen = {cookie.key: cookie.value for cookie in client._cookies.values()}
    assert "remember_token" in stolen
    assert sign_out(client).status_code == 302
    thief = app.test_client()
    for key, value in stolen.items():
        thief.set_cookie(key, value)
    assert "/login" in thief.get("/").location  # the copied session and remember cookie are dead


def remember_cookie_expiry(response) -> datetime:
    """When the browser will drop the remember-me cookie this answer sets."""
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    return parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))


def test_remember_me_lasts_fourteen_days_at_most(client, make_user):
    make_user("agent", username="lena")
    lifetime = remember_cookie_expiry(sign_in(client, "lena", remember=True)) - utcnow()
    assert timedelta(days=14) - timedelta(minutes=1) < lifetime <= timedelta(days=14)


def test_remember_me_lifetime_follows_the_setting(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_DURATION", timedelta(days=3))
    make_user("agent", username="lena")
    lifetime = remember_cookie_expiry(sign_in(client, "lena", remember=True)) - utcnow()
    assert timedelta(days=3) - timedelta(minutes=1) < lifetime <= timedelta(days=3)


def test_deactivation_ends_live_sessions(app, client, make_user):
    user = make_user("agent", username="lena")
    sign_in(client, "lena")
    assert client.get("/learn").status_code == 200
    admin = make_user("admin", username="boss")
    admin_client = app.test_client()
    sign_in(admin_client, "boss")
    access = page_form(admin_client, f"/admin/users/{user.id}", action=f"/admin/users/{user.id}/active")
    assert access.submit("active=0").status_code == 302
    assert "/login" in client.get("/learn").location
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.id == user.id)) is False
    assert admin.id


def test_language_choice_is_saved_for_the_user(app, client, make_user):
    user = make_user("agent", username="lena")
    sign_in(client, "lena")
    assert choose_language(client, "zh_Hans").status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locale == "zh_Hans"
    page = client.get("/", follow_redirects=True)
    assert 'lang="zh-Hans"' in page.get_data(as_text=True)


def test_language_chosen_before_sign_in_is_kept(app, client, make_user):
    user = make_user("agent", username="lena")
    choose_language(client, "zh_Hans")
    sign_in(client, "lena")
    with app.app_context():
        assert db.session.get(User, user.id).locale == "zh_Hans"
