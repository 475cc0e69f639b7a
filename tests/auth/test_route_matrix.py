"""The role × route matrix, built from app.url_map: a route without a declared rule fails here."""

import re

import pytest

from app.auth.access import access_of
from app.auth.roles import ROLES

# Routes whose rule is "anyone": they are the only ones a stranger may open.
PUBLIC_ENDPOINTS = {"auth.login", "auth.set_language", "home.index", "home.health", "home.plotly_js"}
# What an agent must never reach, by prefix: admin, QA-lead and manager pages and the golden answers.
AGENT_FORBIDDEN_PREFIXES = ("/admin", "/golden")


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _concrete(rule) -> str:
    """A URL for the rule with every parameter filled in (objects need not exist: the check comes first)."""
    url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule.rule)  # any(a, b) converters take their first value
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", url)


def test_every_route_declares_who_may_use_it(app):
    with app.test_request_context():
        undeclared = [rule.endpoint for rule in _rules(app) if access_of(rule.endpoint) is None]
    assert undeclared == []


def test_only_the_known_routes_are_public(app):
    with app.test_request_context():
        public = {r.endpoint for r in _rules(app) if access_of(r.endpoint).roles is None}
    assert public == PUBLIC_ENDPOINTS


def test_api_routes_are_token_routes(app):
    with app.test_request_context():
        for rule in _rules(app):
            assert access_of(rule.endpoint).api == rule.rule.startswith("/api/"), rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_routes(app, client, auth, role):
    auth.login_as(role)
    with app.test_request_context():
        rules = [
            (rule, access_of(rule.endpoint))
            for rule in _rules(app)
            if not access_of(rule.endpoint).api and rule.endpoint != "auth.logout"  # it would end the visit
        ]
    for rule, access in rules:
        url = _concrete(rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        allowed = access.roles is None or role in access.roles
        if allowed:
            assert response.status_code != 403, f"{role} refused {method} {url}"
        else:
            assert response.status_code == 403, f"{role} reached {method} {url}: {response.status_code}"


def test_an_agent_reaches_no_admin_or_golden_page(app, client, auth):
    auth.login_as("agent")
    with app.test_request_context():
        urls = [(_concrete(r), m) for r in _rules(app) for m in r.methods & {"GET", "POST"}]
    checked = 0
    for url, method in urls:
        if url.startswith(AGENT_FORBIDDEN_PREFIXES):
            assert client.open(url, method=method).status_code == 403, url
            checked += 1
    assert checked >= 10


def test_strangers_are_sent_to_sign_in(app, client):
    with app.test_request_context():
        private = [
            r
            for r in _rules(app)
            if access_of(r.endpoint).roles is not None and not access_of(r.endpoint).api
        ]
    for rule in private:
        response = client.open(_concrete(rule), method="GET" if "GET" in rule.methods else "POST")
        assert response.status_code == 302 and "/login" in response.location, rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_api_routes(app, client, make_user, make_token, role):
    user = make_user(role)
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    with app.test_request_context():
        rules = [(r, access_of(r.endpoint)) for r in _rules(app) if access_of(r.endpoint).api]
    assert rules
    for rule, access in rules:
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_concrete(rule), method=method, headers=headers, json={})
        if role in access.roles and access.scope == "api":
            assert response.status_code not in (401, 403), f"{role} refused {rule.rule}"
        else:
            assert response.status_code == 403, f"{role} reached {rule.rule}: {response.status_code}"
