"""Shared by the ingest, API and CLI tests: a clean decision item, CSV bytes, bearer headers, row counts."""

import csv
import io
import json

from sqlalchemy import func, select

from app.extensions import db as _db
from app.qa.decisions.ingest_format import DECISION_FIELDS

MISSING = object()


def decision(n: int = 1, **overrides) -> dict:
    """A valid decision that breaks no automated-QA rule; override any field (MISSING removes it)."""
    item = {
        "decision_id": f"D-{n:05d}",
        "agent": "ana",
        "case_type": "kyc_audit",
        "scenario": "kyc.doc_tamper",
        "case_ref": f"CASE-{n}",
        "decision": "pass",
        "agent_recommendation": "pass",
        "confidence": 0.7,
        "priority": 30,
        "opened_at": "2026-11-17T08:00:00Z",
        "decided_at": "2026-11-17T09:00:00Z",
        "label": "TN",
        "root_cause": None,
        "rationale": "Signals match the SOP. Nothing unusual.",
        "signals": {"tamper_score": 0.1, "document_type": "passport"},
    }
    item.update(overrides)
    return {name: value for name, value in item.items() if value is not MISSING}


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def count(app, model) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model))


def csv_bytes(items, header=DECISION_FIELDS, bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for item in items:
        cells = {
            k: json.dumps(v) if isinstance(v, dict) else ("" if v is None else str(v))
            for k, v in item.items()
        }
        writer.writerow([cells.get(name, "") for name in header])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")
