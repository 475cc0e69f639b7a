"""The team-day rollups behind SOP coverage, the FP/FN Pareto and the error confidence histogram
(DailyScenario, DailyErrorConfidence): filled by bulk ingest, the CLI import, migration 0006 and
`rollup.rebuild()`, moved with an agent who changes team, and read through the dashboard filters. Each
test checks hand-computed rows or query answers and that the incremental rows equal a rebuild."""

from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app.auth.models import Team, User
from app.auth.services import update_user
from app.dashboard import queries
from app.dashboard.queries import Filters
from app.extensions import db as _db
from app.qa.decisions import ingest
from app.qa.decisions.ingest_format import validate_decisions
from app.qa.quality import rollup
from app.qa.quality.models import DailyErrorConfidence, DailyScenario
from tests.conftest import utc
from tests.qa.decisions.ingest_support import decision
from tests.qa.quality.rollup_support import assert_same_as_rebuild, cli_import

D17, D18, D19 = utc(2026, 11, 17), utc(2026, 11, 18), utc(2026, 11, 19)
LATE, EARLY = "2026-11-17T23:30:00Z", "2026-11-18T00:10:00Z"  # UTC days 17 and 18, 40 minutes apart
OPENED = "2026-11-17T22:00:00Z"
TAMPER, NAME = "kyc.doc_tamper", "kyc.name_mismatch"
CONFIDENCES = (0.0, 0.049, 0.05, 0.849, 0.85, 0.999, 1.0)  # buckets 0, 0, 1, 16, 17, 19, 19


@pytest.fixture
def people(app, make_case_type, make_team, make_user):
    """Case types kyc_audit and aml_review; ana in a Northwind team, bo in a Contoso team, cy in none."""
    kyc = make_case_type()
    aml = make_case_type(slug="aml_review", name="AML Review", sop_prefix="AML")
    north, contoso = make_team(vendor="Northwind BPO"), make_team(vendor="Contoso")
    make_user("agent", username="ana", team=north)
    make_user("agent", username="bo", team=contoso)
    make_user("agent", username="cy")
    with app.app_context():
        known = ingest.known_people_and_types()
    return SimpleNamespace(known=known, kyc=kyc.id, aml=aml.id, north=north.id, contoso=contoso.id)


def rows(known, *items) -> list[dict]:
    checked = validate_decisions(enumerate(items), known)
    assert checked.errors == []
    return checked.rows


def table_rows(model) -> dict[tuple, int]:
    """{key: decisions} of one team rollup."""
    key = rollup.SCENARIO_KEY if model is DailyScenario else rollup.CONFIDENCE_KEY
    columns = [model.__table__.c[name] for name in (*key, "decisions")]
    return {tuple(row[:-1]): row[-1] for row in _db.session.execute(select(*columns))}


def snapshot() -> tuple[dict, dict]:
    return table_rows(DailyScenario), table_rows(DailyErrorConfidence)


def ask(query, **filters) -> set:
    """A query's answer as a set, checking it has no repeated rows."""
    answer = query(Filters(**filters))
    assert len(set(answer)) == len(answer), answer
    return set(answer)


def at(n: int, decided_at: str, **fields) -> dict:
    return decision(n, opened_at=OPENED, decided_at=decided_at, **fields)


def mixed(agent="ana") -> list[dict]:
    """Scenarios (one missing), labels (one missing) and root causes over UTC days 17 and 18."""
    return [
        at(1, LATE, agent=agent),  # TN
        at(2, LATE, agent=agent, label="TP", root_cause="B"),  # a root cause only counts on FP/FN
        at(3, LATE, agent=agent, label="FP", root_cause="A"),
        at(4, LATE, agent=agent, label="FP", root_cause="A"),
        at(5, EARLY, agent=agent, label="FN", root_cause="B"),
        # 07:30 at +08:00 is 23:30 UTC on the 17th
        at(6, "2026-11-18T07:30:00+08:00", agent=agent, scenario=NAME, label="FN", root_cause="C"),
        at(7, EARLY, agent=agent, scenario=None, label="FP"),  # no scenario, no root cause
        at(8, EARLY, agent=agent, scenario=None),
        at(9, EARLY, agent=agent, scenario=NAME, label=None),
        at(10, EARLY, agent=agent, scenario=NAME, label="FP", root_cause="A"),
    ]


def edges(agent: str, start: int) -> list[dict]:
    """FP at every edge confidence, FN at three of them, and TP/TN that the histogram leaves out."""
    labelled = [("FP", "A", c) for c in CONFIDENCES] + [("FN", "B", c) for c in (0.049, 0.85, 1.0)]
    labelled += [("TP", None, 0.0), ("TN", None, 1.0)]
    return [
        decision(start + i, agent=agent, label=label, root_cause=cause, confidence=c)
        for i, (label, cause, c) in enumerate(labelled)
    ]


def test_ingest_counts_scenarios_root_causes_and_labels_by_utc_day(db, people):
    team, kyc = people.north, people.kyc
    assert ingest.store_decisions(rows(people.known, *mixed())) == ingest.Stored(10, 0)
    expected = {
        (team, kyc, D17, TAMPER, "", ""): 2,
        (team, kyc, D17, TAMPER, "A", "FP"): 2,
        (team, kyc, D17, NAME, "C", "FN"): 1,
        (team, kyc, D18, TAMPER, "B", "FN"): 1,
        (team, kyc, D18, "", "", "FP"): 1,
        (team, kyc, D18, "", "", ""): 1,
        (team, kyc, D18, NAME, "", ""): 1,
        (team, kyc, D18, NAME, "A", "FP"): 1,
    }
    assert table_rows(DailyScenario) == expected
    both_days = {"since": D17, "until": D19}
    assert ask(queries.volume_by_scenario, **both_days) == {(kyc, TAMPER, 5), (kyc, NAME, 3), (kyc, None, 2)}
    day18 = {(kyc, TAMPER, 1), (kyc, NAME, 2), (kyc, None, 2)}
    assert ask(queries.volume_by_scenario, since=D18, until=D19) == day18
    pareto = queries.error_pareto(Filters(**both_days))
    assert pareto[0] == (kyc, TAMPER, "A", "FP", 2) and len(pareto) == 5  # the largest first
    ones = {(kyc, TAMPER, "B", "FN"), (kyc, NAME, "C", "FN"), (kyc, None, None, "FP"), (kyc, NAME, "A", "FP")}
    assert set(pareto[1:]) == {(*key, 1) for key in ones}
    assert table_rows(DailyErrorConfidence) == {  # confidence 0.7: bucket 14
        (team, kyc, D17, "FP", 14): 2,
        (team, kyc, D17, "FN", 14): 1,
        (team, kyc, D18, "FN", 14): 1,
        (team, kyc, D18, "FP", 14): 2,
    }
    assert_same_as_rebuild()

    first = mixed()
    overlapping = [*first[2:7:2], at(11, LATE, label="FP", root_cause="A"), at(12, EARLY, scenario=None)]
    assert ingest.ingest_decisions(rows(people.known, *overlapping), None, "api") == ingest.Stored(2, 3)
    expected[(team, kyc, D17, TAMPER, "A", "FP")] = 3
    expected[(team, kyc, D18, "", "", "")] = 2
    assert table_rows(DailyScenario) == expected
    assert queries.error_pareto(Filters(**both_days))[0] == (kyc, TAMPER, "A", "FP", 3)
    assert ask(queries.volume_by_scenario, **both_days) == {(kyc, TAMPER, 6), (kyc, NAME, 3), (kyc, None, 3)}
    assert_same_as_rebuild()


def test_error_confidence_buckets_are_twentieths_capped_at_19(db, people):
    team, kyc = people.north, people.kyc
    assert ingest.store_decisions(rows(people.known, *edges("ana", 1))) == ingest.Stored(12, 0)
    buckets = {("FP", 0): 2, ("FP", 1): 1, ("FP", 16): 1, ("FP", 17): 1, ("FP", 19): 2}
    buckets |= {("FN", 0): 1, ("FN", 17): 1, ("FN", 19): 1}
    assert table_rows(DailyErrorConfidence) == {(team, kyc, D17, *key): n for key, n in buckets.items()}
    histogram = {(label, bucket, n) for (label, bucket), n in buckets.items()}
    assert ask(queries.error_confidence_histogram) == histogram
    assert ask(queries.error_confidence_histogram, since=D17, until=D18) == histogram
    assert ask(queries.error_confidence_histogram, since=D18) == set()
    assert_same_as_rebuild()


def test_decisions_follow_their_agent_to_a_new_team(app, make_user, people):
    admin = make_user("admin")
    p, ana = people, people.known.agents["ana"]
    volume, pareto, histogram = (
        queries.volume_by_scenario,
        queries.error_pareto,
        queries.error_confidence_histogram,
    )
    first = [
        decision(1, decided_at=LATE, label="FP", root_cause="A", confidence=0.7),  # ana, Northwind
        decision(2, case_type="aml_review"),
        decision(3, agent="bo", decided_at=EARLY, label="FN", root_cause="B", confidence=0.9),  # Contoso
        decision(4, agent="cy", decided_at=LATE, label="FP", root_cause="A", confidence=0.3),  # no team
    ]
    with app.app_context():
        ingest.store_decisions(rows(p.known, *first))
        _db.session.commit()
        assert {key[0] for key in table_rows(DailyScenario)} == {p.north, p.contoso, 0}
        assert ask(volume) == {(p.kyc, TAMPER, 3), (p.aml, TAMPER, 1)}
        assert ask(volume, team_id=p.north) == {(p.kyc, TAMPER, 1), (p.aml, TAMPER, 1)}
        assert ask(volume, vendor="Contoso") == {(p.kyc, TAMPER, 1)}
        assert ask(volume, vendor="Northwind BPO", case_type_id=p.aml) == {(p.aml, TAMPER, 1)}
        assert ask(volume, case_type_id=p.kyc) == {(p.kyc, TAMPER, 3)}
        assert ask(volume, since=D18) == {(p.kyc, TAMPER, 1)}
        assert ask(volume, until=D18) == {(p.kyc, TAMPER, 2), (p.aml, TAMPER, 1)}
        assert ask(pareto) == {(p.kyc, TAMPER, "A", "FP", 2), (p.kyc, TAMPER, "B", "FN", 1)}
        assert ask(pareto, team_id=p.contoso) == {(p.kyc, TAMPER, "B", "FN", 1)}
        assert ask(histogram) == {("FP", 14, 1), ("FP", 6, 1), ("FN", 18, 1)}
        assert ask(histogram, vendor="Northwind BPO") == {("FP", 14, 1)}
        assert ask(histogram, vendor="Contoso", until=D18) == set()
        for query in (volume, pareto, histogram):
            with pytest.raises(ValueError):
                query(Filters(agent_id=ana))

        # An admin moves ana to Contoso, and cy (no team) to Northwind: their history follows them.
        actor = _db.session.get(User, admin.id)
        for name, team in (("ana", p.contoso), ("cy", p.north)):
            person = _db.session.get(User, p.known.agents[name])
            update_user(
                person, display_name=name, role="agent", team=_db.session.get(Team, team), actor=actor
            )
        _db.session.commit()
        assert ask(volume, team_id=p.north) == {(p.kyc, TAMPER, 1)}  # cy's
        assert ask(volume, team_id=p.contoso) == {(p.kyc, TAMPER, 2), (p.aml, TAMPER, 1)}
        assert ask(pareto, vendor="Contoso") == {(p.kyc, TAMPER, "A", "FP", 1), (p.kyc, TAMPER, "B", "FN", 1)}
        assert ask(histogram, vendor="Northwind BPO") == {("FP", 6, 1)}
        assert {key[0] for key in table_rows(DailyScenario)} == {p.north, p.contoso}  # no empty rows left
        assert_same_as_rebuild()

        moved = [decision(5, decided_at=EARLY, label="FP", root_cause="A", confidence=0.7)]
        ingest.store_decisions(rows(p.known, *moved))
        _db.session.commit()
        assert ask(volume, team_id=p.contoso) == {(p.kyc, TAMPER, 3), (p.aml, TAMPER, 1)}
        assert ask(histogram, vendor="Contoso") == {("FP", 14, 2), ("FN", 18, 1)}
        assert ask(volume) == {(p.kyc, TAMPER, 4), (p.aml, TAMPER, 1)}
        assert_same_as_rebuild()


def test_the_migration_fills_both_team_rollups_like_a_rebuild(app, people):
    with app.app_context():
        items = [*mixed("ana"), *edges("cy", 100), at(200, EARLY, agent="bo", label="FN", root_cause="C")]
        ingest.store_decisions(rows(people.known, *items))
        _db.session.commit()
        before = snapshot()
        assert len(before[0]) == 8 + 3 + 1 and len(before[1]) == 4 + 8 + 1
        _db.session.close()  # hold no lock on the tables the downgrade drops
        try:
            downgrade(revision="0005")
            tables = inspect(_db.engine).get_table_names()
            assert "daily_scenarios" not in tables and "daily_error_confidence" not in tables
        finally:
            upgrade()  # never leave the shared test database behind head
        assert snapshot() == before
        assert_same_as_rebuild()


def generated(n: int) -> dict:
    """Decision n of the CLI file: ten minutes apart from 2026-11-17 00:00 UTC, ana (Northwind) for even n
    and cy (no team) for odd; scenarios, labels (one in five missing), root causes and confidences cycle."""
    decided = utc(2026, 11, 17) + timedelta(minutes=10 * n)
    return decision(
        n,
        agent=("ana", "cy")[n % 2],
        scenario=(TAMPER, NAME, None)[n % 3],
        label=("TP", "FP", "FN", "TN", None)[n % 5],
        root_cause=("A", "B", "C", None)[n % 4],
        confidence=(n % 21) / 20,
        opened_at=(decided - timedelta(hours=1)).isoformat(),
        decided_at=decided.isoformat(),
    )


def totals() -> tuple[Counter, Counter, Counter]:
    """Decisions by team and by day, and FP/FN by team, summed from the rollup rows."""
    scenarios, confidence = snapshot()
    by_team, by_day, errors = Counter(), Counter(), Counter()
    for (team, _type, day, *_rest), n in scenarios.items():
        by_team[team] += n
        by_day[day] += n
    for (team, *_rest), n in confidence.items():
        errors[team] += n
    return by_team, by_day, errors


def test_the_cli_import_fills_both_team_rollups(app, runner, tmp_path, people):
    north, path = people.north, tmp_path / "decisions.csv"
    cli_import(runner, path, (generated(n) for n in range(250)), created=250, duplicates=0)
    with app.app_context():
        # day 17: n = 0 .. 143; n % 5 in (1, 2) are FP/FN: 50 of ana's and 50 of cy's
        assert totals() == ({north: 125, 0: 125}, {D17: 144, D18: 106}, {north: 50, 0: 50})
        assert_same_as_rebuild()

    cli_import(runner, path, (generated(n) for n in range(200, 300)), created=50, duplicates=50)
    with app.app_context():
        assert totals() == ({north: 150, 0: 150}, {D17: 144, D18: 144, D19: 12}, {north: 60, 0: 60})
        assert_same_as_rebuild()
