"""Dashboard fixtures: a frozen clock, live decisions, audits and findings inserted with Core, and a reader
for the tables and chart JSON of a rendered page. Factories run in their own app context and return ids,
so view tests can use them."""

import itertools
import json
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import insert, select

from app.extensions import db as _db
from app.qa.quality import rollup
from tests.conftest import utc

NOW = utc(2026, 11, 24, 9, 0)  # a Tuesday; the dashboards' default period is the 12 weeks before it
WEEK_47 = utc(2026, 11, 16)  # Monday of 2026-W47, inside the default period
_decision_numbers = itertools.count(1)


@pytest.fixture
def clock(app, monkeypatch):
    """The app's clock, frozen at NOW."""
    monkeypatch.setitem(app.config, "CLOCK", lambda: NOW)
    return NOW


def _value(value, i):
    return value(i) if callable(value) else value[i] if isinstance(value, list) else value


@pytest.fixture
def case_type_id(app, make_case_type):
    """The id of a case type by slug, created on first use."""

    def find(slug: str = "kyc_audit") -> int:
        from app.cases.models import CaseType

        with app.app_context():
            found = _db.session.scalar(select(CaseType.id).where(CaseType.slug == slug))
        return found or make_case_type(slug=slug, name=slug.replace("_", " ").title(), sop_prefix=slug[:3]).id

    return find


@pytest.fixture
def make_decisions(app, clock, case_type_id):
    """Insert `count` live decisions of one agent with Core; returns their ids in order.

    Any column may be a value, a list (one per row) or a callable of the row index. By default a clean
    kyc_audit decision (pass/pass, TN, confidence 0.9) decided one hour after opening, on the Tuesday of
    2026-W47, a minute apart.
    """

    def make(agent, count=1, *, case_type="kyc_audit", **fields) -> list[int]:
        from app.qa.decisions.models import LiveDecision

        type_id = case_type_id(case_type)
        rows = []
        for i in range(count):
            number = next(_decision_numbers)
            decided = WEEK_47 + timedelta(days=1, minutes=i)
            row = {
                "decision_id": f"D-{number:07d}",
                "agent_id": agent.id,
                "case_type_id": type_id,
                "scenario": "kyc.doc_tamper",
                "case_ref": f"CASE-{number}",
                "decision": "pass",
                "agent_recommendation": "pass",
                "confidence": 0.9,
                "priority": 30,
                "decided_at": decided,
                "label": "TN",
                "root_cause": None,
                "rationale": "Signals are clean.",
                "signals": {"name_match_score": 0.98},
                "has_critical": False,
                "high_confidence_override": False,
                "ingested_at": decided,
            }
            row.update({name: _value(value, i) for name, value in fields.items()})
            row.setdefault("opened_at", row["decided_at"] - timedelta(hours=1))
            rows.append(row)
        with app.app_context():
            _db.session.execute(insert(LiveDecision), rows)
            rollup.rebuild()  # inserted around the ingest path, so count them as it would
            _db.session.commit()
            ids = dict(
                _db.session.execute(
                    select(LiveDecision.decision_id, LiveDecision.id).where(
                        LiveDecision.decision_id.in_([r["decision_id"] for r in rows])
                    )
                ).all()
            )
        return [ids[r["decision_id"]] for r in rows]

    return make


@pytest.fixture
def make_audits(app):
    """Insert one audit per decision with Core. The effective verdict defaults to the verdict; any column
    may be a value, a list or a callable of the index."""

    def make(decision_ids, auditor, verdict="correct", **fields) -> None:
        from app.qa.audits.models import Audit

        rows = []
        for i, decision_id in enumerate(decision_ids):
            row = {
                "live_decision_id": decision_id,
                "auditor_id": auditor.id,
                "verdict": _value(verdict, i),
                "is_second_review": False,
                "external": False,
                "note": "",
                "version": 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
            row.update({name: _value(value, i) for name, value in fields.items()})
            row.setdefault("effective_verdict", row["verdict"])
            if row["verdict"] == "incorrect":
                row.setdefault("severity", "major")
            rows.append(row)
        with app.app_context():
            _db.session.execute(insert(Audit), rows)
            rollup.rebuild()  # inserted around the audit queue, so count them as it would
            _db.session.commit()

    return make


@pytest.fixture
def make_findings(app):
    def make(decision_id, code, severity="critical") -> None:
        from app.qa.decisions.models import LiveFinding

        with app.app_context():
            _db.session.execute(
                insert(LiveFinding), [{"live_decision_id": decision_id, "code": code, "severity": severity}]
            )
            _db.session.commit()

    return make


@pytest.fixture
def auditor(make_user):
    return make_user("qa_lead", username="auditor")


@dataclass
class Row:
    cells: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # data-status of the badges in the row


class Page(HTMLParser):
    """The body rows of every <table data-table=...>, the JSON of every <script data-chart-for=...>, and
    the ids of the chart containers."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[Row]] = {}
        self.charts: dict[str, dict] = {}
        self.chart_ids: set[str] = set()
        self.chart_types: set[str | None] = set()  # the type attribute of every chart's <script>
        self.inline_scripts = 0  # <script> elements with code in the page, which the CSP would refuse
        self._table = self._row = self._cell = self._chart = None
        self._head = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "chart" in (attrs.get("class") or "").split():
            self.chart_ids.add(attrs.get("id"))
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], [])
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and self._table is not None and not self._head:
            self._row = Row()
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "script" and "data-chart-for" in attrs:
            self._chart, self._buffer = attrs["data-chart-for"], []
            self.chart_types.add(attrs.get("type"))
        elif tag == "script" and "src" not in attrs:
            self.inline_scripts += 1
        if self._row is not None and "data-status" in attrs:
            self._row.statuses.append(attrs["data-status"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "thead":
            self._head = False
        elif tag == "table":
            self._table = None
        elif tag == "script" and self._chart:
            self.charts[self._chart] = json.loads("".join(self._buffer))
            self._chart = None

    def handle_data(self, data):
        if self._chart:
            self._buffer.append(data)
        elif self._cell is not None:
            self._cell.append(data)

    def cells(self, table: str) -> list[list[str]]:
        return [row.cells for row in self.tables[table]]


def page_of(response) -> Page:
    return Page(response.get_data(as_text=True))


Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson's score interval at 95%, written out from Newcombe (1998), method 3."""
    p, z2 = successes / n, Z95 * Z95
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = Z95 * (p * (1 - p) / n + z2 / (4 * n * n)) ** 0.5 / denominator
    return centre - half, centre + half


def fewest_clean_audits_to_clear(correct: int, n: int, target: float = 0.98) -> int:
    """By brute force: how many more audits, all correct, until the Wilson lower bound reaches the target."""
    extra = 0
    while wilson(correct + extra, n + extra)[0] < target:
        extra += 1
    return extra
