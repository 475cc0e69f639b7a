"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from app.admin.models import Setting  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import ApiToken, Team, User  # noqa: F401
from app.calibration.models import CalibrationSession, SessionAnswer, SessionCase, SessionParticipant  # noqa: F401
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer  # noqa: F401
from app.onboarding.models import Attempt, AttemptItem, Certification, GoldDispute  # noqa: F401
from app.qa.audits.models import Audit, AuditDispute  # noqa: F401
from app.qa.decisions.models import IdempotencyRecord, LiveDecision, LiveFinding  # noqa: F401
from app.qa.quality.models import (  # noqa: F401
    DailyErrorConfidence,
    DailyQuality,
    DailyScenario,
    SuspensionProposal,
)
from app.qa.sampling.models import PlanRun, Sample, SamplingPlan  # noqa: F401
from app.sop.models import SopGap, SopSection, SopVersion  # noqa: F401
