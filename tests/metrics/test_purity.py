"""The measurement core stays pure: no web framework, no database layer."""

import ast
from pathlib import Path

import pytest

METRICS = Path(__file__).resolve().parents[2] / "app" / "metrics"
FORBIDDEN = {"flask", "flask_sqlalchemy", "flask_babel", "sqlalchemy", "werkzeug"}


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a module imports."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted(METRICS.glob("*.py")), ids=lambda path: path.name)
def test_metrics_modules_import_neither_flask_nor_sqlalchemy(path):
    assert imported_roots(path) & FORBIDDEN == set()


@pytest.mark.parametrize("path", sorted(METRICS.glob("*.py")), ids=lambda path: path.name)
def test_metrics_modules_stay_small(path):
    assert len(path.read_text().splitlines()) < 300
