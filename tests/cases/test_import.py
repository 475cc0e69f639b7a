"""Golden-case services: all-or-nothing import, answer versions, retire/restore, audit, round trip."""

import pytest
from sqlalchemy import delete, func, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.cases import services
from app.cases.golden_format import FORMAT
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.errors import DomainError, ImportRejected
from tests.conftest import golden_item

NEW_ANSWER = {
    "decision": "block",
    "label": "FN",
    "root_cause": "C",
    "rationale": "The SOP does not cover edited MRZ lines. Add a step for it.",
    "sop_ref": "KYC-3.4",
}


@pytest.fixture
def lead(db):
    """A QA lead and the two case types the items use, in the test's session."""
    for slug, prefix in (("kyc_audit", "KYC"), ("ato_investigation", "ATO")):
        db.session.add(CaseType(slug=slug, name=slug.title(), description="", sop_prefix=prefix))
    user = User(username="lena", display_name="Lena", role="qa_lead", password_hash="x")
    db.session.add(user)
    db.session.flush()
    return user


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imported(db, key: str) -> GoldenCase:
    return db.session.scalar(select(GoldenCase).where(GoldenCase.key == key))


def test_import_writes_cases_answers_and_one_audit_event(db, lead):
    items = [golden_item("kyc_audit-1"), golden_item("kyc_audit-2", status="retired")]
    result = services.import_golden_cases({"format": FORMAT, "cases": items}, lead)
    assert result == {"created": 2, "skipped": 0}
    assert count(db, GoldenCase) == 2 and count(db, ReferenceAnswer) == 2
    case = imported(db, "kyc_audit-2")
    assert case.status == "retired" and case.retired_at is not None
    assert (case.current_answer.version, case.current_answer.author_id) == (1, lead.id)
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.actor_id, e.detail) for e in events] == [
        ("golden.import", lead.id, {"created": 2, "skipped": 0})
    ]


def test_import_and_its_audit_event_share_one_transaction(db, lead):
    services.import_golden_cases({"cases": [golden_item()]}, lead)
    assert count(db, GoldenCase) == 1 and count(db, AuditEvent) == 1
    db.session.rollback()
    assert count(db, GoldenCase) == 0 and count(db, AuditEvent) == 0


@pytest.mark.parametrize(
    "bad,field",
    [
        (golden_item("kyc_audit-2", priority=-1), "priority"),
        (golden_item("kyc_audit-2", case_type="unknown_type"), "case_type"),
        (golden_item("kyc_audit-2", answer={**golden_item()["answer"], "label": "FP"}), "answer.label"),
        (golden_item("kyc_audit-1"), "key"),  # the same key as item 0
    ],
)
def test_one_bad_item_means_nothing_is_written(db, lead, bad, field):
    items = [golden_item("kyc_audit-1"), bad, golden_item("kyc_audit-3")]
    with pytest.raises(ImportRejected) as rejected:
        services.import_golden_cases({"cases": items}, lead)
    assert [(e.index, e.field) for e in rejected.value.errors] == [(1, field)]
    assert rejected.value.status == 422
    assert count(db, GoldenCase) == 0 and count(db, ReferenceAnswer) == 0 and count(db, AuditEvent) == 0


def test_a_key_already_in_the_library_is_an_error(db, lead):
    services.import_golden_cases({"cases": [golden_item("kyc_audit-1")]}, lead)
    items = [golden_item("kyc_audit-5"), golden_item("kyc_audit-1", scenario="kyc.changed")]
    with pytest.raises(ImportRejected) as rejected:
        services.import_golden_cases({"cases": items}, lead)
    assert [(e.index, e.field, e.text()) for e in rejected.value.errors] == [
        (1, "key", "A golden case with this key already exists.")
    ]
    assert imported(db, "kyc_audit-5") is None
    assert imported(db, "kyc_audit-1").scenario == "kyc.doc_tamper"


def test_skip_existing_leaves_existing_cases_alone(db, lead):
    services.import_golden_cases({"cases": [golden_item("kyc_audit-1")]}, None)
    items = [golden_item("kyc_audit-1", scenario="kyc.changed"), golden_item("kyc_audit-2")]
    result = services.import_golden_cases({"cases": items}, None, skip_existing=True)
    assert result == {"created": 1, "skipped": 1}
    assert imported(db, "kyc_audit-1").scenario == "kyc.doc_tamper"
    assert count(db, GoldenCase) == 2 and count(db, ReferenceAnswer) == 2


def test_amending_the_answer_adds_version_2_and_keeps_version_1(db, lead):
    services.import_golden_cases({"cases": [golden_item()]}, None)
    case = imported(db, "kyc_audit-900")
    first = case.current_answer
    new = services.amend_answer(case, NEW_ANSWER, lead, note="SOP gap found in calibration")
    db.session.flush()
    db.session.expire_all()
    case = imported(db, "kyc_audit-900")
    assert [a.version for a in case.answers] == [1, 2]
    assert case.current_answer.id == new.id
    assert (case.current_answer.root_cause, case.current_answer.sop_ref, case.current_answer.note) == (
        "C",
        "KYC-3.4",
        "SOP gap found in calibration",
    )
    assert (case.answers[0].id, case.answers[0].root_cause, case.answers[0].rationale) == (
        first.id,
        "A",
        golden_item()["answer"]["rationale"],
    )
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all() == [
        "golden.import",
        "golden.amend",
    ]


def test_an_unchanged_answer_makes_no_version(db, lead):
    services.import_golden_cases({"cases": [golden_item()]}, None)
    case = imported(db, "kyc_audit-900")
    with pytest.raises(DomainError, match="unchanged"):
        services.amend_answer(case, dict(golden_item()["answer"]), lead)
    assert count(db, ReferenceAnswer) == 1


def test_an_invalid_amendment_is_refused(db, lead):
    services.import_golden_cases({"cases": [golden_item()]}, None)
    case = imported(db, "kyc_audit-900")
    with pytest.raises(ImportRejected) as rejected:
        services.amend_answer(case, {**NEW_ANSWER, "label": "TN", "root_cause": None}, lead)
    assert [e.field for e in rejected.value.errors] == ["label"]
    assert count(db, ReferenceAnswer) == 1


def test_retire_then_restore(db, lead):
    services.import_golden_cases({"cases": [golden_item()]}, None)
    case = imported(db, "kyc_audit-900")
    services.set_status(case, "retired", lead)
    db.session.flush()
    assert (case.status, case.retired_at is not None) == ("retired", True)
    services.set_status(case, "active", lead)
    db.session.flush()
    assert (case.status, case.retired_at) == ("active", None)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["golden.import", "golden.retire", "golden.restore"]
    with pytest.raises(DomainError):
        services.set_status(case, "deleted", lead)
    assert case.status == "active"


def test_export_then_import_gives_the_same_cases(db, lead):
    items = [
        golden_item("kyc_audit-1"),
        golden_item(
            "ato_investigation-1",
            case_type="ato_investigation",
            scenario="ato.new_device",
            status="retired",
            recommendation="block",
            confidence=1,
            priority=80,
            signals={"new_device": True, "country": "中国", "ip_risk": None},
            opened_at="2026-10-01T16:30:00+08:00",
            answer={
                "decision": "escalate",
                "label": "TP",
                "root_cause": None,
                "rationale": "Key User. 新设备登录。",
                "sop_ref": "ATO-2",
            },
        ),
    ]
    services.import_golden_cases({"format": FORMAT, "cases": items}, lead)
    exported = services.export_golden_cases({})
    assert exported["format"] == FORMAT
    by_key = {item["key"]: item for item in exported["cases"]}
    assert by_key["kyc_audit-1"] == items[0]
    assert by_key["ato_investigation-1"]["opened_at"] == "2026-10-01T08:30:00Z"  # stored and shown in UTC
    assert by_key["ato_investigation-1"]["signals"] == {
        "new_device": True,
        "country": "中国",
        "ip_risk": None,
    }

    db.session.execute(delete(ReferenceAnswer))
    db.session.execute(delete(GoldenCase))
    db.session.expire_all()
    assert services.import_golden_cases(exported, lead) == {"created": 2, "skipped": 0}
    assert services.export_golden_cases({}) == exported


@pytest.mark.parametrize(
    "filters,keys",
    [
        ({}, ["ato_investigation-1", "kyc_audit-1", "kyc_audit-2"]),
        ({"case_type": "kyc_audit"}, ["kyc_audit-1", "kyc_audit-2"]),
        ({"status": "retired"}, ["kyc_audit-2"]),
        ({"scenario": "ato.new_device"}, ["ato_investigation-1"]),
        ({"q": "MRZ"}, ["kyc_audit-1", "kyc_audit-2"]),  # rationale text, any case
        ({"q": "ATO_INV"}, ["ato_investigation-1"]),
    ],
)
def test_export_follows_the_filters(db, lead, filters, keys):
    items = [
        golden_item("kyc_audit-1"),
        golden_item("kyc_audit-2", status="retired"),
        golden_item(
            "ato_investigation-1",
            case_type="ato_investigation",
            scenario="ato.new_device",
            answer={**golden_item()["answer"], "rationale": "New device and IP.", "sop_ref": "ATO-1"},
        ),
    ]
    services.import_golden_cases({"cases": items}, lead)
    assert [item["key"] for item in services.export_golden_cases(filters)["cases"]] == keys
