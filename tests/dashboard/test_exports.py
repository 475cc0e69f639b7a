"""Exports: CSV and JSON Lines with the page's filters, formula-safe cells, and a lead's vendor only."""

import csv
import io
import json

import pytest

from app.dashboard import exports
from tests.conftest import utc
from tests.dashboard.conftest import NOW

DECISION_COLUMNS = [
    "decision_id",
    "agent",
    "case_type",
    "scenario",
    "case_ref",
    "decision",
    "agent_recommendation",
    "confidence",
    "priority",
    "opened_at",
    "decided_at",
    "label",
    "root_cause",
    "rationale",
]
AUDIT_COLUMNS = [
    "decision_id",
    "agent",
    "auditor",
    "verdict",
    "effective_verdict",
    "corrected_decision",
    "corrected_label",
    "severity",
    "root_cause",
    "second_review",
    "external",
    "note",
    "audited_at",
]
SCORE_COLUMNS = [
    "agent",
    "team",
    "vendor",
    "audited",
    "correct",
    "accuracy",
    "ci95_low",
    "ci95_high",
    "status",
    "critical_findings",
    "sla_share",
    "certifications",
]


@pytest.fixture
def world(make_team, make_user, make_decisions, make_audits, auditor):
    """Nora (Northwind): 3 labelled KYC decisions on 17 November (2 audited, 1 wrong), 1 unlabelled, 1 ATO on
    20 November and 1 KYC in August. Sam (Southgate): 2 KYC decisions on 17 November, both audited correct."""
    north, south = make_team("North", vendor="Northwind"), make_team("South", vendor="Southgate")
    nora = make_user("agent", username="nora", team=north)
    sam = make_user("agent", username="sam", team=south)
    kyc = make_decisions(
        nora,
        3,
        label=["TP", "FN", "TN"],
        decision=["block", "block", "pass"],
        agent_recommendation=["block", "pass", "pass"],
        root_cause=[None, "A", None],
        confidence=[0.97, 0.41, 0.9],
    )
    make_audits(kyc[:2], auditor, verdict=["correct", "incorrect"], corrected_decision=[None, "escalate"])
    make_decisions(nora, 1, label=None)
    make_decisions(
        nora, 1, case_type="ato_investigation", scenario="ato.new_device", decided_at=utc(2026, 11, 20, 8)
    )
    make_decisions(nora, 1, decided_at=utc(2026, 8, 3, 8))
    make_audits(make_decisions(sam, 2, decided_at=utc(2026, 11, 17, 10)), auditor)
    return {"north": north, "south": south}


def _csv(client, path) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/csv"
    reader = csv.reader(io.StringIO(response.get_data(as_text=True)))
    header, *rows = list(reader)
    return [dict(zip(header, row, strict=True)) for row in rows], header


def _jsonl(client, path) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_decisions_csv_has_the_labelled_decisions_in_the_period(client, auth, world):
    auth.login_as("manager")

    rows, header = _csv(client, "/dashboard/export/decisions.csv")

    assert header == DECISION_COLUMNS
    assert [(r["agent"], r["case_type"], r["label"]) for r in rows] == [
        ("nora", "kyc_audit", "TP"),
        ("nora", "kyc_audit", "FN"),
        ("nora", "kyc_audit", "TN"),
        ("nora", "ato_investigation", "TN"),
        ("sam", "kyc_audit", "TN"),
        ("sam", "kyc_audit", "TN"),
    ]  # as ingested; the unlabelled decision and the August one (outside 12 weeks) are left out
    fn = rows[1]
    assert {
        k: fn[k] for k in ("decision", "agent_recommendation", "confidence", "root_cause", "decided_at")
    } == {
        "decision": "block",
        "agent_recommendation": "pass",
        "confidence": "0.41",
        "root_cause": "A",
        "decided_at": "2026-11-17T00:01:00+00:00",
    }
    assert rows[0]["root_cause"] == ""


def test_audits_and_scores_csv(client, auth, world):
    auth.login_as("manager")

    audits, audit_header = _csv(client, "/dashboard/export/audits.csv")
    scores, score_header = _csv(client, "/dashboard/export/scores.csv")

    assert audit_header == AUDIT_COLUMNS and score_header == SCORE_COLUMNS
    assert [(a["agent"], a["verdict"], a["effective_verdict"], a["corrected_decision"]) for a in audits] == [
        ("nora", "correct", "correct", ""),
        ("nora", "incorrect", "incorrect", "escalate"),
        ("sam", "correct", "correct", ""),
        ("sam", "correct", "correct", ""),
    ]
    assert {a["audited_at"] for a in audits} == {NOW.isoformat()} and audits[1]["auditor"] == "auditor"
    by_agent = {s["agent"]: s for s in scores}
    assert set(by_agent) == {"nora", "sam"}
    assert [by_agent["nora"][k] for k in ("team", "vendor", "audited", "correct", "accuracy", "status")] == [
        "North",
        "Northwind",
        "2",
        "1",
        "0.5",
        "below",  # one wrong in two audits already puts the interval under 98%
    ]
    assert float(by_agent["sam"]["ci95_low"]) == pytest.approx(0.3424, abs=1e-4)  # Wilson, 2 of 2


@pytest.mark.parametrize("rationale", ["=SUM(1)", "+1", "-1", "@x", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    client, auth, make_user, make_decisions, rationale
):
    make_decisions(make_user("agent", username="=cmd"), rationale=rationale)
    auth.login_as("manager")

    (row,), _header = _csv(client, "/dashboard/export/decisions.csv")
    (line,) = _jsonl(client, "/dashboard/export/decisions.jsonl")

    assert row["rationale"] == "'" + rationale
    assert row["agent"] == "'=cmd"
    assert line["rationale"] == rationale  # JSON is not opened by spreadsheets: the value stays as given


@pytest.mark.parametrize("kind", ["decisions", "audits", "scores"])
def test_jsonl_is_one_object_per_line_with_the_csv_columns(client, auth, world, kind):
    auth.login_as("manager")

    lines = _jsonl(client, f"/dashboard/export/{kind}.jsonl")
    rows, header = _csv(client, f"/dashboard/export/{kind}.csv")

    assert len(lines) == len(rows) > 0
    assert all(list(line) == header for line in lines)


def test_jsonl_keeps_types(client, auth, world):
    auth.login_as("manager")

    first = _jsonl(client, "/dashboard/export/decisions.jsonl")[0]
    audits = _jsonl(client, "/dashboard/export/audits.jsonl")

    assert first["confidence"] == 0.97 and first["priority"] == 30 and first["root_cause"] is None
    assert first["decided_at"] == "2026-11-17T00:00:00+00:00"
    assert audits[0]["second_review"] is False and audits[0]["corrected_decision"] is None


@pytest.mark.parametrize(
    ("query", "decisions", "audited"),
    [
        ("?case_type=ato_investigation", {("nora", "ato_investigation")}, set()),
        ("?since=2026-11-18", {("nora", "ato_investigation")}, set()),
        ("?since=2026-08-01&until=2026-08-31", {("nora", "kyc_audit")}, set()),
        ("?vendor=Southgate", {("sam", "kyc_audit")}, {"sam"}),
        ("?team=TEAM&case_type=kyc_audit", {("nora", "kyc_audit")}, {"nora"}),
    ],
)
def test_exports_follow_the_filters(client, auth, world, query, decisions, audited):
    auth.login_as("manager")
    query = query.replace("TEAM", str(world["north"].id))

    rows, _ = _csv(client, f"/dashboard/export/decisions.csv{query}")
    audits = _jsonl(client, f"/dashboard/export/audits.jsonl{query}")

    assert {(r["agent"], r["case_type"]) for r in rows} == decisions
    assert {a["agent"] for a in audits} == audited


@pytest.mark.parametrize("asked", ["", "?vendor=Southgate"])
def test_a_leads_exports_cover_their_vendor_only(client, auth, world, asked):
    auth.login_as("qa_lead", team=world["north"])

    decisions, _ = _csv(client, f"/dashboard/export/decisions.csv{asked}")
    audits = _jsonl(client, f"/dashboard/export/audits.jsonl{asked}")
    scores, _ = _csv(client, f"/dashboard/export/scores.csv{asked}")

    assert {r["agent"] for r in decisions} == {"nora"} and len(decisions) == 4
    assert {a["agent"] for a in audits} == {"nora"}
    assert [s["agent"] for s in scores] == ["nora"]


def test_a_lead_without_a_team_exports_nothing(client, auth, world):
    auth.login_as("qa_lead")

    rows, header = _csv(client, "/dashboard/export/decisions.csv")

    assert header == DECISION_COLUMNS and rows == []


@pytest.mark.parametrize("kind", ["decisions", "audits"])
def test_large_exports_come_in_keyset_batches_without_gaps_or_repeats(
    client, auth, make_user, make_decisions, make_audits, auditor, monkeypatch, kind
):
    monkeypatch.setattr(exports, "BATCH", 3)  # 8 rows: pages of 3, 3 and 2
    make_audits(make_decisions(make_user("agent"), 8), auditor)
    auth.login_as("manager")

    rows, _ = _csv(client, f"/dashboard/export/{kind}.csv")

    assert [r["decision_id"] for r in rows] == sorted({r["decision_id"] for r in rows}) and len(rows) == 8


def test_exports_are_downloads(client, auth, world):
    auth.login_as("manager")

    response = client.get("/dashboard/export/scores.jsonl")

    assert response.headers["Content-Disposition"] == 'attachment; filename="touchstone-scores.jsonl"'


def test_the_retraining_batch_is_the_patterns_decisions(
    client, auth, world, make_user, make_decisions, case_type_id
):
    make_decisions(make_user("agent", team=world["south"]), 2, label="FN", root_cause="A")
    auth.login_as("qa_lead", team=world["north"])

    lines = _jsonl(
        client, f"/dashboard/feedback/{case_type_id()}/retraining.jsonl?scenario=kyc.doc_tamper&root_cause=A"
    )

    # Southgate's two FNs belong to another vendor's lead.
    assert [(line["label"], line["root_cause"], line["confidence"]) for line in lines] == [("FN", "A", 0.41)]
    assert lines[0]["signals"] == {"name_match_score": 0.98} and lines[0]["rationale"] == "Signals are clean."
