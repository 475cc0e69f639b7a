"""The app's notion of now: the one place code reads the time.

Tests and browser journeys set config["CLOCK"] (a callable returning an aware UTC datetime) to pin or move
time; outside an app context (scripts, benchmarks) it is the system clock.
"""

from datetime import UTC, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    """The current time, timezone-aware UTC (from the configured clock when one is set)."""
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    return clock() if clock else datetime.now(UTC)
