"""Live decisions over the JSON API: ingest them in batches, read one back with its findings.

Batches are all or nothing: any invalid item rejects the whole batch with 422 and nothing is written. An
Idempotency-Key header makes a retry safe: the first successful answer is replayed for the same body, and
the same key with another body is 409.
"""

from collections.abc import Callable

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.access import api_error, api_roles
from app.auth.models import User
from app.auth.roles import EVERYONE, Role
from app.calibration.api import errors_answer
from app.cases.golden_format import FieldError
from app.cases.models import CaseType
from app.errors import Conflict
from app.extensions import db
from app.qa.decisions import idempotency, ingest
from app.qa.decisions.ingest_format import batch_problem, validate_decisions
from app.qa.decisions.models import LiveDecision, LiveFinding

bp = Blueprint("qa_api", __name__, url_prefix="/api/v1")
MAX_BODY = 20 * 1024 * 1024  # 10,000 decisions with generous rationales and signals fit well within


def _error_list(errors: list[FieldError]) -> list[dict]:
    return [{"index": e.index, "field": e.field, "message": e.text()} for e in errors]


def _batch_body(name: str) -> tuple[list | None, bytes, object]:
    """The request's list under `name`, its raw bytes, or an error answer: 415 for another content type,
    413 over MAX_BODY (checked before reading it), 400 for bad JSON, 422 for a bad list."""
    if not request.is_json:
        return None, b"", api_error(415, "Send JSON with Content-Type: application/json.")
    if (request.content_length or 0) > MAX_BODY:
        return None, b"", api_error(413, f"The body is over {MAX_BODY // (1024 * 1024)} MB; split the batch.")
    # A body sent without Content-Length is cut off here too (413), at the lower of the two limits.
    request.max_content_length = min(MAX_BODY, current_app.config.get("MAX_CONTENT_LENGTH") or MAX_BODY)
    raw = request.get_data(cache=True)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return None, raw, api_error(400, "The body must be a JSON object.")
    problem = batch_problem(body.get(name), name)
    if problem:
        return None, raw, errors_answer(_error_list([problem]))
    return body[name], raw, None


def _once(endpoint: str, raw: bytes, work: Callable[[], dict]):
    """Run `work` (which writes and returns the answer) and commit, unless the Idempotency-Key already has
    an answer: then replay it (409 when the body differs). A racing twin with the same key loses on the
    key's unique constraint, rolls back, and replays the winner's answer."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > idempotency.MAX_KEY:
        return api_error(400, f"Idempotency-Key is at most {idempotency.MAX_KEY} characters.")
    token_id, digest = g.api_token.id, idempotency.body_hash(raw)
    try:
        if key:
            found = idempotency.recorded_answer(token_id, endpoint, key, digest)
            if found is not None:
                return jsonify(found[1]), found[0]
            record = idempotency.claim_key(token_id, endpoint, key, digest)
        answer = work()
        if key:
            idempotency.settle_key(record, 200, answer)
        db.session.commit()
    except Conflict as conflict:
        db.session.rollback()
        return api_error(409, str(conflict.message))
    except IntegrityError:
        db.session.rollback()
        found = idempotency.recorded_answer(token_id, endpoint, key, digest) if key else None
        if found is None:
            return api_error(409, "The batch clashed with a concurrent change; send it again.")
        return jsonify(found[1]), found[0]
    return jsonify(answer), 200


@bp.post("/decisions")
@api_roles(*EVERYONE, scope="ingest")
def post_decisions():
    items, raw, error = _batch_body("decisions")
    if error:
        return error
    known = ingest.known_people_and_types(item.get("agent") for item in items if isinstance(item, dict))
    checked = validate_decisions(enumerate(items), known)
    if checked.errors:
        return errors_answer(_error_list(checked.errors))
    return _once("decisions", raw, lambda: ingest.ingest_decisions(checked.rows, g.api_user, "api").answer())


@bp.get("/decisions/<decision_id>")
@api_roles(*EVERYONE)
def get_decision(decision_id: str):
    decision = db.session.scalar(select(LiveDecision).where(LiveDecision.decision_id == decision_id))
    if decision is None or (g.api_user.role == Role.AGENT and decision.agent_id != g.api_user.id):
        return api_error(404, "No such decision among those you may see.")
    codes = db.session.scalars(
        select(LiveFinding.code).where(LiveFinding.live_decision_id == decision.id).order_by(LiveFinding.id)
    ).all()
    agent = db.session.get(User, decision.agent_id)
    case_type = db.session.get(CaseType, decision.case_type_id)
    body = {
        "decision_id": decision.decision_id,
        "agent": agent.username,
        "case_type": case_type.slug,
        **{
            name: getattr(decision, name)
            for name in ("scenario", "case_ref", "decision", "agent_recommendation", "confidence", "priority")
        },
        "opened_at": _iso(decision.opened_at),
        "decided_at": _iso(decision.decided_at),
        "label": decision.label,
        "root_cause": decision.root_cause,
        "rationale": decision.rationale,
        "signals": decision.signals,
        "findings": list(codes),
        "ingested_at": _iso(decision.ingested_at),
    }
    db.session.commit()  # the token's last-used stamp
    return jsonify(body)


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")
