"""Filters from the query string, and chart JSON for the dashboard templates."""

from datetime import UTC, date, datetime, time, timedelta

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Team
from app.cases.models import CaseType
from app.cases.vocabulary import DECISIONS
from app.charts import chart_json, figures
from app.dashboard import reports
from app.dashboard.queries import Filters
from app.extensions import db
from app.inputs import query_int
from app.qa.quality.rollup import day_of
from app.security import allow_chart_styles

DEFAULT_WEEKS = 12


def _day(name: str, errors: list[str]) -> datetime | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
    except ValueError:
        errors.append(_("%(field)s must be a date like 2026-11-24.", field=name))
        return None


def filters_from_request(now: datetime) -> tuple[Filters, list[str]]:
    """The page's filters (default: the 12 weeks up to and including today) and any problems with them."""
    errors: list[str] = []
    since, until = _day("since", errors), _day("until", errors)
    if until:
        until += timedelta(days=1)  # the until day is included
    if since and until and since >= until:
        errors.append(_("The start date must come before the end date."))
        since = until = None
    slug = request.args.get("case_type") or None
    case_type_id = db.session.scalar(select(CaseType.id).where(CaseType.slug == slug)) if slug else None
    if slug and case_type_id is None:
        errors.append(_("Unknown case type."))
    team_id = query_int("team")
    vendor = request.args.get("vendor") or None
    return Filters(
        since=since or day_of(now) + timedelta(days=1) - timedelta(weeks=DEFAULT_WEEKS),
        until=until,
        case_type_id=case_type_id,
        team_id=team_id,
        vendor=vendor,
    ), errors


def filter_choices() -> dict:
    teams = list(db.session.scalars(select(Team).order_by(Team.vendor, Team.name)))
    return {
        "case_types": list(db.session.scalars(select(CaseType).order_by(CaseType.name))),
        "teams": teams,
        "vendor_names": sorted({t.vendor for t in teams}),
    }


def agent_charts(quality: dict) -> dict:
    allow_chart_styles()
    accuracy = figures.accuracy_over_time(
        [w for w in quality["weeks"] if w["estimate"] is not None],
        quality["exams"],
        reports.BENCHMARK,
        {
            "title": _("Audited accuracy by week"),
            "x": _("Week"),
            "y": _("Accuracy"),
            "band": _("95% Wilson band"),
            "audited": _("QA audits"),
            "exams": _("Certification exams"),
            "hover": _(
                "%(week)s: %(acc)s of %(n)s audits", week="%{x}", acc="%{y:.1%}", n="%{customdata[0]}"
            ),
        },
    )
    matrix = figures.confusion_heatmap(
        [str(n) for n in DECISIONS],
        quality["matrix"],
        {
            "title": _("Decisions: reference (rows) × given (columns)"),
            "x": _("Given"),
            "y": _("Reference"),
            "hover": _("reference %(r)s, given %(g)s: %(n)s", r="%{y}", g="%{x}", n="%{z}"),
        },
    )
    return {"accuracy_figure": chart_json(accuracy), "matrix_figure": chart_json(matrix)}
