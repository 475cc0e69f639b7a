"""The OpenAPI 3.1 description of /api/v1. A test checks it against the app's routes, both ways."""


def _op(
    summary: str,
    roles: str,
    *,
    body: str | None = None,
    params: list[dict] | None = None,
    scope: str = "api",
    responses: dict | None = None,
) -> dict:
    operation = {
        "summary": summary,
        "description": f"Roles: {roles}. Token scope: {scope}.",
        "security": [{"bearer": []}],
        "parameters": params or [],
        "responses": {
            "200": {"description": "OK"},
            "401": {"description": "No valid bearer token"},
            "403": {"description": "Role or scope not allowed"},
            **(responses or {}),
        },
    }
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": body}}},
        }
    return operation


def _path_param(name: str, kind: str = "string") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": description,
    }


INVALID = {"422": {"description": 'Invalid input: {"errors": [{"index", "field", "message"}]}'}}
QUALITY_FILTERS = [
    _query("case_type", "case type slug"),
    _query("since", "YYYY-MM-DD"),
    _query("until", "YYYY-MM-DD"),
]

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Touchstone API", "version": "1"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Decisions": {
                "type": "object",
                "required": ["decisions"],
                "properties": {
                    "decisions": {"type": "array", "maxItems": 10000, "items": {"type": "object"}}
                },
            },
            "Audits": {
                "type": "object",
                "required": ["audits"],
                "properties": {"audits": {"type": "array", "items": {"type": "object"}}},
            },
            "Session": {
                "type": "object",
                "required": ["name", "case_type", "case_ids", "participants", "deadline"],
            },
            "Answer": {"type": "object", "required": ["case_id", "decision", "label"]},
        },
    },
    "paths": {
        "/api/v1/me": {"get": _op("Who the token belongs to", "everyone")},
        "/api/v1/openapi.json": {"get": _op("This document", "everyone")},
        "/api/v1/cases": {
            "get": _op(
                "Golden cases",
                "qa_lead, admin",
                params=[
                    _query("case_type", "case type slug"),
                    _query("scenario", "scenario tag"),
                    _query("status", "active|retired"),
                ],
            )
        },
        "/api/v1/cases/{case_id}": {
            "get": _op(
                "One golden case with its current answer",
                "qa_lead, admin",
                params=[_path_param("case_id", "integer")],
            )
        },
        "/api/v1/decisions": {
            "post": _op(
                "Ingest live decisions (all or nothing, idempotent)",
                "any",
                body="#/components/schemas/Decisions",
                scope="ingest",
                responses=INVALID,
            )
        },
        "/api/v1/decisions/{decision_id}": {
            "get": _op(
                "One live decision with its automated findings",
                "qa_lead, manager, admin; agents their own",
                params=[_path_param("decision_id")],
            )
        },
        "/api/v1/audits": {
            "post": _op(
                "External audits (all or nothing, idempotent)",
                "qa_lead, admin",
                body="#/components/schemas/Audits",
                responses=INVALID,
            )
        },
        "/api/v1/calibration/sessions": {
            "post": _op(
                "Create a calibration session",
                "qa_lead, admin",
                body="#/components/schemas/Session",
                responses=INVALID,
            )
        },
        "/api/v1/calibration/sessions/{session_id}/answers": {
            "post": _op(
                "A participant's blind answer",
                "participants",
                body="#/components/schemas/Answer",
                params=[_path_param("session_id", "integer")],
                responses=INVALID,
            )
        },
        "/api/v1/calibration/sessions/{session_id}/close": {
            "post": _op(
                "Close the session and compute its report",
                "qa_lead, admin",
                params=[_path_param("session_id", "integer")],
            )
        },
        "/api/v1/calibration/sessions/{session_id}/report": {
            "get": _op(
                "The agreement report",
                "qa_lead, manager, admin; participants after close",
                params=[_path_param("session_id", "integer")],
            )
        },
        "/api/v1/agents/{username}/quality": {
            "get": _op(
                "An agent's audited accuracy against the benchmark",
                "the agent, their leads, managers, admins",
                params=[_path_param("username"), *QUALITY_FILTERS],
            )
        },
        "/api/v1/vendors/quality": {
            "get": _op(
                "Audited accuracy per vendor", "qa_lead (own vendor), manager, admin", params=QUALITY_FILTERS
            )
        },
    },
}
