"""The layering stated in app/qa/__init__.py: models are the floor, then quality < decisions < sampling <
audits < decision_agent. Imports are read from the source (ast), so no module has to be importable."""

import ast
from pathlib import Path

import pytest

import app.qa

LAYERS = ("quality", "decisions", "sampling", "audits", "decision_agent")
QA = Path(app.qa.__file__).parent
ROOT = QA.parent.parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, with `from a import b` read as both a and a.b (b may be a module)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def place(module: str) -> tuple[str | None, bool]:
    """(sub-domain or None for app/qa itself, whether the module is a models module)."""
    parts = module.split(".")
    sub = parts[2] if len(parts) > 2 and parts[2] in LAYERS else None
    floor = parts[3:4] == ["models"] if sub else parts[2:3] == ["blueprints"]
    return sub, floor


def violations(path: Path) -> list[str]:
    source = module_name(path)
    sub, floor = place(source)
    found = []
    for line, target in imported_modules(path):
        if not target.startswith("app.qa."):
            continue
        target_sub, target_floor = place(target)
        if target_sub is None or target_floor or target == f"app.qa.{target_sub}":
            continue  # the floor, or the bare package (whose __init__ is empty)
        if floor or sub is None:
            found.append(f"{path.relative_to(ROOT)}:{line}: the floor imports {target}")
        elif LAYERS.index(target_sub) > LAYERS.index(sub):
            found.append(f"{path.relative_to(ROOT)}:{line}: {sub} imports {target}, which is above it")
    return found


def test_every_qa_package_has_a_place_in_the_layering():
    packages = {p.name for p in QA.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(LAYERS)


@pytest.mark.parametrize("path", sorted(QA.rglob("*.py")), ids=lambda p: str(p.relative_to(QA)))
def test_no_qa_module_imports_from_a_sub_domain_above_it(path):
    assert violations(path) == []


@pytest.mark.parametrize(
    "module, source, broken",
    [
        ("app.qa.quality.rollup", "from app.qa.decisions import ingest\n", True),
        ("app.qa.quality.rollup", "from app.qa.decisions.models import LiveDecision\n", False),
        ("app.qa.sampling.plans", "from app.qa.audits.queue import claim_next\n", True),
        ("app.qa.audits.views", "from app.qa.sampling import plans\n", False),
        ("app.qa.decisions.models", "from app.qa.quality import rollup\n", True),
        ("app.qa.audits.pages", "from ..decision_agent import batches\n", True),
        ("app.qa.blueprints", "import app.qa.audits.queue\n", True),
    ],
)
def test_the_check_catches_an_import_from_above(tmp_path, monkeypatch, module, source, broken):
    """The check itself: it flags an import that climbs, and lets the floor and lower layers through."""
    path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
    fake = tmp_path / path.relative_to(ROOT)
    fake.parent.mkdir(parents=True)
    fake.write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert bool(violations(fake)) == broken
