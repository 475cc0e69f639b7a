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


def _line_traces(series) -> list[dict]:
    """One lines-and-markers trace per named series of (x, y) points."""
    return [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [x for x, _ in points],
            "y": [y for _, y in points],
        }
        for name, points in series.items()
    ]


def _horizontal_line(y: float, dash: str, color: str | None = None) -> dict:
    """A reference line across the whole plot at height y (a target or a threshold)."""
    line = {"dash": dash, "width": 1, **({"color": color} if color else {})}
    return {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y, "line": line}


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
    traces = _line_traces(series)
    lines = [
        _horizontal_line(level, "dash", color)
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


def accuracy_over_time(
    points: Sequence[dict], exams: Sequence[dict], target: float, labels: dict[str, str]
) -> dict:
    """Weekly audited accuracy with its Wilson 95% band and n on hover, exam results as their own series,
    against the benchmark line. Each point: week, estimate, low, high, n."""
    weeks = [p["week"] for p in points]
    band_x = weeks + weeks[::-1]
    band_y = [p["high"] for p in points] + [p["low"] for p in points][::-1]
    traces = [
        {
            "type": "scatter",
            "x": band_x,
            "y": band_y,
            "fill": "toself",
            "fillcolor": "rgba(31,95,191,0.15)",
            "line": {"width": 0},
            "hoverinfo": "skip",
            "name": labels["band"],
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": labels["audited"],
            "x": weeks,
            "y": [p["estimate"] for p in points],
            "customdata": [[p["n"], p["low"], p["high"]] for p in points],
            "hovertemplate": labels["hover"] + "<extra></extra>",
            "line": {"color": "#1f5fbf"},
        },
    ]
    if exams:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": labels["exams"],
                "x": [e["week"] for e in exams],
                "y": [e["estimate"] for e in exams],
                "marker": {"symbol": "diamond", "size": 10, "color": "#a86500"},
            }
        )
    line = _horizontal_line(target, "dash", "#b42318")
    return {
        "data": traces,
        "layout": _layout(
            labels["title"],
            labels["x"],
            labels["y"],
            shapes=[line],
            yaxis={"title": {"text": labels["y"]}, "tickformat": ".0%"},
        ),
    }


def confusion_heatmap(order: Sequence[str], matrix: Sequence[Sequence[int]], labels: dict[str, str]) -> dict:
    """Rows: reference decision; columns: the decision given."""
    return {
        "data": [
            {
                "type": "heatmap",
                "x": list(order),
                "y": list(order),
                "z": [list(r) for r in matrix],
                "colorscale": "Blues",
                "reversescale": True,
                "hovertemplate": labels["hover"] + "<extra></extra>",
                "text": [[str(v) for v in row] for row in matrix],
                "texttemplate": "%{text}",
            }
        ],
        "layout": _layout(labels["title"], labels["x"], labels["y"], height=360),
    }


def rates_over_time(
    series: dict[str, Sequence[tuple[str, float | None]]], targets: dict[str, float], labels: dict[str, str]
) -> dict:
    """Precision and recall per week against their targets."""
    traces = _line_traces(series)
    shapes = [_horizontal_line(value, "dot") for value in targets.values()]
    return {
        "data": traces,
        "layout": _layout(
            labels["title"],
            labels["x"],
            labels["y"],
            shapes=shapes,
            yaxis={"title": {"text": labels["y"]}, "tickformat": ".0%"},
        ),
    }


def confidence_histogram(
    bins: int, counts: dict[str, list[int]], threshold: float, labels: dict[str, str]
) -> dict:
    """FP and FN cases by the decision agent's confidence, with the auto-decision threshold."""
    centres = [(i + 0.5) / bins for i in range(bins)]
    traces = [{"type": "bar", "name": name, "x": centres, "y": values} for name, values in counts.items()]
    line = {
        "type": "line",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "x0": threshold,
        "x1": threshold,
        "line": {"dash": "dash", "color": "#b42318"},
    }
    return {
        "data": traces,
        "layout": _layout(labels["title"], labels["x"], labels["y"], shapes=[line], barmode="stack"),
    }
