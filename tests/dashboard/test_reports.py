"""Dashboard read models against hand-computed figures (service tests)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import CaseType
from app.dashboard import reports
from app.dashboard.queries import Filters
from app.onboarding.models import Attempt, AttemptItem, Certification
from app.sop.services import save_sop
from tests.conftest import utc
from tests.dashboard.conftest import NOW, fewest_clean_audits_to_clear, wilson

PERIOD = Filters(since=utc(2026, 9, 2))  # the dashboards' default: the 12 weeks up to NOW's day
WEEK_48 = utc(2026, 11, 23, 10)


def test_the_wilson_helper_matches_newcombes_published_example():
    # Newcombe (1998), table I: 81 of 263 gives 0.2553 to 0.3662.
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


@pytest.fixture
def ana(make_user, make_team, make_decisions, make_audits, make_findings, auditor):
    """One agent's audited week, built so each rule changes the figures:

    - 5 passes and 3 blocks audited correct;
    - 2 passes audited incorrect (should have been block), 1 escalate likewise;
    - 1 block audited incorrect (corrected to pass) whose dispute was overturned: it counts as correct;
    - 1 pass audited correct whose second review said incorrect: only the first audit counts;
    - 2 decisions not audited; then 4 correct passes in the next week.
    Three decisions took 5 hours (outside the SLA), two carry a critical finding.
    """
    agent = make_user("agent", username="ana", team=make_team("Alpha", vendor="Northwind"))
    second = make_user("qa_lead", username="second")
    correct = make_decisions(agent, 5) + make_decisions(agent, 3, decision="block")
    make_audits(correct, auditor)
    wrong = make_decisions(agent, 2) + make_decisions(agent, 1, decision="escalate")
    make_audits(wrong, auditor, verdict="incorrect", corrected_decision="block")
    (overturned,) = make_decisions(agent, 1, decision="block")
    make_audits(
        [overturned], auditor, verdict="incorrect", effective_verdict="correct", corrected_decision="pass"
    )
    (reviewed,) = make_decisions(agent, 1)
    make_audits([reviewed], auditor)
    make_audits([reviewed], second, verdict="incorrect", corrected_decision="block", is_second_review=True)
    slow = make_decisions(agent, 2, opened_at=utc(2026, 11, 17, 6), decided_at=utc(2026, 11, 17, 11))
    (late,) = make_decisions(
        agent,
        decision="escalate",
        has_critical=True,
        opened_at=utc(2026, 11, 18, 1),
        decided_at=utc(2026, 11, 18, 6),
    )
    make_findings(late, "key_user_not_escalated")
    make_findings(slow[0], "key_user_not_escalated")
    make_findings(slow[1], "rationale_missing", "minor")
    next_week = make_decisions(agent, 4, decided_at=lambda i: WEEK_48 + timedelta(minutes=i))
    make_audits(next_week, auditor)
    make_decisions(agent, 1, has_critical=True)
    return agent


def test_audited_accuracy_counts_first_audits_after_disputes(db, ana):
    quality = reports.agent_quality(ana, PERIOD)

    low, high = wilson(14, 17)
    assert quality["overall"]["correct"] == 14 and quality["overall"]["n"] == 17
    assert quality["overall"]["estimate"] == pytest.approx(14 / 17)
    assert (quality["overall"]["low"], quality["overall"]["high"]) == (
        pytest.approx(low),
        pytest.approx(high),
    )
    assert quality["overall"]["status"] == "below"  # the interval tops out at 93%: evidence, not chance
    assert [(w["week"], w["correct"], w["n"]) for w in quality["weeks"]] == [
        ("2026-11-16", 10, 13),
        ("2026-11-23", 4, 4),
    ]


def test_confusion_matrix_takes_the_corrected_decision_as_reference(db, ana):
    quality = reports.agent_quality(ana, PERIOD)

    # rows: reference pass, block, escalate; columns: given pass, block, escalate
    assert quality["matrix"] == [[10, 0, 0], [2, 4, 1], [0, 0, 0]]
    scores = {c.label: c for c in quality["classes"]}
    assert (scores["block"].precision, scores["block"].recall) == (1.0, pytest.approx(4 / 7))
    assert (scores["pass"].precision, scores["pass"].recall) == (pytest.approx(10 / 12), 1.0)
    assert scores["escalate"].precision == 0.0 and scores["escalate"].recall is None
    assert [c.support for c in quality["classes"]] == [10, 7, 0]


def test_sla_share_critical_count_and_findings_by_code(db, ana):
    quality = reports.agent_quality(ana, PERIOD)

    assert quality["activity"] == {"decisions": 21, "within_sla": 18, "critical": 2}
    assert quality["sla"] == pytest.approx(18 / 21)
    assert sorted(quality["findings"]) == [
        ("key_user_not_escalated", "critical", 2),
        ("rationale_missing", "minor", 1),
    ]


def test_filters_narrow_the_agent_figures_to_the_period(db, ana):
    quality = reports.agent_quality(ana, Filters(since=utc(2026, 11, 23), until=utc(2026, 11, 30)))

    assert (quality["overall"]["correct"], quality["overall"]["n"]) == (4, 4)
    assert quality["matrix"] == [[4, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert quality["activity"]["decisions"] == 4


@pytest.mark.parametrize(
    ("correct", "audited", "status"),
    [
        (300, 300, "above"),
        (90, 100, "below"),
        (49, 50, "inconclusive"),
        (9, 10, "inconclusive"),
        (0, 0, "no_data"),
    ],
)
def test_assessment_status_and_audits_to_settle(correct, audited, status):
    result = reports.assessment_dict(correct, audited)

    assert result["status"] == status
    if audited:
        assert (result["low"], result["high"]) == pytest.approx(wilson(correct, audited))
    else:
        assert result["estimate"] is result["low"] is result["high"] is None
    if status == "inconclusive":
        assert result["to_settle"] == fewest_clean_audits_to_clear(correct, audited) > 0
    else:
        assert result["to_settle"] is None


@pytest.fixture
def vendors(make_user, make_team, make_decisions, make_audits, auditor):
    """Northwind: two teams, 30 decisions, 19 of 20 audits correct, 1 critical. Southgate: 8 decisions, 2 of 4
    correct, 2 critical. An agent without a team belongs to no vendor."""
    north_a = make_user("agent", username="nora", team=make_team("North A", vendor="Northwind"))
    north_b = make_user("agent", username="noel", team=make_team("North B", vendor="Northwind", site="Cebu"))
    south = make_user("agent", username="sam", team=make_team("South", vendor="Southgate", site="Lagos"))
    loner = make_user("agent", username="lone")
    decisions = make_decisions(north_a, 20, has_critical=lambda i: i == 0)
    make_audits(decisions[:10], auditor, verdict=lambda i: "incorrect" if i == 0 else "correct")
    make_audits(make_decisions(north_b, 10, case_type="ato_investigation"), auditor)
    decisions = make_decisions(south, 8, has_critical=lambda i: i < 2)
    make_audits(decisions[:4], auditor, verdict=["correct", "incorrect", "correct", "incorrect"])
    make_audits(make_decisions(loner, 3), auditor)
    return {"nora": north_a, "noel": north_b, "sam": south, "lone": loner}


def test_vendor_comparison_against_the_benchmark(db, vendors):
    rows = {r["vendor"]: r for r in reports.vendor_comparison(PERIOD)}

    assert set(rows) == {"Northwind", "Southgate"}
    north, south = rows["Northwind"], rows["Southgate"]
    assert (north["decisions"], north["n"], north["correct"], north["critical"]) == (30, 20, 19, 1)
    assert north["critical_rate"] == pytest.approx(1 / 30)
    assert (north["low"], north["high"]) == pytest.approx(wilson(19, 20))
    assert north["status"] == "inconclusive"
    assert (south["decisions"], south["n"], south["correct"], south["critical"]) == (8, 4, 2, 2)
    assert south["critical_rate"] == 0.25 and south["status"] == "below"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(vendor="Southgate"), {"Southgate": (8, 4)}),
        (Filters(case_type_id=-1), {}),
        (Filters(until=utc(2026, 11, 1)), {}),
    ],
)
def test_vendor_comparison_follows_the_filters(db, vendors, filters, expected):
    assert {r["vendor"]: (r["decisions"], r["n"]) for r in reports.vendor_comparison(filters)} == expected


def test_vendor_comparison_by_case_type(db, vendors, case_type_id):
    rows = reports.vendor_comparison(Filters(case_type_id=case_type_id("ato_investigation")))
    assert [(r["vendor"], r["decisions"], r["n"], r["correct"]) for r in rows] == [("Northwind", 10, 10, 10)]


def test_leaderboard_rows_for_a_manager(db, vendors, make_user):
    manager = db.session.get(User, make_user("manager").id)

    rows = {r["agent"].username: r for r in reports.leaderboard(PERIOD, manager)}

    assert set(rows) == {"nora", "noel", "sam", "lone"}
    assert (rows["nora"]["n"], rows["nora"]["correct"], rows["nora"]["critical"]) == (10, 9, 1)
    assert rows["nora"]["decisions"] == 20 and rows["nora"]["sla"] == 1.0
    assert rows["sam"]["status"] == "below" and rows["noel"]["status"] == "inconclusive"


@pytest.mark.parametrize(
    ("sort", "groups"),
    [
        ("accuracy", [{"noel", "lone"}, {"nora"}, {"sam"}]),  # 100%, 100%, 90%, 50%
        ("n", [{"nora", "noel"}, {"sam"}, {"lone"}]),  # 10, 10, 4, 3 audits
        ("agent", [{"lone"}, {"noel"}, {"nora"}, {"sam"}]),
        ("status", [{"sam"}, {"nora", "noel", "lone"}]),  # below first, then inconclusive
        ("nonsense", [{"noel", "lone"}, {"nora"}, {"sam"}]),  # falls back to accuracy
    ],
)
def test_leaderboard_sorting(db, vendors, make_user, sort, groups):
    manager = db.session.get(User, make_user("manager").id)
    names = [r["agent"].username for r in reports.leaderboard(PERIOD, manager, sort)]
    bounds = [sum(len(g) for g in groups[:i]) for i in range(len(groups) + 1)]
    assert [set(names[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)] == groups  # ties in any order


def test_a_lead_sees_only_their_vendors_agents(db, vendors, make_user, make_team):
    lead = db.session.get(User, make_user("qa_lead", team=make_team("North QA", vendor="Northwind")).id)
    teamless = db.session.get(User, make_user("qa_lead").id)

    assert {r["agent"].username for r in reports.leaderboard(PERIOD, lead)} == {"nora", "noel"}
    assert reports.leaderboard(PERIOD, teamless) == []


def test_trend_compares_the_last_four_weeks_with_the_four_before(
    db, make_user, make_decisions, make_audits, auditor
):
    agent = make_user("agent", username="tia")
    manager = db.session.get(User, make_user("manager").id)
    before = make_decisions(agent, 10, decided_at=NOW - timedelta(weeks=6))
    make_audits(before, auditor, verdict=lambda i: "incorrect" if i < 2 else "correct")
    make_audits(make_decisions(agent, 10, decided_at=NOW - timedelta(weeks=1)), auditor)

    (row,) = reports.leaderboard(PERIOD, manager)

    assert row["trend"] == pytest.approx(1.0 - 0.8)
    assert (row["correct"], row["n"]) == (18, 20)


def test_leaderboard_counts_standing_certifications(db, make_user, make_decisions, case_type_id):
    agent = make_user("agent", username="cy")
    manager = db.session.get(User, make_user("manager").id)
    make_decisions(agent)
    db.session.add_all(
        [
            Certification(user_id=agent.id, case_type_id=case_type_id("kyc_audit"), certified_at=NOW),
            Certification(user_id=agent.id, case_type_id=case_type_id("reset_2fa"), certified_at=NOW),
            Certification(
                user_id=agent.id, case_type_id=case_type_id("poa_review"), certified_at=NOW, suspended_at=NOW
            ),
        ]
    )
    db.session.commit()

    (row,) = reports.leaderboard(PERIOD, manager)

    assert row["certifications"] == 2 and row["status"] == "no_data" and row["estimate"] is None


SOP_V1 = """# KYC SOP

## 1. Documents
Covers: kyc.doc_tamper, kyc.name_mismatch

## 2. Selfies
Covers: kyc.selfie_mismatch
"""
SOP_V2 = """# KYC SOP

## 1. Documents
Covers: kyc.doc_tamper, kyc.name_mismatch

## 2. Sanctions
Covers: kyc.sanctions_hit
"""


@pytest.fixture
def coverage_world(db, make_user, make_decisions, case_type_id):
    agent = make_user("agent")
    for scenario, n in [
        ("kyc.doc_tamper", 6),
        ("kyc.name_mismatch", 2),
        ("kyc.sanctions_hit", 3),
        ("kyc.selfie_mismatch", 2),
        (None, 1),
    ]:
        make_decisions(agent, n, scenario=scenario)
    make_decisions(agent, 4, case_type="ato_investigation", scenario="ato.new_device")
    return db.session.get(CaseType, case_type_id("kyc_audit")), case_type_id("ato_investigation")


def test_sop_coverage_counts_scenarios_of_the_current_version(db, coverage_world):
    kyc, ato_id = coverage_world
    save_sop(kyc, SOP_V1, "first", None)
    db.session.commit()
    rows = {r["case_type_id"]: r for r in reports.sop_coverage(PERIOD)}
    assert (rows[kyc.id]["covered"], rows[kyc.id]["total"]) == (10, 14)
    assert rows[kyc.id]["gaps"] == [("kyc.sanctions_hit", 3), (None, 1)]

    save_sop(kyc, SOP_V2, "sanctions instead of selfies", None)
    db.session.commit()
    rows = {r["case_type_id"]: r for r in reports.sop_coverage(PERIOD)}

    assert rows[kyc.id]["share"] == pytest.approx(11 / 14)  # 78.6%: still under the 80% target
    assert rows[kyc.id]["gaps"] == [("kyc.selfie_mismatch", 2), (None, 1)]
    assert rows[ato_id] | {"gaps": None} == {
        "case_type_id": ato_id,
        "total": 4,
        "covered": 0,
        "share": 0.0,
        "gaps": None,
    }
    assert rows[ato_id]["gaps"] == [("ato.new_device", 4)]


def _attempt(db, agent_id, type_id, kind, golden_id, *, submitted=True, passed=None, answered=True):
    attempt = Attempt(
        user_id=agent_id,
        case_type_id=type_id,
        kind=kind,
        status="submitted" if submitted else "open",
        started_at=NOW - timedelta(days=30),
        submitted_at=NOW - timedelta(days=29) if submitted else None,
        passed=passed,
        decision_correct=1 if answered else None,
    )
    attempt.items = [
        AttemptItem(
            golden_case_id=golden_id,
            position=1,
            shown_at=NOW - timedelta(days=30),
            answered_at=NOW - timedelta(days=30) if answered else None,
            decision="block",
            decision_ok=True,
        )
    ]
    db.session.add(attempt)


def test_onboarding_funnel_by_team(db, clock, make_user, make_team, make_golden_case, case_type_id):
    golden = make_golden_case()
    kyc = case_type_id("kyc_audit")
    alpha, beta = make_team("Alpha"), make_team("Beta", vendor="Southgate")
    people = {
        name: make_user("agent", username=name, team=alpha)
        for name in ("new", "practising", "examined", "certified", "expired", "suspended")
    }
    make_user("agent", username="gone", team=alpha, active=False)
    make_user("qa_lead", username="lead", team=alpha)
    expiring = make_user("agent", username="expiring", team=beta)
    _attempt(db, people["practising"].id, kyc, "practice", golden)
    _attempt(db, people["examined"].id, kyc, "practice", golden)
    _attempt(db, people["examined"].id, kyc, "exam", golden, passed=False)
    _attempt(db, people["new"].id, kyc, "exam", golden, submitted=False, answered=False)  # still open
    _attempt(db, people["certified"].id, kyc, "exam", golden, passed=True)
    for name, expires, suspended in [
        ("certified", NOW + timedelta(days=300), None),
        ("expired", NOW - timedelta(days=1), None),
        ("suspended", NOW + timedelta(days=300), NOW - timedelta(days=2)),
    ]:
        db.session.add(
            Certification(
                user_id=people[name].id,
                case_type_id=kyc,
                certified_at=NOW - timedelta(days=60),
                expires_at=expires,
                suspended_at=suspended,
            )
        )
    db.session.add(
        Certification(
            user_id=expiring.id, case_type_id=kyc, certified_at=NOW, expires_at=NOW + timedelta(days=5)
        )
    )
    db.session.commit()

    funnel = {row.pop("team"): row for row in reports.onboarding_funnel()}

    assert funnel == {
        "Alpha": {
            "agents": 6,
            "started": 5,
            "practising": 2,
            "exam": 2,
            "certified": 1,
            "expired": 1,
            "suspended": 1,
        },
        # Inside the re-certification window an agent is still certified.
        "Beta": {
            "agents": 1,
            "started": 1,
            "practising": 0,
            "exam": 0,
            "certified": 1,
            "expired": 0,
            "suspended": 0,
        },
    }


def test_exam_series_follows_the_period(db, make_user, make_golden_case, case_type_id):
    golden = make_golden_case()
    agent = make_user("agent")
    for submitted, correct in [(NOW - timedelta(weeks=30), 1), (utc(2026, 11, 18, 12), 1)]:
        attempt = Attempt(
            user_id=agent.id,
            case_type_id=case_type_id(),
            kind="exam",
            status="submitted",
            started_at=submitted,
            submitted_at=submitted,
            passed=True,
            decision_correct=correct,
        )
        attempt.items = [AttemptItem(golden_case_id=golden, position=1, shown_at=submitted)]
        db.session.add(attempt)
    db.session.commit()

    points = reports.agent_quality(agent, PERIOD)["exams"]

    assert points == [{"week": "2026-11-16", "estimate": 1.0, "passed": True}]
    assert db.session.scalar(select(Attempt.id).where(Attempt.submitted_at < PERIOD.since)) is not None
