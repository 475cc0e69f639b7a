"""Quality over the API: an agent's audited accuracy for the people allowed to see it, and per vendor."""

import pytest

from app.api.openapi import SPEC
from tests.conftest import utc
from tests.dashboard.conftest import wilson

KEYS = {
    "agent",
    "audited",
    "correct",
    "accuracy",
    "ci95",
    "benchmark",
    "status",
    "certain_strata",
    "unplanned_audits",
    "estimator",
}


@pytest.fixture
def world(make_team, make_user, make_decisions, make_audits, auditor):
    """Nora (Northwind) 19 of 20 audits correct in 2026-W47 plus 2 of 2 on ATO in W48; Sam (Southgate) has
    decisions but no audits."""
    north, south = make_team("North", vendor="Northwind"), make_team("South", vendor="Southgate")
    nora = make_user("agent", username="nora", team=north)
    sam = make_user("agent", username="sam", team=south)
    make_audits(make_decisions(nora, 20), auditor, verdict=lambda i: "incorrect" if i == 0 else "correct")
    make_audits(
        make_decisions(nora, 2, case_type="ato_investigation", decided_at=utc(2026, 11, 23, 12)), auditor
    )
    make_decisions(sam, 5)
    return {"nora": nora, "sam": sam, "north": north, "south": south}


def _get(client, token, path):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("nora", 200),  # herself
        ("north_lead", 200),
        ("manager", 200),
        ("admin", 200),
        ("sam", 404),  # another agent
        ("south_lead", 404),  # another vendor's lead
        ("teamless_lead", 404),
    ],
)
def test_who_may_read_an_agents_quality(client, world, make_user, make_token, who, status):
    callers = {
        "nora": world["nora"],
        "sam": world["sam"],
        "north_lead": make_user("qa_lead", team=world["north"]),
        "south_lead": make_user("qa_lead", team=world["south"]),
        "teamless_lead": make_user("qa_lead"),
        "manager": make_user("manager"),
        "admin": make_user("admin"),
    }

    response = _get(client, make_token(callers[who]), "/api/v1/agents/nora/quality")

    assert response.status_code == status
    if status == 404:
        assert "nora" not in response.get_data(as_text=True)


def test_the_answer_has_the_documented_fields_and_honest_interval(client, world, make_user, make_token):
    body = _get(client, make_token(make_user("manager")), "/api/v1/agents/nora/quality").json

    assert set(body) == KEYS
    assert (body["agent"], body["audited"], body["correct"], body["benchmark"]) == ("nora", 22, 21, 0.98)
    assert body["accuracy"] == pytest.approx(21 / 22)
    assert body["ci95"] == pytest.approx(list(wilson(21, 22)))
    assert body["status"] == "inconclusive"


def test_nothing_audited_means_accuracy_null(client, world, make_token):
    body = _get(client, make_token(world["sam"]), "/api/v1/agents/sam/quality").json

    assert set(body) == KEYS
    assert (body["audited"], body["correct"], body["accuracy"], body["status"]) == (0, 0, None, "no_data")


@pytest.mark.parametrize(
    ("query", "audited", "correct"),
    [
        ("?case_type=kyc_audit", 20, 19),
        ("?case_type=ato_investigation", 2, 2),
        ("?since=2026-11-23", 2, 2),
        ("?until=2026-11-22", 20, 19),
        ("?since=2026-11-17&until=2026-11-17", 20, 19),  # the until day is included
        ("?since=2026-12-01", 0, 0),
    ],
)
def test_filters_narrow_the_count(client, world, make_token, query, audited, correct):
    body = _get(client, make_token(world["nora"]), f"/api/v1/agents/nora/quality{query}").json
    assert (body["audited"], body["correct"]) == (audited, correct)


@pytest.mark.parametrize("path", ["/api/v1/agents/nora/quality", "/api/v1/vendors/quality"])
@pytest.mark.parametrize(
    "query",
    [
        "?since=2026-13-01",
        "?until=tomorrow",
        "?since=24.11.2026",
        "?case_type=nope",
        "?since=2026-11-20&until=2026-11-10",
    ],
)
def test_bad_filters_answer_422(client, world, make_user, make_token, path, query):
    response = _get(client, make_token(make_user("manager")), f"{path}{query}")

    assert response.status_code == 422
    assert response.json["error"]


def test_unknown_agents_and_missing_tokens(client, world, make_user, make_token):
    assert _get(client, make_token(make_user("manager")), "/api/v1/agents/nobody/quality").status_code == 404
    assert client.get("/api/v1/agents/nora/quality").status_code == 401


def test_vendor_quality_for_managers(client, world, make_user, make_token):
    body = _get(client, make_token(make_user("manager")), "/api/v1/vendors/quality").json

    vendors = {v["vendor"]: v for v in body["vendors"]}
    assert set(vendors) == {"Northwind", "Southgate"}
    assert {k: vendors["Northwind"][k] for k in ("audited", "correct", "benchmark", "status")} == {
        "audited": 22,
        "correct": 21,
        "benchmark": 0.98,
        "status": "inconclusive",
    }
    assert vendors["Southgate"]["accuracy"] is None and vendors["Southgate"]["status"] == "no_data"


def test_a_lead_gets_their_vendor_only_and_agents_none(client, world, make_user, make_token):
    lead = make_token(make_user("qa_lead", team=world["south"]))

    body = _get(client, lead, "/api/v1/vendors/quality").json

    assert [v["vendor"] for v in body["vendors"]] == ["Southgate"]
    assert _get(client, make_token(world["nora"]), "/api/v1/vendors/quality").status_code == 403


def test_the_openapi_document_lists_the_quality_filters():
    for path in ("/api/v1/agents/{username}/quality", "/api/v1/vendors/quality"):
        names = {p["name"] for p in SPEC["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert names == {"case_type", "since", "until"}
