"""Roles. Pure."""

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    QA_LEAD = "qa_lead"
    MANAGER = "manager"
    ADMIN = "admin"


ROLES = tuple(r.value for r in Role)
LEADS = frozenset({Role.QA_LEAD, Role.ADMIN})
STAFF = frozenset({Role.QA_LEAD, Role.MANAGER, Role.ADMIN})
EVERYONE = frozenset(Role)
