"""`flask seed golden`: load case types and the golden set from seed_cases/ through the validated import."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.cases import services
from app.cases.models import CaseType
from app.errors import ImportRejected
from app.extensions import db
from app.sop import services as sop_services

seed_cli = AppGroup("seed", help="Load seed data.")


def seed_dir() -> Path:
    return Path(current_app.root_path).parent / "seed_cases"


def _read_json(path: Path):
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise click.ClickException(f"{path.name}: not a readable UTF-8 JSON file ({error})") from None


def load_seed_golden(folder: Path) -> dict[str, int]:
    """Load case_types.json then every <slug>.json golden file in one transaction; existing keys are kept."""
    types = services.load_case_types(_read_json(folder / "case_types.json"), None)
    totals = {"case_types": types, "created": 0, "skipped": 0, "sops": load_seed_sops(folder / "sops")}
    for path in sorted(folder.glob("*.json")):
        if path.name == "case_types.json" or path.name.endswith(".schema.json"):
            continue
        try:
            result = services.import_golden_cases(
                json.loads(path.read_text("utf-8")), None, skip_existing=True
            )
        except ImportRejected as rejected:
            raise click.ClickException(
                f"{path.name}: "
                + "; ".join(f"item {e.index} {e.field}: {e.text()}" for e in rejected.errors[:20])
            ) from None
        totals["created"] += result["created"]
        totals["skipped"] += result["skipped"]
    return totals


def load_seed_sops(folder: Path) -> int:
    """Store each sops/<slug>.md as the first SOP version of its case type, unless it has one."""
    created = 0
    for case_type in db.session.scalars(select(CaseType)):
        path = folder / f"{case_type.slug}.md"
        if path.exists() and sop_services.current_version(case_type.id) is None:
            sop_services.save_sop(case_type, path.read_text("utf-8"), "Loaded from seed_cases/sops.", None)
            created += 1
    return created


@seed_cli.command("golden")
@click.option("--dir", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
def seed_golden(folder: Path | None) -> None:
    """Load the golden set (all or nothing)."""
    totals = load_seed_golden(folder or seed_dir())
    db.session.commit()
    click.echo(
        f"Golden set: {totals['created']} cases loaded, {totals['skipped']} already present; "
        f"{totals['case_types']} case types and {totals['sops']} SOPs added."
    )
