"""The decision agent's precision and recall on risk, from reviewers' labels in the daily rollups."""

from app.dashboard import queries
from app.dashboard.queries import Filters
from app.metrics.accuracy import proportion_interval

PRECISION_TARGET, RECALL_TARGET = 0.95, 0.99


def decision_agent_quality(filters: Filters) -> dict:
    """The decision agent's precision and recall on risk, by case type and week, with Wilson intervals."""
    by_type: dict[int, dict[str, dict[str, int]]] = {}
    for case_type_id, week, label, n in queries.label_counts_by_week(filters):
        by_type.setdefault(case_type_id, {}).setdefault(week, {})[label] = n
    result = {}
    for case_type_id, weeks in by_type.items():
        rows, totals = [], {"TP": 0, "FP": 0, "FN": 0, "TN": 0}
        for week, counts in sorted(weeks.items()):
            rows.append({"week": week, **_precision_recall(counts)})
            for label in totals:
                totals[label] += counts.get(label, 0)
        result[case_type_id] = {"weeks": rows, "overall": _precision_recall(totals)}
    return result


def _precision_recall(counts: dict[str, int]) -> dict:
    tp, fp, fn = counts.get("TP", 0), counts.get("FP", 0), counts.get("FN", 0)
    precision_ci, recall_ci = proportion_interval(tp, tp + fp), proportion_interval(tp, tp + fn)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": counts.get("TN", 0),
        "precision": tp / (tp + fp) if tp + fp else None,
        "precision_ci": precision_ci,
        "recall": tp / (tp + fn) if tp + fn else None,
        "recall_ci": recall_ci,
    }
