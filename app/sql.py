"""SQL expressions that differ between SQLite and PostgreSQL, for set-based aggregation."""

from sqlalchemy import Float, cast, func, literal_column
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import ColumnElement

from app.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def week_start(column) -> ColumnElement:
    """The Monday (UTC) that starts the ISO week of a timestamp column, as 'YYYY-MM-DD' text."""
    if dialect() == "postgresql":
        return func.to_char(func.date_trunc("week", func.timezone("UTC", column)), "YYYY-MM-DD")
    return func.date(column, "weekday 0", "-6 days")


def hours_between(start, end) -> ColumnElement:
    """Hours from one timestamp column to another."""
    if dialect() == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    # julianday() is a float of ~2.46 million days, so a difference carries an error of some microseconds
    # and exactly 4 h came out as 4.0000000018 h; SQLite keeps milliseconds, so round to them.
    return func.round((func.julianday(end) - func.julianday(start)) * 86_400_000.0) / 3_600_000.0


def ratio(numerator, denominator) -> ColumnElement:
    return cast(numerator, Float) / func.nullif(denominator, 0)


def day_start(column) -> ColumnElement:
    """The UTC midnight that starts the day of a timestamp column, stored as the column type stores it."""
    if dialect() == "postgresql":
        # Literal arguments, so GROUP BY and ORDER BY repeat the same expression, not new parameters.
        return func.date_trunc(literal_column("'day'"), column, literal_column("'UTC'"))
    # UTCDateTime is stored on SQLite as naive UTC text 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return func.substr(column, 1, 10).concat(" 00:00:00.000000")


def upsert(table):
    """INSERT for this dialect, with its on_conflict_do_nothing / on_conflict_do_update."""
    return (pg_insert if dialect() == "postgresql" else sqlite_insert)(table)
