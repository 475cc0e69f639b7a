"""Plotly figure specs (plain dicts); pages embed them as JSON for static/js/charts.js to draw."""

from collections.abc import Sequence

FONT = {"family": "system-ui, sans-serif", "size": 12}
RELIABLE, TENTATIVE = 0.800, 0.667


def _layout(title: str, x_title: str, y_title: str, **extra) -> dict:
    return {
        "title": {"text": title},
        "font": FONT,
        "margin": {"l": 70, "r": 20, "t": 50, "b": 70},
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        **extra,
    }


def kappa_heatmap(
    names: Sequence[str], matrix: Sequence[Sequence[float | None]], labels: dict[str, str]
) -> dict:
    """Pairwise Cohen's kappa between participants; undefined pairs are blank."""
    return {
        "data": [
            {
                "type": "heatmap",
                "x": list(names),
                "y": list(names),
                "z": [list(row) for row in matrix],
                "zmin": -1,
                "zmax": 1,
                "colorscale": "RdBu",
                "hoverongaps": False,
                "colorbar": {"title": {"text": "κ"}},
                "hovertemplate": "%{y} × %{x}: κ = %{z:.3f}<extra></extra>",
            }
        ],
        "layout": _layout(labels["title"], labels["x"], labels["y"], height=max(360, 22 * len(names) + 160)),
    }


def alpha_trend(series: dict[str, list[tuple[str, float | None]]], labels: dict[str, str]) -> dict:
    """Alpha per case type across sessions, with Krippendorff's 0.800 and 0.667 lines."""
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [when for when, _ in points],
            "y": [value for _, value in points],
        }
        for name, points in series.items()
    ]
    lines = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": level,
            "y1": level,
            "line": {"dash": "dash", "color": color, "width": 1},
        }
        for level, color in ((RELIABLE, "#1d7a46"), (TENTATIVE, "#a86500"))
    ]
    notes = [
        {
            "xref": "paper",
            "x": 1,
            "y": level,
            "text": text,
            "showarrow": False,
            "xanchor": "right",
            "yanchor": "bottom",
        }
        for level, text in ((RELIABLE, labels["reliable"]), (TENTATIVE, labels["tentative"]))
    ]
    return {
        "data": traces,
        "layout": _layout(
            labels["title"],
            labels["x"],
            labels["y"],
            shapes=lines,
            annotations=notes,
            yaxis={"title": {"text": labels["y"]}, "range": [-0.2, 1.05]},
        ),
    }
