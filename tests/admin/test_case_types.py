"""Admin case types: the list is data, so admins add and edit them; slugs are unique and fixed once used."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.cases.models import CaseType
from app.extensions import db
from tests.forms import page_form

# The certification rules are part of the form too; their values here are the defaults.
RULES = {
    "exam_size": "50",
    "pass_mark": "0.98",
    "cooldown_hours": "24",
    "max_attempts": "3",
    "validity_days": "90",
}
POA = {
    "slug": "poa_review",
    "name": "Proof-of-address review",
    "description": "Utility bills.",
    "sop_prefix": "POA",
    **RULES,
}


def save(client, url: str = "/admin/case-types", **typed):
    """Open the case-types page (or one case type's), type into its form, and save."""
    return page_form(client, url).fill(**typed).submit()


def case_types(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(CaseType.slug, CaseType.name, CaseType.sop_prefix).order_by(CaseType.id)
        )
        return [tuple(row) for row in rows]


def test_create_a_case_type(app, client, auth):
    auth.login_as("admin")
    response = save(client, **{**POA, "name": "  Proof-of-address review "})
    assert response.status_code == 302 and response.location == "/admin/case-types"
    assert case_types(app) == [("poa_review", "Proof-of-address review", "POA")]
    page = client.get("/admin/case-types").get_data(as_text=True)
    assert "Case type saved." in page and "<code>poa_review</code>" in page


def test_a_new_case_type_can_be_used_for_golden_cases_at_once(app, client, auth):
    auth.login_as("admin")
    assert save(client, **POA).status_code == 302
    assert '<option value="poa_review">Proof-of-address review</option>' in client.get(
        "/golden/new"
    ).get_data(as_text=True)


def test_edit_a_case_type(app, client, auth, make_case_type):
    case_type = make_case_type()
    auth.login_as("admin")
    assert 'value="kyc_audit"' in client.get(f"/admin/case-types/{case_type.id}").get_data(as_text=True)
    data = {"slug": "kyc_review", "name": "KYC Review", "description": "", "sop_prefix": "KYC2", **RULES}
    assert save(client, f"/admin/case-types/{case_type.id}", **data).status_code == 302
    assert case_types(app) == [("kyc_review", "KYC Review", "KYC2")]


def test_edit_a_case_types_certification_rules(app, client, auth, make_case_type):
    case_type = make_case_type()
    auth.login_as("admin")
    rules = {"exam_size": "20", "pass_mark": "0.95", "cooldown_hours": "48", "max_attempts": "2"}
    assert save(client, f"/admin/case-types/{case_type.id}", **rules, validity_days="180").status_code == 302
    with app.app_context():
        saved = db.session.get(CaseType, case_type.id)
        assert (saved.exam_size, saved.pass_mark, saved.cooldown_hours, saved.max_attempts) == (
            20,
            0.95,
            48,
            2,
        )
        assert saved.validity_days == 180
    page = client.get("/admin/case-types").get_data(as_text=True)
    assert "20 cases, pass 95.0%, retake after 48 h, 2 attempts, valid 180 days" in page


@pytest.mark.parametrize("editing", [False, True])
def test_a_slug_clash_is_refused(app, client, auth, make_case_type, editing):
    make_case_type(slug="kyc_audit")
    other = make_case_type(slug="ato_investigation", name="ATO investigation", sop_prefix="ATO")
    auth.login_as("admin")
    before = case_types(app)
    url = f"/admin/case-types/{other.id}" if editing else "/admin/case-types"
    response = save(client, url, **{**POA, "slug": "kyc_audit"})
    assert response.status_code == 422
    assert '<p class="error" id="slug-error">A case type with that slug exists.</p>' in response.get_data(
        as_text=True
    )
    assert case_types(app) == before


def test_a_slug_in_use_by_golden_cases_cannot_change(app, client, auth, make_golden_case):
    make_golden_case()
    auth.login_as("admin")
    with app.app_context():
        case_type_id = db.session.scalar(select(CaseType.id))
    data = {"slug": "kyc_renamed", "name": "KYC Audit", "description": "", "sop_prefix": "KYC", **RULES}
    response = save(client, f"/admin/case-types/{case_type_id}", **data)
    assert response.status_code == 422
    assert escape("Golden cases use this slug, so it cannot change.") in response.get_data(as_text=True)
    assert [slug for slug, _name, _prefix in case_types(app)] == ["kyc_audit"]
    renamed = {**data, "slug": "kyc_audit", "name": "KYC Audit (v2)"}
    assert save(client, f"/admin/case-types/{case_type_id}", **renamed).status_code == 302
    assert case_types(app) == [("kyc_audit", "KYC Audit (v2)", "KYC")]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"slug": "POA_review"}, "slug", "Lowercase letters, digits and _."),
        ({"slug": "poa-review"}, "slug", "Lowercase letters, digits and _."),
        ({"slug": "1poa"}, "slug", "Lowercase letters, digits and _."),
        ({"slug": "p"}, "slug", "Lowercase letters, digits and _."),
        ({"slug": "p" * 41}, "slug", "Lowercase letters, digits and _."),
        ({"slug": ""}, "slug", "This field is required."),
        ({"sop_prefix": "poa"}, "sop_prefix", "2 to 8 capital letters or digits."),
        ({"sop_prefix": "P"}, "sop_prefix", "2 to 8 capital letters or digits."),
        ({"sop_prefix": "POA-1"}, "sop_prefix", "2 to 8 capital letters or digits."),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_bad_case_types_are_refused_next_to_the_field(app, client, auth, overrides, field, message):
    auth.login_as("admin")
    response = save(client, **{**POA, **overrides})
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{escape(message)}</p>' in response.get_data(as_text=True)
    assert case_types(app) == []


@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager"])
def test_only_admins_manage_case_types(app, client, auth, role):
    auth.login_as(role)
    # Forged: the page refuses this role, so the post is crafted by hand.
    assert client.post("/admin/case-types", data=POA).status_code == 403
    assert case_types(app) == []
