"""Dashboard pages through the client: who sees what, the filters, the numbers on the page, and feedback
routing written as audit events."""

from datetime import timedelta

import pytest

from app.extensions import db as _db
from tests.conftest import utc
from tests.dashboard.conftest import fewest_clean_audits_to_clear, page_of


@pytest.fixture
def people(make_team, make_user, make_decisions, make_audits, auditor):
    """Nora (Northwind): 9 of 10 audits correct. Sam (Southgate): 4 of 4."""
    north, south = make_team("North", vendor="Northwind"), make_team("South", vendor="Southgate")
    nora = make_user("agent", username="nora", team=north)
    sam = make_user("agent", username="sam", team=south)
    make_audits(make_decisions(nora, 10), auditor, verdict=lambda i: "incorrect" if i == 0 else "correct")
    make_audits(make_decisions(sam, 4), auditor)
    return {"nora": nora, "sam": sam, "north": north, "south": south}


def _leaderboard(client, query="") -> dict[str, list[str]]:
    response = client.get(f"/dashboard{query}")
    assert response.status_code == 200
    return {row.cells[0]: row.cells for row in page_of(response).tables["leaderboard"]}


STAFF_ONLY = [
    "/dashboard",
    "/dashboard/decision-agent",
    "/dashboard/coverage",
    "/dashboard/onboarding",
    "/dashboard/feedback",
    "/dashboard/export/decisions.csv",
    "/dashboard/export/scores.jsonl",
]


def test_an_agent_sees_only_their_own_page(client, auth, people):
    auth.login("nora")

    response = client.get("/dashboard/me")

    assert response.status_code == 200
    assert "9 of 10 audited decisions correct" in response.get_data(as_text=True)
    for path in [
        *STAFF_ONLY,
        f"/dashboard/agents/{people['nora'].id}",
        f"/dashboard/agents/{people['sam'].id}",
    ]:
        assert client.get(path).status_code == 403, path


def test_signed_out_visitors_are_sent_to_log_in(client, people):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["qa_lead", "manager", "admin"])
def test_staff_have_no_my_quality_page(client, auth, role):
    auth.login_as(role)
    assert client.get("/dashboard/me").status_code == 403


def test_a_lead_sees_only_their_vendors_agents(client, auth, make_user, people):
    auth.login_as("qa_lead", team=people["north"])
    manager = make_user("manager")

    response = client.get("/dashboard")

    assert set(_leaderboard(client)) == {"Nora"}
    assert "vendors" not in page_of(response).tables
    assert client.get(f"/dashboard/agents/{people['nora'].id}").status_code == 200
    for other in (people["sam"].id, manager.id, 999_999):
        assert client.get(f"/dashboard/agents/{other}").status_code == 404
    # Asking for the other vendor shows nothing rather than their agents.
    assert _leaderboard(client, "?vendor=Southgate") == {
        "No decisions in this period.": ["No decisions in this period."]
    }


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_see_every_agent_and_the_vendor_table(client, auth, people, role):
    auth.login_as(role)

    page = page_of(client.get("/dashboard"))

    board = {row.cells[0]: row.cells for row in page.tables["leaderboard"]}
    assert board["Nora"][1:6] == ["North", "10", "90.0%", "59.6% – 98.2%", "inconclusive"]
    assert board["Sam"][1:6] == ["South", "4", "100.0%", "51.0% – 100.0%", "inconclusive"]
    assert [row.cells[:4] for row in page.tables["vendors"]] == [
        ["Northwind", "10", "10", "90.0%"],
        ["Southgate", "4", "4", "100.0%"],
    ]
    for person in ("nora", "sam"):
        assert client.get(f"/dashboard/agents/{people[person].id}").status_code == 200


def test_the_vendor_filter_narrows_both_tables(client, auth, people):
    auth.login_as("manager")

    page = page_of(client.get("/dashboard?vendor=Southgate"))

    assert [row.cells[0] for row in page.tables["leaderboard"]] == ["Sam"]
    assert [row.cells[0] for row in page.tables["vendors"]] == ["Southgate"]


@pytest.fixture
def graded(make_user, make_decisions, make_audits, auditor):
    """Agents whose audits settle each status, and one with decisions but no audits yet."""
    for name, correct, audited in [("ace", 300, 300), ("bea", 90, 100), ("cal", 49, 50), ("dee", 9, 10)]:
        agent = make_user("agent", username=name)
        make_audits(
            make_decisions(agent, audited),
            auditor,
            verdict=lambda i, c=correct: "correct" if i < c else "incorrect",
        )
    make_decisions(make_user("agent", username="eve"), 3)


def test_the_leaderboard_shows_status_only_with_evidence(client, auth, graded):
    auth.login_as("manager")

    rows = page_of(client.get("/dashboard")).tables["leaderboard"]

    assert {r.cells[0]: (r.cells[2], r.cells[3], r.cells[4], r.statuses) for r in rows} == {
        "Ace": ("300", "100.0%", "98.7% – 100.0%", ["above"]),
        "Bea": ("100", "90.0%", "82.6% – 94.5%", ["below"]),
        "Cal": ("50", "98.0%", "89.5% – 99.6%", ["inconclusive"]),
        "Dee": ("10", "90.0%", "59.6% – 98.2%", ["inconclusive"]),  # 90% of ten is no evidence of below
        "Eve": ("0", "—", "—", ["no_data"]),  # decisions, but no audits yet
    }


def test_the_agent_page_says_how_many_audits_would_settle_an_inconclusive_status(client, auth, graded):
    auth.login("cal")

    html = client.get("/dashboard/me").get_data(as_text=True)

    n = fewest_clean_audits_to_clear(49, 50)
    assert n > 0
    assert f"{n} more audits, all correct, would show accuracy above 98%" in html


def test_the_agent_page_shows_the_figures_a_manager_checks(
    client, auth, make_user, make_decisions, make_audits, make_findings, auditor
):
    agent = make_user("agent", username="ivy")
    right = make_decisions(agent, 6) + make_decisions(agent, 2, decision="block")
    make_audits(right, auditor)
    wrong = make_decisions(
        agent, 2, decision="pass", opened_at=utc(2026, 11, 16, 12), decided_at=utc(2026, 11, 17)
    )
    make_audits(wrong, auditor, verdict="incorrect", corrected_decision="block")
    make_findings(wrong[0], "key_user_not_escalated")
    auth.login_as("manager")

    response = client.get(f"/dashboard/agents/{agent.id}")
    page, html = page_of(response), response.get_data(as_text=True)

    assert "8 of 10 audited decisions correct" in html
    assert "SLA compliance: 80.0% of 10 decisions within 4 hours" in html
    assert page.cells("weeks") == [["2026-11-16", "10", "80.0%", "49.0% – 94.3%", "below 98%"]]
    assert page.cells("matrix") == [
        ["Pass", "6", "0", "0"],
        ["Block", "2", "2", "0"],
        ["Escalate", "0", "0", "0"],
    ]
    assert page.cells("classes")[1] == ["Block risk", "100.0%", "50.0%", "66.7%", "4"]
    assert page.cells("findings") == [["key_user_not_escalated", "critical", "1"]]


PAGES = ["/dashboard", "/dashboard/decision-agent", "/dashboard/coverage", "/dashboard/feedback"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-13-01", "since must be a date like 2026-11-24."),
        ("until=24/11/2026", "until must be a date like 2026-11-24."),
        ("since=2026-11-20&until=2026-11-10", "The start date must come before the end date."),
        ("since=2026-11-20&until=2026-11-19", "The start date must come before the end date."),
        ("case_type=no_such_type", "Unknown case type."),
    ],
)
def test_bad_filters_answer_422_with_the_reason(client, auth, make_user, query, message):
    agent = make_user("agent")
    auth.login_as("manager")

    for path in [*PAGES, f"/dashboard/agents/{agent.id}"]:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
        assert message in response.get_data(as_text=True), path


@pytest.mark.parametrize("kind", ["decisions", "audits", "scores"])
def test_exports_refuse_bad_filters(client, auth, kind):
    auth.login_as("manager")
    assert client.get(f"/dashboard/export/{kind}.csv?since=yesterday").status_code == 422


@pytest.mark.parametrize(
    ("query", "audited"),
    [
        ("", "10"),
        ("?since=2026-11-17&until=2026-11-17", "10"),  # the until day is included
        ("?until=2026-11-16", "0"),
        ("?since=2026-11-18", "0"),
        ("?case_type=kyc_audit", "10"),
        ("?case_type=ato_investigation", "0"),
    ],
)
def test_period_and_case_type_filters_on_the_agent_page(client, auth, people, make_case_type, query, audited):
    make_case_type("ato_investigation", "ATO investigation", "ATO")
    auth.login_as("manager")

    response = client.get(f"/dashboard/agents/{people['nora'].id}{query}")

    assert response.status_code == 200
    weeks = page_of(response).cells("weeks")
    assert sum(int(w[1]) for w in weeks) == int(audited)


def test_the_coverage_page_shows_share_and_gaps(client, auth, make_user, make_decisions, make_case_type, app):
    from app.cases.models import CaseType
    from app.sop.services import save_sop

    kyc = make_case_type()
    agent = make_user("agent")
    make_decisions(agent, 3)
    make_decisions(agent, 1, scenario="kyc.sanctions_hit")
    with app.app_context():
        save_sop(
            _db.session.get(CaseType, kyc.id), "# KYC\n\n## 1. Documents\nCovers: kyc.doc_tamper\n", "", None
        )
        _db.session.commit()
    auth.login_as("manager")

    html = client.get("/dashboard/coverage").get_data(as_text=True)

    assert "75.0%" in html and "3 of 4 decisions covered" in html
    assert '<code>kyc.sanctions_hit</code></td><td class="num">1</td>' in html


def test_the_onboarding_funnel_page_lists_teams(client, auth, make_team, make_user, make_case_type):
    make_case_type()
    team = make_team("Gamma")
    make_user("agent", team=team)
    make_user("agent", team=team)
    auth.login_as("manager")

    assert page_of(client.get("/dashboard/onboarding")).cells("funnel") == [
        ["Gamma", "2", "0", "0", "0", "0", "0", "0"]
    ]


def test_an_agents_quality_stays_within_the_default_twelve_weeks(
    client, auth, make_user, make_decisions, make_audits, auditor
):
    from tests.dashboard.conftest import NOW

    agent = make_user("agent", username="old")
    make_audits(make_decisions(agent, 5, decided_at=NOW - timedelta(weeks=13)), auditor)
    make_audits(make_decisions(agent, 2, decided_at=NOW - timedelta(weeks=11)), auditor)
    auth.login("old")

    assert "2 of 2 audited decisions correct" in client.get("/dashboard/me").get_data(as_text=True)
