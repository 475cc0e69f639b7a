"""Charts: pure figure specs that plotly accepts, embedded as JSON with a table alternative on every page,
and titled in the reader's language."""

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest
from babel.support import Translations

from app.charts import figures
from tests.conftest import utc
from tests.dashboard.conftest import page_of

LABELS = {
    "title": "Audited accuracy by week",
    "x": "Week",
    "y": "Accuracy",
    "band": "95% band",
    "audited": "QA audits",
    "exams": "Exams",
    "hover": "%{x}: %{y} of %{customdata[0]}",
}
POINTS = [
    {"week": "2026-11-09", "estimate": 0.9, "low": 0.6, "high": 0.98, "n": 10},
    {"week": "2026-11-16", "estimate": 1.0, "low": 0.7, "high": 1.0, "n": 12},
]


def validated(spec: dict) -> go.Figure:
    """Plotly's own validation: an unknown property or a bad value raises."""
    return go.Figure(json.loads(json.dumps(spec)))


@pytest.mark.parametrize("exams", [[], [{"week": "2026-11-16", "estimate": 0.95, "passed": False}]])
def test_accuracy_over_time_draws_band_points_exams_and_the_benchmark(exams):
    spec = figures.accuracy_over_time(POINTS, exams, 0.98, LABELS)
    figure = validated(spec)

    band, audited, *exam_series = figure.data
    assert list(band.x) == ["2026-11-09", "2026-11-16", "2026-11-16", "2026-11-09"]
    assert list(band.y) == [0.98, 1.0, 0.7, 0.6]  # upper edge forward, lower edge back
    assert list(audited.y) == [0.9, 1.0] and [c[0] for c in audited.customdata] == [10, 12]
    assert "%{customdata[0]}" in audited.hovertemplate  # n per point on hover
    assert [list(s.y) for s in exam_series] == ([[0.95]] if exams else [])
    (line,) = figure.layout.shapes
    assert (line.y0, line.y1) == (0.98, 0.98)
    assert figure.layout.title.text == LABELS["title"] and figure.layout.xaxis.title.text == "Week"


def test_confusion_heatmap_rows_are_reference_columns_given():
    labels = {"title": "Decisions", "x": "Given", "y": "Reference", "hover": "%{z}"}
    figure = validated(
        figures.confusion_heatmap(["pass", "block", "escalate"], [[6, 0, 0], [2, 2, 0], [0, 0, 1]], labels)
    )

    (trace,) = figure.data
    assert list(trace.y) == ["pass", "block", "escalate"] and [list(r) for r in trace.z][1] == [2, 2, 0]
    assert figure.layout.yaxis.title.text == "Reference"


def test_confidence_histogram_marks_the_threshold():
    figure = validated(
        figures.confidence_histogram(20, {"Wrong": [0] * 19 + [3]}, 0.85, {"title": "t", "x": "x", "y": "y"})
    )

    (bars,) = figure.data
    assert bars.x[0] == pytest.approx(0.025) and bars.x[-1] == pytest.approx(0.975) and bars.y[-1] == 3
    assert figure.layout.shapes[0].x0 == 0.85


def test_rates_over_time_draws_both_targets():
    figure = validated(
        figures.rates_over_time(
            {"KYC precision": [("2026-11-16", 0.95)], "KYC recall": [("2026-11-16", None)]},
            {"precision": 0.95, "recall": 0.99},
            {"title": "t", "x": "x", "y": "y"},
        )
    )
    assert [s.name for s in figure.data] == ["KYC precision", "KYC recall"]
    assert sorted(shape.y0 for shape in figure.layout.shapes) == [0.95, 0.99]


@pytest.fixture
def world(make_user, make_decisions, make_audits, auditor, case_type_id):
    """An agent over two weeks, FP/FN labels in two patterns: enough for every chart to have points."""
    agent = make_user("agent", username="ola")
    make_audits(make_decisions(agent, 5), auditor)
    make_audits(
        make_decisions(agent, 3, decided_at=utc(2026, 11, 23, 9)),
        auditor,
        verdict=["correct", "incorrect", "correct"],
        corrected_decision=[None, "block", None],
    )
    make_decisions(agent, 4, label="TP", decision="block", agent_recommendation="block")
    make_decisions(agent, 3, label="FN", root_cause="B", decision="block", confidence=0.87)
    make_decisions(
        agent, 1, label="FP", root_cause="A", scenario="kyc.name_mismatch", decided_at=utc(2026, 11, 23, 9)
    )
    return {"agent": agent, "kyc": case_type_id()}


def _charts_page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return page_of(response)


@pytest.mark.parametrize(
    ("path", "charts"),
    [
        ("/dashboard/agents/{agent}", {"accuracy-chart": "weeks", "matrix-chart": "matrix"}),
        (
            "/dashboard/decision-agent",
            {"rates-chart": "decision-agent-weeks", "error-histogram": "error-histogram"},
        ),
        ("/dashboard/feedback", {"pareto-chart": "patterns"}),
        (
            "/dashboard/feedback/{kyc}/threshold?scenario=kyc.doc_tamper&root_cause=B",
            {"confidence-chart": "histogram"},
        ),
    ],
)
def test_every_chart_is_json_for_a_container_with_a_table_alternative(client, auth, world, path, charts):
    auth.login_as("manager")

    page = _charts_page(client, path.format(agent=world["agent"].id, kyc=world["kyc"]))

    assert set(page.charts) == set(charts) and page.chart_ids == set(charts)
    assert page.chart_types == {"application/json"} and page.inline_scripts == 0
    for chart, table in charts.items():
        validated(page.charts[chart])
        assert page.tables[table], f"{chart} has an empty table alternative"


def test_the_agent_charts_and_their_tables_agree(client, auth, world):
    auth.login_as("manager")
    page = _charts_page(client, f"/dashboard/agents/{world['agent'].id}")

    audited = page.charts["accuracy-chart"]["data"][1]
    weeks = page.cells("weeks")
    assert audited["x"] == [w[0] for w in weeks] == ["2026-11-16", "2026-11-23"]
    assert [f"{y:.1%}" for y in audited["y"]] == [w[2] for w in weeks] == ["100.0%", "66.7%"]
    assert [c[0] for c in audited["customdata"]] == [int(w[1]) for w in weeks] == [5, 3]
    heatmap = page.charts["matrix-chart"]["data"][0]
    assert [[str(n) for n in row] for row in heatmap["z"]] == [row[1:] for row in page.cells("matrix")]
    assert heatmap["z"] == [[7, 0, 0], [1, 0, 0], [0, 0, 0]]


def test_the_decision_agent_chart_and_its_table_agree(client, auth, world):
    auth.login_as("manager")
    page = _charts_page(client, "/dashboard/decision-agent")

    traces = {t["name"]: t for t in page.charts["rates-chart"]["data"]}
    rows = page.cells("decision-agent-weeks")
    assert rows == [["Kyc Audit", "2026-11-16", "100.0%", "57.1%"], ["Kyc Audit", "2026-11-23", "0.0%", "—"]]
    assert traces["Kyc Audit precision"]["y"] == [1.0, 0.0]
    assert traces["Kyc Audit recall"]["x"] == ["2026-11-16", "2026-11-23"]
    assert traces["Kyc Audit recall"]["y"] == [pytest.approx(4 / 7), None]


def test_the_pareto_chart_and_the_pattern_table_agree(client, auth, world):
    auth.login_as("manager")
    page = _charts_page(client, "/dashboard/feedback")

    fp, fn, cumulative = page.charts["pareto-chart"]["data"]
    rows = page.cells("patterns")
    assert [int(r[3]) for r in rows] == fp["y"] == [0, 1]
    assert [int(r[4]) for r in rows] == fn["y"] == [3, 0]
    assert [f"{c:.1%}" for c in cumulative["y"]] == [r[5] for r in rows] == ["75.0%", "100.0%"]


def test_the_histogram_and_its_table_agree(client, auth, world):
    auth.login_as("manager")
    page = _charts_page(
        client, f"/dashboard/feedback/{world['kyc']}/threshold?scenario=kyc.doc_tamper&root_cause=B"
    )

    (bars,) = page.charts["confidence-chart"]["data"]
    assert bars["y"] == [int(r[1]) for r in page.cells("histogram")]
    assert bars["y"][17] == 3  # 0.87 falls in 0.85-0.90


def test_chart_json_cannot_end_its_script_element(client, auth, make_user, make_decisions):
    # Scenarios arrive with ingested decisions, so they are not trusted markup.
    scenario = "</script><b id=injected>x</b>"
    make_decisions(make_user("agent"), label="FP", root_cause="A", scenario=scenario)
    auth.login_as("manager")

    response = client.get("/dashboard/feedback")

    assert "<b id=injected>" not in response.get_data(as_text=True)
    assert scenario in page_of(response).charts["pareto-chart"]["data"][0]["x"][0]


TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


@pytest.mark.parametrize(
    ("chart", "path", "english"),
    [
        ("accuracy-chart", ("layout", "title", "text"), "Audited accuracy by week"),
        ("accuracy-chart", ("layout", "xaxis", "title", "text"), "Week"),
        ("accuracy-chart", ("layout", "yaxis", "title", "text"), "Accuracy"),
        ("matrix-chart", ("layout", "title", "text"), "Decisions: reference (rows) × given (columns)"),
        ("matrix-chart", ("layout", "yaxis", "title", "text"), "Reference"),
    ],
)
def test_chart_titles_and_axes_come_in_the_readers_language(client, auth, chart, path, english):
    chinese = Translations.load(str(TRANSLATIONS), ["zh_Hans"]).gettext(english)
    if chinese == english:
        pytest.skip(f"{english!r} has no zh_Hans translation yet")
    auth.login_as("agent", locale="zh_Hans")
    figure = page_of(client.get("/dashboard/me")).charts[chart]

    value = figure
    for key in path:
        value = value[key]
    assert value == chinese
