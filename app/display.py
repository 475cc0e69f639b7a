"""Translated display names for the domain's vocabularies, available to every template."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.metrics.classification import fmt_percent
from app.metrics.ratings import REASON_NO_DATA, REASON_NO_PAIRS, REASON_NO_SHARED, REASON_NO_VARIATION

DECISION_NAMES = {"pass": _l("Pass"), "block": _l("Block"), "escalate": _l("Escalate")}
DIFFICULTY_NAMES = {"easy": _l("Easy"), "medium": _l("Medium"), "hard": _l("Hard")}
STATUS_NAMES = {"active": _l("Active"), "retired": _l("Retired")}
ROOT_CAUSE_NAMES = {
    "A": _l("A: feature weight bias"),
    "B": _l("B: threshold miscalibration"),
    "C": _l("C: SOP gap or logic error"),
}

PROGRESS_NAMES = {
    "not_started": _l("Not started"),
    "practising": _l("Practising"),
    "certified": _l("Certified"),
    "expiring": _l("Certified, expiring soon"),
    "expired": _l("Expired"),
    "suspended": _l("Suspended"),
}
STATUS_BADGES = {
    "certified": "ok",
    "expiring": "warn",
    "expired": "bad",
    "suspended": "bad",
    "practising": "",
}
ACCURACY_STATUS_NAMES = {
    "above": _l("above 98%"),
    "below": _l("below 98%"),
    "inconclusive": _l("inconclusive"),
    "no_data": _l("no audits"),
}
FEEDBACK_STATE_NAMES = {"open": _l("open"), "routed": _l("routed"), "resolved": _l("resolved")}
READING_NAMES = {"reliable": _l("reliable"), "tentative": _l("tentative"), "unreliable": _l("unreliable")}
# The measurement core's reasons for an undefined agreement figure, in words for the page.
REASON_NAMES = {
    REASON_NO_DATA: _l("no answers yet"),
    REASON_NO_PAIRS: _l("no case was answered by two or more participants"),
    REASON_NO_VARIATION: _l(
        "everyone gave the same value on every case, so agreement can't be told from chance"
    ),
    REASON_NO_SHARED: _l("the two answered no case in common"),
}
STRATUM_NAMES = {"key_user": _l("Key User cases"), "critical": _l("Critical findings")}
DISPUTE_NAMES = {"open": _l("open"), "upheld": _l("upheld"), "amended": _l("amended")}
PROPOSAL_STATUS_NAMES = {
    "pending": _l("waiting for a decision"),
    "suspended": _l("suspended"),
    "dismissed": _l("dismissed"),
    "withdrawn": _l("withdrawn: the evidence no longer holds"),
    "lifted": _l("lifted"),
}


def percent(value: float | None, digits: int = 1) -> str:
    """A ratio as a percentage, or — when it is undefined."""
    return fmt_percent(value, digits)


def register(app: Flask) -> None:
    app.add_template_filter(percent, "percent")

    @app.context_processor
    def inject_names() -> dict:
        return {
            "decision_names": DECISION_NAMES,
            "difficulty_names": DIFFICULTY_NAMES,
            "status_names": STATUS_NAMES,
            "root_cause_names": ROOT_CAUSE_NAMES,
            "progress_names": PROGRESS_NAMES,
            "status_badges": STATUS_BADGES,
            "dispute_names": DISPUTE_NAMES,
            "reading_names": READING_NAMES,
            "feedback_state_names": FEEDBACK_STATE_NAMES,
            "accuracy_status_names": ACCURACY_STATUS_NAMES,
            "reason_names": REASON_NAMES,
            "stratum_names": STRATUM_NAMES,
            "proposal_status_names": PROPOSAL_STATUS_NAMES,
        }
