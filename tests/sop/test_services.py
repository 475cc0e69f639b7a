"""SOP versions and gap proposals (services)."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.cases.models import CaseType
from app.errors import Conflict, DomainError
from app.sop import services
from app.sop.models import SopGap, SopVersion

BODY = """# KYC Audit SOP

## 1. Scope
Covers: kyc.doc_tamper

### 1.1 Documents
Covers: kyc.name_mismatch, kyc.doc_tamper
"""


@pytest.fixture
def kyc(db, make_case_type):
    return db.session.get(CaseType, make_case_type().id)


@pytest.fixture
def lead(db, make_user):
    return db.session.get(User, make_user("qa_lead").id)


@pytest.fixture
def agent(db, make_user):
    return db.session.get(User, make_user("agent").id)


def test_every_save_is_a_new_version_with_its_sections(db, kyc, lead):
    first = services.save_sop(kyc, BODY.replace("\n", "\r\n"), " First draft ", lead)
    second = services.save_sop(
        kyc, BODY + "\n## 2. Sanctions\nCovers: kyc.sanctions_hit\n", "Sanctions", lead
    )
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert first.body == BODY and "\r" not in first.body
    assert (first.note, first.author_id) == ("First draft", lead.id)
    assert [(s.number, s.level, s.scenarios) for s in first.sections] == [
        ("1", 2, ["kyc.doc_tamper"]),
        ("1.1", 3, ["kyc.name_mismatch", "kyc.doc_tamper"]),
    ]
    assert [s.number for s in second.sections] == ["1", "1.1", "2"]
    assert services.current_version(kyc.id).id == second.id
    assert services.get_version(kyc.id, 1).id == first.id
    assert [v.version for v in services.list_versions(kyc.id)] == [2, 1]
    assert services.current_version_ids() == {kyc.id: second.id}
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "sop.save"))
        == 2
    )


def test_bad_sops_are_refused(db, kyc, lead):
    for body, message in [
        ("", "empty or too short"),
        ("  # Tiny  \n", "empty or too short"),
        ("## 1. One\ntext\n## 1. Again\n### 2.1 A\n### 2.1 B\n", "Section numbers must be unique: 1, 2.1."),
        ("x" * 200_001, "too long"),
    ]:
        with pytest.raises(DomainError) as raised:
            services.save_sop(kyc, body, "note", lead)
        assert message in str(raised.value.message)
        assert raised.value.field == "body"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SopVersion)) == 0


def test_an_unchanged_sop_makes_no_version(db, kyc, lead):
    services.save_sop(kyc, BODY, "v1", lead)
    db.session.commit()
    with pytest.raises(DomainError, match="Nothing changed"):
        services.save_sop(kyc, "\n" + BODY + "\n\n", "same again", lead)
    db.session.rollback()
    assert [v.version for v in services.list_versions(kyc.id)] == [1]


def test_an_accepted_gap_appends_its_draft_as_a_new_version(db, kyc, lead, agent):
    services.save_sop(kyc, BODY, "v1", lead)
    gap = services.propose_gap(
        kyc,
        "  ## 2. Sanctions\nCovers: kyc.sanctions_hit  ",
        " Sanctions hits are missing. ",
        agent,
        scenario="kyc.sanctions_hit",
    )
    db.session.commit()
    assert (gap.status, gap.reason, gap.proposer_id) == ("open", "Sanctions hits are missing.", agent.id)
    assert services.list_gaps() == [gap]

    services.decide_gap(gap, True, "Good catch.", lead)
    db.session.commit()
    current = services.current_version(kyc.id)
    assert current.version == 2
    assert current.body == BODY.rstrip() + "\n\n## 2. Sanctions\nCovers: kyc.sanctions_hit\n"
    assert [s.number for s in current.sections] == ["1", "1.1", "2"]
    assert current.note == "Good catch."
    assert (gap.status, gap.result_version_id, gap.decided_by_id) == ("accepted", current.id, lead.id)
    assert services.list_gaps() == [] and services.list_gaps("accepted") == [gap]

    with pytest.raises(Conflict):
        services.decide_gap(gap, False, "Oops.", lead)
    db.session.rollback()
    assert db.session.get(SopGap, gap.id).status == "accepted"


def test_a_gap_on_an_sop_without_versions_becomes_its_first(db, kyc, lead, agent):
    gap = services.propose_gap(kyc, "## 1. Scope\nEverything about KYC.", "There is no SOP.", agent)
    services.decide_gap(gap, True, "", lead)
    db.session.commit()
    assert services.current_version(kyc.id).version == 1
    assert services.current_version(kyc.id).note.startswith(f"SOP gap #{gap.id}: There is no SOP.")


def test_a_rejected_gap_makes_no_version(db, kyc, lead, agent):
    services.save_sop(kyc, BODY, "v1", lead)
    gap = services.propose_gap(kyc, "## 9. Nonsense section", "Because.", agent)
    services.decide_gap(gap, False, "Out of scope.", lead)
    db.session.commit()
    assert (gap.status, gap.result_version_id, gap.decision_note) == ("rejected", None, "Out of scope.")
    assert [v.version for v in services.list_versions(kyc.id)] == [1]
    with pytest.raises(Conflict):
        services.decide_gap(gap, True, "", lead)


@pytest.mark.parametrize(
    ("draft", "reason", "field"), [("  ", "Because.", "draft"), ("## 2. X", " ", "reason")]
)
def test_a_gap_needs_a_draft_and_a_reason(db, kyc, agent, draft, reason, field):
    with pytest.raises(DomainError) as raised:
        services.propose_gap(kyc, draft, reason, agent)
    assert raised.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SopGap)) == 0
