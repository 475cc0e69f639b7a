"""Translated display names for the domain's vocabularies, available to every template."""

from flask import Flask
from flask_babel import lazy_gettext as _l

DECISION_NAMES = {"pass": _l("Pass"), "block": _l("Block"), "escalate": _l("Escalate")}
DIFFICULTY_NAMES = {"easy": _l("Easy"), "medium": _l("Medium"), "hard": _l("Hard")}
STATUS_NAMES = {"active": _l("Active"), "retired": _l("Retired")}
ROOT_CAUSE_NAMES = {
    "A": _l("A: feature weight bias"),
    "B": _l("B: threshold miscalibration"),
    "C": _l("C: SOP gap or logic error"),
}


def register(app: Flask) -> None:
    @app.context_processor
    def inject_names() -> dict:
        return {
            "decision_names": DECISION_NAMES,
            "difficulty_names": DIFFICULTY_NAMES,
            "status_names": STATUS_NAMES,
            "root_cause_names": ROOT_CAUSE_NAMES,
        }
