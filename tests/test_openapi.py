"""The OpenAPI document describes exactly the API's routes and methods."""

import re

from app.api.openapi import SPEC


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_the_document_matches_the_routes(app):
    documented = {(path, method) for path, ops in SPEC["paths"].items() for method in ops}
    assert documented == _routes(app)


def test_the_document_is_served_to_token_holders(app, client, make_user, make_token):
    secret = make_token(make_user("agent"))
    assert client.get("/api/v1/openapi.json").status_code == 401
    response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json["openapi"].startswith("3.")
    for path, operations in response.json["paths"].items():
        for operation in operations.values():
            names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), path
