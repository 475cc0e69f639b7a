"""Writing the demo's twelve weeks of activity: live decisions (through the ingest path), audits and
disputes, certification exams, calibration sessions and a sampling plan per case type."""

import random
from datetime import timedelta

from sqlalchemy import insert, select

from app import clock
from app.auth.models import Team, User
from app.calibration import services as calibration
from app.cases.models import CaseType, GoldenCase
from app.demo.activity import CASE_TYPE_BY_TEAM_INDEX, agent_skill, decisions_for
from app.demo.people import TEAMS
from app.extensions import db
from app.onboarding import services as onboarding
from app.qa.audits.models import Audit, AuditDispute
from app.qa.decisions.ingest import ingest_decisions, known_people_and_types
from app.qa.decisions.ingest_format import validate_decisions
from app.qa.decisions.models import LiveDecision
from app.qa.quality import rollup
from app.qa.sampling import plans
from app.qa.sampling.models import SamplingPlan

AUDIT_SHARE, SECOND_REVIEW_SHARE = 0.35, 0.05


def seed_demo_activity(seed: int = 2026) -> dict[str, int]:
    """Create the demo activity once (nothing if live decisions exist already)."""
    if db.session.scalar(select(LiveDecision.id).limit(1)):
        return {}
    now = clock.now()
    agents = _agents()
    scenarios = {
        slug: sorted(
            set(db.session.scalars(select(GoldenCase.scenario).join(CaseType).where(CaseType.slug == slug)))
        )
        for slug in set(CASE_TYPE_BY_TEAM_INDEX)
    }
    if not agents or not all(scenarios.values()):
        return {}  # activity needs the golden set's case types and scenarios: `flask seed golden` first
    rows = [
        row for index, agent in enumerate(agents) for row in decisions_for(agent, index, scenarios, now, seed)
    ]
    truth = {row["decision_id"]: row.pop("truth") for row in rows}
    for row in rows:
        row["opened_at"] = row["opened_at"].isoformat()
        row["decided_at"] = row["decided_at"].isoformat()
    checked = validate_decisions(enumerate(rows), known_people_and_types())
    if checked.errors:  # the generator and the validator disagree: a bug, never bad user input
        raise RuntimeError(f"demo decisions failed validation: {checked.errors[:3]}")
    result = ingest_decisions(checked.rows, None, "demo").answer()
    audits = _audits(truth, random.Random(seed), now)
    exams = _exams(agents, random.Random(seed + 1))
    sessions = _calibration(agents, random.Random(seed + 2))
    _plans(now)
    return {"decisions": result["created"], "audits": audits, "exams": exams, "sessions": sessions}


def _agents() -> list[dict]:
    team_index = {name: i for i, (name, *_rest) in enumerate(TEAMS)}
    people = db.session.execute(
        select(User.id, User.username, Team.name, Team.vendor)
        .join(Team, Team.id == User.team_id)
        .where(User.role == "agent")
        .order_by(User.username)
    ).all()
    return [
        {
            "id": uid,
            "username": name,
            "team": team,
            "vendor": vendor,
            "case_type": CASE_TYPE_BY_TEAM_INDEX[team_index.get(team, 0)],
        }
        for uid, name, team, vendor in people
    ]


def _audits(truth: dict[str, str], rng: random.Random, now) -> int:
    """Audit about 15% of decisions (lead of the agent's vendor), with a blind second audit on some and
    disputes on a few recent incorrect verdicts."""
    leads = {
        vendor: uid
        for uid, vendor in db.session.execute(
            select(User.id, Team.vendor).join(Team, Team.id == User.team_id).where(User.role == "qa_lead")
        )
    }
    other_leads = list(leads.values())
    decisions = db.session.execute(
        select(
            LiveDecision.id,
            LiveDecision.decision_id,
            LiveDecision.decision,
            LiveDecision.priority,
            LiveDecision.decided_at,
            LiveDecision.agent_id,
            Team.vendor,
        )
        .join(User, User.id == LiveDecision.agent_id)
        .join(Team, Team.id == User.team_id)
    ).all()
    audits, disputes = [], []
    for row_id, decision_id, decision, priority, decided_at, agent_id, vendor in decisions:
        if rng.random() >= AUDIT_SHARE:
            continue
        right = decision == truth[decision_id]
        when = min(decided_at + timedelta(hours=rng.uniform(2, 60)), now)
        verdict = "correct" if right else "incorrect"
        severity = None if right else ("critical" if priority >= 75 else rng.choice(("major", "minor")))
        base = {
            "live_decision_id": row_id,
            "verdict": verdict,
            "effective_verdict": verdict,
            "severity": severity,
            "corrected_decision": None if right else truth[decision_id],
            "corrected_label": None,
            "root_cause": None if right else "agent_error",
            "note": "" if right else "Does not follow the SOP.",
            "external": False,
            "version": 1,
            "created_at": when,
            "updated_at": when,
        }
        audits.append({**base, "auditor_id": leads[vendor], "is_second_review": False})
        if rng.random() < SECOND_REVIEW_SHARE:
            second = rng.choice([lead for lead in other_leads if lead != leads[vendor]] or other_leads)
            flipped = rng.random() < 0.1
            second_verdict = ("incorrect" if right else "correct") if flipped else verdict
            audits.append(
                {
                    **base,
                    "auditor_id": second,
                    "is_second_review": True,
                    "verdict": second_verdict,
                    "effective_verdict": second_verdict,
                }
            )
        if not right and when > now - timedelta(days=7) and rng.random() < 0.3:
            disputes.append((row_id, agent_id, when))
    db.session.execute(insert(Audit), audits)
    rollup.count_audits(Audit.id.is_not(None))  # the demo writes history once: these are all the audits
    ids = dict(
        db.session.execute(
            select(Audit.live_decision_id, Audit.id).where(Audit.is_second_review.is_(False))
        ).all()
    )
    if disputes:
        db.session.execute(
            insert(AuditDispute),
            [
                {
                    "audit_id": ids[row_id],
                    "agent_id": agent_id,
                    "reason": "The signals supported my decision.",
                    "status": "open",
                    "created_at": min(when + timedelta(hours=3), now),
                    "resolution_note": "",
                }
                for row_id, agent_id, when in disputes
            ],
        )
    return len(audits)


def _answer(reference, skill: float, rng: random.Random) -> dict:
    """The reference answer with probability `skill`, else a wrong decision."""
    if rng.random() < skill:
        return {
            "decision": reference.decision,
            "label": reference.label,
            "root_cause": reference.root_cause,
            "rationale": "Per the SOP.",
        }
    wrong = rng.choice([d for d in ("pass", "block", "escalate") if d != reference.decision])
    return {
        "decision": wrong,
        "label": "TN" if wrong == "pass" else "TP",
        "root_cause": None,
        "rationale": "Per the SOP.",
    }


def _exams(agents: list[dict], rng: random.Random) -> int:
    """One certification exam per agent on their team's case type, answered at the agent's skill."""
    types = {t.slug: t for t in db.session.scalars(select(CaseType))}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.role == "agent"))}
    for index, agent in enumerate(agents):
        attempt = onboarding.start_exam(users[agent["id"]], types[agent["case_type"]], random.Random(index))
        for item in attempt.items:
            onboarding.save_exam_answer(
                item, _answer(item.golden_case.current_answer, agent_skill(index) + 0.01, rng)
            )
        onboarding.submit_exam(attempt, users[agent["id"]])
    return len(agents)


def _calibration(agents: list[dict], rng: random.Random) -> int:
    """Two closed calibration sessions, each over twelve golden cases with one team's agents."""
    lead = db.session.scalar(select(User).where(User.username == "lead1"))
    created = 0
    for slug in ("kyc_audit", "withdrawal_anomaly"):
        case_type = db.session.scalar(select(CaseType).where(CaseType.slug == slug))
        people = [a for a in agents if a["case_type"] == slug][:6]
        users = list(db.session.scalars(select(User).where(User.id.in_([a["id"] for a in people]))))
        ids = sorted(
            db.session.scalars(select(GoldenCase.id).where(GoldenCase.case_type_id == case_type.id))
        )[:12]
        session = calibration.create_session(
            f"{case_type.name} calibration", case_type, clock.now() + timedelta(days=1), users, ids, lead
        )
        for index, user in enumerate(users):
            for case in session.cases:
                answer = _answer(case.golden_case.current_answer, 0.9 - index * 0.04, rng)
                calibration.save_answer(session, case, user, answer)
        calibration.close_session(session, lead)
        created += 1
    return created


def _plans(now) -> None:
    lead = db.session.scalar(select(User).where(User.username == "lead1"))
    for case_type in db.session.scalars(select(CaseType)):
        plan = db.session.scalar(select(SamplingPlan).where(SamplingPlan.case_type_id == case_type.id))
        if plan is None:
            plan = plans.save_plan(
                None,
                {
                    "name": f"{case_type.name}: weekly",
                    "case_type_id": case_type.id,
                    "team_id": None,
                    "base_rate": 0.05,
                    "weekly_min_per_agent": 3,
                    "new_agent_rate": 0.1,
                    "low_confidence_below": 0.6,
                    "low_confidence_weight": 2.0,
                    "override_weight": 3.0,
                    "weekly_capacity": 150,
                    "second_review_share": 0.05,
                },
                lead,
            )
        plans.run_plan(plan, plans.current_week(now), lead, seed=case_type.id)
