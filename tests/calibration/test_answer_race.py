"""Several first answers to the same calibration case at once: one agent saving from four tabs, and two
other agents, all posting together. Each request is real (its own client, its own thread). The worst
interleaving is forced where the database allows it: every writer has looked for its existing answer and
found none before any of them stores one. One answer per agent is stored, and nobody gets a 500.

On PostgreSQL the writers meet at the barrier. On SQLite a writing request holds the write lock from BEGIN
(app.database.begin_immediate_for_writes), so the others wait there instead; the barrier gives up after a
moment and the requests run one after another, which must work too."""

import contextlib
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.calibration import services
from app.calibration.models import SessionAnswer
from app.extensions import db as _db
from tests.calibration.conftest import ANSWERS, answer_form, sign_in
from tests.conftest import utcnow
from tests.forms import page_form


@pytest.fixture
def writers_meet_after_their_read(monkeypatch):
    """save_answer asks the time between its read and its write: each writer waits there for the others
    (for a few seconds at most, since on SQLite they cannot all get there at once)."""

    def arm(count: int) -> None:
        everyone_has_read = threading.Barrier(count)

        def after_the_read():
            with contextlib.suppress(threading.BrokenBarrierError):
                everyone_has_read.wait(timeout=3)
            return utcnow()

        monkeypatch.setattr(services, "clock", SimpleNamespace(now=after_the_read))

    return arm


def test_first_answers_sent_at_once_store_one_answer_per_agent(
    app, make_world, writers_meet_after_their_read
):
    world = make_world(agents=3, kinds=("fn",))
    url = f"/calibration/{world.session_id}/cases/1"
    tabs_agent, *others = world.people
    decisions = ["pass", "block", "escalate", "block"]
    forms = []  # (agent, decision, the form as the agent's page shows it)
    for agent, decision in [(tabs_agent, d) for d in decisions] + [(o, "pass") for o in others]:
        client = app.test_client()
        sign_in(client, agent)
        forms.append((agent, decision, page_form(client, url).fill(**answer_form(decision))))

    writers_meet_after_their_read(len(forms))
    statuses = [None] * len(forms)

    def send(index: int) -> None:
        try:
            statuses[index] = forms[index][2].submit().status_code
        except Exception as error:  # the test client re-raises what would be a 500
            statuses[index] = f"500 {type(error).__name__}"

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302] * len(forms)  # every save went through: the later tabs changed the answer
    with app.app_context():
        stored = _db.session.execute(select(SessionAnswer.user_id, SessionAnswer.decision)).all()
    by_agent = {}
    for user_id, decision in stored:
        by_agent.setdefault(user_id, []).append(decision)
    assert sorted(by_agent) == sorted(p.id for p in world.people)
    assert len(by_agent[tabs_agent.id]) == 1 and by_agent[tabs_agent.id][0] in decisions
    assert all(by_agent[o.id] == [ANSWERS["pass"]["decision"]] for o in others)
