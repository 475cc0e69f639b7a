"""Where an agent stands and whether they may sit the exam (pure)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.onboarding.curriculum import Standing, exam_gate, progress_status

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("standing", "status"),
    [
        (Standing(), "not_started"),
        (Standing(practice_answered=3), "practising"),
        (Standing(NOW - 10 * DAY, NOW + 60 * DAY), "certified"),
        (Standing(NOW - 10 * DAY, NOW + 15 * DAY), "certified"),
        (Standing(NOW - 10 * DAY, NOW + 14 * DAY), "expiring"),  # the window is 14 days, inclusive
        (Standing(NOW - 10 * DAY, NOW + timedelta(seconds=1)), "expiring"),
        (Standing(NOW - 90 * DAY, NOW), "expired"),  # expires at this very moment
        (Standing(NOW - 90 * DAY, NOW - DAY, practice_answered=5), "expired"),
        (Standing(NOW - 10 * DAY, NOW + 60 * DAY, suspended_at=NOW - DAY), "suspended"),
        (Standing(suspended_at=NOW, practice_answered=2), "suspended"),
    ],
)
def test_progress_status(standing, status):
    assert progress_status(standing, NOW) == status


def gate(status="practising", failed=0, max_attempts=3, last_failed=None, cooldown_hours=24, open_exam=False):
    return exam_gate(
        NOW, status, failed, max_attempts, last_failed, timedelta(hours=cooldown_hours), open_exam
    )


@pytest.mark.parametrize(
    ("kwargs", "allowed", "reason"),
    [
        ({}, True, "ready"),
        ({"status": "not_started"}, True, "ready"),
        ({"status": "expiring"}, True, "recertify"),
        ({"status": "expired"}, True, "recertify"),
        ({"status": "certified"}, False, "certified"),
        ({"status": "suspended"}, False, "suspended"),
        ({"failed": 3}, False, "locked"),
        ({"failed": 2}, True, "ready"),
        ({"failed": 1, "max_attempts": 1, "last_failed": NOW - 48 * timedelta(hours=1)}, False, "locked"),
        # Locked wins over a cooldown that is still running.
        ({"failed": 3, "last_failed": NOW - timedelta(hours=1)}, False, "locked"),
        ({"failed": 1, "last_failed": NOW - timedelta(hours=24)}, True, "ready"),  # cooldown just over
        ({"failed": 1, "last_failed": NOW - timedelta(hours=25), "status": "expired"}, True, "recertify"),
        ({"failed": 1, "last_failed": NOW, "cooldown_hours": 0}, True, "ready"),
        # An open exam is resumed whatever else holds.
        ({"open_exam": True, "status": "certified"}, True, "resume"),
        ({"open_exam": True, "failed": 9}, True, "resume"),
        ({"open_exam": True, "status": "suspended"}, True, "resume"),
    ],
)
def test_exam_gate(kwargs, allowed, reason):
    result = gate(**kwargs)
    assert (result.allowed, result.reason) == (allowed, reason)
    assert result.wait_until is None


@pytest.mark.parametrize("hours_ago", [0, 1, 23.99])
def test_exam_gate_cooldown_says_when(hours_ago):
    failed_at = NOW - timedelta(hours=hours_ago)
    result = gate(failed=1, last_failed=failed_at)
    assert (result.allowed, result.reason) == (False, "cooldown")
    assert result.wait_until == failed_at + timedelta(hours=24)
