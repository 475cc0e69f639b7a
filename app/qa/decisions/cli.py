"""`flask qa import FILE.csv|FILE.jsonl`: bulk-load live decisions, streaming, in one transaction.

The file is read row by row and written in batches through the same validation and bulk path as the API;
the transaction commits only when every row is clean, so an invalid row anywhere loads nothing. A
decision_id already stored, or repeated in the file, is counted as a duplicate (the first one wins).
"""

import gc
import io
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import click
from flask.cli import AppGroup

from app.audit.services import record_event
from app.cases.golden_format import N_, FieldError
from app.errors import ImportRejected
from app.extensions import db
from app.qa.decisions import ingest
from app.qa.decisions.ingest_format import check_header, csv_records, validate_decisions
from app.strict_parsing import CSVRejected, csv_rows, parse_json

qa_cli = AppGroup("qa", help="Live QA: import decisions, sample them, rebuild the daily rollups.")
FORMATS = (".csv", ".jsonl")
SHOWN_ERRORS = 20


def _jsonl_records(lines: Iterable[str]) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, parse_json(line)
        except ValueError:
            yield number, FieldError(None, "", N_("This line is not valid JSON."))


def _batches(records: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(records, size)):
        yield batch


def _records(path: Path, text: io.TextIOBase) -> Iterator[tuple[int, object]]:
    if path.suffix.lower() == ".jsonl":
        return _jsonl_records(text)
    reader = csv_rows(text)
    header = [name.strip() for name in next(reader, [])]
    problems = check_header(header) if header else [FieldError(1, "", N_("The file is empty."))]
    if problems:
        raise ImportRejected(problems)
    return csv_records(header, reader)


def import_file(path: Path, batch_size: int = 10_000, show_progress: bool = False) -> ingest.Stored:
    """Validate and store every decision in a CSV or JSONL file, batch by batch, in the current
    transaction (the caller commits). Raises ImportRejected at the first batch with a problem."""
    if path.suffix.lower() not in FORMATS:
        raise click.UsageError(f"{path.name}: give a .csv or .jsonl file")
    # A load allocates millions of short-lived, acyclic objects that the cyclic collector would only
    # re-scan, about a quarter of the run time; reference counting still frees every one of them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        stored = _import(path, batch_size, show_progress)
    finally:
        if collecting:
            gc.enable()
    record_event(None, "qa.ingest", "live_decisions", {"source": "cli", "file": path.name, **stored.answer()})
    return stored


def _import(path: Path, batch_size: int, show_progress: bool) -> ingest.Stored:
    """Read and check batch N+1 while a writer thread stores batch N: validation needs no database, and
    the drivers release the GIL while the database works, so the two overlap. One write is in flight at
    a time, on the session's own connection, inside its transaction."""
    known, limits = ingest.known_people_and_types(), ingest.thresholds()
    dialect = db.session.get_bind().dialect.name
    cursor = ingest.raw_cursor()  # closed with the connection; the caller commits or rolls back
    created = attempted = repeats = read = 0
    in_flight = None
    with (
        path.open("rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
        click.progressbar(
            length=path.stat().st_size, label="Importing", file=None if show_progress else io.StringIO()
        ) as bar,
        ThreadPoolExecutor(max_workers=1) as writer,  # leaving waits for the write in flight, if any
    ):
        try:
            for batch in _batches(_records(path, text), batch_size):
                read += len(batch)
                checked = validate_decisions(batch, known, allow_repeats=True)
                if checked.errors:
                    raise ImportRejected(checked.errors)
                prepared = ingest.prepare_decisions(checked.rows, limits, dialect)
                attempted, repeats = attempted + len(checked.rows), repeats + checked.repeats
                if in_flight is not None:
                    created += in_flight.result()
                in_flight = writer.submit(ingest.write_prepared, cursor, prepared)
                bar.update(raw.tell() - bar.pos)
            if in_flight is not None:
                created += in_flight.result()
        except UnicodeDecodeError:
            raise ImportRejected(
                [FieldError(None, "", N_("The file is not UTF-8 text (after %(n)s rows)."), {"n": read})]
            ) from None
        except CSVRejected as error:
            raise ImportRejected([FieldError(None, "", error.message, error.params)]) from None
    return ingest.Stored(created, attempted - created + repeats)


def describe(errors: list[FieldError], unit: str) -> str:
    lines = [
        f"{unit} {e.index}, {e.field or 'row'}: {e.text()}" if e.index is not None else e.text()
        for e in errors[:SHOWN_ERRORS]
    ]
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"... and {len(errors) - SHOWN_ERRORS} more")
    return "\n".join(lines)


@qa_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--batch-size", type=click.IntRange(100, 100_000), default=10_000, show_default=True)
def import_command(path: Path, batch_size: int) -> None:
    """Import live decisions from FILE.csv (header row; row 1 is the header) or FILE.jsonl (one JSON
    object per line). All or nothing: an invalid row aborts the import and nothing is stored."""
    try:
        stored = import_file(path, batch_size, show_progress=True)
    except ImportRejected as rejected:
        db.session.rollback()
        unit = "line" if path.suffix.lower() == ".jsonl" else "row"
        raise click.ClickException(f"nothing imported.\n{describe(rejected.errors, unit)}") from None
    db.session.commit()
    click.echo(f"Decisions: {stored.created} created, {stored.duplicates} duplicates skipped.")
