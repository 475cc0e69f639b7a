"""Ready values for the decision agent's pages: misclassification batches, and chart JSON for its quality,
FP/FN Pareto and confidence histograms (templates run no queries)."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.auth.models import User
from app.cases.models import CaseType
from app.charts import chart_json, figures
from app.extensions import db
from app.qa.decision_agent import batches, reports
from app.security import allow_chart_styles


def participant_choices() -> list[tuple[int, str]]:
    people = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.role.in_(("agent", "qa_lead")))
        .order_by(User.role, User.username)
    )
    return [(u.id, f"{u.display_name} ({u.username})") for u in people]


def batches_page() -> dict:
    names = dict(db.session.execute(select(CaseType.id, CaseType.name)).all())
    rows = batches.misclassification_batches()
    for row in rows:
        row["case_type"] = names[row["case_type_id"]]
    return {"batches": rows, "default_deadline": (clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")}


def decision_agent_charts(quality: dict, names: dict[int, str]) -> str:
    allow_chart_styles()
    series = {}
    for case_type_id, data in quality.items():
        series[_("%(type)s precision", type=names[case_type_id])] = [
            (w["week"], w["precision"]) for w in data["weeks"]
        ]
        series[_("%(type)s recall", type=names[case_type_id])] = [
            (w["week"], w["recall"]) for w in data["weeks"]
        ]
    figure = figures.rates_over_time(
        series,
        {"precision": reports.PRECISION_TARGET, "recall": reports.RECALL_TARGET},
        {"title": _("Decision agent precision and recall on risk"), "x": _("Week"), "y": _("Rate")},
    )
    return chart_json(figure)


def pareto_chart(rows: list[dict], names: dict[int, str]) -> str:
    allow_chart_styles()
    top = rows[:15]
    labels = [f"{names[r['case_type_id']]} · {r['scenario'] or '—'} · {r['root_cause'] or '—'}" for r in top]
    figure = {
        "data": [
            {"type": "bar", "name": "FP", "x": labels, "y": [r["FP"] for r in top]},
            {"type": "bar", "name": "FN", "x": labels, "y": [r["FN"] for r in top]},
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Cumulative share"),
                "x": labels,
                "y": [r["cumulative"] for r in top],
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {"text": _("FP and FN by case type, scenario and root cause")},
            "barmode": "stack",
            "margin": {"b": 160},
            "yaxis": {"title": {"text": _("Decisions")}},
            "yaxis2": {"overlaying": "y", "side": "right", "range": [0, 1], "tickformat": ".0%"},
        },
    }
    return chart_json(figure)


def error_histogram_chart(histogram: list[tuple[str, int, int]], threshold: float) -> tuple[str, list[dict]]:
    """The confidence of FP and FN cases against the auto-decision threshold, and the same as table rows."""
    allow_chart_styles()
    bins = 20
    counts = {"FP": [0] * bins, "FN": [0] * bins}
    for label, bucket, n in histogram:
        counts[label][bucket] += n
    figure = figures.confidence_histogram(
        bins,
        counts,
        threshold,
        {
            "title": _("Decision agent confidence on FP and FN cases"),
            "x": _("Confidence"),
            "y": _("Decisions"),
        },
    )
    rows = [
        {"low": i / bins, "high": (i + 1) / bins, "FP": counts["FP"][i], "FN": counts["FN"][i]}
        for i in range(bins)
    ]
    return chart_json(figure), rows


def histogram_chart(counts: list[int], threshold: float) -> str:
    allow_chart_styles()
    figure = figures.confidence_histogram(
        len(counts),
        {_("Wrong recommendations"): counts},
        threshold,
        {
            "title": _("Confidence of the pattern's wrong recommendations"),
            "x": _("Confidence"),
            "y": _("Decisions"),
        },
    )
    return chart_json(figure)
