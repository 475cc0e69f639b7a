"""External audits over the JSON API: a vendor posts its own QA verdicts on live decisions. All or
nothing, with the same body limits and Idempotency-Key replay as POST /api/v1/decisions."""

from flask import Blueprint, g

from app.auth.access import api_roles
from app.auth.roles import LEADS
from app.calibration.api import errors_answer
from app.qa.audits import external
from app.qa.audits.audit_format import validate_audits
from app.qa.decisions import ingest
from app.qa.decisions.api import _batch_body, _error_list, _once

bp = Blueprint("qa_audits_api", __name__, url_prefix="/api/v1")


@bp.post("/audits")
@api_roles(*LEADS)
def post_audits():
    items, raw, error = _batch_body("audits")
    if error:
        return error
    decisions = ingest.decision_keys(item.get("decision_id") for item in items if isinstance(item, dict))
    checked = validate_audits(items, decisions)
    if checked.errors:
        return errors_answer(_error_list(checked.errors))
    return _once("audits", raw, lambda: external.store_external_audits(checked.rows, g.api_user).answer())
