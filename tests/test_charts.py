"""Plotly figure specs (pure): plotly accepts them, and they carry the data and reference lines."""

import json

import plotly.graph_objects as go
import pytest

from app.charts.figures import alpha_trend, kappa_heatmap

HEATMAP_LABELS = {"title": "Pairwise kappa", "x": "Participant", "y": "Participant"}
TREND_LABELS = {
    "title": "Alpha by case type",
    "x": "Session closed",
    "y": "Alpha",
    "reliable": "0.800 reliable",
    "tentative": "0.667 tentative",
}


def validated(spec: dict) -> go.Figure:
    """Plotly's own validation: an unknown property or a bad value raises."""
    return go.Figure(json.loads(json.dumps(spec)))


@pytest.mark.parametrize(
    ("names", "matrix"),
    [
        (["ana"], [[None]]),
        (["ana", "ben"], [[None, 0.5], [0.5, None]]),
        (["ana", "ben", "cai"], [[None, 0.25, -0.1], [0.25, None, 1.0], [-0.1, 1.0, None]]),
    ],
)
def test_kappa_heatmap_is_a_valid_heatmap_of_the_matrix(names, matrix):
    spec = kappa_heatmap(names, matrix, HEATMAP_LABELS)
    figure = validated(spec)
    (trace,) = figure.data
    assert trace.type == "heatmap"
    assert list(trace.x) == names and list(trace.y) == names
    assert [list(row) for row in trace.z] == matrix
    assert (trace.zmin, trace.zmax) == (-1, 1)
    assert figure.layout.title.text == "Pairwise kappa"
    assert figure.layout.xaxis.title.text == "Participant"


def test_kappa_heatmap_grows_with_participants():
    small = kappa_heatmap(["a"], [[None]], HEATMAP_LABELS)["layout"]["height"]
    names = [f"p{i}" for i in range(40)]
    large = kappa_heatmap(names, [[0.1] * 40 for _ in names], HEATMAP_LABELS)["layout"]["height"]
    assert large > small >= 360


@pytest.mark.parametrize(
    "series",
    [
        {},
        {"KYC Audit": [("2026-11-01T10:00:00+00:00", 0.71)]},
        {
            "KYC Audit": [("2026-11-01T10:00:00+00:00", 0.71), ("2026-11-08T10:00:00+00:00", None)],
            "Reset 2FA": [("2026-11-03T10:00:00+00:00", 0.85)],
        },
    ],
)
def test_alpha_trend_has_a_line_per_case_type_and_the_reference_lines(series):
    figure = validated(alpha_trend(series, TREND_LABELS))
    assert [trace.name for trace in figure.data] == list(series)
    for trace, points in zip(figure.data, series.values(), strict=True):
        assert trace.type == "scatter"
        assert list(trace.x) == [when for when, _ in points]
        assert list(trace.y) == [value for _, value in points]
    lines = sorted((shape.y0, shape.y1, shape.x0, shape.x1, shape.xref) for shape in figure.layout.shapes)
    assert lines == [(0.667, 0.667, 0, 1, "paper"), (0.8, 0.8, 0, 1, "paper")]
    notes = {note.text: note.y for note in figure.layout.annotations}
    assert notes == {"0.800 reliable": 0.8, "0.667 tentative": 0.667}
    low, high = figure.layout.yaxis.range
    assert low < 0 and high > 1
