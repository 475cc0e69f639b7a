"""The flask commands: users create, tokens create, demo seed and seed golden."""

import json

import pytest
from sqlalchemy import func, select

from app.auth.models import ApiToken, Team, User
from app.cases.models import CaseType, GoldenCase, ReferenceAnswer
from app.extensions import db
from tests.conftest import PASSWORD, golden_item
from tests.forms import submit_form

CASE_TYPES_FILE = {
    "format": "touchstone-case-types/1",
    "case_types": [
        {"slug": "kyc_audit", "name": "KYC Audit", "description": "Identity checks.", "sop_prefix": "KYC"},
        {"slug": "ato_investigation", "name": "ATO investigation", "description": "", "sop_prefix": "ATO"},
    ],
}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- users create ---


def test_users_create_reads_the_password_from_stdin(app, runner, client, make_team):
    make_team(name="Manila KYC")
    result = runner.invoke(
        args=["users", "create", " Lena ", "--role", "qa_lead", "--team", "Manila KYC", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created qa_lead lena." in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lena"))
        assert (user.role, user.team.name, user.locale) == ("qa_lead", "Manila KYC", "en")
    assert submit_form(client, "/login", {"username": "lena", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    "args,stdin,message",
    [
        (
            ["users", "create", "LENA", "--role", "agent", "--password-stdin"],
            PASSWORD,
            "That username is taken.",
        ),
        (
            ["users", "create", "omar", "--role", "agent", "--password-stdin"],
            "short",
            "Use at least 10 characters.",
        ),
        (
            ["users", "create", "omar", "--role", "boss", "--password-stdin"],
            PASSWORD,
            "Invalid value for '--role'",
        ),
        (
            ["users", "create", "omar", "--role", "agent", "--team", "Nowhere", "--password-stdin"],
            PASSWORD,
            "no team named 'Nowhere'",
        ),
    ],
)
def test_users_create_refusals(app, runner, make_user, args, stdin, message):
    make_user("agent", username="lena")
    result = runner.invoke(args=args, input=stdin + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert count(app, User) == 1


# --- tokens create ---


def test_tokens_create_prints_a_working_token_on_the_last_line(app, runner, client, make_user):
    make_user("qa_lead", username="lena")
    result = runner.invoke(
        args=["tokens", "create", "lena", "--name", "ci", "--scope", "api", "--scope", "ingest"]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("tst_") and " " not in secret
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert (me.get_json()["username"], me.get_json()["scopes"]) == ("lena", ["api", "ingest"])
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert (token.name, token.scopes) == ("ci", "api ingest") and secret not in token.token_hash


@pytest.mark.parametrize(
    "args,message",
    [
        (["tokens", "create", "nobody", "--name", "ci", "--scope", "api"], "no user named 'nobody'"),
        (["tokens", "create", "gone", "--name", "ci", "--scope", "api"], "That user is deactivated."),
        (["tokens", "create", "lena", "--name", "ci", "--scope", "root"], "Invalid value for '--scope'"),
        (["tokens", "create", "lena", "--name", "  ", "--scope", "api"], "Name the token."),
    ],
)
def test_tokens_create_refusals(app, runner, make_user, args, message):
    make_user("agent", username="lena")
    make_user("agent", username="gone", active=False)
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output
    assert count(app, ApiToken) == 0


# --- demo seed ---


def test_demo_seed_creates_the_demo_organisation_once(app, runner, client):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Demo data: 6 teams and 46 people created." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(func.distinct(Team.vendor)))) == 3
        assert count(app, Team) == 6
        roles = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
        assert roles == {"admin": 1, "manager": 2, "qa_lead": 3, "agent": 40}
        agents_without_team = db.session.scalar(
            select(func.count()).where(User.role == "agent", User.team_id.is_(None))
        )
        assert agents_without_team == 0
        tokens = db.session.scalars(select(User.session_token)).all()
        assert len(set(tokens)) == 46

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "Demo data: 0 teams and 0 people created." in again.output
    assert count(app, User) == 46 and count(app, Team) == 6
    signed_in = submit_form(client, "/login", {"username": "agent01", "password": "agent-demo-2026"})
    assert signed_in.status_code == 302


# --- seed golden ---


@pytest.fixture
def seed_dir(tmp_path):
    (tmp_path / "case_types.json").write_text(json.dumps(CASE_TYPES_FILE), "utf-8")
    return tmp_path


def write_golden(folder, name, items) -> None:
    (folder / name).write_text(
        json.dumps({"format": "touchstone-golden/1", "cases": items}, ensure_ascii=False)
    )


def test_seed_golden_loads_case_types_and_cases(app, runner, seed_dir):
    write_golden(seed_dir, "kyc_audit.json", [golden_item("kyc_audit-1"), golden_item("kyc_audit-2")])
    result = runner.invoke(args=["seed", "golden", "--dir", str(seed_dir)])
    assert result.exit_code == 0, result.output
    assert "Golden set: 2 cases loaded, 0 already present; 2 case types" in result.output
    with app.app_context():
        assert set(db.session.scalars(select(CaseType.slug))) == {"kyc_audit", "ato_investigation"}
        assert set(db.session.scalars(select(GoldenCase.key))) == {"kyc_audit-1", "kyc_audit-2"}
    assert count(app, ReferenceAnswer) == 2

    again = runner.invoke(args=["seed", "golden", "--dir", str(seed_dir)])
    assert again.exit_code == 0
    assert "Golden set: 0 cases loaded, 2 already present; 0 case types" in again.output
    assert count(app, GoldenCase) == 2 and count(app, CaseType) == 2


def test_seed_golden_with_a_bad_file_writes_nothing(app, runner, seed_dir):
    write_golden(seed_dir, "ato_investigation.json", [golden_item("ato-1", case_type="ato_investigation")])
    write_golden(
        seed_dir, "kyc_audit.json", [golden_item("kyc_audit-1"), golden_item("kyc_audit-2", priority=-3)]
    )
    result = runner.invoke(args=["seed", "golden", "--dir", str(seed_dir)])
    assert result.exit_code != 0
    assert "kyc_audit.json: item 1 priority: Give a whole number from 0 to 100." in result.output
    assert (count(app, CaseType), count(app, GoldenCase), count(app, ReferenceAnswer)) == (0, 0, 0)


def test_seed_golden_needs_an_existing_folder(runner, tmp_path):
    result = runner.invoke(args=["seed", "golden", "--dir", str(tmp_path / "missing")])
    assert result.exit_code != 0 and "does not exist" in result.output
