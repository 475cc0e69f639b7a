"""Admin teams: create, edit, and names that must stay unique."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.auth.models import Team
from app.extensions import db
from tests.forms import page_form


def save(client, url: str = "/admin/teams", **typed):
    """Open the teams page (or one team's), type into its form, and save."""
    return page_form(client, url).fill(**typed).submit()


def teams(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(select(Team.name, Team.vendor, Team.site).order_by(Team.id))
        ]


def test_create_a_team(app, client, auth):
    auth.login_as("admin")
    response = save(client, name=" Manila KYC ", vendor="Northwind BPO", site="Manila")
    assert response.status_code == 302 and response.location == "/admin/teams"
    assert teams(app) == [("Manila KYC", "Northwind BPO", "Manila")]
    page = client.get("/admin/teams").get_data(as_text=True)
    assert "Team saved." in page and "<td>Manila KYC</td>" in page


def test_edit_a_team(app, client, auth, make_team):
    team = make_team(name="KL Onboarding", vendor="Atlas Support", site="Kuala Lumpur")
    auth.login_as("admin")
    assert 'value="KL Onboarding"' in client.get(f"/admin/teams/{team.id}").get_data(as_text=True)
    assert save(client, f"/admin/teams/{team.id}", name="KL Onboarding 2", site="Penang").status_code == 302
    assert teams(app) == [("KL Onboarding 2", "Atlas Support", "Penang")]


def test_saving_a_team_under_its_own_name_is_fine(app, client, auth, make_team):
    team = make_team(name="Manila KYC", site="Manila")
    auth.login_as("admin")
    assert save(client, f"/admin/teams/{team.id}", site="Cebu").status_code == 302  # the name as shown
    assert teams(app) == [("Manila KYC", "Northwind BPO", "Cebu")]


@pytest.mark.parametrize("url_of", [lambda other: "/admin/teams", lambda other: f"/admin/teams/{other.id}"])
def test_a_duplicate_name_is_refused(app, client, auth, make_team, url_of):
    make_team(name="Manila KYC")
    other = make_team(name="Manila Payments")
    auth.login_as("admin")
    before = teams(app)
    response = save(client, url_of(other), name="Manila KYC ", vendor="V", site="S")
    assert response.status_code == 422
    assert '<p class="error" id="name-error">A team with that name exists.</p>' in response.get_data(
        as_text=True
    )
    assert teams(app) == before


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": "", "vendor": "V", "site": "S"}, "name", "This field is required."),
        ({"name": "T", "vendor": "  ", "site": "S"}, "vendor", "This field is required."),
        ({"name": "T", "vendor": "V", "site": ""}, "site", "This field is required."),
    ],
)
def test_incomplete_teams_are_refused(app, client, auth, data, field, message):
    auth.login_as("admin")
    response = save(client, **data)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{escape(message)}</p>' in response.get_data(as_text=True)
    assert teams(app) == []


def test_a_name_past_the_inputs_maxlength_is_refused(app, client, auth):
    auth.login_as("admin")
    # Crafted: the name input's maxlength stops a browser at 80 characters; the server must refuse more.
    response = client.post("/admin/teams", data={"name": "T" * 81, "vendor": "V", "site": "S"})
    assert response.status_code == 422
    message = "Field cannot be longer than 80 characters."
    assert f'<p class="error" id="name-error">{escape(message)}</p>' in response.get_data(as_text=True)
    assert teams(app) == []


def test_a_missing_team_is_404(client, auth):
    auth.login_as("admin")
    assert client.get("/admin/teams/999999").status_code == 404


@pytest.mark.parametrize("role", ["agent", "qa_lead", "manager"])
def test_only_admins_manage_teams(app, client, auth, role):
    auth.login_as(role)
    # Forged: the page refuses this role, so the post is crafted by hand.
    assert client.post("/admin/teams", data={"name": "T", "vendor": "V", "site": "S"}).status_code == 403
    assert teams(app) == []
