"""The decision agent's figures come from the dashboards' rollups, so its tests use the dashboard fixtures."""

from tests.dashboard.conftest import (  # noqa: F401
    auditor,
    case_type_id,
    clock,
    make_audits,
    make_decisions,
    make_findings,
)
