"""Ready-made values for the suspension proposal pages (templates run no queries)."""

from app.auth.models import User
from app.qa.quality import suspensions
from app.qa.quality.models import SuspensionProposal


def proposals_page() -> dict:
    """Proposals waiting for a decision, and the latest decided ones."""
    every = suspensions.proposals(limit=200)
    return {
        "pending": [p for p in every if p.status == "pending"],
        "decided": [p for p in every if p.status != "pending"][:50],
    }


def proposal_page(proposal: SuspensionProposal) -> dict:
    """The evidence: the audits in order (marking the crossing), the estimate, the boundary in words."""
    evaluation = suspensions.evaluate(
        proposal.agent_id, proposal.case_type_id, proposal.window_after_audit_id
    )
    alarm_at = evaluation.result.alarm_at
    rows = [
        {
            "number": number,
            "audit": audit,
            "overturned": audit.verdict != audit.original_verdict,
            "crossing": number == alarm_at,
        }
        for number, audit in enumerate(evaluation.audits, start=1)
    ]
    return {
        "proposal": proposal,
        "rows": rows,
        "evaluation": evaluation,
        "assessment": evaluation.assessment,
        "boundary": suspensions.boundary_words(evaluation),
        "still_holds": evaluation.alarmed,
    }


def agent_notices(agent: User) -> list[dict]:
    """What the agent is told about suspensions: in force, or lifted in the last 30 days."""
    return [
        {
            "case_type": p.case_type.name,
            "status": p.status,
            "automatic": p.automatic,
            "since": p.decided_at or p.created_at,
            "lifted_at": p.closed_at,
            "because": p.closed_because,
        }
        for p in suspensions.agent_notices(agent.id)
    ]
