"""Lead read models: exposure, most-missed cases and cohort progress (services)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import CaseType, GoldenCase
from app.onboarding import reports
from app.onboarding.models import Attempt, AttemptItem, Certification, GoldDispute
from tests.conftest import utcnow


def show(db, user, case_id, *, kind="practice", decision_ok=None, passed=None) -> AttemptItem:
    """One attempt of `user` showing one case (answered when decision_ok is given)."""
    case_type_id = db.session.get(GoldenCase, case_id).case_type_id
    attempt = Attempt(
        user_id=user.id,
        case_type_id=case_type_id,
        kind=kind,
        status="submitted" if kind == "exam" else "open",
        passed=passed,
    )
    item = AttemptItem(golden_case_id=case_id, position=1, decision_ok=decision_ok)
    if decision_ok is not None:
        item.answered_at = utcnow()
        item.decision = "block"
    attempt.items = [item]
    db.session.add(attempt)
    db.session.flush()
    return item


@pytest.fixture
def agents(db, make_team, make_user):
    north, south = make_team(vendor="Northwind BPO"), make_team(vendor="Southwind BPO")
    made = {
        "a1": make_user("agent", username="a1", team=north),
        "a2": make_user("agent", username="a2", team=north),
        "a3": make_user("agent", username="a3", team=south),
        "a4": make_user("agent", username="a4"),
    }
    return {name: db.session.get(User, user.id) for name, user in made.items()} | {
        "north": north,
        "south": south,
    }


def test_exposure_counts_shows_agents_and_vendors(db, golden_set, agents):
    x, y, _never = golden_set(kinds=("fn", "tp", "tn"))
    (other,) = golden_set(kinds=("fn",), case_type="ato_investigation")
    for name in ("a1", "a1", "a2", "a3", "a4"):
        show(db, agents[name], x["id"])
    show(db, agents["a3"], y["id"], kind="exam")
    for _ in range(6):
        show(db, agents["a4"], other["id"])
    db.session.commit()

    rows = [(r["case"].id, r["shown"], r["agents"], r["vendors"]) for r in reports.exposure()]
    assert rows == [(other["id"], 6, 1, 0), (x["id"], 5, 4, 2), (y["id"], 1, 1, 1)]
    kyc_id = db.session.scalar(select(CaseType.id).where(CaseType.slug == "kyc_audit"))
    assert [r["case"].id for r in reports.exposure(case_type_id=kyc_id)] == [x["id"], y["id"]]
    assert [r["case"].id for r in reports.exposure(limit=1)] == [other["id"]]


def test_most_missed_ranks_wrong_decisions_with_open_disputes(db, golden_set, agents):
    x, y, z, w = golden_set(kinds=("fn", "tp", "tn", "fp"))
    a1, a2 = agents["a1"], agents["a2"]
    show(db, a1, x["id"], decision_ok=False)
    show(db, a2, x["id"], decision_ok=False, kind="exam", passed=False)
    show(db, a1, x["id"], decision_ok=True)
    disputed = show(db, a1, y["id"], decision_ok=False)
    show(db, a1, z["id"], decision_ok=True)  # never missed: not listed
    show(db, a1, w["id"])  # shown, not answered: not graded
    db.session.add_all(
        [
            GoldDispute(attempt_item_id=disputed.id, golden_case_id=y["id"], user_id=a1.id, reason="r"),
            GoldDispute(
                attempt_item_id=disputed.id,
                golden_case_id=y["id"],
                user_id=a1.id,
                reason="r",
                status="upheld",
            ),
        ]
    )
    db.session.commit()

    rows = [
        (r["case"].id, r["graded"], r["wrong"], r["rate"], r["open_disputes"]) for r in reports.most_missed()
    ]
    assert rows == [(x["id"], 3, 2, pytest.approx(2 / 3), 0), (y["id"], 1, 1, 1.0, 1)]
    assert len(reports.most_missed(limit=1)) == 1


def test_cohort_shows_each_agents_standing_per_case_type(db, golden_set, agents, make_user, make_case_type):
    (case,) = golden_set(kinds=("fn",))
    golden_set(kinds=("fn",), case_type="ato_investigation")
    retired_type = make_case_type(slug="old_type", name="Old type", sop_prefix="OLD")
    db.session.get(CaseType, retired_type.id).active = False
    make_user("agent", username="gone", active=False)
    make_user("qa_lead", username="lead")
    a1, a2 = agents["a1"], agents["a2"]
    show(db, a1, case["id"], decision_ok=True)
    show(db, a1, case["id"], decision_ok=False)
    show(db, a2, case["id"], kind="exam", decision_ok=False, passed=False)
    show(db, a2, case["id"], kind="exam", decision_ok=True, passed=True)
    expires = utcnow() + timedelta(days=60)
    kyc_id = db.session.scalar(select(CaseType.id).where(CaseType.slug == "kyc_audit"))
    db.session.add(
        Certification(user_id=a2.id, case_type_id=kyc_id, certified_at=utcnow(), expires_at=expires)
    )
    db.session.commit()

    cohort = reports.cohort()
    assert [t.slug for t in cohort["case_types"]] == ["ato_investigation", "kyc_audit"]
    assert [row["agent"].username for row in cohort["rows"]] == ["a1", "a2", "a3", "a4"]
    cells = {row["agent"].username: {c["case_type"].id: c for c in row["cells"]} for row in cohort["rows"]}
    assert cells["a1"][kyc_id]["status"] == "practising"
    assert cells["a1"][kyc_id]["practice"] == (2, 1)
    assert cells["a2"][kyc_id]["status"] == "certified"
    assert cells["a2"][kyc_id]["exams"] == (2, 1)
    assert cells["a2"][kyc_id]["expires_at"] == expires
    assert cells["a2"][kyc_id]["practice"] == (0, 0)  # exams are not practice
    assert {c["status"] for c in cells["a3"].values()} == {"not_started"}

    north_only = reports.cohort(team_id=agents["north"].id)
    assert [row["agent"].username for row in north_only["rows"]] == ["a1", "a2"]
