"""No per-row work: a page issues the same few SQL statements whatever the number of decisions."""

import itertools
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db as _db

PAGES = [
    "/dashboard",
    "/dashboard?sort=status&vendor=Northwind",
    "/dashboard/agents/{agent}",
    "/dashboard/decision-agent",
    "/dashboard/feedback",
    "/dashboard/coverage",
]
LABELS = itertools.cycle(["TP", "TN", "FP", "FN", "TN"])


@contextmanager
def statements(app):
    """Count the statements sent to the database inside the block."""
    with app.app_context():
        engine = _db.engine
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def grow(make_team, make_user, make_decisions, make_audits, make_findings, auditor):
    """A callable that adds decisions (a tenth audited, some with findings) spread over six agents in three
    teams of two vendors and two case types."""
    teams = [make_team("North A"), make_team("North B"), make_team("South", vendor="Southgate")]
    agents = [make_user("agent", team=teams[i % 3]) for i in range(6)]

    def add(count: int) -> None:
        for i, agent in enumerate(agents):
            n = count // len(agents)
            ids = make_decisions(
                agent,
                n,
                case_type="kyc_audit" if i % 2 else "ato_investigation",
                label=[next(LABELS) for _ in range(n)],
                root_cause=lambda j: "ABC"[j % 3],
                scenario=lambda j: f"kyc.s{j % 4}",
                has_critical=lambda j: j % 17 == 0,
            )
            make_audits(ids[::10], auditor, verdict=lambda j: "incorrect" if j % 7 == 0 else "correct")
            make_findings(ids[0], "key_user_not_escalated")

    add.agents = agents
    return add


def test_statements_do_not_grow_with_decisions(app, client, auth, grow):
    auth.login_as("manager")
    pages = [path.format(agent=grow.agents[1].id) for path in PAGES]

    counts = {path: [] for path in pages}
    for size in (204, 1800):  # 204 decisions, then 2,004
        grow(size)
        for path in pages:
            with statements(app) as seen:
                assert client.get(path).status_code == 200
            counts[path].append(len(seen))

    assert {path: small for path, (small, _large) in counts.items()} == {
        path: large for path, (_small, large) in counts.items()
    }
    assert max(large for _small, large in counts.values()) < 40, counts


def test_statements_do_not_grow_with_agents_and_teams(
    app, client, auth, make_team, make_user, make_decisions, make_audits, make_case_type, auditor
):
    make_case_type()
    auth.login_as("manager")
    teams = itertools.count()

    counts = {path: [] for path in ("/dashboard", "/dashboard/onboarding", "/dashboard/export/scores.csv")}
    for agents in (3, 27):  # 3 agents in 3 teams, then 30 in 30
        for _ in range(agents):
            agent = make_user("agent", team=make_team(vendor=f"Vendor {next(teams)}"))
            make_audits(make_decisions(agent, 2), auditor)
        for path in counts:
            with statements(app) as seen:
                client.get(path).get_data()  # exports stream: count the statements of the whole body
            counts[path].append(len(seen))

    assert all(small == large for small, large in counts.values()), counts
