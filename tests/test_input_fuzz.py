"""Route fuzz: every GET and POST route in app.url_map, as every role allowed to use it, with huge integers
and NUL bytes in its path parts, query arguments and form fields, and over-deep, NUL-laden or huge-number
JSON for the API. No answer may be a 500, on SQLite or PostgreSQL (the input layer, app/inputs.py)."""

import importlib
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

import app as app_package
from app.auth.access import access_of
from app.auth.roles import ROLES
from app.qa.audits.audit_format import AUDIT_FIELDS
from app.qa.decisions.ingest_format import DECISION_FIELDS

HUGE = str(2**63)  # past every integer column on both databases
NUL = "x\x00y"
# Every query argument a view reads; each gets a request of its own, since the first refusal ends one.
INT_ARGS = ("team", "page", "a", "b", "k", "case")
TEXT_ARGS = ("case_type", "scenario", "status", "q", "vendor", "root_cause", "sort", "role", "since", "until")
SKIPPED = {"auth.logout", "static"}  # logging out would end the visit


def _form_field_names() -> set[str]:
    """Every field name of every form in the app (the union, so each form finds its own among them)."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    names, todo = set(), [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        names |= {name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField)}
    return names


def _url(rule, values: dict, default: str) -> str:
    """The rule's URL with each part from `values` (by name) or `default`; any() takes its first choice."""

    def part(match):
        converter, name = match.group(1) or "", match.group(2)
        if converter.startswith("any("):
            return converter[4:].split(",")[0].strip()
        return str(values.get(name, default if converter.startswith("int") else "kyc_audit"))

    return re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", part, rule.rule)


@pytest.fixture
def world(app, make_case_type, make_team, make_user, make_golden_case):
    case_type = make_case_type()
    team = make_team()
    agent = make_user("agent", username="ana", team=team)
    case_id = make_golden_case()
    return {
        "ids": {
            "case_id": case_id,
            "case_type_id": case_type.id,
            "team_id": team.id,
            "user_id": agent.id,
            "agent_id": agent.id,
            "username": "ana",
        },
    }


def _rules(app, api: bool):
    with app.test_request_context():
        return [
            (rule, access_of(rule.endpoint))
            for rule in app.url_map.iter_rules()
            if rule.endpoint not in SKIPPED and access_of(rule.endpoint).api == api
        ]


def _answer(client, url, **options):
    """The whole answer, streamed bodies read to the end: a streamed export that fails mid-way has already
    sent 200, so its failure only shows while reading."""
    response = client.open(url, **options)
    try:
        response.get_data()
    except Exception as error:  # any failure while streaming is what this test looks for
        response.status_code = 599
        response.failure = error
    finally:
        response.close()
    return response


def _page_requests(rule, ids: dict, fields: set[str]):
    """(method, url, form data) for one page route: hostile path parts, query arguments, form fields."""
    has_int = "<int:" in rule.rule
    has_text = bool(re.search(r"<(?!int:|any\()", rule.rule))
    real = _url(rule, ids, "1")
    for method in sorted(rule.methods & {"GET", "POST"}):
        if has_int:
            yield method, _url(rule, {}, HUGE), None
        if has_text:
            yield method, _url(rule, {**ids, "username": NUL}, "1").replace("kyc_audit", NUL), None
        if method == "GET":
            for name in INT_ARGS:
                yield method, f"{real}?{name}={HUGE}", None
            yield method, real + "?" + "&".join(f"{name}=%00{name}" for name in TEXT_ARGS), None
        else:
            yield method, real, dict.fromkeys(fields, HUGE)
            yield method, real, dict.fromkeys(fields, NUL)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_500_to_hostile_input(app, client, auth, world, role):
    auth.login_as(role)
    fields = _form_field_names()
    failures, sent = [], 0
    for rule, access in _rules(app, api=False):
        if access.roles is not None and role not in access.roles:
            continue  # refused before the view runs: the role matrix tests that
        for method, url, data in _page_requests(rule, world["ids"], fields):
            response = _answer(client, url, method=method, data=data)
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{method} {url!r} {sorted(data or ())[:3]}: {response.status_code}")
    assert sent > 100
    assert failures == []


def _json_bodies():
    """Bodies for every JSON route: over-deep, text PostgreSQL cannot store, and numbers past every column."""
    huge = int(HUGE)
    decision = dict.fromkeys(DECISION_FIELDS, huge)
    audit = dict.fromkeys(AUDIT_FIELDS, huge)
    yield "[" * 100_000 + "]" * 100_000
    yield '{"decisions": [{"agent": "a\\u0000"}], "name": "\\ud800", "case_id": "\\u0000"}'
    yield {
        "decisions": [decision],
        "audits": [audit],
        "case_ids": [huge],
        "case_id": huge,
        "case_type": "kyc_audit",
        "participants": ["ana"],
        "deadline": "2099-01-01T00:00:00Z",
        "name": "Fuzz",
        **{field: huge for field in ("decision", "label", "root_cause", "rationale", "sop_ref")},
    }
    yield {
        "decisions": [dict(decision, priority=-huge, confidence=1e400)],
        "audits": [dict(audit, verdict=huge)],
    }


@pytest.mark.parametrize("role", ROLES)
def test_no_api_route_answers_500_to_hostile_input(app, client, world, make_user, make_token, role):
    headers = {"Authorization": f"Bearer {make_token(make_user(role), scopes=('api', 'ingest'))}"}
    failures, sent = [], 0
    for rule, access in _rules(app, api=True):
        if role not in access.roles:
            continue
        real = _url(rule, world["ids"], "1")
        urls = [
            _url(rule, {}, HUGE),
            _url(rule, {**world["ids"], "username": NUL}, "1").replace("kyc_audit", NUL),
        ]
        urls += [f"{real}?{name}={HUGE}" for name in INT_ARGS] + [f"{real}?case_type=%00"]
        for method in sorted(rule.methods & {"GET", "POST"}):
            requests = [(url, None) for url in urls]
            if method == "POST":
                requests += [(real, body) for body in _json_bodies()]
            for url, body in requests:
                if isinstance(body, str):
                    json_headers = {**headers, "Content-Type": "application/json"}
                    response = _answer(client, url, method=method, data=body, headers=json_headers)
                else:
                    response = _answer(client, url, method=method, json=body or {}, headers=headers)
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{method} {url!r} {str(body)[:60]}: {response.status_code}")
    assert sent > 10
    assert failures == []
