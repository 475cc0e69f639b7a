"""The SOP library through HTTP: read, compare, edit (leads), flag gaps (anyone), decide gaps (leads)."""

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.auth.models import User
from app.cases.models import CaseType
from app.extensions import db
from app.sop import services
from app.sop.models import SopGap, SopVersion
from tests.forms import page_form

V1 = """# KYC Audit SOP

## 3. Documents
Covers: kyc.doc_tamper

### 3.2 Tampered documents
Block when the tamper score is above 0.8. <script>alert("sop")</script>
"""
V2 = V1.replace("above 0.8", "above 0.85")


def error_next_to(field: str, message: str) -> str:
    return f'<p class="error" id="{field}-error">{escape(message)}</p>'


@pytest.fixture
def sop(app, make_case_type, make_user):
    """The KYC SOP in two versions by a lead."""
    case_type = make_case_type()
    author = make_user("qa_lead", username="author")
    with app.app_context():
        kyc = db.session.get(CaseType, case_type.id)
        services.save_sop(kyc, V1, "First", db.session.get(User, author.id))
        services.save_sop(kyc, V2, "Stricter threshold", db.session.get(User, author.id))
        db.session.commit()
    return case_type


def save_sop(client, body: str, note: str):
    """Open the SOP editor, type the new text and what changed, and save."""
    return page_form(client, "/sop/kyc_audit/edit").fill(body=body, note=note).submit()


def decision_form(client, gap_id: int):
    """The accept/reject form of one gap on the lead's list of gaps."""
    return page_form(client, "/sop/gaps", action=f"/sop/gaps/{gap_id}/decide")


def versions(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(SopVersion.version).order_by(SopVersion.version)))


@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager", "admin"])
def test_everyone_reads_every_version(client, auth, sop, role):
    auth.login_as(role)
    assert "Version 2 · " in client.get("/sop").get_data(as_text=True)
    page = client.get("/sop/kyc_audit").get_data(as_text=True)
    assert "above 0.85" in page and "Stricter threshold" in page
    assert '<h3 id="sec-3-2">3.2 Tampered documents</h3>' in page
    assert "&lt;script&gt;alert(&quot;sop&quot;)&lt;/script&gt;" in page
    assert '<script>alert("sop")' not in page
    assert 'href="/sop/kyc_audit/compare?a=1&amp;b=2"' in page
    old = client.get("/sop/kyc_audit/v/1").get_data(as_text=True)
    assert "above 0.8." in old and "above 0.85" not in old
    compare = client.get("/sop/kyc_audit/compare?a=1&b=2").get_data(as_text=True)
    assert '<tr class="diff-changed">' in compare and compare.count('<tr class="diff-same">') == 6


def test_missing_sops_are_not_found(client, auth, sop):
    auth.login_as("agent")
    for url in [
        "/sop/nope",
        "/sop/kyc_audit/v/3",
        "/sop/kyc_audit/compare?a=1&b=9",
        "/sop/kyc_audit/compare",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_case_type_without_an_sop(client, auth, make_case_type):
    make_case_type()
    auth.login_as("agent")
    assert "No SOP yet." in client.get("/sop").get_data(as_text=True)
    assert client.get("/sop/kyc_audit").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [("agent", 403), ("manager", 403), ("qa_lead", 200), ("admin", 200)]
)
def test_editing_is_for_leads(app, client, auth, sop, role, status):
    auth.login_as(role)
    assert client.get("/sop/kyc_audit/edit").status_code == status
    if status == 200:
        response = save_sop(client, V2 + "\nMore.\n", "More")
    else:  # Forged: the editor refuses this role, so the post is crafted by hand.
        response = client.post("/sop/kyc_audit/edit", data={"body": V2 + "\nMore.\n", "note": "More"})
    assert response.status_code == (302 if status == 200 else 403)
    assert versions(app) == ([1, 2, 3] if status == 200 else [1, 2])


def test_a_saved_edit_is_the_new_current_version(app, client, auth, sop):
    lead = auth.login_as("qa_lead")
    assert escape(V2.splitlines()[0]) in client.get("/sop/kyc_audit/edit").get_data(as_text=True)
    response = save_sop(client, V2 + "\n## 4. Sanctions\n", "Sanctions")
    assert response.location.endswith("/sop/kyc_audit")
    page = client.get("/sop/kyc_audit").get_data(as_text=True)
    assert "Saved as version 3." in page and '<h2 id="sec-4">4. Sanctions</h2>' in page
    with app.app_context():
        newest = db.session.scalar(select(SopVersion).where(SopVersion.version == 3))
        assert (newest.author_id, newest.note) == (lead.id, "Sanctions")


REFUSED_EDITS = [
    ({"body": V2, "note": "Again"}, "body", "Nothing changed, so no new version was made."),
    ({"body": V2 + "\n## 3. Again\n", "note": "Dup"}, "body", "Section numbers must be unique: 3."),
    ({"body": "Too short", "note": "x"}, "body", "Write the SOP: it is empty or too short."),
    ({"body": V2 + "\nMore.", "note": ""}, "note", "This field is required."),
]


def test_a_refused_edit_says_why_next_to_the_field(app, client, auth, sop):
    auth.login_as("qa_lead")
    for data, field, message in REFUSED_EDITS:
        response = save_sop(client, data["body"], data["note"])
        assert response.status_code == 422, message
        assert error_next_to(field, message) in response.get_data(as_text=True)
    assert versions(app) == [1, 2]


def test_an_agent_flags_a_gap_and_a_lead_accepts_it(app, client, auth, sop):
    agent = auth.login_as("agent")
    form = page_form(client, "/sop/kyc_audit/gaps/new?scenario=kyc.selfie_mismatch")
    assert form["scenario"] == "kyc.selfie_mismatch"  # carried over from the link
    response = form.fill(
        section_number="3.3",
        reason="Selfie mismatches are not covered.",
        draft="### 3.3 Selfie mismatch\nCovers: kyc.selfie_mismatch\nEscalate below 0.6.",
    ).submit()
    assert response.status_code == 302
    assert "the SOP gap was flagged" in client.get(response.location).get_data(as_text=True)
    assert client.get("/sop/gaps").status_code == 403
    with app.app_context():
        gap = db.session.scalar(select(SopGap))
        assert (gap.proposer_id, gap.scenario, gap.section_number, gap.status) == (
            agent.id,
            "kyc.selfie_mismatch",
            "3.3",
            "open",
        )
    auth.logout()
    auth.login_as("qa_lead")
    listing = client.get("/sop/gaps").get_data(as_text=True)
    assert "Selfie mismatches are not covered." in listing
    stale = decision_form(client, gap.id)  # the same list, open in a second tab
    response = decision_form(client, gap.id).fill(note="Thanks.").submit("decision=accept")
    assert response.status_code == 302
    assert "Accepted: the SOP has a new version." in client.get(response.location).get_data(as_text=True)
    assert versions(app) == [1, 2, 3]
    page = client.get("/sop/kyc_audit").get_data(as_text=True)
    assert '<h3 id="sec-3-3">3.3 Selfie mismatch</h3>' in page
    assert "<code>kyc.selfie_mismatch</code>" in page
    # Deciding it again from the stale tab is refused and changes nothing.
    again = stale.submit("decision=reject", follow_redirects=True)
    assert "This gap was already decided." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(SopGap, gap.id).status == "accepted"
    assert versions(app) == [1, 2, 3]


def test_rejecting_a_gap_and_bad_decisions(app, client, auth, sop, make_user):
    with app.app_context():
        kyc = db.session.scalar(select(CaseType))
        gap_id = services.propose_gap(
            kyc, "## 9. X", "Because.", db.session.get(User, make_user("agent").id)
        ).id
        db.session.commit()
    auth.login_as("qa_lead")
    # Tampered: a decision the buttons never send, and a gap no page lists.
    assert client.post(f"/sop/gaps/{gap_id}/decide", data={"decision": "maybe"}).status_code == 400
    assert client.post("/sop/gaps/999999/decide", data={"decision": "reject"}).status_code == 404
    assert decision_form(client, gap_id).fill(note="No.").submit("decision=reject").status_code == 302
    assert "No." in client.get("/sop/gaps?status=rejected").get_data(as_text=True)
    assert versions(app) == [1, 2]


@pytest.mark.parametrize(
    ("missing", "message"), [("reason", "This field is required."), ("draft", "This field is required.")]
)
def test_a_gap_needs_a_reason_and_a_draft(app, client, auth, sop, missing, message):
    auth.login_as("agent")
    typed = {"reason": "Missing case.", "draft": "## 9. New", missing: ""}
    response = page_form(client, "/sop/kyc_audit/gaps/new").fill(**typed).submit()
    assert response.status_code == 422
    assert error_next_to(missing, message) in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SopGap)) == 0
