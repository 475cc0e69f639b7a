"""Ready values for the calibration templates, and the access rules of a session's pages.

Blind rule: while a session is open, nothing built here for a participant holds anyone else's answer
or any reference answer.
"""

from datetime import UTC

from flask import abort, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.auth.roles import LEADS
from app.calibration import queries, services
from app.calibration.models import CalibrationSession, SessionCase
from app.cases.models import CaseType
from app.charts import chart_json
from app.charts.figures import alpha_trend, kappa_heatmap
from app.errors import DomainError
from app.extensions import db
from app.security import allow_chart_styles

REPORT_VIEWERS = frozenset({"qa_lead", "admin", "manager"})
PROMOTE_FIELDS = ("key", "difficulty", "scenario", "reasoning")


def session_for(session_id: int, user: User) -> CalibrationSession:
    """A session the user may see at all: staff see every session, agents only their own (else 404)."""
    session = db.session.get(CalibrationSession, session_id)
    if session is None or (user.role == "agent" and not services.is_participant(session, user)):
        abort(404)
    return session


def may_read_report(session: CalibrationSession, user: User) -> bool:
    """Leads and managers always; participants once the session is closed."""
    if user.role in REPORT_VIEWERS:
        return session.report is not None
    return (
        session.status == "closed" and session.report is not None and services.is_participant(session, user)
    )


def participant_case(session: CalibrationSession, position: int, user: User) -> SessionCase:
    if not services.is_participant(session, user):
        abort(404)
    case = db.session.scalar(
        select(SessionCase).where(SessionCase.session_id == session.id, SessionCase.position == position)
    )
    if case is None:
        abort(404)
    return case


def overview(session: CalibrationSession, user: User) -> dict:
    values = {"session": session, "is_lead": user.role in LEADS, "can_report": may_read_report(session, user)}
    if services.is_participant(session, user):
        mine = services.own_answers(session, user)
        values["my_cases"] = [(case, case.id in mine) for case in session.cases]
        values["my_answered"] = len(mine)
    if user.role in REPORT_VIEWERS:
        values["progress"] = queries.participant_progress(session)
    return values


def label_page(session: CalibrationSession, case: SessionCase, user: User) -> dict:
    mine = services.own_answers(session, user)
    return {
        "session": session,
        "session_case": case,
        "case": _content_view(case),
        "answered": len(mine),
        "total": len(session.cases),
        "draft_key": f"touchstone-cal-{case.id}-{user.id}",
        "positions": [(c.position, c.id in mine) for c in session.cases],
    }


def _content_view(case: SessionCase) -> dict:
    """The case snapshot in the shape the shared case template reads."""
    from datetime import datetime

    content = dict(case.content)
    content["opened_at"] = datetime.fromisoformat(content["opened_at"].replace("Z", "+00:00"))
    content["is_key_user"] = content["priority"] >= 75
    return content


def next_label_url(session: CalibrationSession, case: SessionCase, user: User) -> str:
    """The next case this participant hasn't answered, or the session page when all are answered."""
    mine = services.own_answers(session, user)
    pending = [c for c in session.cases if c.id not in mine]
    later = [c for c in pending if c.position > case.position] or pending
    if not later:
        return url_for("calibration.detail", session_id=session.id, saved=case.id)
    return url_for("calibration.label", session_id=session.id, position=later[0].position, saved=case.id)


def case_at(session: CalibrationSession, position: int) -> SessionCase:
    case = db.session.scalar(
        select(SessionCase).where(SessionCase.session_id == session.id, SessionCase.position == position)
    )
    if case is None:
        abort(404)
    return case


def fill_final(form, case: SessionCase) -> None:
    """Start the settling form from the final answer, else the golden reference, else the majority."""
    if case.final_decision:
        values = (
            case.final_decision,
            case.final_label,
            case.final_root_cause,
            case.final_rationale,
            case.final_sop_ref,
        )
    elif case.golden_case is not None:
        ref = case.golden_case.current_answer
        values = (ref.decision, ref.label, ref.root_cause, ref.rationale, ref.sop_ref)
    else:
        return
    form.decision.data, form.label.data, form.root_cause.data, form.rationale.data, form.sop_ref.data = (
        values[0],
        values[1],
        values[2] or "",
        values[3],
        values[4],
    )


def fill_promotion(promote_form, case: SessionCase) -> None:
    """Start the promote form's scenario and reasoning from the case, unless the lead has just sent theirs."""
    if not promote_form.scenario.raw_data:
        promote_form.scenario.data = case.content.get("scenario") or ""
    if not promote_form.reasoning.raw_data:
        promote_form.reasoning.data = "\n".join(services.promotion_reasoning(case))


def show_promotion_errors(promote_form, errors) -> None:
    """The import's problems with a promotion: by the promote form's own fields, and the rest (a snapshot
    or settled answer the form can't change) above it, naming what they concern."""
    for error in errors:
        message = _(error.message, **error.params)
        field = getattr(promote_form, error.field) if error.field in PROMOTE_FIELDS else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            promote_form.form_errors.append(_("%(field)s: %(problem)s", field=error.field, problem=message))


def apply_settle_action(
    action, case: SessionCase, form, note_form, promote_form, actor: User, amend: bool
) -> None:
    """Run the settling page's button: save the note, set the final answer, or promote to gold."""
    if action == "note":
        services.save_note(case, note_form.note.data, actor)
    elif action == "settle":
        answer = form.to_item()["answer"]
        services.settle_case(case, answer, note_form.note.data or "", actor, amend_golden=amend)
    elif action == "promote":
        if not promote_form.key.data:
            raise DomainError(_("Give the new golden case a key."), "key")
        key, difficulty = promote_form.key.data.strip(), promote_form.difficulty.data
        scenario, reasoning = (promote_form.scenario.data or "").strip(), promote_form.steps()
        services.promote_case(case, key, difficulty, actor, scenario=scenario, reasoning=reasoning)
    else:
        abort(400)


def create_session_from(form, actor: User) -> CalibrationSession:
    """Resolve the new-session form (case type, participants, cases) and create the session."""
    case_type = db.session.scalar(select(CaseType).where(CaseType.slug == form.case_type.data))
    if case_type is None:
        raise DomainError(_("Choose a case type."), "case_type")
    participants = list(db.session.scalars(select(User).where(User.id.in_(form.participants.data or []))))
    keys = [line.strip() for line in (form.case_keys.data or "").splitlines() if line.strip()]
    case_ids = queries.pick_golden_cases(case_type, keys, (form.scenario.data or "").strip(), form.count.data)
    deadline = form.deadline.data.replace(tzinfo=UTC)
    return services.create_session(form.name.data, case_type, deadline, participants, case_ids, actor)


def report_page(session: CalibrationSession) -> dict:
    allow_chart_styles()
    report = session.report
    labels = {"title": _("Pairwise Cohen's kappa (decisions)"), "x": _("Participant"), "y": _("Participant")}
    figure = kappa_heatmap(report["kappa"]["participants"], report["kappa"]["matrix"], labels)
    keys = {c.position: c for c in session.cases}
    return {
        "session": session,
        "report": report,
        "definition_note": _definition_note(report.get("definition", 1)),
        "kappa_figure": chart_json(figure),
        "case_links": {row["position"]: keys[row["position"]] for row in report["cases"]},
    }


def _definition_note(version: int) -> str:
    """One line saying how this stored report coded root cause (reports keep the definition they were
    computed under; see DEFINITION_VERSION in report.py)."""
    if version >= 2:
        return _(
            "Definitions, version %(version)s: for root cause, “no root cause” (a TP or TN answer) counts as "
            "a category, so FP/A against TP/none is a disagreement; only an unanswered case is missing.",
            version=version,
        )
    return _(
        "Definitions, version 1: this report was stored before “no root cause” counted as a category, so "
        "its root-cause α leaves out answers without a root cause. It is recomputed under the current "
        "definition when one of its cases is next settled."
    )


def settle_page(session: CalibrationSession, case: SessionCase) -> dict:
    row = next((r for r in (session.report or {}).get("cases", []) if r["position"] == case.position), None)
    return {
        "session": session,
        "session_case": case,
        "case": _content_view(case),
        "row": row,
        "answers": queries.case_answers(case),
    }


def trend_page() -> dict:
    allow_chart_styles()
    points = queries.alpha_trend()
    series: dict[str, list] = {}
    for point in points:
        series.setdefault(point["case_type"], []).append((point["closed_at"].isoformat(), point["alpha"]))
    labels = {
        "title": _("Krippendorff's alpha (decisions) by case type"),
        "x": _("Session closed"),
        "y": _("Alpha"),
        "reliable": _("0.800 reliable"),
        "tentative": _("0.667 tentative"),
    }
    return {"points": points, "trend_figure": chart_json(alpha_trend(series, labels))}
