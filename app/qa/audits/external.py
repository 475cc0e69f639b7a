"""External audits: a vendor's own QA verdicts on live decisions, stored in bulk (POST /api/v1/audits).
Set-based Core statements in the caller's transaction; nothing here commits."""

from operator import itemgetter

from sqlalchemy import and_, select

from app import clock
from app.audit.services import record_event
from app.auth.models import User
from app.extensions import db
from app.qa.audits.models import Audit
from app.qa.decisions.ingest import Stored
from app.qa.decisions.models import LiveDecision
from app.qa.quality import rollup, suspensions
from app.sql import upsert


def store_external_audits(rows: list[dict], auditor: User) -> Stored:
    """Store a vendor's validated audits by `auditor`, external and counted as given. A decision this
    auditor already audited is a duplicate and left as it was (edits go through the audit page). Adds
    audits, their rollup counts, one audit event, and re-runs the monitoring rule for each agent and case
    type they touch (proposing suspensions)."""
    if not rows:
        return Stored(0, 0)
    ids = sorted(row["live_decision_id"] for row in rows)
    audited = set(db.session.scalars(select(Audit.live_decision_id).where(Audit.live_decision_id.in_(ids))))
    now = clock.now()
    values = [
        {
            **row,
            "auditor_id": auditor.id,
            "sample_id": None,
            "is_second_review": row["live_decision_id"] in audited,
            "external": True,
            "effective_verdict": row["verdict"],
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for row in sorted(rows, key=itemgetter("live_decision_id"))
    ]
    table = Audit.__table__
    statement = (
        upsert(table)
        .on_conflict_do_nothing(index_elements=["live_decision_id", "auditor_id"])
        .returning(table.c.live_decision_id)
    )
    created = list(db.session.scalars(statement, values))
    rollup.count_audits(and_(Audit.auditor_id == auditor.id, Audit.live_decision_id.in_(created)))
    stored = Stored(len(created), len(rows) - len(created))
    record_event(auditor, "qa.external_audits", "audits", stored.answer())
    pairs = db.session.execute(
        select(LiveDecision.agent_id, LiveDecision.case_type_id)
        .where(LiveDecision.id.in_(created))
        .distinct()
    ).all()
    for agent_id, case_type_id in pairs:
        suspensions.review_standing(agent_id, case_type_id, auditor)
    return stored
