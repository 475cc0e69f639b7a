"""The app's notion of now. Tests and browser journeys may set config["CLOCK"] to simulate time passing."""

from datetime import datetime

from flask import current_app

from app.database import utcnow


def now() -> datetime:
    """The current time, timezone-aware UTC (from the configured clock when one is set)."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else utcnow()
